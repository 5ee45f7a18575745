package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.testing.Synthetic;
import io.jointly.lr.training.TrainingListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Secret-shared training through a misbehaving channel, and between parties that disagree: a typed
 * exception on both sides, never a hang or two silent successes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecretSharedLrFaultTest {
  static final Synthetic DATA = Synthetic.generate(4, 60, 2, 2);
  static final SecretSharedLrParameters PARAMS =
      SecretSharedLrParameters.DEFAULT
          .withLr(SecretSharedLrParameters.DEFAULT.lr().toBuilder().batchSize(30).maxEpochs(1).seed(2).build())
          .withReceiveTimeout(Duration.ofSeconds(3));

  @ParameterizedTest(name = "{0} on {1}, bank faulty: {2}")
  @CsvSource({"CORRUPT, FORWARD_PADS, false", "CORRUPT, BACKWARD, true"})
  void train_destructiveFault_typedExceptionOnBothSidesNeverTwoSuccesses(Fault fault, SecretSharedRound round, boolean bankFaulty) {
    UnaryOperator<MessageChannel> faulty =
        ch -> new FaultInjectingChannel(ch, fault, SecretSharedRound.PROTOCOL, round.wireCode, 0, Duration.ofSeconds(1));
    var o = run(PARAMS, PARAMS, bankFaulty ? faulty : UnaryOperator.identity(), bankFaulty ? UnaryOperator.identity() : faulty);
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      assertThat(side.succeeded()).as("each side notices").isFalse();
      assertThat(side.failure()).isInstanceOf(JointlyException.class);
    }
  }

  @Test
  void train_differentSchedules_handshakeRefusesOnBothSides() {
    SecretSharedLrParameters other = PARAMS.withLr(PARAMS.lr().toBuilder().learningRate(0.25).build());
    assertBothRefusedInHello(run(PARAMS, other, UnaryOperator.identity(), UnaryOperator.identity()), "schedules");
  }

  @Test
  void train_differentSigmoids_handshakeRefusesOnBothSides() {
    SecretSharedLrParameters wide = PARAMS.withSigmoid(SecretSharedLrParameters.Sigmoid.WIDE);
    assertBothRefusedInHello(run(wide, PARAMS, UnaryOperator.identity(), UnaryOperator.identity()), "sigmoid");
  }

  /** Revealing the partner's weights to the bank needs both: refused in HELLO, not at REVEAL. */
  @Test
  void train_onlyTheBankAsksForThePartnersWeights_handshakeRefusesOnBothSides() {
    assertBothRefusedInHello(
        run(PARAMS.withRevealAllToBank(true), PARAMS, UnaryOperator.identity(), UnaryOperator.identity()), "partner's weights");
  }

  /**
   * Two partners; the second one's channel corrupts or drops a relay frame (its score shares on the
   * way to the bank, or partner 0's residual shares on the way to it): all three parties end with
   * typed exceptions within the receive timeout, none with a model.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({"CORRUPT, SCORE_RELAY", "DROP, RESIDUAL_RELAY"})
  void train_twoPartnersWithAFaultyRelay_everyPartyEndsWithATypedException(Fault fault, SecretSharedRound round) throws Exception {
    Synthetic data = Synthetic.generate(5, 60, 2, 2, 2);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    ExecutorService parties = Executors.newFixedThreadPool(3);
    var first = InMemoryChannel.pair("ss-fault-0", "bank", "partner-0");
    var second = InMemoryChannel.pair("ss-fault-1", "bank", "partner-1");
    try {
      MessageChannel toSecond = new FaultInjectingChannel(second.second(), fault, SecretSharedRound.PROTOCOL, round.wireCode, 0, Duration.ofSeconds(1));
      List<java.util.concurrent.Future<SecretSharedResult>> futures =
          List.of(
              parties.submit(
                  () -> SecretSharedLr.bank(
                      PARAMS, data.blocks.get(0), data.labels, List.of(first.first(), second.first()), pool, TrainingListener.NONE)),
              parties.submit(() -> SecretSharedLr.partner(PARAMS, data.blocks.get(1), first.second(), pool)),
              parties.submit(() -> SecretSharedLr.partner(PARAMS, data.blocks.get(2), toSecond, pool)));
      for (var f : futures) {
        try {
          f.get(90, TimeUnit.SECONDS);
          org.assertj.core.api.Assertions.fail("a party succeeded despite a destroyed relay frame");
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(JointlyException.class);
        }
      }
    } finally {
      for (var pair : List.of(first, second)) {
        pair.first().close();
        pair.second().close();
      }
      parties.shutdownNow();
      pool.shutdownNow();
    }
  }

  /** Both parties end with HANDSHAKE_MISMATCH, saying what differs. */
  static void assertBothRefusedInHello(TwoPartyRun.Outcomes<?, ?> o, String what) {
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      assertThat(side.failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH);
                assertThat(e.getMessage()).contains(what);
              });
    }
  }

  private static TwoPartyRun.Outcomes<SecretSharedResult, SecretSharedResult> run(
      SecretSharedLrParameters bankParams,
      SecretSharedLrParameters partnerParams,
      UnaryOperator<MessageChannel> bankWrap,
      UnaryOperator<MessageChannel> partnerWrap) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int[] y = Arrays.copyOf(DATA.labels, DATA.labels.length);
      return TwoPartyRun.runAll(
          InMemoryChannel.pair("ss-fault", "bank", "partner"),
          ch -> SecretSharedLr.bank(bankParams, DATA.blocks.get(0), y, bankWrap.apply(ch), pool),
          ch -> SecretSharedLr.partner(partnerParams, DATA.blocks.get(1), partnerWrap.apply(ch), pool),
          Duration.ofSeconds(90));
    } finally {
      pool.shutdownNow();
    }
  }
}
