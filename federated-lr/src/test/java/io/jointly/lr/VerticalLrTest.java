package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.lr.features.ColumnKind;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.Binning;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.InformationValue;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.PartyModel;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Vertical LR against centralised training on the joined data: same alignment, split, transforms
 * and schedule, so the weights may differ only by the fixed-point encoding error.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VerticalLrTest {
  static VerticalRun data;
  static VerticalLrParameters params;
  static BankTrainingResult bank;
  static PartnerTrainingResult partner;
  static final java.util.List<long[]> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final java.util.List<Integer> epochs = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final java.util.List<long[]> setup = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void train() {
    data = VerticalRun.synthetic(5, 700, 4, 3);
    params =
        VerticalLrParameters.AGGREGATED_DEFAULT.withLr(
            VerticalLrParameters.DEFAULT.lr().toBuilder()
                .batchSize(128)
                .maxEpochs(6)
                .learningRate(0.5)
                .learningRateDecay(0.2)
                .l2(1e-3)
                .seed(42)
                .build());
    data.bankListener =
        new TrainingListener() {
          @Override
          public void onStep(long step, long plannedSteps) {
            steps.add(new long[] {step, plannedSteps});
          }

          @Override
          public void onEpoch(int epoch, int maxEpochs) {
            epochs.add(epoch);
          }

          @Override
          public void onSetup(long rows, long totalRows) {
            setup.add(new long[] {rows, totalRows});
          }
        };
    var o = data.train(params, params, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    bank = o.first().value();
    partner = o.second().value();
  }

  @Test
  void train_alignedRows_identifyTheSameCustomersOnBothSides() {
    int[] b = bank.alignedRows();
    int[] p = partner.alignedRows();
    assertThat(b).hasSameSizeAs(p).hasSize(700);
    for (int i = 0; i < b.length; i++) {
      assertThat(data.partnerIds.get(p[i])).isEqualTo(data.bankIds.get(b[i]));
    }
    assertThat(partner.trainRows()).isEqualTo(bank.trainRows());
    assertThat(partner.holdoutRows()).isEqualTo(bank.holdoutRows());
    assertThat(partner.epochs()).isEqualTo(6);
    // The listener saw every step of the plan, in order, and every epoch.
    assertThat(epochs).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(steps).hasSize((int) steps.get(0)[1]);
    // Setup progress ended at every training row.
    assertThat(setup).isNotEmpty();
    assertThat(setup.get(setup.size() - 1)).containsExactly(bank.trainRows(), bank.trainRows());
    for (int i = 0; i < steps.size(); i++) {
      assertThat(steps.get(i)[0]).isEqualTo(i + 1);
    }
  }

  @Test
  void train_weights_matchCentralisedTrainingOnTheJoinedData() throws Exception {
    VerticalRun.Centralised central = data.centralised(bank, partner, params);
    central.assertWeightsMatch(bank, partner, 1e-5);

    // The holdout evaluation equals the centralised model's.
    BinaryMetrics centralMetrics = central.holdoutMetrics();
    ModelComparison eval = bank.evaluation().orElseThrow();
    assertThat(eval.joint().auc()).isCloseTo(centralMetrics.auc(), within(0.002));
    assertThat(eval.joint().logLoss()).isCloseTo(centralMetrics.logLoss(), within(0.01 * centralMetrics.logLoss()));
    // The partner's features carry signal: the joint model beats the bank-only one.
    assertThat(eval.joint().auc()).isGreaterThan(eval.bankOnly().auc());
  }

  @Test
  void train_partnerModel_holdsNoLabelInformation() {
    assertThat(partner.model().role()).isEqualTo(PartyModel.Role.PARTNER);
    assertThat(partner.model().intercept()).isEmpty();
    assertThat(bank.model().role()).isEqualTo(PartyModel.Role.BANK);
  }

  @Test
  void score_bankGetsTheJointModelsProbabilities_partnerGetsNone() throws Exception {
    var o = data.score(params, bank.model(), partner.model());
    assertThat(o.firstFailure()).isNull();
    ScoringResult b = o.first().value();
    ScoringResult p = o.second().value();
    assertThat(p.probabilities()).isEmpty();
    assertThat(b.rows()).hasSize(700);
    int[] br = b.rows();
    int[] pr = p.rows();
    FeatureMatrix xb = bank.model().transform().apply(data.bankFeatures.rows(br));
    FeatureMatrix xp = partner.model().transform().apply(data.partnerFeatures.rows(pr));
    double[] ub = xb.times(bank.model().weights());
    double[] up = xp.times(partner.model().weights());
    for (int i = 0; i < br.length; i++) {
      assertThat(data.partnerIds.get(pr[i])).isEqualTo(data.bankIds.get(br[i]));
      double expected = LogisticMath.sigmoid(ub[i] + up[i] + bank.model().intercept().getAsDouble());
      assertThat(b.probabilities()[i]).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void train_informationValue_equalsThePlainComputationOnTheJoinedTrainingRows() throws Exception {
    int[] b = bank.alignedRows();
    int[] p = partner.alignedRows();
    int[] y = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      y[i] = data.bankLabels[b[i]];
    }
    Split split = Split.stratified(y, params.validationFraction(), params.holdoutFraction(), params.lr().seed());
    int[] train = split.train().toArray();
    RawTable partnerTrain = data.partnerFeatures.rows(p).rows(train);
    int[] yTrain = Rows.pick(y, train);
    List<FeatureInformationValue> iv = bank.partnerInformationValue();
    assertThat(iv).extracting(FeatureInformationValue::feature).containsExactlyElementsOf(data.partnerFeatures.columns());
    for (FeatureInformationValue f : iv) {
      Binning binning = Binning.fit(partnerTrain, f.feature(), ColumnKind.NUMERIC, 10, params.ivMinBinSize());
      InformationValue expected = InformationValue.of(binning.counts(yTrain), InformationValue.DEFAULT_SMOOTHING, params.ivMinBinSize());
      assertThat(f.value().iv()).as(f.feature()).isCloseTo(expected.iv(), within(1e-12));
      assertThat(f.value().bins()).isEqualTo(expected.bins());
    }
  }
}
