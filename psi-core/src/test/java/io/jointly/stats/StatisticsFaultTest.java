package io.jointly.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Federated statistics through a misbehaving channel and with disagreeing parties: a typed
 * exception on both sides or the correct table, never a hang or a wrong figure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatisticsFaultTest {
  private static final StatsFixture DATA = new StatsFixture(7, 90, 30, 40);

  /** Each fault on the first message of each round, injected by the party that sends it. */
  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : new Fault[] {Fault.DROP, Fault.CORRUPT, Fault.TRUNCATE, Fault.DUPLICATE, Fault.CLOSE, Fault.REPLAY}) {
      for (StatsRound round : StatsRound.values()) {
        // The partner sends VALUES and OPENED, the bank MASKED_SUMS; both send HELLO and CONFIRM.
        boolean partnerSends = round == StatsRound.VALUES || round == StatsRound.OPENED;
        out.add(Arguments.of(fault, round, !partnerSends));
        if (round == StatsRound.HELLO || round == StatsRound.CONFIRM) {
          out.add(Arguments.of(fault, round, false));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, bank faulty: {2}")
  @MethodSource("faults")
  void run_faultOnAStatisticsRound_typedFailureOrCorrectTable(Fault fault, StatsRound round, boolean bankFaulty) {
    StatisticsParameters params = StatsFixture.params(5).withReceiveTimeout(Duration.ofSeconds(fault == Fault.DROP ? 3 : 10));
    List<FaultInjectingChannel> injected = new ArrayList<>();
    UnaryOperator<MessageChannel> faulty =
        ch -> {
          FaultInjectingChannel f =
              new FaultInjectingChannel(ch, fault, StatsRound.PROTOCOL, round.wireCode, 0, Duration.ofSeconds(1));
          injected.add(f);
          return f;
        };
    var o =
        DATA.run(params, params, bankFaulty ? faulty : UnaryOperator.identity(), bankFaulty ? UnaryOperator.identity() : faulty);
    // (under heavy load a party may time out before the faulty message is even sent: then only
    // the typed failure is checked)
    if (o.first().succeeded()) {
      // Only a fault the protocol absorbs (or one on the very last message) may leave the bank
      // with a result, and then it must be the right one.
      assertThat(fault == Fault.DUPLICATE || fault == Fault.REPLAY || round == StatsRound.CONFIRM).isTrue();
      SegmentTable t = o.first().value();
      var expected = DATA.expected();
      for (SegmentTable.Segment s : t.segments()) {
        if (!s.suppressed()) {
          assertThat(s.count()).hasValue(expected.get(s.key()).count);
          assertThat(s.numeric().get(1).sum().getAsDouble()).isEqualTo(expected.get(s.key()).ordersSum);
        }
      }
    } else {
      assertThat(o.first().failure()).isInstanceOf(JointlyException.class);
    }
    if (!o.second().succeeded()) {
      assertThat(o.second().failure()).isInstanceOf(JointlyException.class);
    }
    boolean destructive = fault == Fault.CORRUPT || fault == Fault.TRUNCATE || fault == Fault.DROP || fault == Fault.CLOSE;
    if (destructive && injected.get(0).triggered()) {
      assertThat(o.first().succeeded() && o.second().succeeded()).isFalse();
    }
  }

  @Test
  void run_partiesDisagreeOnMinimumCellSize_bothAbortWithHandshakeMismatch() {
    var o = DATA.run(StatsFixture.params(20), StatsFixture.params(10), UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.first().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH));
    assertThat(o.second().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH));
  }

  @Test
  void run_partiesDisagreeOnNoise_bothAbort() {
    var o =
        DATA.run(
            StatsFixture.params(5).withNoise(Noise.discreteLaplace(1.0)),
            StatsFixture.params(5),
            UnaryOperator.identity(),
            UnaryOperator.identity());
    assertThat(o.first().failure()).isInstanceOf(ProtocolAbortException.class);
    assertThat(o.second().failure()).isInstanceOf(ProtocolAbortException.class);
  }
}
