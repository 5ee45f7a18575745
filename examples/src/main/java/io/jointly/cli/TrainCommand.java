package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;
import static io.jointly.cli.HelpLayout.Section.TRAINING;

import io.jointly.cli.HelpLayout.In;
import io.jointly.channel.MessageChannel;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Learned;
import io.jointly.compliance.RunTerms;
import io.jointly.core.JointlyException;
import io.jointly.core.InputException;
import io.jointly.lr.BankTrainingResult;
import io.jointly.lr.PartnerTrainingResult;
import io.jointly.lr.TrainingMode;
import io.jointly.lr.VerticalLrBank;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.VerticalLrPartner;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.InformationValue;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.training.ClassWeights;
import io.jointly.lr.training.EarlyStopping;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.TrainingHistory;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jointly train}: vertical federated logistic regression. Runs PSI in {@code both} mode
 * first (each side must know which of its rows are shared), then trains; each party writes only
 * its own model. The bank evaluates the joint model beside a bank-only one on a holdout split.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a campaign-response model on both parties' data.",
      "Runs PSI (each party learns which of its rows are shared), then vertical federated logistic"
          + " regression on the shared customers: the bank brings the labels (--label) and its"
          + " features, the partner its features. No labels or features cross over, and each party"
          + " writes only its own model (--model-out). The bank's report compares the joint model"
          + " with a bank-only one on a holdout.",
      "--mode secret-shared (the default) keeps scores, gradients and weights secret-shared during"
          + " training: each party learns only its own final weights. --mode aggregated-scores is"
          + " faster but shows the bank the partner's partial scores for each customer and step."
    },
    customSynopsis = {
      "jointly train --role ROLE (--listen | --connect) HOST:PORT",
      "                     (--tls DIR | --insecure) --input FILE --id COL",
      "                     --normalize PROFILE --model-out DIR [--label COL] [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # at the bank: its labels are in the column responded",
      "  jointly train --role bank --listen 0.0.0.0:9445 --tls tls \\",
      "      --input bank.csv --id mobile --normalize phone \\",
      "      --label responded --exclude customer_no --model-out model-bank",
      "  # at the partner",
      "  jointly train --role partner --connect bank.example.com:9445 --tls tls \\",
      "      --input partner.csv --id phone --normalize phone \\",
      "      --exclude member_id --model-out model-partner"
    })
final class TrainCommand extends AlignedCommand {
  @In(INPUT)
  @Option(
      names = "--label",
      paramLabel = "COL",
      description = "Bank: the response column, 1/0, yes/no or true/false.")
  String label;

  @In(INPUT)
  @Option(
      names = "--features",
      split = ",",
      paramLabel = "COL",
      description = "The feature columns (default: every column but the --id and --label columns).")
  List<String> featureColumns;

  @In(INPUT)
  @Option(names = "--exclude", split = ",", paramLabel = "COL", description = "Columns to leave out of the features.")
  List<String> exclude;

  @In(PROTOCOL)
  @Option(
      names = "--mode",
      defaultValue = "secret-shared",
      paramLabel = "MODE",
      description = "secret-shared or aggregated-scores, as above (default ${DEFAULT-VALUE}).")
  String mode;

  @In(PROTOCOL)
  @Option(
      names = "--epoch-loss",
      description =
          "Secret-shared mode: let the bank learn the training loss of each epoch, one number per"
              + " epoch, shown in the report's history.")
  boolean epochLoss;

  @In(TRAINING)
  @Option(
      names = "--epochs",
      paramLabel = "N",
      description =
          "Epochs, or the most L-BFGS iterations (default 30 epochs in the secret-shared mode, up to"
              + " 100 iterations in the aggregated-scores mode).")
  Integer epochs;

  @In(TRAINING)
  @Option(
      names = "--optimizer",
      paramLabel = "gd|lbfgs",
      description =
          "gd (mini-batch gradient descent) or lbfgs (full-batch L-BFGS to convergence, L2 only,"
              + " aggregated-scores mode; the bank also learns partner inner products, see the"
              + " README) (default lbfgs in the aggregated-scores mode, gd in the secret-shared"
              + " one).")
  String optimizer;

  @In(TRAINING)
  @Option(
      names = "--sigmoid",
      defaultValue = "auto",
      paramLabel = "SIGMOID",
      description =
          "Secret-shared mode: how the sigmoid is approximated on shares. standard is fitted on"
              + " |z| ≤ 12; wide on |z| ≤ 48, for nearly separable data, at three times the"
              + " sigmoid's cost; extra-wide on |z| ≤ 96, at eight times, to train small nearly"
              + " separable sets to convergence; auto picks wide if a bank-only model's training"
              + " scores reach 6 in size, else standard (default ${DEFAULT-VALUE}).")
  String sigmoid;

  @In(TRAINING)
  @Option(
      names = "--lbfgs-memory",
      defaultValue = "10",
      paramLabel = "N",
      description = "The correction pairs L-BFGS keeps (default ${DEFAULT-VALUE}).")
  int lbfgsMemory;

  @In(TRAINING)
  @Option(names = "--batch-size", defaultValue = "256", paramLabel = "N", description = "The mini-batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @In(TRAINING)
  @Option(
      names = "--learning-rate",
      defaultValue = "0.5",
      paramLabel = "RATE",
      description = "The learning rate η (default ${DEFAULT-VALUE}).")
  double learningRate;

  @In(TRAINING)
  @Option(
      names = "--decay",
      defaultValue = "0.5",
      paramLabel = "DECAY",
      description = "The learning rate's decay: epoch e uses η/(1+decay·e) (default ${DEFAULT-VALUE}).")
  double decay;

  @In(TRAINING)
  @Option(names = "--l2", defaultValue = "0.0001", paramLabel = "STRENGTH", description = "The L2 regularisation strength (default ${DEFAULT-VALUE}).")
  double l2;

  @In(TRAINING)
  @Option(
      names = "--l1",
      defaultValue = "0",
      paramLabel = "STRENGTH",
      description = "The L1 regularisation strength, aggregated-scores mode only (default ${DEFAULT-VALUE}).")
  double l1;

  @In(TRAINING)
  @Option(
      names = "--class-weight",
      defaultValue = "none",
      paramLabel = "WEIGHT",
      description =
          "The responders' weight: none, balanced or a number (default ${DEFAULT-VALUE}: the"
              + " maximum-likelihood model, whose scores are calibrated probabilities; weights"
              + " change the model's optimum and so its ranking).")
  String classWeight;

  @In(TRAINING)
  @Option(
      names = "--early-stopping",
      paramLabel = "EPOCHS",
      description =
          "Aggregated-scores mode: stop after this many epochs (or L-BFGS iterations) without a"
              + " better loss on a validation split; 0 turns it off (default 0: L-BFGS stops when"
              + " the training objective converges; the secret-shared mode has no validation).")
  Integer patience;

  @In(TRAINING)
  @Option(
      names = "--validation",
      paramLabel = "SHARE",
      description =
          "The share of the shared customers that validates each epoch for --early-stopping,"
              + " aggregated-scores mode only (default 0.1 with --early-stopping, else 0).")
  Double validation;

  @In(TRAINING)
  @Option(
      names = "--holdout",
      defaultValue = "0.2",
      paramLabel = "SHARE",
      description =
          "The share held out to compare the model with a bank-only one (default ${DEFAULT-VALUE}).")
  double holdout;

  @In(TRAINING)
  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "The public seed of the split and the batches (default: random).")
  Long seed;

  @In(OUTPUT)
  @Option(
      names = "--model-out",
      required = true,
      paramLabel = "DIR",
      description = "Write this party's model.json to this directory.")
  Path modelOut;

  @In(OUTPUT)
  @Option(names = "--html", paramLabel = "FILE", description = "Bank: write an HTML evaluation report here.")
  Path html;

  @Override
  public Integer call() throws Exception {
    PsiRole psiRole = parseRole(role);
    TrainingMode trainingMode = parseMode(mode);
    EcdhPsiParameters psiParams = parameters(RevealMode.BOTH);
    if (epochLoss && trainingMode != TrainingMode.SECRET_SHARED) {
      throw usage("--epoch-loss is for the secret-shared mode (the aggregated-scores mode's history always has the objective)");
    }
    VerticalLrParameters params =
        (psiRole == PsiRole.BANK ? bankParameters(trainingMode) : partnerParameters(trainingMode)).withEpochLoss(epochLoss);
    if (psiRole == PsiRole.PARTNER && (label != null || html != null)) {
      throw usage("--label and --html are for the bank: the partner has no labels and sees no evaluation");
    }
    if (psiRole == PsiRole.BANK && label == null) {
      throw usage("--label COL is needed at the bank");
    }
    checkOutput(report, "--report");
    checkOutput(html, "--html");
    AtomicOutput.checkWritable(modelOut.resolve(ModelFiles.FILE), "--model-out");
    CsvTable table = readInput();
    PsiInput ids = PsiInput.ofColumns(idValues(table));
    RawTable features = features(table, psiRole == PsiRole.BANK ? label : null);
    int[] labels = psiRole == PsiRole.BANK ? labels(table, label) : null;
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      EcdhPsi psi = new EcdhPsi(psiRole, psiParams, pool, cores).withListener(new ProgressBar(err, quiet, psiRole.displayName()));
      try {
        psi.prepare(ids);
      } catch (InputException e) {
        throw CliException.input(locate(table, e));
      }
      RunTerms.Builder terms = terms("train", TrainReport.PROTOCOL, trainingMode.displayName(), table.rowCount());
      if (params.ivMinBinSize() > 0) {
        terms.minCellSize(params.ivMinBinSize());
      }
      if (psiRole == PsiRole.BANK) {
        terms.parameter("optimizer", params.lr().optimizer() == Optimizer.LBFGS ? "lbfgs" : "gd")
            .parameter("epochs", params.lr().maxEpochs())
            .parameter("holdout", holdout)
            .parameter("validation", params.validationFraction());
      }
      if (epochLoss) {
        terms.parameter("epoch_loss", true);
      }
      try (Compliance compliance = compliance(psiRole)) {
        AgreedRun run;
        if (psiRole == PsiRole.BANK) {
          TrainingProgress progress = new TrainingProgress(err, quiet, "bank");
          AgreedRun.Completed<BankRun> done;
          try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
            run = compliance.open(channel, "bank", terms);
            done =
                run.run(
                    ch -> {
                      PsiResult psiResult = aligned(psi, ids, ch);
                      BankTrainingResult r =
                          new VerticalLrBank(params, pool)
                              .withListener(progress)
                              .train(features, labels, List.of(new VerticalLrBank.PartnerLink(psiResult, ch)));
                      return new BankRun(psiResult, r);
                    },
                    TrainCommand::bankLearned);
          }
          progress.finish();
          BankTrainingResult r = done.result().training();
          ModelFiles.write(r.model(), trainingMode.displayName(), modelOut);
          TrainReport.Bank rep =
              TrainReport.bank(
                  done.result().psi(),
                  r,
                  new TrainReport.Settings(
                      trainingMode,
                      params.ivMinBinSize(),
                      params.epochLoss(),
                      params.lr().optimizer() == Optimizer.LBFGS ? "lbfgs" : "gd",
                      r.sigmoid().map(TrainCommand::optionValue).orElse(null),
                      trainingMode == TrainingMode.SECRET_SHARED ? optionValue(params.sigmoid()) : null),
                  ComplianceReport.of(run, done.receipt()));
          if (report != null) {
            Json.writeReport(rep, report);
          }
          if (html != null) {
            String page = HtmlReport.renderModel(rep);
            AtomicOutput.write(html, w -> w.write(page));
          }
          if (!quiet) {
            out.println(bankSummary(r));
          }
        } else {
          TrainingProgress progress = new TrainingProgress(err, quiet, "partner");
          AgreedRun.Completed<PartnerRun> done;
          try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
            run = compliance.open(channel, "partner", terms);
            done =
                run.run(
                    ch -> {
                      PsiResult psiResult = aligned(psi, ids, ch);
                      return new PartnerRun(
                          psiResult, new VerticalLrPartner(params, pool).withListener(progress).train(features, psiResult, ch));
                    },
                    TrainCommand::partnerLearned);
          }
          progress.finish();
          PartnerTrainingResult r = done.result().training();
          ModelFiles.write(r.model(), trainingMode.displayName(), modelOut);
          if (report != null) {
            Json.writeReport(
                TrainReport.partner(done.result().psi(), r, trainingMode, params.epochLoss(), ComplianceReport.of(run, done.receipt())),
                report);
          }
          if (!quiet) {
            out.printf(Locale.ROOT, "partner: trained on %,d aligned customers for %d epochs; model in %s%n",
                r.alignedRows().length, r.epochs(), modelOut);
          }
        }
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  static TrainingMode parseMode(String mode) throws CliException {
    return option("--mode", "secret-shared or aggregated-scores", () -> TrainingMode.fromName(mode));
  }

  VerticalLrParameters bankParameters(TrainingMode trainingMode) throws CliException {
    boolean secretShared = trainingMode == TrainingMode.SECRET_SHARED;
    int stopAfter = patience != null ? patience : 0;
    LogisticRegressionParameters defaults = VerticalLrParameters.defaults(trainingMode).lr();
    double validationShare = validation != null ? validation : stopAfter > 0 ? 0.1 : 0;
    try {
      LogisticRegressionParameters lr =
          defaults.toBuilder()
              .optimizer(optimizer != null ? optimizer(optimizer) : defaults.optimizer())
              .lbfgsMemory(lbfgsMemory)
              .maxEpochs(epochs != null ? epochs : defaults.maxEpochs())
              .batchSize(batchSize)
              .learningRate(learningRate)
              .learningRateDecay(decay)
              .l2(l2)
              .l1(l1)
              .classWeights(classWeights(classWeight))
              .earlyStopping(stopAfter == 0 ? EarlyStopping.DISABLED : EarlyStopping.of(stopAfter, 1e-4))
              .seed(seed != null ? seed : new java.security.SecureRandom().nextLong())
              .build();
      VerticalLrParameters p = base(trainingMode).withSplit(validationShare, holdout).withSigmoid(sigmoid(sigmoid)).withLr(lr);
      // Information value releases per-bin responder counts: not part of "nothing but the model".
      return secretShared ? p.withIvMinBinSize(0) : p;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private VerticalLrParameters partnerParameters(TrainingMode trainingMode) {
    // The partner follows the bank's schedule (sent in the handshake); only the mode is its own.
    return base(trainingMode);
  }

  private VerticalLrParameters base(TrainingMode trainingMode) {
    return VerticalLrParameters.defaults(trainingMode).withReceiveTimeout(connection.timeout);
  }

  /** An enum constant as the command line spells it: {@code EXTRA_WIDE} → {@code extra-wide}. */
  private static String optionValue(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static VerticalLrParameters.SigmoidChoice sigmoid(String s) throws CliException {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return VerticalLrParameters.SigmoidChoice.AUTO;
      case "standard":
        return VerticalLrParameters.SigmoidChoice.STANDARD;
      case "wide":
        return VerticalLrParameters.SigmoidChoice.WIDE;
      case "extra-wide":
        return VerticalLrParameters.SigmoidChoice.EXTRA_WIDE;
      default:
        throw usage("--sigmoid must be auto, standard, wide or extra-wide");
    }
  }

  static Optimizer optimizer(String s) throws CliException {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "gd":
        return Optimizer.MINI_BATCH_GD;
      case "lbfgs":
        return Optimizer.LBFGS;
      default:
        throw usage("--optimizer must be gd or lbfgs");
    }
  }

  static ClassWeights classWeights(String s) throws CliException {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "none":
        return ClassWeights.NONE;
      case "balanced":
        return ClassWeights.BALANCED;
      default:
        try {
          return ClassWeights.positive(Double.parseDouble(s));
        } catch (IllegalArgumentException e) {
          throw usage("--class-weight must be none, balanced or a positive number");
        }
    }
  }

  /** The feature columns: --features, or all but the id and label columns, minus --exclude. */
  RawTable features(CsvTable table, String labelColumn) throws CliException {
    List<String> names = new ArrayList<>();
    if (featureColumns != null) {
      featureColumns.forEach(c -> names.add(c.trim()));
    } else {
      for (String h : table.header()) {
        boolean id = idColumns.stream().anyMatch(c -> c.trim().equals(h));
        if (!id && !h.equals(labelColumn)) {
          names.add(h);
        }
      }
    }
    if (exclude != null) {
      for (String x : exclude) {
        table.column(x.trim());
        names.remove(x.trim());
      }
    }
    if (labelColumn != null && names.contains(labelColumn)) {
      throw usage("--features names the label column " + labelColumn);
    }
    if (names.isEmpty()) {
      throw usage("no feature columns left");
    }
    List<List<String>> columns = new ArrayList<>();
    for (String n : names) {
      columns.add(table.columnValues(table.column(n)));
    }
    return RawTable.ofColumns(names, columns);
  }

  static int[] labels(CsvTable table, String column) throws CliException {
    int c = table.column(column);
    int[] y = new int[table.rowCount()];
    for (int r = 0; r < y.length; r++) {
      String v = table.row(r)[c].trim().toLowerCase(Locale.ROOT);
      switch (v) {
        case "1", "yes", "true", "y" -> y[r] = 1;
        case "0", "no", "false", "n" -> y[r] = 0;
        default -> throw CliException.input(
            table.file() + ": line " + table.lineOf(r) + ", column " + column + ": the label must be 0/1, yes/no or true/false");
      }
    }
    return y;
  }

  /** What the bank's side of a training run returned. */
  private record BankRun(PsiResult psi, BankTrainingResult training) {}

  /** What the partner's side of a training run returned. */
  private record PartnerRun(PsiResult psi, PartnerTrainingResult training) {}

  /** PSI in both mode, then the line that training starts. */
  private PsiResult aligned(EcdhPsi psi, PsiInput ids, MessageChannel ch) throws JointlyException {
    PsiResult psiResult = psi.run(ids, ch);
    if (!quiet) {
      err.println(psi.role().displayName() + ": " + psiResult.intersectionSize().orElse(0) + " shared customers; training");
    }
    return psiResult;
  }

  /** What the bank learned, for the receipt: counts only. */
  private static Learned bankLearned(BankRun r) {
    BankTrainingResult t = r.training();
    return Learned.of(
        "the shared customers, its own model and evaluation, and what the training mode reveals (see the report)",
        Map.of(
            "intersection_size", r.psi().intersectionSize().orElse(0),
            "peer_set_size", (long) r.psi().peerSetSize(),
            "aligned_customers", (long) t.alignedRows().length,
            "epochs", (long) t.epochs(),
            "partner_features", (long) t.partnerFeatures().get(0),
            "partner_features_with_iv", (long) t.partnerInformationValue().size()));
  }

  /** What the partner learned, for the receipt: counts only. */
  private static Learned partnerLearned(PartnerRun r) {
    return Learned.of(
        "which of its customers are shared, their split, the training schedule and its own model",
        Map.of(
            "intersection_size", r.psi().intersectionSize().orElse(0),
            "peer_set_size", (long) r.psi().peerSetSize(),
            "aligned_customers", (long) r.training().alignedRows().length,
            "epochs", (long) r.training().epochs()));
  }

  private static String bankSummary(BankTrainingResult r) {
    StringBuilder s = new StringBuilder(
        String.format(Locale.ROOT, "bank: trained on %,d aligned customers, %d epochs (%s)",
            r.alignedRows().length, r.epochs(), r.history().stopReason().name().toLowerCase(Locale.ROOT)));
    r.evaluation().ifPresent(e -> s.append(String.format(Locale.ROOT,
        "; holdout AUC %.4f joint vs %.4f bank-only, top-decile lift %.2f vs %.2f",
        e.joint().auc(), e.bankOnly().auc(), e.joint().topDecileLift(), e.bankOnly().topDecileLift())));
    return s.toString();
  }
}
