package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.ChannelStats;
import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECDH PSI between two parties over loopback mutual-TLS gRPC: the answer equals the plain
 * computation ({@link Set#retainAll}), and a {@link FaultInjectingChannel} on either side ends the
 * run with typed exceptions on both sides or the correct result, never a hang. One server serves
 * every run, each in its own session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PsiOverGrpcTest {
  private static final Logger LOG = LoggerFactory.getLogger(PsiOverGrpcTest.class);
  private static final Duration HARD_TIMEOUT = Duration.ofSeconds(60);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .chunkBytes(4 << 10) // several chunks per batch message
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofSeconds(1))
          .build();
  /** EcdhPsi's rounds by wire code: HELLO, BLINDED, DOUBLE_BLINDED, CONFIRM. */
  private static final int[] ROUNDS = {1, 2, 3, 4};

  private static final List<String> SHARED = TestIds.ids("s", 300);
  private static final List<String> BANK = TestIds.concat(SHARED, TestIds.ids("b", 400));
  private static final List<String> PARTNER = TestIds.concat(TestIds.ids("p", 200), SHARED);

  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static TransportSecurity partner;
  private static TransportServer server;
  private static ExecutorService pool;

  @BeforeAll
  static void start() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    partner = TransportSecurity.mutualTls(ca.issue("partner"));
    server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("bank")),
            Set.of("partner"),
            OPTIONS);
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    server.close();
    pool.shutdownNow();
  }

  @ParameterizedTest
  @EnumSource(RevealMode.class)
  void run_overMutualTlsGrpc_matchesRetainAll(RevealMode mode) throws Exception {
    EcdhPsiParameters params =
        EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder().revealMode(mode).batchSize(128).build();
    ChannelPair pair = connect();
    try {
      var o =
          TwoPartyRun.run(
              pair,
              ch -> new EcdhPsi(PsiRole.BANK, params, pool, 2).run(PsiInput.ofColumn(BANK), ch),
              ch -> new EcdhPsi(PsiRole.PARTNER, params, pool, 2).run(PsiInput.ofColumn(PARTNER), ch),
              HARD_TIMEOUT);
      check(o.first(), PsiRole.BANK, mode);
      check(o.second(), PsiRole.PARTNER, mode);
      ChannelStats counted = o.first().value().traffic();
      ChannelStats wire = ((TransportChannel) pair.first()).wireStats();
      assertThat(wire.messagesSent()).isEqualTo(counted.messagesSent());
      assertThat(wire.messagesReceived()).isEqualTo(counted.messagesReceived());
      LOG.info(
          "PSI {} over mTLS gRPC: bank counted {} B, on the stream {} B",
          mode,
          counted.totalBytes(),
          wire.totalBytes());
    } finally {
      pair.closeBoth();
    }
  }

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      for (int round : ROUNDS) {
        for (boolean bankFaulty : new boolean[] {true, false}) {
          out.add(Arguments.of(fault, round, bankFaulty));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on round {1}, bank faulty: {2}")
  @MethodSource("faults")
  void run_faultInjectedOverGrpc_typedFailureOnBothSidesOrCorrectResult(
      Fault fault, int round, boolean bankFaulty) throws Exception {
    RevealMode mode = RevealMode.BOTH;
    EcdhPsiParameters params =
        EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
            .revealMode(mode)
            .batchSize(128)
            .minPeerSetSize(0)
            .receiveTimeout(Duration.ofSeconds(1))
            .build();
    List<FaultInjectingChannel> injected = new ArrayList<>();
    UnaryOperator<MessageChannel> faulty =
        ch -> {
          FaultInjectingChannel f =
              new FaultInjectingChannel(ch, fault, round, 0, Duration.ofMillis(1500));
          injected.add(f);
          return f;
        };
    UnaryOperator<MessageChannel> bankWrap = bankFaulty ? faulty : UnaryOperator.identity();
    UnaryOperator<MessageChannel> partnerWrap = bankFaulty ? UnaryOperator.identity() : faulty;
    ChannelPair pair = connect();
    long start = System.nanoTime();
    TwoPartyRun.Outcomes<PsiResult, PsiResult> o;
    try {
      o =
          TwoPartyRun.runAll(
              pair,
              ch ->
                  new EcdhPsi(PsiRole.BANK, params, pool, 2)
                      .run(PsiInput.ofColumn(BANK), bankWrap.apply(ch)),
              ch ->
                  new EcdhPsi(PsiRole.PARTNER, params, pool, 2)
                      .run(PsiInput.ofColumn(PARTNER), partnerWrap.apply(ch)),
              HARD_TIMEOUT);
    } finally {
      pair.closeBoth();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("never a hang: well within the hard time-out")
        .isLessThan(Duration.ofSeconds(30));
    check(o.first(), PsiRole.BANK, mode);
    check(o.second(), PsiRole.PARTNER, mode);
    boolean destructive =
        fault == Fault.TRUNCATE || fault == Fault.CORRUPT || fault == Fault.CLOSE || fault == Fault.DROP;
    if (destructive && injected.get(0).triggered()) {
      assertThat(o.first().succeeded() && o.second().succeeded())
          .as("a destructive fault cannot go unnoticed by both parties")
          .isFalse();
    }
  }

  private static ChannelPair connect() throws Exception {
    String session = "psi-" + SESSIONS.incrementAndGet();
    PendingSession pending = server.expect(session, "partner");
    TransportChannel client =
        GrpcTransport.connect(server.endpoint(), partner, session, "bank", OPTIONS);
    return new ChannelPair(pending.await(Duration.ofSeconds(10)), client);
  }

  /** A side either failed with a typed exception or has exactly the plain computation's answer. */
  private static void check(TwoPartyRun.Outcome<PsiResult> outcome, PsiRole role, RevealMode mode) {
    if (!outcome.succeeded()) {
      assertThat(outcome.failure()).as(role + "'s failure").isInstanceOf(JointlyException.class);
      return;
    }
    List<String> mine = role == PsiRole.BANK ? BANK : PARTNER;
    List<String> theirs = role == PsiRole.BANK ? PARTNER : BANK;
    Set<String> shared = new HashSet<>(mine);
    shared.retainAll(new HashSet<>(theirs));
    PsiResult r = outcome.value();
    if (mode.revealsSizeTo(role)) {
      assertThat(r.intersectionSize()).hasValue(shared.size());
    } else {
      assertThat(r.intersectionSize()).isEmpty();
    }
    if (mode.revealsRowsTo(role)) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < mine.size(); i++) {
        if (shared.contains(mine.get(i))) {
          rows.add(i);
        }
      }
      assertThat(r.sharedRows())
          .hasValue(RowIndexes.of(rows.stream().mapToInt(Integer::intValue).toArray()));
    } else {
      assertThat(r.sharedRows()).isEmpty();
    }
  }
}
