package io.jointly.psi.vole;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VOLE PSI through a misbehaving channel or peer, on every round and from either side: each fault
 * ends with a typed exception on both sides, or — for faults a reliable channel absorbs, such as
 * reordering — with the correct result; never a hang and never a wrong answer. The {@code both}
 * mode differs from {@code bank} only from the MATCHES round on, so it is driven through those.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VolePsiFaultTest {
  private static final Random RND = new Random(77);
  private static final List<String> SHARED = VoleRunner.ids("s", 1500, RND);
  private static final List<String> BANK = concat(SHARED, VoleRunner.ids("b", 900, RND));
  private static final List<String> PARTNER = concat(SHARED, VoleRunner.ids("p", 1200, RND));

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      for (VolePsi.Round round : VolePsi.Round.values()) {
        for (boolean bankFaulty : new boolean[] {true, false}) {
          out.add(Arguments.of(RevealMode.BANK, fault, round, bankFaulty, 0));
          if (round == VolePsi.Round.MATCHES || round == VolePsi.Round.CONFIRM) {
            out.add(Arguments.of(RevealMode.BOTH, fault, round, bankFaulty, 0));
          }
        }
      }
      // A fault in a later frame of the framed rounds (frames hold 1,024 values here) and in a
      // later VOLE chunk (the bank's 2,400 items make three chunks of one OKVS bin here).
      out.add(Arguments.of(RevealMode.BANK, fault, VolePsi.Round.MASKED, true, 2));
      out.add(Arguments.of(RevealMode.BANK, fault, VolePsi.Round.OUTPUTS, false, 1));
      out.add(Arguments.of(RevealMode.BANK, fault, VolePsi.Round.EXTEND, true, 1));
      out.add(Arguments.of(RevealMode.BANK, fault, VolePsi.Round.TREES, false, 1));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} on {2}#{4}, bank faulty: {3}")
  @MethodSource("faults")
  void run_faultInjected_typedFailureOnBothSidesOrCorrectResult(
      RevealMode mode, Fault fault, VolePsi.Round round, boolean bankFaulty, int index) {
    VolePsiParameters params = VoleRunner.testParams(mode).toBuilder().receiveTimeout(Duration.ofMillis(800)).build();
    List<FaultInjectingChannel> injected = new ArrayList<>();
    UnaryOperator<MessageChannel> faulty =
        ch -> {
          FaultInjectingChannel f = new FaultInjectingChannel(ch, fault, round.wireCode, index, Duration.ofMillis(1200));
          injected.add(f);
          return f;
        };
    var o =
        VoleRunner.runAll(
            params,
            BANK,
            params,
            PARTNER,
            bankFaulty ? faulty : UnaryOperator.identity(),
            bankFaulty ? UnaryOperator.identity() : faulty);
    checkSide(o.first(), PsiRole.BANK, mode);
    checkSide(o.second(), PsiRole.PARTNER, mode);
    boolean destructive =
        fault == Fault.TRUNCATE || fault == Fault.CORRUPT || fault == Fault.CLOSE || fault == Fault.DROP;
    if (destructive && injected.get(0).triggered()) {
      assertThat(o.first().succeeded() && o.second().succeeded())
          .as("a destructive fault cannot go unnoticed by both parties")
          .isFalse();
    }
  }

  private static void checkSide(TwoPartyRun.Outcome<PsiResult> outcome, PsiRole role, RevealMode mode) {
    if (!outcome.succeeded()) {
      assertThat(outcome.failure()).as(role + "'s failure").isInstanceOf(JointlyException.class);
      return;
    }
    PsiResult r = outcome.value();
    List<String> mine = role == PsiRole.BANK ? BANK : PARTNER;
    List<String> theirs = role == PsiRole.BANK ? PARTNER : BANK;
    if (mode.revealsRowsTo(role)) {
      assertThat(r.sharedRows()).hasValue(RowIndexes.of(VoleRunner.expectedRows(mine, theirs)));
      assertThat(r.intersectionSize()).hasValue(VoleRunner.expectedSize(mine, theirs));
    } else {
      assertThat(r.sharedRows()).isEmpty();
    }
  }

  /** A peer that speaks the handshake, then sends a message of the wrong length in one round. */
  @ParameterizedTest(name = "partner sends a short {0}")
  @MethodSource("partnerRounds")
  void run_partnerSendsShortMessage_bankAbortsMalformed(VolePsi.Round round) {
    // Shorten the partner's first message of the round by one byte, after the handshake.
    var o =
        VoleRunner.runAll(
            VoleRunner.testParams(RevealMode.BANK),
            BANK,
            VoleRunner.testParams(RevealMode.BANK),
            PARTNER,
            UnaryOperator.identity(),
            ch -> new FaultInjectingChannel(ch, Fault.TRUNCATE, round.wireCode, 0, Duration.ZERO));
    assertThat(o.first().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isIn(ProtocolAbortException.Reason.MALFORMED_MESSAGE, ProtocolAbortException.Reason.INVALID_ELEMENT));
    assertThat(o.second().failure()).isInstanceOf(JointlyException.class);
  }

  static Stream<VolePsi.Round> partnerRounds() {
    return Stream.of(VolePsi.Round.BASE_OT, VolePsi.Round.TREES, VolePsi.Round.OUTPUTS);
  }

  @Test
  void run_partnerRepeatsAnOutput_bankAbortsInsteadOfMisaligning() {
    // A partner that sends one output twice (as if its set held an item twice): the bank must
    // refuse at once rather than map two positions to one row. All the partner's items are shared,
    // so the repeated output matches. (Tampering under the transcript also fails the final check.)
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      VolePsiParameters params = VoleRunner.testParams(RevealMode.BANK);
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("s", "bank", "partner"),
              ch -> new VolePsi(PsiRole.BANK, params, pool, 2).run(PsiInput.ofColumn(BANK), ch),
              ch -> new VolePsi(PsiRole.PARTNER, params, pool, 2).run(PsiInput.ofColumn(SHARED), new DuplicatingOutputs(ch)),
              VoleRunner.HARD_TIMEOUT);
      assertThat(o.first().failure())
          .isInstanceOfSatisfying(ProtocolAbortException.class, e -> assertThat(e.getMessage()).contains("repeats"));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Overwrites the second output of the first OUTPUTS frame with the first. */
  private static final class DuplicatingOutputs extends ForwardingChannel {
    DuplicatingOutputs(MessageChannel inner) {
      super(inner);
    }

    @Override
    public void send(io.jointly.channel.RoundKey key, Bytes payload) throws io.jointly.core.ChannelException {
      if (key.round() == VolePsi.Round.OUTPUTS.wireCode && key.sequence() == 0) {
        byte[] b = payload.toByteArray();
        // The frame holds at least two outputs of equal width; the width divides the length.
        int n = 1024;
        int width = b.length / n;
        System.arraycopy(b, 0, b, width, width);
        payload = Bytes.wrap(b);
      }
      super.send(key, payload);
    }
  }
}
