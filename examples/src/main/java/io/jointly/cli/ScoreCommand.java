package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.channel.MessageChannel;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Learned;
import io.jointly.compliance.RunTerms;
import io.jointly.cli.HelpLayout.In;
import io.jointly.core.InputException;
import io.jointly.lr.ScoringResult;
import io.jointly.lr.TrainingMode;
import io.jointly.lr.VerticalLrBank;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.VerticalLrPartner;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.training.PartyModel;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jointly score}: federated scoring with the models from {@code train}. The partner
 * contributes partial scores for the shared customers; the bank writes the ranked list.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score the shared customers with a jointly trained model.",
      "Runs PSI, then each party applies its own model from train to its own features: the partner"
          + " sends its partial scores of the shared customers, and the bank writes id,score for"
          + " each of them, best first (--output). The partner learns which of its customers are"
          + " shared, nothing about the scores."
    },
    customSynopsis = {
      "jointly score --role ROLE (--listen | --connect) HOST:PORT",
      "                     (--tls DIR | --insecure) --input FILE --id COL",
      "                     --normalize PROFILE --model DIR [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # at the bank: writes the ranked list",
      "  jointly score --role bank --listen 0.0.0.0:9446 --tls tls \\",
      "      --input bank.csv --id mobile --normalize phone \\",
      "      --model model-bank --output scores.csv --output-id customer_no",
      "  # at the partner",
      "  jointly score --role partner --connect bank.example.com:9446 --tls tls \\",
      "      --input partner.csv --id phone --normalize phone --model model-partner"
    })
final class ScoreCommand extends AlignedCommand {
  @In(INPUT)
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The directory with this party's model.json, from train.")
  Path model;

  @In(PROTOCOL)
  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "secret-shared or aggregated-scores, as in training (default: the mode recorded in"
              + " --model). Scoring works alike in both: the bank learns the partner's partial"
              + " scores of the scored customers.")
  String mode;

  @In(OUTPUT)
  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Bank: write id,score for every shared customer here, best first.")
  Path output;

  @In(OUTPUT)
  @Option(
      names = "--output-id",
      paramLabel = "COL",
      description = "Bank: the column written as id (default: the first --id column).")
  String outputId;

  @Override
  public Integer call() throws Exception {
    PsiRole psiRole = parseRole(role);
    TrainingMode trainingMode = TrainCommand.parseMode(mode != null ? mode : ModelFiles.mode(model));
    EcdhPsiParameters psiParams = parameters(RevealMode.BOTH);
    if (psiRole == PsiRole.PARTNER && (output != null || outputId != null)) {
      throw usage("--output is for the bank: the partner learns no scores");
    }
    checkOutput(output, "--output");
    checkOutput(report, "--report");
    PartyModel partyModel = ModelFiles.read(model, psiRole == PsiRole.BANK ? PartyModel.Role.BANK : PartyModel.Role.PARTNER);
    CsvTable table = readInput();
    PsiInput ids = PsiInput.ofColumns(idValues(table));
    List<String> inputs = partyModel.transform().inputColumns();
    List<List<String>> columns = new ArrayList<>();
    for (String c : inputs) {
      columns.add(table.columnValues(table.column(c)));
    }
    RawTable features = RawTable.ofColumns(inputs, columns);
    int idColumn = table.column(outputId != null ? outputId : idColumns.get(0).trim());
    VerticalLrParameters params = VerticalLrParameters.defaults(trainingMode).withReceiveTimeout(connection.timeout);
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      EcdhPsi psi = new EcdhPsi(psiRole, psiParams, pool, cores).withListener(new ProgressBar(err, quiet, psiRole.displayName()));
      try {
        psi.prepare(ids);
      } catch (InputException e) {
        throw CliException.input(locate(table, e));
      }
      RunTerms.Builder terms = terms("score", ScoreReport.PROTOCOL, trainingMode.displayName(), table.rowCount());
      ScoringResult r;
      PsiResult psiResult;
      try (Compliance compliance = compliance(psiRole)) {
        AgreedRun run;
        AgreedRun.Completed<Scored> done;
        try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
          run = compliance.open(channel, psiRole.displayName(), terms);
          done =
              run.run(
                  ch -> {
                    PsiResult aligned = psi.run(ids, ch);
                    try {
                      return new Scored(
                          aligned,
                          psiRole == PsiRole.BANK
                              ? new VerticalLrBank(params, pool).score(partyModel, features, List.of(new VerticalLrBank.PartnerLink(aligned, ch)))
                              : new VerticalLrPartner(params, pool).score(partyModel, features, aligned, ch));
                    } catch (InputException e) {
                      throw CliException.input(table.file() + ": " + e.getMessage());
                    }
                  },
                  s -> learned(psiRole, s));
        }
        psiResult = done.result().psi();
        r = done.result().scores();
        if (output != null) {
          writeRanked(table, idColumn, r, output);
        }
        if (report != null) {
          Json.writeReport(
              ScoreReport.of(psiRole, trainingMode, psiResult, r, ComplianceReport.of(run, done.receipt())), report);
        }
      }
      if (!quiet) {
        out.printf(Locale.ROOT, "%s: scored %,d shared customers%s%n", psiRole.displayName(), r.rows().length,
            output != null ? "; ranked list in " + output : "");
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a scoring run returned. */
  private record Scored(PsiResult psi, ScoringResult scores) {}

  /** What this party learned, for the receipt: counts only. */
  private static Learned learned(PsiRole role, Scored s) {
    return Learned.of(
        (role == PsiRole.BANK ? ScoreReport.BANK_LEARNED : ScoreReport.PARTNER_LEARNED).en(),
        Map.of(
            "intersection_size", s.psi().intersectionSize().orElse(0),
            "peer_set_size", (long) s.psi().peerSetSize(),
            "scored_customers", (long) s.scores().rows().length));
  }

  private static void writeRanked(CsvTable table, int idColumn, ScoringResult r, Path target) throws java.io.IOException {
    int[] rows = r.rows();
    double[] p = r.probabilities();
    Integer[] order = new Integer[rows.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    AtomicOutput.write(
        target,
        w -> {
          w.write("id" + table.delimiter() + "score\n");
          for (int i : order) {
            w.write(CsvTable.quote(table.row(rows[i])[idColumn], table.delimiter()) + table.delimiter()
                + String.format(Locale.ROOT, "%.6f", p[i]) + "\n");
          }
        });
  }
}
