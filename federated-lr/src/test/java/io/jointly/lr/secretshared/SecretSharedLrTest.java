package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.testing.RecordingChannel;
import io.jointly.lr.testing.Synthetic;
import io.jointly.lr.testing.WireBytes;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionModel;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.psi.RowIndexes;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One two-party secret-shared run on synthetic data, checked against its plaintext simulation and
 * centralised LR, and for what crossed the wire: only ciphertexts, OT matrices, uniform OT
 * corrections and values masked far beyond the size of any plaintext — no label, feature, score or
 * weight.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecretSharedLrTest {
  static final int TRAIN = 240;
  static final Synthetic DATA = Synthetic.generate(21, 480, 3, 2);
  static final LogisticRegressionParameters LR =
      SecretSharedLrParameters.DEFAULT.lr().toBuilder().batchSize(120).maxEpochs(3).learningRate(1).learningRateDecay(0.2).seed(5).build();
  static final SecretSharedLrParameters PARAMS =
      SecretSharedLrParameters.DEFAULT.withLr(LR).withReceiveTimeout(Duration.ofSeconds(60)).withRevealAllToBank(true);

  static final double WIDE_ETA = 16;
  static final double WIDE_TOLERANCE = 2e-4;

  static ExecutorService bankPool;
  static ExecutorService partnerPool;
  static TwoPartyRun.Outcomes<SecretSharedResult, SecretSharedResult> outcome;
  static RecordingChannel toBank;
  static RecordingChannel toPartner;
  static FeatureMatrix xb;
  static FeatureMatrix xp;
  static int[] y;

  @BeforeAll
  static void train() {
    bankPool = Executors.newFixedThreadPool(2);
    partnerPool = Executors.newFixedThreadPool(2);
    int[] rows = allRows(TRAIN);
    xb = DATA.blocks.get(0).rows(rows);
    xp = DATA.blocks.get(1).rows(rows);
    y = Arrays.copyOf(DATA.labels, TRAIN);
    outcome =
        TwoPartyRun.runAll(
            InMemoryChannel.pair("ss-test", "bank", "partner"),
            ch -> SecretSharedLr.bank(PARAMS, xb, y, toBank = new RecordingChannel(ch), bankPool),
            ch -> SecretSharedLr.partner(PARAMS, xp, toPartner = new RecordingChannel(ch), partnerPool),
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
    assertThat(bank.steps()).isEqualTo(LR.maxEpochs() * 2);
  }

  /**
   * The WIDE sigmoid on separable data with a large step: the scores pass ±16, where the STANDARD
   * series has wrapped round to its negative half-period, and the run still follows its plaintext
   * simulation with the wide series.
   */
  @Test
  void train_wideSigmoidOnSeparableData_equalsTheWidePlaintextSimulation() {
    SeparableRun run = separable(SecretSharedLrParameters.Sigmoid.WIDE);
    SecretSharedSimulation standard = SecretSharedSimulation.run(run.lr, SecretSharedLrParameters.Sigmoid.STANDARD, run.wb, run.wp, run.labels);
    double apart = Math.abs(standard.intercept - run.sim.intercept);
    for (int j = 0; j < run.sim.partnerWeights.length; j++) {
      apart = Math.max(apart, Math.abs(standard.partnerWeights[j] - run.sim.partnerWeights[j]));
    }
    assertThat(apart).as("the STANDARD series would have trained another model").isGreaterThan(100 * WIDE_TOLERANCE);
  }

  /** The EXTRA_WIDE series (2,048 sigmoid OTs per row, a 48-bit score ring) on the same run. */
  @Test
  void train_extraWideSigmoidOnSeparableData_equalsTheExtraWidePlaintextSimulation() {
    separable(SecretSharedLrParameters.Sigmoid.EXTRA_WIDE);
  }

  private record SeparableRun(
      LogisticRegressionParameters lr, FeatureMatrix wb, FeatureMatrix wp, int[] labels, SecretSharedSimulation sim) {}

  /**
   * Separable data with a large step, so the scores pass ±16, where the STANDARD series has
   * wrapped round to its negative half-period: the run with {@code sigmoid} follows its plaintext
   * simulation with that series.
   */
  private SeparableRun separable(SecretSharedLrParameters.Sigmoid sigmoid) {
    Synthetic data = Synthetic.generate(8, 160, 2, 2);
    FeatureMatrix wb = data.blocks.get(0);
    FeatureMatrix wp = data.blocks.get(1);
    int[] labels = new int[160];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = wb.get(r, 0) - wb.get(r, 1) + wp.get(r, 0) + 0.5 * wp.get(r, 1) > 0 ? 1 : 0;
    }
    LogisticRegressionParameters lr = LR.toBuilder().batchSize(80).maxEpochs(3).learningRate(WIDE_ETA).learningRateDecay(0).seed(3).build();
    SecretSharedLrParameters params = PARAMS.withLr(lr).withSigmoid(sigmoid);
    var o =
        TwoPartyRun.runAll(
            InMemoryChannel.pair("ss-" + sigmoid, "bank", "partner"),
            ch -> SecretSharedLr.bank(params, wb, labels, ch, bankPool),
            ch -> SecretSharedLr.partner(params, wp, ch, partnerPool),
            Duration.ofMinutes(2));
    assertThat(o.firstFailure()).isNull();
    List<Double> scores = new ArrayList<>();
    SecretSharedSimulation sim = SecretSharedSimulation.run(lr, sigmoid, wb, wp, labels, scores);
    assertThat(scores.stream().mapToDouble(Math::abs).max().orElseThrow()).as("largest score").isGreaterThan(16);
    SecretSharedResult bank = o.first().value();
    SecretSharedResult partner = o.second().value();
    double tol = WIDE_TOLERANCE;
    for (int j = 0; j < sim.bankWeights.length; j++) {
      assertThat(bank.weights()[j]).as("bank weight %d", j).isCloseTo(sim.bankWeights[j], within(tol));
    }
    assertThat(bank.intercept().getAsDouble()).isCloseTo(sim.intercept, within(tol));
    for (int j = 0; j < sim.partnerWeights.length; j++) {
      assertThat(partner.weights()[j]).as("partner weight %d", j).isCloseTo(sim.partnerWeights[j], within(tol));
    }
    return new SeparableRun(lr, wb, wp, labels, sim);
  }

  @Test
  void train_syntheticData_closeToCentralisedLogisticRegressionOnHeldOutRows() {
    assertThat(outcome.firstFailure()).isNull();
    LogisticRegressionModel central = LogisticRegression.fit(List.of(xb, xp), y, RowIndexes.of(allRows(TRAIN)), RowIndexes.of(), LR);
    int[] hold = new int[DATA.labels.length - TRAIN];
    Arrays.setAll(hold, i -> TRAIN + i);
    FeatureMatrix hb = DATA.blocks.get(0).rows(hold);
    FeatureMatrix hp = DATA.blocks.get(1).rows(hold);
    int[] yh = Arrays.copyOfRange(DATA.labels, TRAIN, DATA.labels.length);
    double[] z =
        LogisticMath.sumScores(
            new double[][] {hb.times(outcome.first().value().weights()), hp.times(outcome.second().value().weights())},
            outcome.first().value().intercept().getAsDouble());
    BinaryMetrics federated = BinaryMetrics.of(Arrays.stream(z).map(LogisticMath::sigmoid).toArray(), yh);
    BinaryMetrics centralised = BinaryMetrics.of(central.probabilities(List.of(hb, hp)), yh);
    assertThat(federated.auc()).isCloseTo(centralised.auc(), within(0.01));
    assertThat(federated.logLoss() / centralised.logLoss()).isCloseTo(1.0, within(0.05));
  }

  @Test
  void train_whatEachPartyReceives_carriesNoPlaintextLabelFeatureScoreOrWeight() throws Exception {
    assertThat(outcome.firstFailure()).isNull();
    List<Double> scores = new ArrayList<>();
    SecretSharedSimulation.run(LR, SecretSharedLrParameters.Sigmoid.STANDARD, xb, xp, y, scores);
    SharesLayout layout = SharesLayout.of(LR.batchSize(), SharesLayout.etaBits(LR.learningRate()), 2048, SharesSigmoid.STANDARD);
    Set<Integer> ciphertextRounds =
        Set.of(
            SecretSharedRound.BASE_OT.wireCode,
            SecretSharedRound.BASE_OT_REPLY.wireCode,
            SecretSharedRound.ROWS.wireCode,
            SecretSharedRound.BACKWARD.wireCode);
    // Plaintext values that must not appear: features (as doubles and fixed-point scalars), every
    // score of the run (fixed point, ±4 units), the final weights (fixed point, ±16 units).
    List<long[]> targets = new ArrayList<>();
    for (FeatureMatrix m : List.of(xb, xp)) {
      for (double v : m.toArray()) {
        targets.add(new long[] {Double.doubleToLongBits(v), 0});
        targets.add(new long[] {Math.round(Math.scalb(v, SharesLayout.F_X)), 0});
      }
    }
    for (double z : scores) {
      targets.add(new long[] {Math.round(Math.scalb(z, SharesLayout.F_Z)), 4});
    }
    for (double w : outcome.first().value().partnerWeights().orElseThrow()) {
      targets.add(new long[] {Math.round(Math.scalb(w, SharesLayout.F_W)), 16});
    }
    for (double w : outcome.first().value().weights()) {
      targets.add(new long[] {Math.round(Math.scalb(w, SharesLayout.F_W)), 16});
    }
    byte[] labelRun = new byte[64];
    for (int i = 0; i < labelRun.length; i++) {
      labelRun[i] = (byte) y[i];
    }
    for (RecordingChannel rec : List.of(toBank, toPartner)) {
      List<Bytes> opaque = new ArrayList<>();
      Set<String> protocols = rec.keys.stream().map(RoundKey::protocol).collect(Collectors.toSet());
      assertThat(protocols).containsExactly(SecretSharedRound.PROTOCOL);
      for (int i = 0; i < rec.keys.size(); i++) {
        RoundKey k = rec.keys.get(i);
        Bytes p = rec.payloads.get(i);
        if (ciphertextRounds.contains(k.round())) {
          assertThat(p.length() % 512).as("%s is whole 2,048-bit ciphertexts", k).isZero();
          opaque.add(p);
        }
        if (k.round() == SecretSharedRound.SIGMOID_PADS.wireCode) {
          for (BigInteger tau : SecretSharedWire.wide(p, p.length() / 16, 127, "SIGMOID_PADS")) {
            assertThat(tau.bitLength()).as("τ is padded far beyond any plaintext").isGreaterThan(layout.padBits() - 30);
          }
        }
        if (k.round() == SecretSharedRound.REVEAL.wireCode) {
          for (BigInteger share : SecretSharedWire.wide(p, p.length() / 16, 127, "REVEAL")) {
            assertThat(share.bitLength()).as("a weight share is masked").isGreaterThan(50);
          }
        }
        if (k.round() == SecretSharedRound.FORWARD_PADS.wireCode) {
          opaque.add(p);
        }
        if (k.round() == SecretSharedRound.SIGMOID_CHOICES.wireCode || k.round() == SecretSharedRound.FORWARD_CHOICES.wireCode) {
          long ones = 0;
          for (byte b : p.toByteArray()) {
            ones += Integer.bitCount(b & 0xFF);
          }
          // Six standard deviations of a fair coin's frequency over this many bits (a fixed 0.01
          // failed now and then on the small matrices of a narrow block: 3.5σ at 24,576 bits).
          double bits = 8.0 * p.length();
          assertThat(ones / bits).as("U looks uniform").isCloseTo(0.5, within(3 / Math.sqrt(bits)));
          opaque.add(p);
        }
      }
      assertThat(WireBytes.indexOf(WireBytes.concat(rec.payloads), labelRun)).as("labels in order").isNegative();
      // Ciphertexts, OT matrices and the forward corrections (uniform modulo 2^64), scanned at every
      // byte (the structured payloads, HELLO and the masked values of SIGMOID_PADS and REVEAL, are
      // checked field by field above).
      assertNoTarget(WireBytes.concat(opaque), targets);
    }
  }

  /** No 8-byte big-endian window of {@code all} lies within a target's tolerance. */
  private static void assertNoTarget(byte[] all, List<long[]> targets) {
    long[][] sorted = targets.toArray(long[][]::new);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    long[] keys = Arrays.stream(sorted).mapToLong(t -> t[0]).toArray();
    long maxTol = 16;
    ByteBuffer b = ByteBuffer.wrap(all);
    for (int off = 0; off + 8 <= all.length; off++) {
      long v = b.getLong(off);
      int at = Arrays.binarySearch(keys, v - maxTol);
      int from = at >= 0 ? at : -at - 1;
      for (int i = from; i < keys.length && keys[i] <= v + maxTol; i++) {
        assertThat(Math.abs(v - keys[i]) > sorted[i][1]).as("a plaintext value at byte %d", off).isTrue();
      }
    }
  }

  static int[] allRows(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }
}
