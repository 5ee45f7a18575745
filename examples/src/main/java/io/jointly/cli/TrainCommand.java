package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;
import static io.jointly.cli.HelpLayout.Section.TRAINING;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jointly.cli.HelpLayout.In;
import io.jointly.channel.MessageChannel;
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
  @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Epochs, or L-BFGS iterations (default ${DEFAULT-VALUE}).")
  int epochs;

  @In(TRAINING)
  @Option(
      names = "--optimizer",
      defaultValue = "gd",
      paramLabel = "gd|lbfgs",
      description =
          "gd (mini-batch gradient descent) or lbfgs (full-batch L-BFGS, L2 only, aggregated-scores"
              + " mode; the bank also learns partner inner products, see the README) (default"
              + " ${DEFAULT-VALUE}).")
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
  @Option(names = "--l2", defaultValue = "0.001", paramLabel = "STRENGTH", description = "The L2 regularisation strength (default ${DEFAULT-VALUE}).")
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
      defaultValue = "balanced",
      paramLabel = "WEIGHT",
      description = "The responders' weight: none, balanced or a number (default ${DEFAULT-VALUE}).")
  String classWeight;

  @In(TRAINING)
  @Option(
      names = "--early-stopping",
      paramLabel = "EPOCHS",
      description =
          "Stop after this many epochs without a better validation loss; 0 turns it off (default 3"
              + " in the aggregated-scores mode; the secret-shared mode has none).")
  Integer patience;

  @In(TRAINING)
  @Option(
      names = "--validation",
      defaultValue = "0.1",
      paramLabel = "SHARE",
      description =
          "The share of the shared customers that validates each epoch, aggregated-scores mode only"
              + " (default ${DEFAULT-VALUE}).")
  double validation;

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
      try (MessageChannel channel = connection.open(psiRole, quiet ? null : err)) {
        PsiResult psiResult = psi.run(ids, channel);
        if (!quiet) {
          err.println(psiRole.displayName() + ": " + psiResult.intersectionSize().orElse(0) + " shared customers; training");
        }
        if (psiRole == PsiRole.BANK) {
          TrainingProgress progress = new TrainingProgress(err, quiet, "bank");
          BankTrainingResult r =
              new VerticalLrBank(params, pool)
                  .withListener(progress)
                  .train(features, labels, List.of(new VerticalLrBank.PartnerLink(psiResult, channel)));
          progress.finish();
          ModelFiles.write(r.model(), trainingMode.displayName(), modelOut);
          Map<String, Object> rep = bankReport(psiResult, r, trainingMode, params.ivMinBinSize(), params.epochLoss());
          rep.put("optimizer", optimizer(optimizer) == Optimizer.LBFGS ? "lbfgs" : "gd");
          r.sigmoid().ifPresent(s -> rep.put("sigmoid", optionValue(s)));
          if (trainingMode == TrainingMode.SECRET_SHARED) {
            rep.put("sigmoid_choice", optionValue(params.sigmoid()));
          }
          if (report != null) {
            writeJson(rep, report);
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
          PartnerTrainingResult r = new VerticalLrPartner(params, pool).withListener(progress).train(features, psiResult, channel);
          progress.finish();
          ModelFiles.write(r.model(), trainingMode.displayName(), modelOut);
          if (report != null) {
            writeJson(partnerReport(psiResult, r, trainingMode, params.epochLoss()), report);
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

  private VerticalLrParameters bankParameters(TrainingMode trainingMode) throws CliException {
    boolean secretShared = trainingMode == TrainingMode.SECRET_SHARED;
    int stopAfter = patience != null ? patience : secretShared ? 0 : 3;
    try {
      LogisticRegressionParameters lr =
          VerticalLrParameters.DEFAULT.lr().toBuilder()
              .optimizer(optimizer(optimizer))
              .lbfgsMemory(lbfgsMemory)
              .maxEpochs(epochs)
              .batchSize(batchSize)
              .learningRate(learningRate)
              .learningRateDecay(decay)
              .l2(l2)
              .l1(l1)
              .classWeights(classWeights(classWeight))
              .earlyStopping(stopAfter == 0 ? EarlyStopping.DISABLED : EarlyStopping.of(stopAfter, 1e-4))
              .seed(seed != null ? seed : new java.security.SecureRandom().nextLong())
              .build();
      VerticalLrParameters p = base(trainingMode).withSplit(validation, holdout).withSigmoid(sigmoid(sigmoid)).withLr(lr);
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

  static Map<String, Object> metrics(BinaryMetrics m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rows", m.rows());
    o.put("positives", m.positives());
    o.put("base_rate", m.baseRate());
    o.put("auc", m.auc());
    o.put("ks", m.ks());
    o.put("log_loss", m.logLoss());
    o.put("top_decile_lift", m.topDecileLift());
    List<Map<String, Object>> deciles = new ArrayList<>();
    for (BinaryMetrics.Decile d : m.deciles()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("decile", d.decile());
      x.put("rows", d.rows());
      x.put("positives", d.positives());
      x.put("response_rate", d.responseRate());
      x.put("cumulative_gain", d.cumulativeGain());
      x.put("lift", d.lift());
      x.put("cumulative_lift", d.cumulativeLift());
      deciles.add(x);
    }
    o.put("deciles", deciles);
    List<List<Double>> roc = new ArrayList<>();
    for (BinaryMetrics.RocPoint r : m.roc()) {
      roc.add(List.of(r.falsePositiveRate(), r.truePositiveRate()));
    }
    o.put("roc", roc);
    return o;
  }

  static Map<String, Object> bankReport(PsiResult psi, BankTrainingResult r, TrainingMode mode, int ivMinBinSize, boolean epochLoss) {
    Map<String, Object> m =
        common("bank", psi, mode, r.alignedRows().length, r.trainRows(), r.validationRows(), r.holdoutRows());
    m.put("bank_features", r.model().weights().length);
    m.put("partner_features", r.partnerFeatures().get(0));
    TrainingHistory h = r.history();
    m.put("epochs", r.epochs());
    m.put("stop_reason", h.stopReason().name().toLowerCase(Locale.ROOT));
    m.put("best_epoch", h.bestStep());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (TrainingHistory.Step s : h.steps()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("epoch", s.index());
      x.put("train_objective", s.trainObjective());
      if (s.validationLoss().isPresent()) {
        x.put("validation_log_loss", s.validationLoss().getAsDouble());
      }
      steps.add(x);
    }
    m.put("history", steps);
    r.evaluation().ifPresent(
        (ModelComparison e) -> {
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("joint", metrics(e.joint()));
          ev.put("bank_only", metrics(e.bankOnly()));
          ev.put("auc_gain", e.aucGain());
          ev.put("top_decile_lift_gain", e.topDecileLiftGain());
          m.put("evaluation", ev);
        });
    List<Map<String, Object>> iv = new ArrayList<>();
    for (FeatureInformationValue f : r.partnerInformationValue()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("feature", f.feature());
      x.put("iv", f.value().iv());
      List<Map<String, Object>> bins = new ArrayList<>();
      for (InformationValue.BinWoe b : f.value().bins()) {
        Map<String, Object> bin = new LinkedHashMap<>();
        bin.put("bin", b.bin());
        bin.put("suppressed", b.suppressed());
        if (!b.suppressed()) {
          bin.put("positives", b.positives());
          bin.put("negatives", b.negatives());
          bin.put("woe", b.woe());
        }
        bins.add(bin);
      }
      x.put("bins", bins);
      iv.add(x);
    }
    m.put("partner_information_value", iv);
    if (ivMinBinSize > 0) {
      m.put("iv_min_bin_size", ivMinBinSize);
    }
    traffic(m, psi, r.traffic(), r.elapsed());
    new ReportText(
            "PSI in both mode; both parties order the shared customers by the bank's random permutation of them",
            "以双方可见模式求交；双方按银行对共同客户的随机排列确定其顺序")
        .put(m, "alignment");
    String ivLearned = ivMinBinSize > 0
        ? ", per partner bin of at least " + ivMinBinSize + " training customers the number of its responders (for information value)"
        : "";
    String ivLearnedZh = ivMinBinSize > 0
        ? "、合作方每个至少含 " + ivMinBinSize + " 位训练客户的分箱中自身响应客户的数量（用于计算信息值）"
        : "";
    if (mode == TrainingMode.SECRET_SHARED) {
      new ReportText(
              "which of its customers the partner shares, the partner's number of encoded features" + ivLearned
                  + ", its own final weights"
                  + (epochLoss ? ", the training loss of each epoch (one number per epoch, summed over all training customers)" : "")
                  + " and, for the evaluation, the partner's partial scores X_k·w_k of the holdout customers; nothing per customer or per step during training (scores, residuals, gradients and weights stayed secret-shared)",
              "合作方与自身共有哪些客户、合作方编码后的特征数" + ivLearnedZh
                  + "、自身的最终权重"
                  + (epochLoss ? "、每轮的训练损失（每轮一个数，为全部训练客户之和）" : "")
                  + "，以及用于评估的留出客户的合作方部分评分 X_k·w_k；训练期间不获知任何单个客户或单步的信息（评分、残差、梯度和权重始终处于秘密分享状态）")
          .put(m, "learned");
      new ReportText(
              "which of its customers are shared and the split of the aligned customers (train/holdout, which reveals the rounded class sizes), the training schedule and its own final weights; never labels, scores, residuals, gradients or the bank's features or weights",
              "自身哪些客户属于共同客户、对齐客户的划分（训练集／留出集，会透露取整后的各类别人数）、训练计划及自身的最终权重；从不获知标签、评分、残差、梯度，也不获知银行的特征或权重")
          .put(m, "peer_learned");
    } else {
      new ReportText(
              "which of its customers the partner shares, the partner's number of encoded features" + ivLearned
                  + ", and the partner's partial scores X_k·w_k of the training, validation and holdout customers at each step (the leakage of the aggregated-scores mode)",
              "合作方与自身共有哪些客户、合作方编码后的特征数" + ivLearnedZh
                  + "，以及每一步中训练集、验证集和留出集客户的合作方部分评分 X_k·w_k（聚合评分模式的信息泄露）")
          .put(m, "learned");
      new ReportText(
              "which of its customers are shared and the split of the aligned customers (train/validation/holdout, which reveals the rounded class sizes), and the training schedule; never labels, residuals or the bank's features",
              "自身哪些客户属于共同客户、对齐客户的划分（训练集／验证集／留出集，会透露取整后的各类别人数）以及训练计划；从不获知标签、残差或银行的特征")
          .put(m, "peer_learned");
    }
    return m;
  }

  static Map<String, Object> partnerReport(PsiResult psi, PartnerTrainingResult r, TrainingMode mode, boolean epochLoss) {
    Map<String, Object> m =
        common("partner", psi, mode, r.alignedRows().length, r.trainRows(), r.validationRows(), r.holdoutRows());
    m.put("features", r.model().weights().length);
    m.put("epochs", r.epochs());
    traffic(m, psi, r.traffic(), r.elapsed());
    if (mode == TrainingMode.SECRET_SHARED) {
      new ReportText(
              "which of its customers are shared, their split, the training schedule and its own final weights",
              "自身哪些客户属于共同客户、其划分、训练计划及自身的最终权重")
          .put(m, "learned");
      new ReportText(
              (epochLoss ? "the training loss of each epoch (one number per epoch over all training customers); " : "")
                  + "its partial scores X·w of the holdout customers (for the evaluation); nothing per customer during training",
              (epochLoss ? "每轮的训练损失（每轮一个数，为全部训练客户之和）；" : "")
                  + "本方对留出客户的部分评分 X·w（用于评估）；训练期间不获知任何单个客户的信息")
          .put(m, "peer_learned");
    } else {
      new ReportText(
              "which of its customers are shared, their split, and the training schedule",
              "自身哪些客户属于共同客户、其划分以及训练计划")
          .put(m, "learned");
      new ReportText(
              "its partial scores X·w for the aligned customers at each step",
              "每一步中本方对对齐客户的部分评分 X·w")
          .put(m, "peer_learned");
    }
    return m;
  }

  /** The fields both parties' training reports share. */
  private static Map<String, Object> common(
      String role, PsiResult psi, TrainingMode mode, int aligned, int train, int validation, int holdout) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", "vertical-lr");
    m.put("role", role);
    m.put("mode", mode.displayName());
    m.put("psi", PsiCommand.reportFields(psi));
    m.put("aligned_customers", aligned);
    m.put("train_rows", train);
    m.put("validation_rows", validation);
    m.put("holdout_rows", holdout);
    return m;
  }

  /** Bytes both ways and elapsed time of PSI and training together. */
  private static void traffic(Map<String, Object> m, PsiResult psi, io.jointly.channel.ChannelStats lr, java.time.Duration elapsed) {
    m.put("bytes_sent", psi.traffic().bytesSent() + lr.bytesSent());
    m.put("bytes_received", psi.traffic().bytesReceived() + lr.bytesReceived());
    m.put("elapsed_seconds", Math.round((psi.elapsed().toMillis() + elapsed.toMillis()) / 10.0) / 100.0);
  }

  static void writeJson(Map<String, Object> fields, Path target) throws java.io.IOException {
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(fields);
    AtomicOutput.write(target, w -> w.write(json + "\n"));
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
