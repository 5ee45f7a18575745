package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.lr.BankTrainingResult;
import io.jointly.lr.PartnerTrainingResult;
import io.jointly.lr.TrainingMode;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.InformationValue;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.training.TrainingHistory;
import io.jointly.psi.PsiResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The reports of {@code jointly train}: the bank's ({@link Bank}: the evaluation against a
 * bank-only model, the history, the partner features' information value) and the partner's
 * ({@link Partner}), with what each side learned in English and Chinese.
 */
final class TrainReport {
  private TrainReport() {}

  static final String PROTOCOL = "vertical-lr";

  /** How the shared customers are aligned for training. */
  static final ReportText ALIGNMENT =
      new ReportText(
          "PSI in both mode; both parties order the shared customers by the bank's random permutation of them",
          "以双方可见模式求交；双方按银行对共同客户的随机排列确定其顺序");

  /** One decile of the ranked holdout customers. */
  record Decile(
      int decile,
      int rows,
      double positives,
      double responseRate,
      double cumulativeGain,
      double lift,
      double cumulativeLift) {
    static Decile of(BinaryMetrics.Decile d) {
      return new Decile(d.decile(), d.rows(), d.positives(), d.responseRate(), d.cumulativeGain(), d.lift(), d.cumulativeLift());
    }
  }

  /** A model's figures on the holdout. */
  record Metrics(
      long rows,
      long positives,
      double baseRate,
      double auc,
      double ks,
      double logLoss,
      double topDecileLift,
      List<Decile> deciles,
      List<List<Double>> roc) {
    static Metrics of(BinaryMetrics m) {
      return new Metrics(
          m.rows(),
          m.positives(),
          m.baseRate(),
          m.auc(),
          m.ks(),
          m.logLoss(),
          m.topDecileLift(),
          m.deciles().stream().map(Decile::of).toList(),
          m.roc().stream().map(p -> List.of(p.falsePositiveRate(), p.truePositiveRate())).toList());
    }
  }

  /** The joint model against the bank-only model on the same holdout. */
  record Evaluation(Metrics joint, Metrics bankOnly, double aucGain, double topDecileLiftGain) {
    static Evaluation of(ModelComparison e) {
      return new Evaluation(Metrics.of(e.joint()), Metrics.of(e.bankOnly()), e.aucGain(), e.topDecileLiftGain());
    }
  }

  /** One epoch (or L-BFGS iteration) of the history. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Step(int epoch, double trainObjective, Double validationLogLoss) {
    static Step of(TrainingHistory.Step s) {
      return new Step(
          s.index(), s.trainObjective(), s.validationLoss().isPresent() ? s.validationLoss().getAsDouble() : null);
    }
  }

  /** One bin of a partner feature: absent counts where it was withheld. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Bin(int bin, boolean suppressed, Long positives, Long negatives, Double woe) {
    static Bin of(InformationValue.BinWoe b) {
      return b.suppressed()
          ? new Bin(b.bin(), true, null, null, null)
          : new Bin(b.bin(), false, b.positives(), b.negatives(), b.woe());
    }
  }

  /** A partner feature's information value. */
  record FeatureIv(String feature, double iv, List<Bin> bins) {
    static FeatureIv of(FeatureInformationValue f) {
      return new FeatureIv(f.feature(), f.value().iv(), f.value().bins().stream().map(Bin::of).toList());
    }
  }

  /**
   * The bank's report.
   *
   * @param evaluation absent if the holdout had too few customers of each class
   * @param ivMinBinSize the smallest partner bin whose responders the bank learned; absent if none
   * @param sigmoid the sigmoid approximation used (secret-shared mode)
   * @param sigmoidChoice the {@code --sigmoid} choice (secret-shared mode)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Bank(
      String protocol,
      String role,
      String mode,
      PsiReport psi,
      int alignedCustomers,
      int trainRows,
      int validationRows,
      int holdoutRows,
      int bankFeatures,
      int partnerFeatures,
      int epochs,
      String stopReason,
      int bestEpoch,
      List<Step> history,
      Evaluation evaluation,
      List<FeatureIv> partnerInformationValue,
      Integer ivMinBinSize,
      String optimizer,
      String sigmoid,
      String sigmoidChoice,
      long bytesSent,
      long bytesReceived,
      double elapsedSeconds,
      String alignment,
      String alignmentZh,
      String learned,
      String learnedZh,
      String peerLearned,
      String peerLearnedZh,
      ComplianceReport compliance) {

    /** Whether the L-BFGS optimizer ran (else mini-batch gradient descent). */
    boolean lbfgs() {
      return "lbfgs".equals(optimizer);
    }
  }

  /** The partner's report. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Partner(
      String protocol,
      String role,
      String mode,
      PsiReport psi,
      int alignedCustomers,
      int trainRows,
      int validationRows,
      int holdoutRows,
      int features,
      int epochs,
      long bytesSent,
      long bytesReceived,
      double elapsedSeconds,
      String learned,
      String learnedZh,
      String peerLearned,
      String peerLearnedZh,
      ComplianceReport compliance) {}

  /** The settings of a bank's run the result does not carry. */
  record Settings(TrainingMode mode, int ivMinBinSize, boolean epochLoss, String optimizer, String sigmoid, String sigmoidChoice) {}

  static Bank bank(PsiResult psi, BankTrainingResult r, Settings s, ComplianceReport compliance) {
    TrainingHistory h = r.history();
    ReportText learned = bankLearned(s.mode(), s.ivMinBinSize(), s.epochLoss());
    ReportText peer = partnerLearnedAsTheBankSees(s.mode());
    return new Bank(
        PROTOCOL,
        "bank",
        s.mode().displayName(),
        PsiReport.of(psi),
        r.alignedRows().length,
        r.trainRows(),
        r.validationRows(),
        r.holdoutRows(),
        r.model().weights().length,
        r.partnerFeatures().get(0),
        r.epochs(),
        h.stopReason().name().toLowerCase(Locale.ROOT),
        h.bestStep(),
        h.steps().stream().map(Step::of).toList(),
        r.evaluation().map(Evaluation::of).orElse(null),
        r.partnerInformationValue().stream().map(FeatureIv::of).toList(),
        s.ivMinBinSize() > 0 ? s.ivMinBinSize() : null,
        s.optimizer(),
        s.sigmoid(),
        s.sigmoidChoice(),
        Reports.sent(psi.traffic(), r.traffic()),
        Reports.received(psi.traffic(), r.traffic()),
        seconds(psi, r.elapsed()),
        ALIGNMENT.en(),
        ALIGNMENT.zh(),
        learned.en(),
        learned.zh(),
        peer.en(),
        peer.zh(),
        compliance);
  }

  static Partner partner(PsiResult psi, PartnerTrainingResult r, TrainingMode mode, boolean epochLoss, ComplianceReport compliance) {
    ReportText learned = partnerLearned(mode);
    ReportText peer = bankLearnedAsThePartnerSees(mode, epochLoss);
    return new Partner(
        PROTOCOL,
        "partner",
        mode.displayName(),
        PsiReport.of(psi),
        r.alignedRows().length,
        r.trainRows(),
        r.validationRows(),
        r.holdoutRows(),
        r.model().weights().length,
        r.epochs(),
        Reports.sent(psi.traffic(), r.traffic()),
        Reports.received(psi.traffic(), r.traffic()),
        seconds(psi, r.elapsed()),
        learned.en(),
        learned.zh(),
        peer.en(),
        peer.zh(),
        compliance);
  }

  private static double seconds(PsiResult psi, Duration training) {
    return Reports.seconds(psi.elapsed().plus(training));
  }

  /** What the bank learns in training, as the bank's report states it. */
  static ReportText bankLearned(TrainingMode mode, int ivMinBinSize, boolean epochLoss) {
    String iv = ivMinBinSize > 0
        ? ", per partner bin of at least " + ivMinBinSize + " training customers the number of its responders (for information value)"
        : "";
    String ivZh = ivMinBinSize > 0
        ? "、合作方每个至少含 " + ivMinBinSize + " 位训练客户的分箱中自身响应客户的数量（用于计算信息值）"
        : "";
    if (mode == TrainingMode.SECRET_SHARED) {
      return new ReportText(
          "which of its customers the partner shares, the partner's number of encoded features" + iv
              + ", its own final weights"
              + (epochLoss ? ", the training loss of each epoch (one number per epoch, summed over all training customers)" : "")
              + " and, for the evaluation, the partner's partial scores X_k·w_k of the holdout customers; nothing per customer or per step during training (scores, residuals, gradients and weights stayed secret-shared)",
          "合作方与自身共有哪些客户、合作方编码后的特征数" + ivZh
              + "、自身的最终权重"
              + (epochLoss ? "、每轮的训练损失（每轮一个数，为全部训练客户之和）" : "")
              + "，以及用于评估的留出客户的合作方部分评分 X_k·w_k；训练期间不获知任何单个客户或单步的信息（评分、残差、梯度和权重始终处于秘密分享状态）");
    }
    return new ReportText(
        "which of its customers the partner shares, the partner's number of encoded features" + iv
            + ", and the partner's partial scores X_k·w_k of the training, validation and holdout customers at each step (the leakage of the aggregated-scores mode)",
        "合作方与自身共有哪些客户、合作方编码后的特征数" + ivZh
            + "，以及每一步中训练集、验证集和留出集客户的合作方部分评分 X_k·w_k（聚合评分模式的信息泄露）");
  }

  /** What the partner learns in training, as the bank's report states it. */
  static ReportText partnerLearnedAsTheBankSees(TrainingMode mode) {
    if (mode == TrainingMode.SECRET_SHARED) {
      return new ReportText(
          "which of its customers are shared and the split of the aligned customers (train/holdout, which reveals the rounded class sizes), the training schedule and its own final weights; never labels, scores, residuals, gradients or the bank's features or weights",
          "自身哪些客户属于共同客户、对齐客户的划分（训练集／留出集，会透露取整后的各类别人数）、训练计划及自身的最终权重；从不获知标签、评分、残差、梯度，也不获知银行的特征或权重");
    }
    return new ReportText(
        "which of its customers are shared and the split of the aligned customers (train/validation/holdout, which reveals the rounded class sizes), and the training schedule; never labels, residuals or the bank's features",
        "自身哪些客户属于共同客户、对齐客户的划分（训练集／验证集／留出集，会透露取整后的各类别人数）以及训练计划；从不获知标签、残差或银行的特征");
  }

  /** What the partner learns in training, as the partner's report states it. */
  static ReportText partnerLearned(TrainingMode mode) {
    return mode == TrainingMode.SECRET_SHARED
        ? new ReportText(
            "which of its customers are shared, their split, the training schedule and its own final weights",
            "自身哪些客户属于共同客户、其划分、训练计划及自身的最终权重")
        : new ReportText(
            "which of its customers are shared, their split, and the training schedule",
            "自身哪些客户属于共同客户、其划分以及训练计划");
  }

  /** What the bank learns in training, as the partner's report states it. */
  static ReportText bankLearnedAsThePartnerSees(TrainingMode mode, boolean epochLoss) {
    return mode == TrainingMode.SECRET_SHARED
        ? new ReportText(
            (epochLoss ? "the training loss of each epoch (one number per epoch over all training customers); " : "")
                + "its partial scores X·w of the holdout customers (for the evaluation); nothing per customer during training",
            (epochLoss ? "每轮的训练损失（每轮一个数，为全部训练客户之和）；" : "")
                + "本方对留出客户的部分评分 X·w（用于评估）；训练期间不获知任何单个客户的信息")
        : new ReportText(
            "its partial scores X·w for the aligned customers at each step", "每一步中本方对对齐客户的部分评分 X·w");
  }
}
