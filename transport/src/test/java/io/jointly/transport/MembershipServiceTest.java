package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.MessageChannel;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
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
import io.jointly.psi.unbalanced.UnbalancedPsiClient;
import io.jointly.psi.unbalanced.UnbalancedPsiParameters;
import io.jointly.psi.unbalanced.UnbalancedPsiResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OPRF service over loopback mutual TLS through {@link SessionService}: several membership
 * clients at once on warm connections with correct answers, a budget refused at its limit, a batch
 * run beside them, per-peer session limits, and vanished clients that free their slots.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MembershipServiceTest {
  private static final Purpose CHECK = Purpose.of("card-application");
  private static final Purpose CAMPAIGN = Purpose.of("weekly-campaign");
  private static final List<String> CLIENTS = List.of("bank-app-1", "bank-app-2", "bank-app-3", "bank-app-4", "bank");

  private static Path dir;
  private static ThrowawayCa ca;
  private static ExecutorService pool;
  private static OprfServerStore store;
  private static BudgetLedger ledger;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("oprf-service");
    ca = ThrowawayCa.create();
    pool = Executors.newFixedThreadPool(4);
    store = OprfServerStore.open(dir.resolve("state"), KeySealing.passphrase("a long test passphrase".toCharArray(),
        new KeySealing.Argon2Cost(256, 1, 1)));
    store.encode(new CacheEncoder(pool, 2, dir), CacheSpec.of("partner", IdentifierProfile.PHONE),
        IdentifierSource.of(phones(0, 300)), false);
    ledger = BudgetLedger.inMemory(
        QueryBudgets.of(Map.of(CHECK, 1000L, CAMPAIGN, 100_000L)).withClientLimit("bank-app-4", CHECK, 3L),
        Clock.systemUTC());
  }

  @AfterAll
  static void tearDown() throws Exception {
    pool.shutdownNow();
    ledger.close();
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static List<String> phones(int from, int n) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(String.format("139%08d", i));
    }
    return out;
  }

  private static SessionService service(SessionService.Limits limits, TransportOptions options) throws Exception {
    OprfServer oprf =
        new OprfServer(store, ledger, OprfServerParameters.DEFAULTS.withMinClientSetSize(10), pool, 2);
    TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0), TransportSecurity.mutualTls(ca.issue("partner")), Set.copyOf(CLIENTS), options);
    return SessionService.start(server, limits, oprf::serve);
  }

  private static MembershipClient.Connector connector(SessionService s, String client, TransportOptions options) {
    TransportSecurity tls = TransportSecurity.mutualTls(ca.issue(client));
    return () -> GrpcTransport.connect(s.endpoint(), tls, "m-" + UUID.randomUUID(), "partner", options);
  }

  private static OprfCache cache() throws Exception {
    Path copy = dir.resolve("client-" + UUID.randomUUID() + ".jocache");
    Files.copy(store.current().cacheFile(), copy);
    return OprfCache.open(copy);
  }

  @Test
  void severalClientsAtOnce_warmConnections_correctAnswersAndBudgets() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(5);
    try (SessionService service = service(SessionService.Limits.DEFAULTS, TransportOptions.DEFAULTS);
        OprfCache cache = cache()) {
      long[] before = new long[3];
      for (int c = 0; c < 3; c++) {
        before[c] = ledger.used(CLIENTS.get(c), CHECK);
      }
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        String name = CLIENTS.get(c);
        int from = 280 + c * 10;
        results.add(
            clients.submit(
                () -> {
                  int right = 0;
                  try (MembershipClient m =
                      MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK),
                          connector(service, name, TransportOptions.DEFAULTS))) {
                    for (int i = from; i < from + 30; i++) {
                      if (m.contains("+86 " + String.format("139%08d", i)) == (i < 300)) {
                        right++;
                      }
                    }
                  }
                  return right;
                }));
      }
      Future<UnbalancedPsiResult> batch =
          clients.submit(
              () -> {
                try (MessageChannel ch =
                    GrpcTransport.connect(service.endpoint(), TransportSecurity.mutualTls(ca.issue("bank")),
                        "batch-" + UUID.randomUUID(), "partner")) {
                  return new UnbalancedPsiClient(UnbalancedPsiParameters.forPurpose(CAMPAIGN), pool, 2)
                      .run(PsiInput.ofColumn(phones(250, 200)), cache, ch);
                }
              });
      for (Future<Integer> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(30);
      }
      assertThat(batch.get(60, TimeUnit.SECONDS).intersectionSize()).isEqualTo(50);
      for (int c = 0; c < 3; c++) {
        assertThat(ledger.used(CLIENTS.get(c), CHECK)).isEqualTo(before[c] + 30);
      }

      // A budget of three: the fourth check is refused, typed, and the connection stays usable.
      try (MembershipClient m =
          MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK),
              connector(service, "bank-app-4", TransportOptions.DEFAULTS))) {
        for (int i = 0; i < 3; i++) {
          assertThat(m.contains(String.format("139%08d", i))).isTrue();
        }
        for (int i = 0; i < 2; i++) {
          assertThatThrownBy(() -> m.contains("13900000005"))
              .isInstanceOfSatisfying(
                  ProtocolAbortException.class,
                  e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.BUDGET_EXHAUSTED));
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void perPeerLimit_refusesTheExtraSession_andVanishedClientsFreeTheirSlots() throws Exception {
    TransportOptions quick = TransportOptions.DEFAULTS.toBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (SessionService service = service(new SessionService.Limits(4, 1), quick); OprfCache cache = cache()) {
      MembershipClient first =
          MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK), connector(service, "bank-app-1", quick));
      assertThat(first.contains("13900000001")).isTrue();
      TransportOptions impatient = quick.toBuilder().connectTimeout(Duration.ofMillis(1500)).build();
      assertThatThrownBy(
              () -> MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK), connector(service, "bank-app-1", impatient)))
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT);
                assertThat(e.getMessage()).contains("busy");
              });
      // Another peer is not affected by bank-app-1's limit.
      try (MembershipClient other =
          MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK), connector(service, "bank-app-2", quick))) {
        assertThat(other.contains("13900000002")).isTrue();
      }
      // The first client vanishes without ending its session: its slot frees at once.
      TransportChannel raw =
          GrpcTransport.connect(service.endpoint(), TransportSecurity.mutualTls(ca.issue("bank-app-3")), "raw", "partner", quick);
      raw.close();
      first.close();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (service.activeSessions() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(service.activeSessions()).isZero();
      try (MembershipClient again =
          MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK), connector(service, "bank-app-1", quick))) {
        assertThat(again.contains("13900000301")).isFalse();
      }
    }
  }
}
