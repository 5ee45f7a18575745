package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.cli.HelpLayout.In;
import io.jointly.channel.MessageChannel;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Learned;
import io.jointly.compliance.RunTerms;
import io.jointly.core.InputException;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.stats.ColumnLayout;
import io.jointly.stats.Noise;
import io.jointly.stats.PartnerColumns;
import io.jointly.stats.SegmentTable;
import io.jointly.stats.StatisticsBank;
import io.jointly.stats.StatisticsParameters;
import io.jointly.stats.StatisticsPartner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jointly stats}: federated statistics over the shared customers — the bank groups them by
 * its own columns and learns per segment the count and the sums, means and histograms of the
 * partner's columns, never a customer's partner values.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Describe the shared customers by bank segment with partner data.",
      "Runs PSI, then the bank groups the shared customers by its own columns (--group-by) and"
          + " learns, per segment, the count and the sums, means and histograms of the partner's"
          + " columns (--values); it never sees a customer's partner values. Segments of fewer than"
          + " --min-cell shared customers are suppressed. The partner learns the bank's set size"
          + " and number of segments.",
      "Each numeric partner column needs a public clipping bound (--bound COL=MAX): a bound taken"
          + " from the data would reveal its range."
    },
    customSynopsis = {
      "jointly stats --role ROLE (--listen | --connect) HOST:PORT",
      "                     (--tls DIR | --insecure) --input FILE --id COL",
      "                     --normalize PROFILE (--group-by | --values) COL [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # at the bank: segments by lifecycle stage, writes the table",
      "  jointly stats --role bank --listen 0.0.0.0:9444 --tls tls \\",
      "      --input bank.csv --id mobile --normalize phone \\",
      "      --group-by lifecycle_stage --output segments.csv",
      "  # at the partner: describes two of its columns, one of them numeric",
      "  jointly stats --role partner --connect bank.example.com:9444 --tls tls \\",
      "      --input partner.csv --id phone --normalize phone \\",
      "      --values order_frequency,spend_band --bound order_frequency=60"
    })
final class StatsCommand extends AlignedCommand {
  @In(INPUT)
  @Option(
      names = "--group-by",
      split = ",",
      paramLabel = "COL",
      description = "Bank: the columns whose values form the segments.")
  List<String> groupBy;

  @In(INPUT)
  @Option(
      names = "--values",
      split = ",",
      paramLabel = "COL",
      description =
          "Partner: the columns to describe. A column whose every value is a number is numeric"
              + " (count, sum, mean), any other is categorical (a histogram).")
  List<String> values;

  @In(INPUT)
  @Option(
      names = "--bound",
      paramLabel = "COL=MAX",
      description =
          "Partner: the public clipping bound of a numeric column, whose values are clipped to"
              + " -MAX..MAX. Give it once for each numeric column.")
  Map<String, String> bounds = new LinkedHashMap<>();

  @In(INPUT)
  @Option(
      names = "--max-levels",
      defaultValue = "12",
      paramLabel = "N",
      description =
          "Partner: the most levels a categorical column keeps; the rest are counted as (other)"
              + " (default ${DEFAULT-VALUE}).")
  int maxLevels;

  @In(PROTOCOL)
  @Option(
      names = "--min-cell",
      defaultValue = "20",
      paramLabel = "N",
      description = "Suppress segments of fewer shared customers than this (default ${DEFAULT-VALUE}).")
  int minCell;

  @In(PROTOCOL)
  @Option(
      names = "--noise",
      defaultValue = "none",
      paramLabel = "NOISE",
      description =
          "Differential-privacy noise on the released figures: none, or laplace:EPSILON (default"
              + " ${DEFAULT-VALUE}).")
  String noise;

  @In(OUTPUT)
  @Option(names = "--output", paramLabel = "FILE", description = "Bank: write the segment table here, as CSV.")
  Path output;

  @Override
  public Integer call() throws Exception {
    PsiRole psiRole = parseRole(role);
    EcdhPsiParameters psiParams = parameters(RevealMode.BANK);
    StatisticsParameters params;
    try {
      params =
          StatisticsParameters.DEFAULT
              .withPsi(psiParams)
              .withMinCellSize(minCell)
              .withNoise(option("--noise", () -> Noise.parse(noise)))
              .withReceiveTimeout(connection.timeout);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (psiRole == PsiRole.BANK) {
      if (groupBy == null || groupBy.isEmpty() || values != null) {
        throw usage("the bank names its segment columns with --group-by (and no --values)");
      }
    } else if (values == null || values.isEmpty() || groupBy != null || output != null) {
      throw usage("the partner names its columns with --values (and no --group-by or --output: it learns no figures)");
    }
    checkOutput(output, "--output");
    checkOutput(report, "--report");
    CsvTable table = readInput();
    PsiInput ids = PsiInput.ofColumns(idValues(table));
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      // Bad identifiers fail here, before any connection.
      try {
        new EcdhPsi(psiRole, psiParams, pool, cores).prepare(ids);
      } catch (InputException e) {
        throw CliException.input(locate(table, e));
      }
      try (Compliance compliance = compliance(psiRole)) {
        RunTerms.Builder terms =
            terms("stats", StatsReport.PROTOCOL, RevealMode.BANK.displayName(), table.rowCount())
                .minCellSize(minCell)
                .parameter("noise", noise.trim());
        if (psiRole == PsiRole.BANK) {
          List<List<String>> segments = new ArrayList<>();
          for (String c : groupBy) {
            segments.add(table.columnValues(table.column(c.trim())));
          }
          List<String> groupNames = groupBy.stream().map(String::trim).toList();
          StatisticsBank bank = new StatisticsBank(params, pool, cores).withListener(new ProgressBar(err, quiet, "bank"));
          AgreedRun.Completed<SegmentTable> done;
          AgreedRun run;
          try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
            run = compliance.open(channel, "bank", terms);
            done = run.run(ch -> bank.run(ids, groupNames, segments, ch), StatsCommand::bankLearned);
          }
          SegmentTable result = done.result();
          if (output != null) {
            writeTable(result, output, table.delimiter());
          }
          if (report != null) {
            Json.writeReport(StatsReport.Bank.of(result, ComplianceReport.of(run, done.receipt())), report);
          }
          if (!quiet) {
            out.println(bankSummary(result));
          }
        } else {
          PartnerColumns columns = partnerColumns(table);
          StatisticsPartner partner = new StatisticsPartner(params, pool, cores).withListener(new ProgressBar(err, quiet, "partner"));
          AgreedRun.Completed<StatisticsPartner.Result> done;
          AgreedRun run;
          try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
            run = compliance.open(channel, "partner", terms.parameter("columns", String.join(",", columns.layout().names())));
            done = run.run(ch -> partner.run(ids, columns, ch), StatsCommand::partnerLearned);
          }
          StatisticsPartner.Result result = done.result();
          if (report != null) {
            Json.writeReport(StatsReport.Partner.of(result, params, ComplianceReport.of(run, done.receipt())), report);
          }
          if (!quiet) {
            out.printf(
                Locale.ROOT,
                "partner: described %d columns for the bank's %d segments; %,d bytes sent; %.1f s%n",
                result.layout().names().size(),
                result.segments(),
                result.psi().traffic().bytesSent() + result.traffic().bytesSent(),
                result.elapsed().toMillis() / 1000.0);
          }
        }
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The partner's value columns: numeric if every non-empty value is a number, else categorical. */
  PartnerColumns partnerColumns(CsvTable table) throws CliException {
    List<PartnerColumns.Numeric> numeric = new ArrayList<>();
    List<PartnerColumns.Categorical> categorical = new ArrayList<>();
    for (String raw : values) {
      String name = raw.trim();
      int c = table.column(name);
      List<String> v = table.columnValues(c);
      double[] parsed = new double[v.size()];
      int firstBad = -1;
      for (int r = 0; r < v.size() && firstBad < 0; r++) {
        String s = v.get(r).trim();
        if (s.isEmpty()) {
          parsed[r] = Double.NaN;
          continue;
        }
        try {
          parsed[r] = Double.parseDouble(s);
          if (!Double.isFinite(parsed[r])) {
            firstBad = r;
          }
        } catch (NumberFormatException e) {
          firstBad = r;
        }
      }
      if (firstBad < 0) {
        String bound = bounds.get(name);
        if (bound == null) {
          throw usage(
              "--bound " + name + "=MAX is needed: column " + name + " is numeric, and its clipping bound is public"
                  + " (it is not derived from the data, which would reveal its range)");
        }
        double b;
        try {
          b = Double.parseDouble(bound);
        } catch (NumberFormatException e) {
          throw usage("--bound " + name + ": not a number");
        }
        if (!(b > 0) || Double.isInfinite(b)) {
          throw usage("--bound " + name + ": must be positive");
        }
        numeric.add(new PartnerColumns.Numeric(name, b, parsed));
      } else {
        if (bounds.containsKey(name)) {
          throw CliException.input(
              table.file() + ": line " + table.lineOf(firstBad) + ", column " + name
                  + ": not a number, but --bound says the column is numeric");
        }
        List<String> levels = new ArrayList<>(v.size());
        v.forEach(x -> levels.add(x.trim().isEmpty() ? null : x.trim()));
        categorical.add(PartnerColumns.Categorical.fromValues(name, levels, maxLevels));
      }
    }
    for (String b : bounds.keySet()) {
      if (!values.stream().map(String::trim).toList().contains(b)) {
        throw usage("--bound " + b + ": not one of --values");
      }
    }
    return PartnerColumns.of(numeric, categorical);
  }

  private static void writeTable(SegmentTable t, Path target, char delimiter) throws java.io.IOException {
    List<String> header = new ArrayList<>(t.groupBy());
    header.add("shared_customers");
    for (ColumnLayout.NumericColumn c : t.layout().numeric()) {
      header.add(c.name() + "_present");
      header.add(c.name() + "_sum");
      header.add(c.name() + "_mean");
    }
    for (ColumnLayout.CategoricalColumn c : t.layout().categorical()) {
      c.levels().forEach(l -> header.add(c.name() + "=" + l));
      header.add(c.name() + "=" + PartnerColumns.OTHER);
    }
    AtomicOutput.write(
        target,
        w -> {
          w.write(line(header, delimiter));
          for (SegmentTable.Segment s : t.segments()) {
            List<String> row = new ArrayList<>(s.key());
            row.add(s.suppressed() ? "suppressed" : Long.toString(s.count().getAsLong()));
            if (s.suppressed()) {
              while (row.size() < header.size()) {
                row.add("");
              }
            } else {
              for (SegmentTable.NumericCell n : s.numeric()) {
                row.add(fmt(n.present()));
                row.add(fmt(n.sum()));
                row.add(fmt(n.mean()));
              }
              for (SegmentTable.Histogram hgm : s.categorical()) {
                hgm.counts().values().forEach(v -> row.add(fmt(v)));
              }
            }
            w.write(line(row, delimiter));
          }
        });
  }

  private static String line(List<String> fields, char delimiter) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        b.append(delimiter);
      }
      b.append(CsvTable.quote(fields.get(i), delimiter));
    }
    return b.append('\n').toString();
  }

  private static String fmt(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "";
  }

  private static String fmt(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "";
  }

  /** What the bank learned, for the receipt: counts only. */
  static Learned bankLearned(SegmentTable t) {
    long released = t.segments().stream().filter(x -> !x.suppressed()).count();
    return Learned.of(
        StatsReport.bankLearned(t.minCellSize()).en(),
        Map.of(
            "intersection_size", t.psi().intersectionSize().orElse(0),
            "peer_set_size", (long) t.psi().peerSetSize(),
            "segments", (long) t.segments().size(),
            "segments_released", released,
            "partner_columns", (long) t.layout().names().size()));
  }

  /** What the partner learned, for the receipt: counts only. */
  static Learned partnerLearned(StatisticsPartner.Result r) {
    return Learned.of(
        StatsReport.PARTNER_LEARNED.en(),
        Map.of("peer_set_size", (long) r.psi().peerSetSize(), "bank_segments", (long) r.segments()));
  }

  private static String bankSummary(SegmentTable t) {
    long released = t.segments().stream().filter(s -> !s.suppressed()).count();
    return String.format(
        Locale.ROOT,
        "bank: %d segments, %d released, %d suppressed (fewer than %d shared customers); %.1f s",
        t.segments().size(),
        released,
        t.segments().size() - released,
        t.minCellSize(),
        t.elapsed().toMillis() / 1000.0);
  }
}
