package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liveness over loopback mutual TLS through a {@link TcpRelay}: connecting while the peer is not
 * up yet, a peer that dies mid-protocol, a peer that goes silent (caught by keep-alive under long
 * time-outs; closing does not wait for it), and nobody listening at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LivenessTest {
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final RoundKey K = new RoundKey("liveness", 1, 0);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .connectTimeout(Duration.ofSeconds(10))
          .keepAliveTime(Duration.ofSeconds(1))
          .keepAliveTimeout(Duration.ofSeconds(1))
          .closeGrace(Duration.ofMillis(500))
          .build();
  private static ThrowawayCa ca;
  private static TransportSecurity bank;
  private static TransportSecurity partner;

  private TransportServer server;
  private TcpRelay relay;
  private ExecutorService executor;

  @BeforeAll
  static void pki() {
    ca = ThrowawayCa.create();
    bank = TransportSecurity.mutualTls(ca.issue("bank"));
    partner = TransportSecurity.mutualTls(ca.issue("partner"));
  }

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    server = GrpcTransport.listen(Endpoint.loopback(0), bank, Set.of("partner"), OPTIONS);
  }

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    server.close();
    executor.shutdownNow();
  }

  private InetSocketAddress serverAddress() {
    return new InetSocketAddress(
        InetAddress.getLoopbackAddress(), ((Endpoint.Tcp) server.endpoint()).port());
  }

  @Test
  void connect_peerNotReadyForFirstAttempts_retriesAndConnects() throws Exception {
    relay = new TcpRelay(serverAddress(), 2); // the first two connections are reset
    PendingSession pending = server.expect("s1", "partner");
    try (TransportChannel client = GrpcTransport.connect(relay.endpoint(), partner, "s1", "bank", OPTIONS);
        TransportChannel serverEnd = pending.await(LONG)) {
      client.send(K, Bytes.fromHex("01"));
      assertThat(serverEnd.receive(K, LONG)).isEqualTo(Bytes.fromHex("01"));
    }
    assertThat(relay.connections()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void receive_peerDiesMidProtocol_bothSidesFailWithinTimeout() throws Exception {
    relay = new TcpRelay(serverAddress(), 0);
    PendingSession pending = server.expect("s1", "partner");
    TransportChannel client = GrpcTransport.connect(relay.endpoint(), partner, "s1", "bank", OPTIONS);
    TransportChannel serverEnd = pending.await(LONG);
    try {
      client.send(K, Bytes.fromHex("01"));
      assertThat(serverEnd.receive(K, LONG)).isEqualTo(Bytes.fromHex("01"));
      serverEnd.send(K, Bytes.fromHex("02"));
      assertThat(client.receive(K, LONG)).isEqualTo(Bytes.fromHex("02"));

      long start = System.nanoTime();
      CompletableFuture<Bytes> serverWaits = receiveAsync(serverEnd, K.withSequence(1));
      CompletableFuture<Bytes> clientWaits = receiveAsync(client, K.withSequence(1));
      relay.sever();
      assertFailsWithChannelException(serverWaits);
      assertFailsWithChannelException(clientWaits);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThatThrownBy(() -> client.send(K.withSequence(2), Bytes.EMPTY))
          .isInstanceOf(ChannelException.class);
    } finally {
      client.close();
      serverEnd.close();
    }
  }

  @Test
  void receive_peerGoesSilent_keepAliveEndsTheWait() throws Exception {
    relay = new TcpRelay(serverAddress(), 0);
    PendingSession pending = server.expect("s1", "partner");
    TransportChannel client = GrpcTransport.connect(relay.endpoint(), partner, "s1", "bank", OPTIONS);
    TransportChannel serverEnd = pending.await(LONG);
    try {
      client.send(K, Bytes.fromHex("01"));
      assertThat(serverEnd.receive(K, LONG)).isEqualTo(Bytes.fromHex("01"));
      relay.freeze();
      long start = System.nanoTime();
      // Both sides ping after gRPC's floor of 10 s idle and give up 1 s later: well before the
      // receive time-out of 40 s.
      assertThatThrownBy(() -> serverEnd.receive(K.withSequence(1), Duration.ofSeconds(40)))
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.IO));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      // The per-receive time-out bounds the other side's wait in any case.
      assertThatThrownBy(() -> client.receive(K.withSequence(1), Duration.ofMillis(500)))
          .isInstanceOf(ChannelException.class);
    } finally {
      client.close();
      serverEnd.close();
    }
  }

  @Test
  void close_afterThePeerFellSilent_doesNotWaitTheGraceForIt() throws Exception {
    TransportOptions options =
        OPTIONS.toBuilder().peerTimeout(Duration.ofSeconds(1)).closeGrace(Duration.ofSeconds(15)).build();
    server.close();
    server = GrpcTransport.listen(Endpoint.loopback(0), bank, Set.of("partner"), options);
    relay = new TcpRelay(serverAddress(), 0);
    PendingSession pending = server.expect("s1", "partner");
    TransportChannel client = GrpcTransport.connect(relay.endpoint(), partner, "s1", "bank", options);
    TransportChannel serverEnd = pending.await(LONG);
    try {
      relay.freeze(); // the bank's process is stopped: its connection stays open, nothing comes
      assertThatThrownBy(() -> client.receive(K, Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> assertThat(e.getMessage()).contains("no sign of life from bank"));
      long start = System.nanoTime();
      client.close(); // a party exiting after the time-out
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("no graceful end is awaited from a silent peer")
          .isLessThan(Duration.ofSeconds(5));
    } finally {
      client.close();
      serverEnd.close();
    }
  }

  @Test
  void connect_nobodyListens_timesOutAfterConnectTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TransportOptions quick = OPTIONS.toBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> GrpcTransport.connect(Endpoint.loopback(port), partner, "s1", "bank", quick))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT);
              assertThat(e.getMessage()).contains("could not connect");
            });
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
  }

  private CompletableFuture<Bytes> receiveAsync(TransportChannel ch, RoundKey key) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return ch.receive(key, LONG);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        executor);
  }

  private static void assertFailsWithChannelException(CompletableFuture<Bytes> f) {
    assertThatThrownBy(() -> f.get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .cause()
        .isInstanceOfSatisfying(ChannelException.class, LivenessTest::assertNoGrpcTypeInCauses);
  }

  /** gRPC's Status and exception types stay inside the transport. */
  private static void assertNoGrpcTypeInCauses(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(c.getClass().getName()).doesNotStartWith("io.grpc");
    }
  }
}
