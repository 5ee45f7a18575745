package io.jointly.psi.unbalanced;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A server ("partner") with a store encoded from a set of phone numbers, a budget ledger, and an
 * in-memory "service" that serves every channel a client's connector opens on its own thread, as
 * the transport's session service does over gRPC.
 */
final class ServerFixture implements AutoCloseable {
  static final Purpose PURPOSE = Purpose.of("card-application");
  static final Purpose CAMPAIGN = Purpose.of("weekly-campaign");

  final Path dir;
  final OprfServerStore store;
  final CacheEncoder encoder;
  BudgetLedger ledger;
  OprfServer server;
  final ExecutorService sessions =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "oprf-session");
            t.setDaemon(true);
            return t;
          });
  final Queue<Future<OprfServer.SessionSummary>> served = new ConcurrentLinkedQueue<>();

  ServerFixture(Path dir, List<String> set, BudgetLedger ledger, OprfServerParameters params) throws Exception {
    this.dir = dir;
    this.store = OprfServerStore.open(dir.resolve("server"), KeySealingTest.fastPassphrase());
    this.encoder = CacheFixture.encoder(dir);
    store.encode(encoder, CacheFixture.spec(), IdentifierSource.of(set), false);
    this.ledger = ledger;
    this.server = new OprfServer(store, ledger, params, CacheFixture.POOL, 2);
  }

  static ServerFixture withSet(Path dir, List<String> set) throws Exception {
    return new ServerFixture(dir, set, BudgetLedger.inMemory(generous(), Clock.systemUTC()), testParams());
  }

  static QueryBudgets generous() {
    return QueryBudgets.of(Map.of(PURPOSE, 1_000_000L, CAMPAIGN, 1_000_000L));
  }

  static OprfServerParameters testParams() {
    return OprfServerParameters.DEFAULTS.withMinClientSetSize(0).withReceiveTimeout(Duration.ofSeconds(5));
  }

  static UnbalancedPsiParameters clientParams(Purpose purpose) {
    return UnbalancedPsiParameters.forPurpose(purpose).withMinServerSetSize(0).withBatchSize(64)
        .withReceiveTimeout(Duration.ofSeconds(5));
  }

  /** A copy of the server's current cache, as a client downloads it. */
  OprfCache clientCache() throws Exception {
    Path copy = dir.resolve("client-" + UUID.randomUUID() + ".jocache");
    Files.copy(store.current().cacheFile(), copy);
    return OprfCache.open(copy);
  }

  /** Opens channels for client {@code client} and serves each on its own thread. */
  MembershipClient.Connector connector(String client) {
    return () -> {
      ChannelPair pair = InMemoryChannel.pair("m-" + UUID.randomUUID(), "partner", client);
      MessageChannel serverEnd = pair.first();
      served.add(
          sessions.submit(
              () -> {
                try {
                  return server.serve(serverEnd);
                } finally {
                  serverEnd.close();
                }
              }));
      return pair.second();
    };
  }

  @Override
  public void close() throws Exception {
    sessions.shutdownNow();
    ledger.close();
  }
}
