package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.TrainingHistory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Federated full-batch L-BFGS against centralised L-BFGS on the joined data: same alignment, split,
 * transforms, memory and iteration budget, so the path differs only by the fixed-point encodings.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VerticalLrLbfgsTest {
  static VerticalRun data;
  static VerticalLrParameters params;
  static BankTrainingResult bank;
  static PartnerTrainingResult partner;

  @BeforeAll
  static void train() {
    data = VerticalRun.synthetic(11, 700, 4, 3);
    params =
        VerticalLrParameters.AGGREGATED_DEFAULT.withLr(
            VerticalLrParameters.DEFAULT.lr().toBuilder()
                .optimizer(Optimizer.LBFGS)
                .maxEpochs(12)
                .lbfgsMemory(5)
                .tolerance(1e-7)
                .l2(1e-2)
                .seed(42)
                .build());
    var o = data.train(params, params, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    bank = o.first().value();
    partner = o.second().value();
  }

  @Test
  void train_lbfgs_matchesCentralisedLbfgsOnTheJoinedData() throws Exception {
    VerticalRun.Centralised central = data.centralised(bank, partner, params);

    // The same number of iterations, each with the same objective.
    List<TrainingHistory.Step> fed = bank.history().steps();
    List<TrainingHistory.Step> cen = central.model().history().steps();
    assertThat(fed).hasSameSizeAs(cen);
    assertThat(bank.history().stopReason()).isEqualTo(central.model().history().stopReason());
    for (int i = 0; i < fed.size(); i++) {
      assertThat(fed.get(i).trainObjective()).as("objective %d", i).isCloseTo(cen.get(i).trainObjective(), within(1e-6));
    }
    assertThat(partner.epochs()).isEqualTo(fed.size());
    central.assertWeightsMatch(bank, partner, 1e-4);

    BinaryMetrics centralMetrics = central.holdoutMetrics();
    ModelComparison eval = bank.evaluation().orElseThrow();
    assertThat(eval.joint().auc()).isCloseTo(centralMetrics.auc(), within(1e-4));
    assertThat(eval.joint().logLoss()).isCloseTo(centralMetrics.logLoss(), within(1e-4 * centralMetrics.logLoss()));
    assertThat(eval.joint().auc()).isGreaterThan(eval.bankOnly().auc());
  }

  @Test
  void parameters_lbfgsWithL1_isRefused() {
    assertThatThrownBy(
            () -> VerticalLrParameters.AGGREGATED_DEFAULT.withLr(params.lr().toBuilder().l1(1e-3).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("L2 only");
  }

  @Test
  void train_bankOnLbfgs_partnerOnGd_bothFollowTheBanksSchedule() {
    // The optimiser is part of the schedule the bank sends; a partner configured for GD follows it.
    VerticalRun small = VerticalRun.synthetic(12, 300, 2, 2);
    VerticalLrParameters gd = VerticalLrParameters.AGGREGATED_DEFAULT;
    VerticalLrParameters lbfgs = params.withLr(params.lr().toBuilder().maxEpochs(3).build());
    var o = small.train(lbfgs, gd, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    assertThat(o.second().value().epochs()).isEqualTo(o.first().value().history().steps().size());
  }
}
