package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.unbalanced.BudgetLedger;
import io.jointly.psi.unbalanced.CacheEncoder;
import io.jointly.psi.unbalanced.CacheSpec;
import io.jointly.psi.unbalanced.IdentifierSource;
import io.jointly.psi.unbalanced.KeySealing;
import io.jointly.psi.unbalanced.MembershipClient;
import io.jointly.psi.unbalanced.OprfCache;
import io.jointly.psi.unbalanced.OprfServer;
import io.jointly.psi.unbalanced.OprfServerParameters;
import io.jointly.psi.unbalanced.OprfServerStore;
import io.jointly.psi.unbalanced.Purpose;
import io.jointly.psi.unbalanced.QueryBudgets;
import io.jointly.psi.unbalanced.UnbalancedPsiParameters;
import io.jointly.psi.unbalanced.internal.SessionDeadline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long-running server mode under the transport's liveness rules, over loopback mutual TLS: a
 * served session's peer that is busy for several time-outs is waited for, one that dies or goes
 * silent is noticed within the time-out and frees its slot, and many sessions abandoned in every
 * way (closed without ending, connection reset, network frozen, connected but idle, connected
 * without a hello) are all reclaimed: no session, stream, remembered key, deadline or extra thread
 * left behind, round after round.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionServiceLivenessTest {
  private static final Purpose CHECK = Purpose.of("card-application");
  private static final RoundKey K = new RoundKey("echo", 1, 0);
  private static final Duration SHORT = Duration.ofSeconds(1);
  private static final List<String> CLIENTS = List.of("app-1", "app-2", "app-3", "app-4", "app-5");
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .peerTimeout(SHORT)
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofMillis(200))
          .build();

  private static Path dir;
  private static ThrowawayCa ca;
  private static ExecutorService pool;
  private static OprfServerStore store;
  private static BudgetLedger ledger;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("session-liveness");
    ca = ThrowawayCa.create();
    pool = Executors.newFixedThreadPool(4);
    store =
        OprfServerStore.open(
            dir.resolve("state"),
            KeySealing.passphrase("a long test passphrase".toCharArray(), new KeySealing.Argon2Cost(256, 1, 1)));
    store.encode(
        new CacheEncoder(pool, 2, dir),
        CacheSpec.of("partner", IdentifierProfile.PHONE),
        IdentifierSource.of(MembershipServiceTest.phones(0, 100)),
        false);
    ledger = BudgetLedger.inMemory(QueryBudgets.of(Map.of(CHECK, 1_000_000L)), Clock.systemUTC());
  }

  @AfterAll
  static void tearDown() throws Exception {
    pool.shutdownNow();
    ledger.close();
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static SessionService service(SessionService.Handler handler) throws Exception {
    TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0), TransportSecurity.mutualTls(ca.issue("partner")), Set.copyOf(CLIENTS), OPTIONS);
    return SessionService.start(server, new SessionService.Limits(256, 64), handler);
  }

  private static TransportChannel connect(Endpoint target, String client) throws Exception {
    return GrpcTransport.connect(
        target, TransportSecurity.mutualTls(ca.issue(client)), "s-" + UUID.randomUUID(), "partner", OPTIONS);
  }

  private static TcpRelay relayTo(SessionService s) throws Exception {
    return new TcpRelay(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), ((Endpoint.Tcp) s.endpoint()).port()), 0);
  }

  private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
  }

  @Test
  void servedSession_peerBusyForSeveralTimeouts_isWaitedFor() throws Exception {
    CompletableFuture<Bytes> got = new CompletableFuture<>();
    try (SessionService service =
        service(
            ch -> {
              try {
                Bytes b = ch.receive(K, SHORT);
                got.complete(b);
                ch.send(K, b);
              } catch (Exception e) {
                got.completeExceptionally(e);
                throw e;
              }
            });
        TransportChannel client = connect(service.endpoint(), "app-1")) {
      Thread.sleep(3500); // busy: neither sending nor receiving, three and a half time-outs
      client.send(K, Bytes.wrap(new byte[] {1, 2, 3}));
      assertThat(client.receive(K, Duration.ofSeconds(10))).isEqualTo(Bytes.wrap(new byte[] {1, 2, 3}));
      assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(Bytes.wrap(new byte[] {1, 2, 3}));
      assertThat(client.livenessStats().messagesReceived()).isPositive();
    }
  }

  @Test
  void servedSession_peerDiesOrFallsSilent_noticedWithinTheTimeoutAndSlotFreed() throws Exception {
    List<CompletableFuture<Throwable>> failures = new ArrayList<>();
    try (SessionService service =
        service(
            ch -> {
              CompletableFuture<Throwable> f = new CompletableFuture<>();
              synchronized (failures) {
                failures.add(f);
              }
              try {
                ch.receive(K, Duration.ofSeconds(2));
                f.complete(null);
              } catch (Exception e) {
                f.complete(e);
                throw e;
              }
            })) {
      for (boolean freeze : new boolean[] {false, true}) {
        try (TcpRelay relay = relayTo(service)) {
          TransportChannel client = connect(relay.endpoint(), "app-2");
          await(() -> service.activeSessions() == 1, Duration.ofSeconds(5));
          long start = System.nanoTime();
          if (freeze) {
            relay.freeze();
          } else {
            relay.sever();
          }
          await(() -> service.activeSessions() == 0, Duration.ofSeconds(10));
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          assertThat(service.activeSessions()).isZero();
          assertThat(took).isLessThan(freeze ? Duration.ofSeconds(5) : Duration.ofSeconds(2));
          client.close();
        }
      }
      assertThat(failures).hasSize(2);
      for (CompletableFuture<Throwable> f : failures) {
        assertThat(f.get(1, TimeUnit.SECONDS)).isInstanceOf(ChannelException.class);
      }
    }
  }

  @Test
  void manyAbandonedSessions_allReclaimed_roundAfterRound() throws Exception {
    OprfServer oprf =
        new OprfServer(
            store,
            ledger,
            OprfServerParameters.DEFAULTS.withMinClientSetSize(1).withReceiveTimeout(SHORT).withIdleTimeout(SHORT),
            pool,
            2);
    int perWay = 6;
    int perRound = 5 * perWay;
    try (SessionService service = service(oprf::serve)) {
      Path copy = dir.resolve("client-" + UUID.randomUUID() + ".jocache");
      Files.copy(store.current().cacheFile(), copy);
      try (OprfCache cache = OprfCache.open(copy)) {
        for (int round = 0; round < 3; round++) {
          List<AutoCloseable> leftovers = new ArrayList<>();
          try (TcpRelay reset = relayTo(service);
              TcpRelay frozen = relayTo(service)) {
            for (int i = 0; i < perWay; i++) {
              String name = CLIENTS.get(i % CLIENTS.size());
              // Closed before saying anything.
              connect(service.endpoint(), name).close();
              // Connected, alive and silent: never sends its hello.
              leftovers.add(connect(service.endpoint(), name));
              // A warm membership connection, then never used again.
              MembershipClient idle = membership(cache, service.endpoint(), name);
              assertThat(idle.contains("139" + String.format("%08d", i))).isTrue();
              leftovers.add(idle);
              // Its process dies (connection reset) or its network goes silent (nothing closes).
              leftovers.add(membership(cache, reset.endpoint(), name));
              leftovers.add(membership(cache, frozen.endpoint(), name));
            }
            reset.sever();
            frozen.freeze();
            await(
                () -> service.activeSessions() == 0 && service.heldStreams() == 0,
                Duration.ofSeconds(20));
            assertThat(service.activeSessions()).as("sessions after round %d", round).isZero();
            assertThat(service.heldStreams()).as("streams after round %d", round).isZero();
            assertThat(service.rememberedSessions()).as("remembered keys after round %d", round).isZero();
            assertThat(SessionDeadline.pending()).as("deadlines after round %d", round).isZero();
          } finally {
            for (AutoCloseable c : leftovers) {
              c.close();
            }
          }
          if (round == 0) {
            assertThat(service.poolThreads()).isBetween(1, perRound);
          } else {
            // Ended sessions' threads are reused, not added to.
            assertThat(service.poolThreads()).isLessThanOrEqualTo(perRound);
          }
          assertThat(sessionThreads()).isEqualTo(service.poolThreads());
        }
      }
      assertThat(service.sessionsServed()).isGreaterThanOrEqualTo(3L * 4 * perWay); // all but the closed ones
    }
    await(() -> sessionThreads() == 0, Duration.ofSeconds(10));
    assertThat(sessionThreads()).as("session threads after close").isZero();
  }

  private static MembershipClient membership(OprfCache cache, Endpoint target, String client) throws Exception {
    TransportSecurity tls = TransportSecurity.mutualTls(ca.issue(client));
    return MembershipClient.open(
        cache,
        UnbalancedPsiParameters.forPurpose(CHECK),
        () -> GrpcTransport.connect(target, tls, "m-" + UUID.randomUUID(), "partner", OPTIONS));
  }

  private static long sessionThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("jointly-session"))
        .count();
  }
}
