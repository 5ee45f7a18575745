package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiInput;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OPRF sessions through a misbehaving channel or peer: every injected fault (drop, duplicate,
 * reorder, truncate, corrupt, delay, close, replay) on every round, at either party, ends with a
 * typed exception on both sides or the correct result, never a hang or a wrong answer; invalid and
 * identity points are refused; a client that vanishes frees its server session at once; a cache of
 * another server or key is refused before anything is charged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OprfSessionFaultTest {
  private static Path dir;
  private static ServerFixture fixture;
  private static final List<String> SERVER = CacheFixture.phones(0, 120);
  private static final List<String> CLIENT = CacheFixture.phones(100, 40); // 20 shared
  /** Longer than every receive time-out of these tests (1 s). */
  private static final Duration DELAY = Duration.ofMillis(1300);

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("oprf-fault");
    fixture =
        new ServerFixture(
            dir,
            SERVER,
            io.jointly.psi.unbalanced.BudgetLedger.inMemory(ServerFixture.generous(), java.time.Clock.systemUTC()),
            ServerFixture.testParams().withReceiveTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void tearDown() throws Exception {
    fixture.close();
    CacheEncoder.deleteTree(dir);
  }

  private static UnbalancedPsiParameters client(Purpose p) {
    return ServerFixture.clientParams(p).withBatchSize(16).withReceiveTimeout(Duration.ofSeconds(1));
  }

  static Stream<Arguments> batchFaults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      for (Wire.Round round : List.of(Wire.Round.HELLO, Wire.Round.BLINDED, Wire.Round.EVALUATED, Wire.Round.CONFIRM)) {
        for (boolean clientFaulty : new boolean[] {true, false}) {
          boolean sends = clientFaulty ? round != Wire.Round.EVALUATED : round != Wire.Round.BLINDED;
          if (sends) {
            out.add(Arguments.of(fault, round, clientFaulty));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, client faulty: {2}")
  @MethodSource("batchFaults")
  void batch_faultInjected_typedFailureOnBothSidesOrCorrectResult(Fault fault, Wire.Round round, boolean clientFaulty)
      throws Exception {
    try (OprfCache cache = fixture.clientCache()) {
      ChannelPair pair = InMemoryChannel.pair("f-" + UUID.randomUUID(), "partner", "bank");
      MessageChannel serverEnd = pair.first();
      MessageChannel clientEnd = pair.second();
      FaultInjectingChannel[] f = new FaultInjectingChannel[1];
      if (clientFaulty) {
        clientEnd = f[0] = new FaultInjectingChannel(clientEnd, fault, round.wireCode, 0, DELAY);
      } else {
        serverEnd = f[0] = new FaultInjectingChannel(serverEnd, fault, round.wireCode, 0, DELAY);
      }
      MessageChannel s = serverEnd;
      MessageChannel c = clientEnd;
      var o =
          TwoPartyRun.runAll(
              new ChannelPair(s, c),
              ch -> fixture.server.serve(ch),
              ch -> new UnbalancedPsiClient(client(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                  .run(PsiInput.ofColumn(CLIENT), cache, ch),
              Duration.ofSeconds(30));
      if (o.second().succeeded()) {
        assertThat(o.second().value().intersectionSize()).isEqualTo(20);
        assertThat(o.second().value().sharedRows().orElseThrow().size()).isEqualTo(20);
      } else {
        assertThat(o.second().failure()).isInstanceOf(JointlyException.class);
        assertThat(o.first().succeeded() ? null : o.first().failure())
            .satisfiesAnyOf(
                e -> assertThat(e).isNull(), // the server finished before the client noticed
                e -> assertThat(e).isInstanceOf(JointlyException.class));
      }
      if (o.first().failure() != null) {
        assertThat(o.first().failure()).isInstanceOf(JointlyException.class);
      }
    }
  }

  static Stream<Arguments> membershipFaults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      out.add(Arguments.of(fault, Wire.Round.QUERY, true));
      out.add(Arguments.of(fault, Wire.Round.ANSWER, false));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, client faulty: {2}")
  @MethodSource("membershipFaults")
  void membership_faultInjected_typedFailureOrCorrectAnswers(Fault fault, Wire.Round round, boolean clientFaulty)
      throws Exception {
    Set<String> server = new HashSet<>(SERVER);
    List<Future<OprfServer.SessionSummary>> sessions = new ArrayList<>();
    int[] connections = {0};
    MembershipClient.Connector connector =
        () -> {
          ChannelPair pair = InMemoryChannel.pair("m-" + UUID.randomUUID(), "partner", "bank-app");
          boolean first = connections[0]++ == 0; // the fault hits the second query of the first session
          MessageChannel serverEnd =
              clientFaulty || !first ? pair.first() : new FaultInjectingChannel(pair.first(), fault, round.wireCode, 1, DELAY);
          MessageChannel clientEnd =
              clientFaulty && first ? new FaultInjectingChannel(pair.second(), fault, round.wireCode, 1, DELAY) : pair.second();
          sessions.add(
              fixture.sessions.submit(
                  () -> {
                    try {
                      return fixture.server.serve(serverEnd);
                    } finally {
                      serverEnd.close();
                    }
                  }));
          return clientEnd;
        };
    try (OprfCache cache = fixture.clientCache();
        MembershipClient c = MembershipClient.open(cache, client(ServerFixture.PURPOSE), connector)) {
      for (int i = 117; i < 121; i++) {
        String phone = CacheFixture.phone(i);
        try {
          assertThat(c.contains(phone)).as("phone %d", i).isEqualTo(server.contains(phone));
        } catch (JointlyException e) {
          assertThat(e).isInstanceOfAny(ChannelException.class, ProtocolAbortException.class);
        }
      }
      // After a failed check the next one starts a fresh session and is right again.
      assertThat(c.contains(CacheFixture.phone(110))).isTrue();
      assertThat(c.contains(CacheFixture.phone(130))).isFalse();
    }
    for (Future<OprfServer.SessionSummary> s : sessions) {
      try {
        s.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(JointlyException.class);
      }
    }
  }

  /** A raw client: hello for the current cache, then whatever the test sends. */
  private static MessageChannel rawClient(ChannelPair pair, Wire.Mode mode, long setSize, int batch) throws Exception {
    CacheHeader h = fixture.store.current().header();
    ClientHello hello =
        new ClientHello(
            ClientHello.VERSION, mode, h.suite(), h.profile(), h.keyColumns(), h.keyId(), h.lineage(), h.version(),
            setSize, batch, 0, mode == Wire.Mode.BATCH ? ServerFixture.CAMPAIGN : ServerFixture.PURPOSE);
    pair.second().send(Wire.Round.HELLO.key(0), hello.encode());
    ServerHello answer = ServerHello.decode(pair.second().receive(Wire.Round.HELLO.key(0), Duration.ofSeconds(5)));
    assertThat(answer.status()).isEqualTo(Wire.Status.OK);
    return pair.second();
  }

  private static final byte[] NON_CANONICAL =
      java.util.HexFormat.of().parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

  @Test
  void batch_identityOrInvalidPoint_refusedWithInvalidElement() throws Exception {
    for (byte[] bad : List.of(new byte[32], NON_CANONICAL)) {
      ChannelPair pair = InMemoryChannel.pair("raw-" + UUID.randomUUID(), "partner", "bank");
      Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
      MessageChannel c = rawClient(pair, Wire.Mode.BATCH, 2, 2);
      byte[] elements = new byte[64];
      System.arraycopy(fixture.store.current().header().keyId().toByteArray(), 0, elements, 0, 0);
      io.jointly.oprf.Oprf.Blinded good =
          io.jointly.oprf.Oprf.RISTRETTO255_SHA512.blind("+8613900000001".getBytes(), CacheFixture.RANDOM);
      good.element().copyTo(elements, 0);
      System.arraycopy(bad, 0, elements, 32, 32);
      c.send(Wire.Round.BLINDED.key(0), Wire.encodeBatch(elements, 2, 32));
      assertInvalidElement(s);
      pair.closeBoth();
    }
  }

  @Test
  void batch_wrongCountOrLength_refusedAsMalformed() throws Exception {
    ChannelPair pair = InMemoryChannel.pair("raw-" + UUID.randomUUID(), "partner", "bank");
    Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
    MessageChannel c = rawClient(pair, Wire.Mode.BATCH, 3, 3);
    c.send(Wire.Round.BLINDED.key(0), Wire.encodeBatch(new byte[64], 2, 32)); // two, not three
    assertThatThrownBy(() -> s.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE));
    pair.closeBoth();
  }

  @Test
  void membership_identityPointOrTruncatedQuery_refused() throws Exception {
    byte[][] queries = {concat(new byte[] {1}, new byte[32]), concat(new byte[] {1}, NON_CANONICAL), new byte[] {1, 2, 3}, new byte[0]};
    for (byte[] q : queries) {
      ChannelPair pair = InMemoryChannel.pair("raw-" + UUID.randomUUID(), "partner", "bank-app");
      Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
      MessageChannel c = rawClient(pair, Wire.Mode.MEMBERSHIP, 0, 1);
      c.send(Wire.Round.QUERY.key(0), Bytes.wrap(q));
      assertThatThrownBy(() -> s.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isIn(ProtocolAbortException.Reason.INVALID_ELEMENT, ProtocolAbortException.Reason.MALFORMED_MESSAGE));
      pair.closeBoth();
    }
  }

  @Test
  void client_serverAnswersIdentity_refusedWithInvalidElement() throws Exception {
    try (OprfCache cache = fixture.clientCache()) {
      ChannelPair pair = InMemoryChannel.pair("lying", "partner", "bank");
      var o =
          TwoPartyRun.runAll(
              pair,
              ch -> {
                // A server that answers every blinded element with the identity.
                CacheHeader h = fixture.store.current().header();
                ClientHello hello = ClientHello.decode(ch.receive(Wire.Round.HELLO.key(0), Duration.ofSeconds(5)));
                ch.send(
                    Wire.Round.HELLO.key(0),
                    new ServerHello(ClientHello.VERSION, Wire.Mode.BATCH, Wire.Status.OK, h.suite(), h.profile(), 1, h.keyId(),
                            h.lineage(), h.version(), h.count(), 0, 64, 1000, 40, 0, 600, 100, 1000)
                        .encode());
                for (int b = 0; b * 16 < hello.setSize(); b++) {
                  int n = (int) Math.min(16, hello.setSize() - b * 16L);
                  ch.receive(Wire.Round.BLINDED.key(b), Duration.ofSeconds(5));
                  ch.send(Wire.Round.EVALUATED.key(b), Wire.encodeBatch(new byte[32 * n], n, 32));
                }
                return null;
              },
              ch -> new UnbalancedPsiClient(client(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                  .run(PsiInput.ofColumn(CLIENT), cache, ch),
              Duration.ofSeconds(30));
      assertThat(o.second().failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
    }
  }

  @Test
  void vanishedClient_freesItsSessionAtOnce() throws Exception {
    // Batch: hello and one batch, then gone.
    ChannelPair pair = InMemoryChannel.pair("gone-" + UUID.randomUUID(), "partner", "bank");
    Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
    MessageChannel c = rawClient(pair, Wire.Mode.BATCH, 40, 16);
    c.close();
    long start = System.nanoTime();
    assertThatThrownBy(() -> s.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ChannelException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));

    // Membership: connected, then gone without ending the session.
    ChannelPair pair2 = InMemoryChannel.pair("gone-" + UUID.randomUUID(), "partner", "bank-app");
    Future<OprfServer.SessionSummary> s2 = fixture.sessions.submit(() -> fixture.server.serve(pair2.first()));
    rawClient(pair2, Wire.Mode.MEMBERSHIP, 0, 1).close();
    start = System.nanoTime();
    assertThat(s2.get(10, TimeUnit.SECONDS).ending()).isEqualTo(OprfServer.Ending.CLIENT_GONE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
  }

  @Test
  void connectedButIdleMembershipClient_sessionEndsIdleAfterIdleTimeout() throws Exception {
    // The client's end stays open and is not waiting for the server (as a warm connection between
    // checks): the channel counts that as work, so only the server's own deadline ends the session.
    ChannelPair pair = InMemoryChannel.pair("idle-" + UUID.randomUUID(), "partner", "bank-app");
    Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
    rawClient(pair, Wire.Mode.MEMBERSHIP, 0, 1);
    long start = System.nanoTime();
    OprfServer.SessionSummary summary = s.get(10, TimeUnit.SECONDS);
    assertThat(summary.ending()).isEqualTo(OprfServer.Ending.IDLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    pair.closeBoth();
  }

  @Test
  void connectedClientThatNeverSaysHello_sessionEndsWithTimeout() throws Exception {
    ChannelPair pair = InMemoryChannel.pair("mute-" + UUID.randomUUID(), "partner", "bank-app");
    Future<OprfServer.SessionSummary> s = fixture.sessions.submit(() -> fixture.server.serve(pair.first()));
    long start = System.nanoTime();
    assertThatThrownBy(() -> s.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    pair.closeBoth();
  }

  @Test
  void idleMembershipSession_endsAfterIdleTimeout_andClientReconnects() throws Exception {
    try (OprfCache cache = fixture.clientCache();
        MembershipClient c = MembershipClient.open(cache, client(ServerFixture.PURPOSE), fixture.connector("bank-app"))) {
      assertThat(c.contains(CacheFixture.phone(3))).isTrue();
      Thread.sleep(1300); // beyond the server's 1 s idle time-out: that session has ended
      assertThat(c.contains(CacheFixture.phone(500))).isFalse();
      assertThat(c.contains(CacheFixture.phone(4))).isTrue();
    }
  }

  @Test
  void cacheOfAnotherServerOrKey_refusedBeforeAnyCharge() throws Exception {
    try (OprfCache cache = fixture.clientCache()) {
      long before = fixture.ledger.used("bank", ServerFixture.CAMPAIGN);
      // Another server: the channel's peer is not the cache's server.
      ChannelPair other = InMemoryChannel.pair("x", "mallory", "bank");
      assertThatThrownBy(
              () ->
                  new UnbalancedPsiClient(client(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                      .run(PsiInput.ofColumn(CLIENT), cache, other.second()))
          .isInstanceOfSatisfying(
              InputException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(InputException.Kind.CACHE_MISMATCH);
                assertThat(e.getMessage()).contains("mallory");
              });
      // Another key: a second server with its own key under the same name.
      Path dir2 = Files.createTempDirectory("oprf-other-key");
      try (ServerFixture rotated = ServerFixture.withSet(dir2, SERVER)) {
        var o =
            TwoPartyRun.runAll(
                InMemoryChannel.pair("k", "partner", "bank"),
                ch -> rotated.server.serve(ch),
                ch -> new UnbalancedPsiClient(client(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                    .run(PsiInput.ofColumn(CLIENT), cache, ch),
                Duration.ofSeconds(30));
        assertThat(o.second().failure())
            .isInstanceOfSatisfying(
                InputException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(InputException.Kind.CACHE_MISMATCH);
                  assertThat(e.getMessage()).contains("key was rotated");
                });
        assertThat(o.first().value().ending()).isEqualTo(OprfServer.Ending.REFUSED);
        assertThat(rotated.ledger.used("bank", ServerFixture.CAMPAIGN)).isZero();
      } finally {
        CacheEncoder.deleteTree(dir2);
      }
      assertThat(fixture.ledger.used("bank", ServerFixture.CAMPAIGN)).isEqualTo(before);
    }
  }

  private static void assertInvalidElement(Future<OprfServer.SessionSummary> s) {
    assertThatThrownBy(() -> s.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    return out;
  }
}
