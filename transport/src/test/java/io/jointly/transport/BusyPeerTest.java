package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.secagg.SecureAggregationClient;
import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationResult;
import io.jointly.secagg.SecureAggregationServer;
import io.jointly.stats.PartnerColumns;
import io.jointly.stats.SegmentTable;
import io.jointly.stats.StatisticsBank;
import io.jointly.stats.StatisticsParameters;
import io.jointly.stats.StatisticsPartner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A party that is busy is not a dead one: over loopback mutual TLS with a 1 s time-out on both
 * sides, one party's local step before a message takes {@link #STEP} (several time-outs), and every
 * protocol still completes with the right answer. The slow step is a decorator that holds the
 * message back on the sending party's protocol thread, as a long computation would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BusyPeerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STEP = Duration.ofMillis(3500);
  private static final Duration HARD = Duration.ofSeconds(60);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .peerTimeout(TIMEOUT)
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofSeconds(1))
          .build();
  private static final List<String> SHARED = TestIds.ids("s", 60);
  private static final List<String> BANK = TestIds.concat(SHARED, TestIds.ids("b", 40));
  private static final List<String> PARTNER = TestIds.concat(TestIds.ids("p", 30), SHARED);

  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  /** The {@code index}-th message of {@code round} of {@code protocol} leaves after {@link #STEP}. */
  private static UnaryOperator<MessageChannel> slowBefore(String protocol, int round, int index) {
    return ch -> new FaultInjectingChannel(ch, Fault.DELAY, protocol, round, index, STEP);
  }

  @Test
  void psi_bankBusyForSeveralTimeoutsBeforeItsSecondBatch_completes() throws Exception {
    EcdhPsiParameters params =
        EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
            .revealMode(RevealMode.BOTH)
            .batchSize(32)
            .minPeerSetSize(0)
            .receiveTimeout(TIMEOUT)
            .build();
    UnaryOperator<MessageChannel> slow = slowBefore(EcdhPsi.PROTOCOL, 2, 1); // BLINDED, batch 1
    try (LoopbackTransport loop = LoopbackTransport.mutualTls("busy-psi", "bank", "partner", OPTIONS)) {
      long start = System.nanoTime();
      var o =
          TwoPartyRun.run(
              loop.pair(),
              ch -> new EcdhPsi(PsiRole.BANK, params, pool, 2).run(PsiInput.ofColumn(BANK), slow.apply(ch)),
              ch -> new EcdhPsi(PsiRole.PARTNER, params, pool, 2).run(PsiInput.ofColumn(PARTNER), ch),
              HARD);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(STEP);
      PsiResult bank = o.first().value();
      PsiResult partner = o.second().value();
      assertThat(bank.intersectionSize()).hasValue(SHARED.size());
      assertThat(partner.intersectionSize()).hasValue(SHARED.size());
      assertThat(loop.listening().livenessStats().messagesReceived())
          .as("the partner's heartbeats while the bank was busy")
          .isGreaterThan(0);
    }
  }

  @Test
  void statistics_partnerBusyForSeveralTimeoutsBeforeItsValues_completes() throws Exception {
    int n = SHARED.size();
    List<String> stage = new ArrayList<>();
    for (int i = 0; i < BANK.size(); i++) {
      stage.add(i % 2 == 0 ? "active" : "dormant");
    }
    double[] spend = new double[PARTNER.size()];
    for (int i = 0; i < spend.length; i++) {
      spend[i] = i;
    }
    PartnerColumns columns =
        PartnerColumns.of(List.of(new PartnerColumns.Numeric("spend", 1000, spend)), List.of());
    StatisticsParameters params =
        StatisticsParameters.DEFAULT
            .withPsi(
                EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
                    .revealMode(RevealMode.BANK)
                    .minPeerSetSize(0)
                    .receiveTimeout(TIMEOUT)
                    .build())
            .withMinCellSize(1)
            .withReceiveTimeout(TIMEOUT);
    UnaryOperator<MessageChannel> slow = slowBefore("segment-stats", 2, 0); // VALUES, batch 0
    try (LoopbackTransport loop =
        LoopbackTransport.mutualTls("busy-stats", "bank", "partner", OPTIONS)) {
      var o =
          TwoPartyRun.run(
              loop.pair(),
              ch ->
                  new StatisticsBank(params, pool, 2)
                      .run(PsiInput.ofColumn(BANK), List.of("stage"), List.of(stage), ch),
              ch -> new StatisticsPartner(params, pool, 2).run(PsiInput.ofColumn(PARTNER), columns, slow.apply(ch)),
              HARD);
      SegmentTable table = o.first().value();
      long counted = 0;
      for (SegmentTable.Segment s : table.segments()) {
        counted += s.count().orElseThrow();
      }
      assertThat(counted).isEqualTo(n);
    }
  }

  @Test
  void secureAggregation_clientAndServerEachBusyForSeveralTimeouts_nobodyIsDropped() throws Exception {
    List<String> names = List.of("client-1", "client-2", "client-3");
    SecureAggregationParameters params =
        SecureAggregationParameters.forClients(3).toBuilder()
            .phaseTimeout(TIMEOUT)
            .clientTimeout(TIMEOUT)
            .build();
    Bytes layout = Bytes.wrap("busy".getBytes(StandardCharsets.UTF_8));
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("aggregator")),
            Set.copyOf(names),
            OPTIONS)) {
      Map<String, PendingSession> pending = new TreeMap<>();
      for (String name : names) {
        pending.put(name, server.expect("busy-secagg", name));
      }
      List<Future<SecureAggregationResult>> clients = new ArrayList<>();
      for (String name : names) {
        TransportSecurity sec = TransportSecurity.mutualTls(ca.issue(name));
        double[] input = {1, 2, 3};
        clients.add(
            pool.submit(
                () -> {
                  try (TransportChannel ch =
                      GrpcTransport.connect(server.endpoint(), sec, "busy-secagg", "aggregator", OPTIONS)) {
                    // client-2 computes long before its masked input (round 7)
                    MessageChannel c = name.equals("client-2") ? slowBefore("secagg", 7, 0).apply(ch) : ch;
                    return new SecureAggregationClient(params).run(input, layout, c);
                  }
                }));
      }
      Map<String, MessageChannel> channels = new TreeMap<>();
      for (var e : pending.entrySet()) {
        TransportChannel ch = e.getValue().await(Duration.ofSeconds(30));
        // the server computes long before its SETUP (round 2) to client-3
        channels.put(e.getKey(), e.getKey().equals("client-3") ? slowBefore("secagg", 2, 0).apply(ch) : ch);
      }
      SecureAggregationResult result = new SecureAggregationServer(params, pool, 2).run(channels);
      for (Future<SecureAggregationResult> f : clients) {
        f.get(30, TimeUnit.SECONDS);
      }
      channels.values().forEach(MessageChannel::close);
      assertThat(result.includedClients()).containsExactlyElementsOf(names);
      assertThat(result.droppedClients()).isEmpty();
      assertThat(result.sum(0)).isEqualTo(3.0);
      assertThat(result.sum(2)).isEqualTo(9.0);
    }
  }
}
