package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two-party secret-shared training against its plaintext simulation and centralised LR. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecretSharedLrTest {
  static final int TRAIN = 360;
  static final Synthetic DATA = Synthetic.generate(21, 600, 3, 2);
  static final LogisticRegressionParameters LR =
      SecretSharedLrParameters.DEFAULT.lr().toBuilder().batchSize(120).maxEpochs(4).learningRate(1).learningRateDecay(0.2).seed(5).build();
  static final SecretSharedLrParameters PARAMS =
      SecretSharedLrParameters.DEFAULT.withLr(LR).withReceiveTimeout(Duration.ofSeconds(60)).withRevealAllToBank(true);

  static ExecutorService bankPool;
  static ExecutorService partnerPool;
  static TwoPartyRun.Outcomes<SecretSharedResult, SecretSharedResult> outcome;
  static FeatureMatrix xb;
  static FeatureMatrix xp;
  static int[] y;

  @BeforeAll
  static void train() {
    bankPool = Executors.newFixedThreadPool(2);
    partnerPool = Executors.newFixedThreadPool(2);
    int[] rows = new int[TRAIN];
    Arrays.setAll(rows, i -> i);
    xb = DATA.blocks.get(0).rows(rows);
    xp = DATA.blocks.get(1).rows(rows);
    y = Arrays.copyOf(DATA.labels, TRAIN);
    outcome =
        TwoPartyRun.runAll(
            InMemoryChannel.pair("ss-test", "bank", "partner"),
            ch -> SecretSharedLr.bank(PARAMS, xb, y, ch, bankPool),
            ch -> SecretSharedLr.partner(PARAMS, xp, ch, partnerPool),
            Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    bankPool.shutdownNow();
    partnerPool.shutdownNow();
  }

  @Test
  void train_syntheticData_equalsThePlaintextSimulationWithinFixedPointTolerance() {
    assertThat(outcome.firstFailure()).isNull();
    SecretSharedSimulation sim = SecretSharedSimulation.run(LR, xb, xp, y);
    SecretSharedResult bank = outcome.first().value();
    SecretSharedResult partner = outcome.second().value();
    double tol = 2e-4;
    for (int j = 0; j < sim.bankWeights.length; j++) {
      assertThat(bank.weights()[j]).as("bank weight %d", j).isCloseTo(sim.bankWeights[j], within(tol));
    }
    assertThat(bank.intercept().getAsDouble()).isCloseTo(sim.intercept, within(tol));
    for (int j = 0; j < sim.partnerWeights.length; j++) {
      assertThat(partner.weights()[j]).as("partner weight %d", j).isCloseTo(sim.partnerWeights[j], within(tol));
      assertThat(bank.partnerWeights().orElseThrow()[j]).isEqualTo(partner.weights()[j]);
    }
    assertThat(partner.intercept()).isEmpty();
    assertThat(partner.partnerWeights()).isEmpty();
    assertThat(bank.steps()).isEqualTo(LR.maxEpochs() * 3);
  }

  @Test
  void train_syntheticData_closeToCentralisedLogisticRegressionOnHeldOutRows() {
    assertThat(outcome.firstFailure()).isNull();
    LogisticRegressionModel central =
        LogisticRegression.fit(List.of(xb, xp), y, RowIndexes.of(allRows(TRAIN)), RowIndexes.of(), LR);
    int[] hold = new int[DATA.labels.length - TRAIN];
    Arrays.setAll(hold, i -> TRAIN + i);
    FeatureMatrix hb = DATA.blocks.get(0).rows(hold);
    FeatureMatrix hp = DATA.blocks.get(1).rows(hold);
    int[] yh = Arrays.copyOfRange(DATA.labels, TRAIN, DATA.labels.length);
    double[] wb = outcome.first().value().weights();
    double[] wp = outcome.second().value().weights();
    double b0 = outcome.first().value().intercept().getAsDouble();
    double[] z = LogisticMath.sumScores(new double[][] {hb.times(wb), hp.times(wp)}, b0);
    double[] p = Arrays.stream(z).map(LogisticMath::sigmoid).toArray();
    BinaryMetrics federated = BinaryMetrics.of(p, yh);
    BinaryMetrics centralised = BinaryMetrics.of(central.probabilities(List.of(hb, hp)), yh);
    assertThat(federated.auc()).isCloseTo(centralised.auc(), within(0.01));
    assertThat(federated.logLoss() / centralised.logLoss()).isCloseTo(1.0, within(0.05));
  }

  static int[] allRows(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }
}
