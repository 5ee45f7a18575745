package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.PsiResult;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroups;
import io.jointly.group.SuiteId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ECDH PSI through a misbehaving channel or peer: every fault ends with a typed exception on both
 * sides, or — for faults a reliable channel absorbs, such as reordering — with the correct result;
 * never a hang and never a wrong answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EcdhPsiFaultTest {
  private static final Random RND = new Random(99);
  private static final List<String> SHARED = EcdhPsiPropertyTest.ids("s", 60, RND);
  private static final List<String> BANK = concat(SHARED, EcdhPsiPropertyTest.ids("b", 80, RND));
  private static final List<String> PARTNER = concat(SHARED, EcdhPsiPropertyTest.ids("p", 70, RND));

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (RevealMode mode : RevealMode.values()) {
      for (Fault fault : Fault.values()) {
        for (EcdhPsi.Round round : EcdhPsi.Round.values()) {
          for (boolean bankFaulty : new boolean[] {true, false}) {
            out.add(Arguments.of(mode, fault, round, bankFaulty));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} on {2}, bank faulty: {3}")
  @MethodSource("faults")
  void run_faultInjected_typedFailureOnBothSidesOrCorrectResult(
      RevealMode mode, Fault fault, EcdhPsi.Round round, boolean bankFaulty) {
    EcdhPsiParameters params =
        PsiRunner.testParams(EcdhPsiParameters.RISTRETTO255_SHA512, mode).toBuilder()
            .receiveTimeout(Duration.ofSeconds(1))
            .build();
    List<FaultInjectingChannel> injected = new ArrayList<>();
    UnaryOperator<MessageChannel> faulty =
        ch -> {
          FaultInjectingChannel f = new FaultInjectingChannel(ch, fault, round.wireCode, 0, Duration.ofMillis(2500));
          injected.add(f);
          return f;
        };
    var o =
        PsiRunner.runAll(
            params,
            BANK,
            params,
            PARTNER,
            bankFaulty ? faulty : UnaryOperator.identity(),
            bankFaulty ? UnaryOperator.identity() : faulty);
    // Each side either fails with a typed exception or has the correct result. (A party can
    // finish correctly while its peer fails: the last message of any protocol may be lost.)
    checkSide(o.first(), PsiRole.BANK, mode);
    checkSide(o.second(), PsiRole.PARTNER, mode);
    boolean destructive =
        fault == Fault.TRUNCATE || fault == Fault.CORRUPT || fault == Fault.CLOSE || fault == Fault.DROP;
    // (the faulty party may never send a message of that round, e.g. DOUBLE_BLINDED by the bank in bank mode)
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
    if (mode.revealsSizeTo(role)) {
      assertThat(r.intersectionSize()).hasValue(PsiRunner.expectedSize(mine, theirs));
    } else {
      assertThat(r.intersectionSize()).isEmpty();
    }
    if (mode.revealsRowsTo(role)) {
      assertThat(r.sharedRows()).hasValue(RowIndexes.of(PsiRunner.expectedRows(mine, theirs)));
    } else {
      assertThat(r.sharedRows()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SuiteId.class)
  void run_peerSendsIdentityOrGarbageElements_abortsWithInvalidElement(SuiteId suite) {
    for (byte fill : new byte[] {0, (byte) 0xFF}) {
      EcdhPsiParameters params = PsiRunner.testParams(EcdhPsiParameters.preset(suite), RevealMode.BANK);
      int len = EcdhGroups.create(suite).elementLength();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        var o =
            TwoPartyRun.runAll(
                InMemoryChannel.pair("s", "bank", "partner"),
                ch -> new EcdhPsi(PsiRole.BANK, params, pool, 2).run(PsiInput.ofColumn(BANK), ch),
                ch -> {
                  // A malicious partner: a valid handshake, then elements that are not valid.
                  Hello hello =
                      new Hello(Hello.VERSION, PsiRole.PARTNER, suite, params.profile(), 1, RevealMode.BANK, 4, 4, 0);
                  ch.send(EcdhPsi.Round.HELLO.key(0), hello.encode());
                  ch.receive(EcdhPsi.Round.HELLO.key(0), Duration.ofSeconds(5));
                  byte[] bad = new byte[4 * len];
                  java.util.Arrays.fill(bad, fill);
                  ch.send(EcdhPsi.Round.BLINDED.key(0), EcdhPsi.encodeBatch(bad, 4, len));
                  return ch.receive(EcdhPsi.Round.CONFIRM.key(0), Duration.ofSeconds(20));
                },
                PsiRunner.HARD_TIMEOUT);
        assertThat(o.first().failure())
            .isInstanceOfSatisfying(
                ProtocolAbortException.class,
                e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
        assertThat(o.second().failure()).isInstanceOf(JointlyException.class);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SuiteId.class)
  void run_peerDeclaresWrongCount_abortsAsMalformed(SuiteId suite) {
    EcdhPsiParameters params = PsiRunner.testParams(EcdhPsiParameters.preset(suite), RevealMode.BANK);
    var group = EcdhGroups.create(suite);
    int len = group.elementLength();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("s", "bank", "partner"),
              ch -> new EcdhPsi(PsiRole.BANK, params, pool, 2).run(PsiInput.ofColumn(BANK), ch),
              ch -> {
                Hello hello =
                    new Hello(Hello.VERSION, PsiRole.PARTNER, suite, params.profile(), 1, RevealMode.BANK, 4, 4, 0);
                ch.send(EcdhPsi.Round.HELLO.key(0), hello.encode());
                ch.receive(EcdhPsi.Round.HELLO.key(0), Duration.ofSeconds(5));
                // three valid elements where four were announced
                byte[] three = new byte[3 * len];
                for (int i = 0; i < 3; i++) {
                  System.arraycopy(group.hashToGroup(new byte[] {(byte) i}), 0, three, i * len, len);
                }
                ch.send(EcdhPsi.Round.BLINDED.key(0), EcdhPsi.encodeBatch(three, 3, len));
                return ch.receive(EcdhPsi.Round.CONFIRM.key(0), Duration.ofSeconds(20));
              },
              PsiRunner.HARD_TIMEOUT);
      assertThat(o.first().failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE));
    } finally {
      pool.shutdownNow();
    }
  }

}
