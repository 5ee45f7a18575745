package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.testing.RecordingChannel;
import io.jointly.lr.testing.Synthetic;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.TrainingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-epoch loss the bank may open in secret-shared training: equal to the loss of the
 * plaintext simulation's trajectory, one 8-byte message per epoch and nothing else when asked,
 * nothing when not, a typed refusal when the parties disagree, typed errors when its frame is
 * destroyed, and correct with two partners.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecretSharedLossTest {
  static final Synthetic DATA = Synthetic.generate(31, 200, 3, 2);
  static final LogisticRegressionParameters LR =
      SecretSharedLrParameters.DEFAULT.lr().toBuilder().batchSize(50).maxEpochs(3).learningRate(1).learningRateDecay(0.2).seed(9).build();
  static final SecretSharedLrParameters PARAMS =
      SecretSharedLrParameters.DEFAULT.withLr(LR).withReceiveTimeout(Duration.ofSeconds(60)).withEpochLoss(true);

  static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(3);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  /**
   * The class-weighted mean over each epoch's rows of a loss function of (label, score before the
   * row's step), along the plaintext simulation's trajectory.
   */
  static double[] simulatedLosses(
      LogisticRegressionParameters lr, SecretSharedLrParameters.Sigmoid sigmoid, FeatureMatrix xb, FeatureMatrix xp, int[] y, boolean series) {
    List<Double> scores = new ArrayList<>();
    SecretSharedSimulation.run(lr, sigmoid, xb, xp, y, scores);
    SharesLoss loss = SharesLoss.of(SharesSigmoid.of(sigmoid));
    int n = y.length;
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    double[] s = lr.classWeights().rowWeights(y, all);
    double weight = Arrays.stream(s).sum();
    int[][] batches = SecretSharedLr.batches(lr.seed(), n, lr.batchSize());
    double[] out = new double[lr.maxEpochs()];
    int next = 0;
    for (int e = 0; e < lr.maxEpochs(); e++) {
      double sum = 0;
      for (int b : SecretSharedLr.batchOrder(lr.seed(), batches.length, e)) {
        for (int r : batches[b]) {
          double z = scores.get(next++);
          double t = (1 - 2 * y[r]) * z;
          double l = series ? loss.value(y[r], z) : Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
          sum += s[r] * l;
        }
      }
      out[e] = sum / weight;
    }
    return out;
  }

  @Test
  void train_epochLossAsked_equalsTheLossOfTheSimulatedTrajectory_andCostsOneWordPerEpoch() {
    FeatureMatrix xb = DATA.blocks.get(0);
    FeatureMatrix xp = DATA.blocks.get(1);
    List<RecordingChannel> toBank = new ArrayList<>();
    List<RecordingChannel> toPartner = new ArrayList<>();
    var o =
        TwoPartyRun.runAll(
            InMemoryChannel.pair("ss-loss", "bank", "partner"),
            ch -> SecretSharedLr.bank(PARAMS, xb, DATA.labels, recorded(ch, toBank), pool),
            ch -> SecretSharedLr.partner(PARAMS, xp, recorded(ch, toPartner), pool),
            Duration.ofMinutes(2));
    assertThat(o.firstFailure()).isNull();
    List<Double> opened = o.first().value().epochLosses();
    assertThat(opened).hasSize(LR.maxEpochs());
    assertThat(o.second().value().epochLosses()).as("the partner learns no loss").isEmpty();
    double[] series = simulatedLosses(LR, SecretSharedLrParameters.Sigmoid.STANDARD, xb, xp, DATA.labels, true);
    double[] exact = simulatedLosses(LR, SecretSharedLrParameters.Sigmoid.STANDARD, xb, xp, DATA.labels, false);
    for (int e = 0; e < opened.size(); e++) {
      // Fixed point moves the weights by ~1e-4 (SecretSharedLrTest) and the terms by less.
      assertThat(opened.get(e)).as("epoch %d against the series", e).isCloseTo(series[e], within(1e-3));
      // The series is within 0.0023 of the log-loss where these scores lie.
      assertThat(opened.get(e)).as("epoch %d against the log-loss", e).isCloseTo(exact[e], within(3e-3));
    }
    assertThat(opened.get(LR.maxEpochs() - 1)).as("training lowers the loss").isLessThan(opened.get(0));
    List<Integer> lossBytes = new ArrayList<>();
    RecordingChannel rec = toBank.get(0);
    for (int i = 0; i < rec.keys.size(); i++) {
      RoundKey k = rec.keys.get(i);
      if (k.round() == SecretSharedRound.LOSS.wireCode) {
        lossBytes.add((int) rec.payloads.get(i).length());
      }
    }
    assertThat(lossBytes).as("one 8-byte share per epoch").containsExactly(8, 8, 8);
    // What the partner receives for the loss: 8 bytes per sigmoid OT after the sigmoid's 16,
    // corrections under uniform 64-bit pads (their bits look like fair coins).
    SharesLayout layout =
        SharesLayout.of(LR.batchSize(), SharesLayout.etaBits(LR.learningRate()), PARAMS.paillier().modulusBits(), SharesSigmoid.STANDARD);
    long ones = 0;
    long bits = 0;
    int pads = 0;
    RecordingChannel atPartner = toPartner.get(0);
    for (int i = 0; i < atPartner.keys.size(); i++) {
      if (atPartner.keys.get(i).round() == SecretSharedRound.SIGMOID_PADS.wireCode) {
        byte[] p = atPartner.payloads.get(i).toByteArray();
        int m = p.length / 24;
        assertThat(p.length).isEqualTo(24 * m);
        assertThat(m % layout.otsPerRow()).isZero();
        for (int j = 16 * m; j < p.length; j++) {
          ones += Integer.bitCount(p[j] & 0xFF);
          bits += 8;
        }
        pads++;
      }
    }
    assertThat(pads).isEqualTo(LR.maxEpochs() * 4);
    assertThat((double) ones / bits).as("loss corrections look uniform").isCloseTo(0.5, within(3 / Math.sqrt(bits)));
  }

  @Test
  void train_epochLossNotAsked_noLossMessageAndNoLosses() {
    SecretSharedLrParameters off = PARAMS.withEpochLoss(false).withLr(LR.toBuilder().maxEpochs(1).build());
    List<RecordingChannel> toBank = new ArrayList<>();
    var o =
        TwoPartyRun.runAll(
            InMemoryChannel.pair("ss-noloss", "bank", "partner"),
            ch -> SecretSharedLr.bank(off, DATA.blocks.get(0), DATA.labels, recorded(ch, toBank), pool),
            ch -> SecretSharedLr.partner(off, DATA.blocks.get(1), ch, pool),
            Duration.ofMinutes(2));
    assertThat(o.firstFailure()).isNull();
    assertThat(o.first().value().epochLosses()).isEmpty();
    assertThat(toBank.get(0).keys).noneMatch(k -> k.round() == SecretSharedRound.LOSS.wireCode);
  }

  @Test
  void train_onlyTheBankAsksForTheLoss_handshakeRefusesOnBothSides() {
    SecretSharedLrFaultTest.assertBothRefusedInHello(run(PARAMS, PARAMS.withEpochLoss(false), UnaryOperator.identity()), "per-epoch loss");
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"CORRUPT", "DROP", "TRUNCATE"})
  void train_lossFrameDestroyed_typedExceptionOnBothSides(Fault fault) {
    UnaryOperator<MessageChannel> faulty =
        ch -> new FaultInjectingChannel(ch, fault, SecretSharedRound.PROTOCOL, SecretSharedRound.LOSS.wireCode, 0, Duration.ofSeconds(1));
    SecretSharedLrParameters quick = PARAMS.withLr(LR.toBuilder().maxEpochs(1).build()).withReceiveTimeout(Duration.ofSeconds(3));
    var o = run(quick, quick, faulty);
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      assertThat(side.succeeded()).as("each side notices").isFalse();
      assertThat(side.failure()).isInstanceOf(JointlyException.class);
    }
  }

  /** Two partners: the loss runs with partner 0 in session 0 and equals the simulation's. */
  @Test
  void train_twoPartners_lossEqualsTheSimulationWithTheirColumnsJoined() throws Exception {
    Synthetic data = Synthetic.generate(33, 120, 2, 2, 2);
    LogisticRegressionParameters lr = LR.toBuilder().maxEpochs(2).build();
    SecretSharedLrParameters params = PARAMS.withLr(lr);
    ExecutorService parties = Executors.newFixedThreadPool(3);
    var first = InMemoryChannel.pair("ss-loss-0", "bank", "partner-0");
    var second = InMemoryChannel.pair("ss-loss-1", "bank", "partner-1");
    try {
      Future<SecretSharedResult> bank =
          parties.submit(
              () -> SecretSharedLr.bank(
                  params, data.blocks.get(0), data.labels, List.of(first.first(), second.first()), pool, TrainingListener.NONE));
      Future<SecretSharedResult> p0 = parties.submit(() -> SecretSharedLr.partner(params, data.blocks.get(1), first.second(), pool));
      Future<SecretSharedResult> p1 = parties.submit(() -> SecretSharedLr.partner(params, data.blocks.get(2), second.second(), pool));
      List<Double> opened = bank.get(120, TimeUnit.SECONDS).epochLosses();
      assertThat(p0.get(120, TimeUnit.SECONDS).epochLosses()).isEmpty();
      assertThat(p1.get(120, TimeUnit.SECONDS).epochLosses()).isEmpty();
      FeatureMatrix joined = joinColumns(data.blocks.get(1), data.blocks.get(2));
      double[] series = simulatedLosses(lr, SecretSharedLrParameters.Sigmoid.STANDARD, data.blocks.get(0), joined, data.labels, true);
      assertThat(opened).hasSize(2);
      for (int e = 0; e < 2; e++) {
        assertThat(opened.get(e)).as("epoch %d", e).isCloseTo(series[e], within(2e-3));
      }
    } finally {
      for (var pair : List.of(first, second)) {
        pair.first().close();
        pair.second().close();
      }
      parties.shutdownNow();
    }
  }

  /** {@code ch}, recording what it receives into a new entry of {@code sink}. */
  private static RecordingChannel recorded(MessageChannel ch, List<RecordingChannel> sink) {
    RecordingChannel r = new RecordingChannel(ch);
    sink.add(r);
    return r;
  }

  private static FeatureMatrix joinColumns(FeatureMatrix a, FeatureMatrix b) {
    List<String> names = new ArrayList<>(a.columnNames());
    names.addAll(b.columnNames());
    double[][] rows = new double[a.rowCount()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[a.columnCount() + b.columnCount()];
      System.arraycopy(a.row(i), 0, rows[i], 0, a.columnCount());
      System.arraycopy(b.row(i), 0, rows[i], a.columnCount(), b.columnCount());
    }
    return FeatureMatrix.ofRows(names, rows);
  }

  private static TwoPartyRun.Outcomes<SecretSharedResult, SecretSharedResult> run(
      SecretSharedLrParameters bankParams, SecretSharedLrParameters partnerParams, UnaryOperator<MessageChannel> partnerWrap) {
    return TwoPartyRun.runAll(
        InMemoryChannel.pair("ss-loss-fault", "bank", "partner"),
        ch -> SecretSharedLr.bank(bankParams, DATA.blocks.get(0), DATA.labels, ch, pool),
        ch -> SecretSharedLr.partner(partnerParams, DATA.blocks.get(1), partnerWrap.apply(ch), pool),
        Duration.ofMinutes(1));
  }
}
