package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.channel.RoundKey;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.secretshared.SecretSharedSimulation;
import io.jointly.lr.testing.RecordingChannel;
import io.jointly.lr.training.ClassWeights;
import io.jointly.lr.training.EarlyStopping;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionModel;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The secret-shared mode end to end: PSI, alignment, the engine on the training rows, the holdout
 * evaluation and scoring, as one bank and one partner run them; checked against the engine's
 * plaintext simulation on the rows the run aligned, and for what crossed the wire outside the
 * engine's own rounds.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VerticalLrSecretSharedTest {
  static final LogisticRegressionParameters LR =
      VerticalLrParameters.DEFAULT.lr().toBuilder()
          .batchSize(128)
          .maxEpochs(3)
          .learningRate(1)
          .learningRateDecay(0.2)
          .seed(11)
          .build();
  static final VerticalLrParameters PARAMS =
      VerticalLrParameters.DEFAULT
          .withMode(TrainingMode.SECRET_SHARED)
          .withLr(LR)
          .withIvMinBinSize(0)
          .withReceiveTimeout(Duration.ofSeconds(60));

  static VerticalRun data;
  static RecordingChannel toBank;
  static RecordingChannel toPartner;
  static BankTrainingResult bank;
  static PartnerTrainingResult partner;
  static final List<long[]> setup = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final List<Integer> epochs = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void train() {
    data = VerticalRun.synthetic(7, 500, 3, 2);
    data.bankListener =
        new TrainingListener() {
          @Override
          public void onSetup(long rows, long totalRows) {
            setup.add(new long[] {rows, totalRows});
          }

          @Override
          public void onEpoch(int epoch, int maxEpochs) {
            epochs.add(epoch);
          }
        };
    var o =
        data.train(
            PARAMS,
            PARAMS,
            ch -> toBank = new RecordingChannel(ch),
            ch -> toPartner = new RecordingChannel(ch));
    assertThat(o.firstFailure()).isNull();
    bank = o.first().value();
    partner = o.second().value();
  }

  /** The training rows as both parties encoded them, in the aligned order, and their labels. */
  private record Rows(FeatureMatrix xb, FeatureMatrix xp, int[] y, Split split) {}

  private static Rows rows() throws Exception {
    int[] b = bank.alignedRows();
    int[] p = partner.alignedRows();
    int[] y = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      y[i] = data.bankLabels[b[i]];
    }
    Split split = Split.stratified(y, 0, PARAMS.holdoutFraction(), LR.seed());
    RawTable bankRows = data.bankFeatures.rows(b);
    RawTable partnerRows = data.partnerFeatures.rows(p);
    FeatureMatrix xb = FeatureTransform.fit(bankRows.rows(split.train().toArray()), PARAMS.transform()).apply(bankRows);
    FeatureMatrix xp = FeatureTransform.fit(partnerRows.rows(split.train().toArray()), PARAMS.transform()).apply(partnerRows);
    return new Rows(xb, xp, y, split);
  }

  @Test
  void train_secretShared_equalsTheEngineSimulationOnTheAlignedTrainingRows() throws Exception {
    Rows r = rows();
    int[] train = r.split().train().toArray();
    assertThat(bank.validationRows()).isZero();
    assertThat(partner.validationRows()).isZero();
    assertThat(bank.trainRows()).isEqualTo(train.length).isEqualTo(partner.trainRows());
    // PARAMS leaves the sigmoid to the bank (AUTO): its rule on the bank-only model's training scores.
    double largest = 0;
    for (double z : LogisticRegression.fit(r.xb(), r.y(), r.split(), LR).scores(List.of(r.xb().rows(train)))) {
      largest = Math.max(largest, Math.abs(z));
    }
    SecretSharedLrParameters.Sigmoid chosen = VerticalLrParameters.SigmoidChoice.forBankOnlyScores(largest);
    assertThat(bank.sigmoid()).contains(chosen);
    SecretSharedSimulation sim =
        SecretSharedSimulation.run(LR, chosen, r.xb().rows(train), r.xp().rows(train), io.jointly.lr.internal.Rows.pick(r.y(), train));
    double tol = 2e-4;
    double[] wb = bank.model().weights();
    for (int j = 0; j < wb.length; j++) {
      assertThat(wb[j]).as("bank weight %d", j).isCloseTo(sim.bankWeights[j], within(tol));
    }
    assertThat(bank.model().intercept().getAsDouble()).isCloseTo(sim.intercept, within(tol));
    double[] wp = partner.model().weights();
    for (int j = 0; j < wp.length; j++) {
      assertThat(wp[j]).as("partner weight %d", j).isCloseTo(sim.partnerWeights[j], within(tol));
    }
    assertThat(bank.epochs()).isEqualTo(3);
    assertThat(partner.epochs()).isEqualTo(3);
    assertThat(bank.history().steps()).as("no per-epoch loss is opened").isEmpty();
    assertThat(epochs).containsExactly(0, 1, 2);
    assertThat(setup).isNotEmpty();
    assertThat(setup.get(setup.size() - 1)).containsExactly(bank.trainRows(), bank.trainRows());
  }

  @Test
  void train_secretShared_evaluationIsTheTrainedJointModelAndTheBankOnlyModelOnTheHoldout() throws Exception {
    Rows r = rows();
    int[] hold = r.split().holdout().toArray();
    int[] yHold = io.jointly.lr.internal.Rows.pick(r.y(), hold);
    double[] z =
        LogisticMath.sumScores(
            new double[][] {r.xb().times(bank.model().weights(), hold), r.xp().times(partner.model().weights(), hold)},
            bank.model().intercept().getAsDouble());
    BinaryMetrics joint = BinaryMetrics.of(java.util.Arrays.stream(z).map(LogisticMath::sigmoid).toArray(), yHold);
    LogisticRegressionModel bankOnly = LogisticRegression.fit(r.xb(), r.y(), r.split(), LR);
    BinaryMetrics bankAlone = BinaryMetrics.of(bankOnly.probabilities(List.of(r.xb().rows(hold))), yHold);
    ModelComparison eval = bank.evaluation().orElseThrow();
    assertThat(eval.joint().rows()).isEqualTo(hold.length);
    assertThat(eval.joint().auc()).isCloseTo(joint.auc(), within(1e-9));
    assertThat(eval.joint().logLoss()).isCloseTo(joint.logLoss(), within(1e-6));
    assertThat(eval.bankOnly().auc()).isCloseTo(bankAlone.auc(), within(1e-9));
    // The partner's features carry signal.
    assertThat(eval.joint().auc()).isGreaterThan(eval.bankOnly().auc());
  }

  @Test
  void train_secretShared_outsideTheEngineOnlyTheHandshakeAndTheHoldoutScoresCrossOver() {
    Set<String> protocols = new HashSet<>();
    toBank.keys.forEach(k -> protocols.add(k.protocol()));
    assertThat(protocols).contains(SecretSharedLr.PROTOCOL, LrRound.PROTOCOL);
    Set<Integer> fromPartner = new HashSet<>();
    for (int i = 0; i < toBank.keys.size(); i++) {
      RoundKey k = toBank.keys.get(i);
      if (k.protocol().equals(LrRound.PROTOCOL)) {
        fromPartner.add(k.round());
        if (k.round() == LrRound.SCORES.wireCode()) {
          assertThat(k.sequence()).isZero();
          assertThat(toBank.payloads.get(i).length()).as("holdout scores only").isEqualTo(4 + 8L * bank.holdoutRows());
        }
      }
    }
    assertThat(fromPartner)
        .containsExactlyInAnyOrder(LrRound.HELLO.wireCode(), LrRound.SCORES.wireCode(), LrRound.CONFIRM.wireCode());
    Set<Integer> fromBank = new HashSet<>();
    toPartner.keys.stream().filter(k -> k.protocol().equals(LrRound.PROTOCOL)).forEach(k -> fromBank.add(k.round()));
    assertThat(fromBank)
        .containsExactlyInAnyOrder(
            LrRound.ALIGN.wireCode(), LrRound.HELLO.wireCode(), LrRound.KEYS.wireCode(), LrRound.CONFIRM.wireCode());
  }

  @Test
  void score_secretSharedModels_bankGetsTheJointModelsProbabilities() throws Exception {
    var o = data.score(PARAMS, bank.model(), partner.model());
    assertThat(o.firstFailure()).isNull();
    ScoringResult b = o.first().value();
    ScoringResult p = o.second().value();
    assertThat(p.probabilities()).isEmpty();
    FeatureMatrix xb = bank.model().transform().apply(data.bankFeatures.rows(b.rows()));
    FeatureMatrix xp = partner.model().transform().apply(data.partnerFeatures.rows(p.rows()));
    double[] ub = xb.times(bank.model().weights());
    double[] up = xp.times(partner.model().weights());
    for (int i = 0; i < ub.length; i++) {
      double expected = LogisticMath.sigmoid(ub[i] + up[i] + bank.model().intercept().getAsDouble());
      assertThat(b.probabilities()[i]).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void train_bankChoosesTheWideSigmoid_partnerFollowsIt() throws Exception {
    VerticalRun small = VerticalRun.synthetic(13, 200, 2, 2);
    LogisticRegressionParameters lr = LR.toBuilder().maxEpochs(1).batchSize(64).build();
    VerticalLrParameters bankParams = PARAMS.withLr(lr).withSplit(0.1, 0).withSigmoid(VerticalLrParameters.SigmoidChoice.WIDE);
    var o = small.train(bankParams, PARAMS, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    BankTrainingResult b = o.first().value();
    PartnerTrainingResult p = o.second().value();
    int[] rows = b.alignedRows();
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = small.bankLabels[rows[i]];
    }
    RawTable bankRows = small.bankFeatures.rows(rows);
    RawTable partnerRows = small.partnerFeatures.rows(p.alignedRows());
    SecretSharedSimulation wide =
        SecretSharedSimulation.run(
            lr,
            SecretSharedLrParameters.Sigmoid.WIDE,
            FeatureTransform.fit(bankRows, PARAMS.transform()).apply(bankRows),
            FeatureTransform.fit(partnerRows, PARAMS.transform()).apply(partnerRows),
            y);
    for (int j = 0; j < wide.partnerWeights.length; j++) {
      assertThat(p.model().weights()[j]).as("partner weight %d", j).isCloseTo(wide.partnerWeights[j], within(2e-4));
    }
    assertThat(b.model().intercept().getAsDouble()).isCloseTo(wide.intercept, within(2e-4));
  }

  @Test
  void train_autoSigmoidOnDataTheBankSeparatesAlone_bankAsksForWideAndThePartnerFollows() {
    VerticalRun small = VerticalRun.synthetic(17, 200, 2, 2);
    // Labels the bank's first column separates: its own model's scores grow past the threshold.
    for (int i = 0; i < small.bankLabels.length; i++) {
      small.bankLabels[i] = Double.parseDouble(small.bankFeatures.cell(i, 0)) > 0 ? 1 : 0;
    }
    LogisticRegressionParameters lr = LR.toBuilder().maxEpochs(4).batchSize(32).learningRate(4).learningRateDecay(0).build();
    VerticalLrParameters bankParams = PARAMS.withLr(lr).withSplit(0, 0.2);
    assertThat(bankParams.sigmoid()).isEqualTo(VerticalLrParameters.SigmoidChoice.AUTO);
    var o = small.train(bankParams, PARAMS, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    assertThat(o.first().value().sigmoid()).contains(SecretSharedLrParameters.Sigmoid.WIDE);
    assertThat(o.second().value().epochs()).isEqualTo(4);
  }

  @Test
  void sigmoidChoice_autoRule_wideFromHalfTheStandardFitBound() {
    assertThat(VerticalLrParameters.SigmoidChoice.forBankOnlyScores(0)).isEqualTo(SecretSharedLrParameters.Sigmoid.STANDARD);
    assertThat(VerticalLrParameters.SigmoidChoice.forBankOnlyScores(5.99)).isEqualTo(SecretSharedLrParameters.Sigmoid.STANDARD);
    assertThat(VerticalLrParameters.SigmoidChoice.forBankOnlyScores(6)).isEqualTo(SecretSharedLrParameters.Sigmoid.WIDE);
    assertThat(VerticalLrParameters.SigmoidChoice.AUTO_WIDE_FROM).isEqualTo(SecretSharedLrParameters.Sigmoid.STANDARD.fitBound() / 2.0);
    assertThatThrownBy(() -> VerticalLrParameters.SigmoidChoice.forBankOnlyScores(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThat(VerticalLrParameters.SigmoidChoice.AUTO.fixed()).isEmpty();
    for (SecretSharedLrParameters.Sigmoid s : SecretSharedLrParameters.Sigmoid.values()) {
      assertThat(VerticalLrParameters.SigmoidChoice.valueOf(s.name()).fixed()).contains(s);
    }
    assertThat(VerticalLrParameters.DEFAULT.sigmoid()).isEqualTo(VerticalLrParameters.SigmoidChoice.AUTO);
  }

  @Test
  void defaults_secretSharedWithoutInformationValue_aggregatedOnlyWhenChosen() {
    assertThat(VerticalLrParameters.DEFAULT.mode()).isEqualTo(TrainingMode.SECRET_SHARED);
    assertThat(VerticalLrParameters.DEFAULT.ivMinBinSize()).as("IV releases per-bin responder counts").isZero();
    assertThat(VerticalLrParameters.AGGREGATED_DEFAULT.mode()).isEqualTo(TrainingMode.AGGREGATED_SCORES);
    assertThat(VerticalLrParameters.AGGREGATED_DEFAULT.ivMinBinSize()).isEqualTo(VerticalLrParameters.DEFAULT_IV_MIN_BIN_SIZE);
    // Issue 25: the defaults that reach the centralised optimum (bench/README.md), one schedule
    // for the secret-shared mode in the API and the engine, L-BFGS in the other.
    assertThat(VerticalLrParameters.DEFAULT.lr()).isEqualTo(SecretSharedLrParameters.DEFAULT.lr());
    assertThat(VerticalLrParameters.DEFAULT.lr().maxEpochs()).isEqualTo(30);
    assertThat(VerticalLrParameters.DEFAULT.lr().l2()).isEqualTo(1e-4);
    assertThat(VerticalLrParameters.DEFAULT.lr().classWeights()).isEqualTo(ClassWeights.NONE);
    assertThat(VerticalLrParameters.DEFAULT.validationFraction()).isZero();
    LogisticRegressionParameters aggregated = VerticalLrParameters.AGGREGATED_DEFAULT.lr();
    assertThat(aggregated.optimizer()).isEqualTo(Optimizer.LBFGS);
    assertThat(aggregated.maxEpochs()).isEqualTo(100);
    assertThat(aggregated.l2()).isEqualTo(1e-4);
    assertThat(aggregated.classWeights()).isEqualTo(ClassWeights.NONE);
    assertThat(aggregated.earlyStopping().enabled()).isFalse();
    assertThat(VerticalLrParameters.AGGREGATED_DEFAULT.validationFraction()).isZero();
    assertThat(VerticalLrParameters.defaults(TrainingMode.SECRET_SHARED)).isSameAs(VerticalLrParameters.DEFAULT);
    assertThat(VerticalLrParameters.defaults(TrainingMode.AGGREGATED_SCORES)).isSameAs(VerticalLrParameters.AGGREGATED_DEFAULT);
  }

  @Test
  void train_modesDiffer_bothSidesEndWithTypedErrors() {
    VerticalRun small = VerticalRun.synthetic(9, 120, 2, 2);
    VerticalLrParameters aggregated = PARAMS.withMode(TrainingMode.AGGREGATED_SCORES).withReceiveTimeout(Duration.ofSeconds(5));
    var o = small.train(PARAMS.withReceiveTimeout(Duration.ofSeconds(5)), aggregated, UnaryOperator.identity(), UnaryOperator.identity());
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      assertThat(side.succeeded()).isFalse();
      assertThat(side.failure()).isInstanceOf(JointlyException.class);
    }
    assertThat(List.of(o.first().failure(), o.second().failure()))
        .anySatisfy(
            e -> assertThat(e)
                .isInstanceOfSatisfying(
                    ProtocolAbortException.class,
                    a -> assertThat(a.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH)));
  }

  @Test
  void parameters_secretSharedWithUnsupportedSettings_refused() {
    assertThatThrownBy(() -> PARAMS.withLr(LR.toBuilder().l1(1e-3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("L1");
    assertThatThrownBy(() -> PARAMS.withLr(LR.toBuilder().earlyStopping(EarlyStopping.of(3, 1e-4)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("early stopping");
    assertThatThrownBy(() -> PARAMS.withLr(LR.toBuilder().optimizer(Optimizer.LBFGS).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gradient descent");
    assertThat(PARAMS.secretShared(SecretSharedLrParameters.Sigmoid.STANDARD).lr()).isEqualTo(LR);
  }
}
