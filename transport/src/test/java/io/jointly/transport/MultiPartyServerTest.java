package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One listening party, many peers: the shape secure aggregation needs (one server, several
 * clients in one session), over loopback mutual TLS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiPartyServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final RoundKey UP = new RoundKey("sum", 1, 0);
  private static final RoundKey DOWN = new RoundKey("sum", 2, 0);

  @Test
  void server_severalClientsInOneSession_eachGetsItsOwnChannel() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    List<String> clients = List.of("client-1", "client-2", "client-3");
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("aggregator")),
            Set.copyOf(clients),
            TransportOptions.DEFAULTS)) {
      List<PendingSession> pending = new ArrayList<>();
      for (String c : clients) {
        pending.add(server.expect("round-1", c));
      }
      List<CompletableFuture<Bytes>> results = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        String name = clients.get(i);
        byte value = (byte) (i + 1);
        TransportSecurity sec = TransportSecurity.mutualTls(ca.issue(name));
        results.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (TransportChannel ch =
                      GrpcTransport.connect(server.endpoint(), sec, "round-1", "aggregator")) {
                    ch.send(UP, Bytes.wrap(new byte[] {value}));
                    return ch.receive(DOWN, WAIT);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      List<TransportChannel> channels = new ArrayList<>();
      int sum = 0;
      for (PendingSession p : pending) {
        TransportChannel ch = p.await(WAIT);
        assertThat(ch.peer()).isEqualTo(p.peer());
        channels.add(ch);
        sum += ch.receive(UP, WAIT).get(0);
      }
      for (TransportChannel ch : channels) {
        ch.send(DOWN, Bytes.wrap(new byte[] {(byte) sum}));
      }
      for (CompletableFuture<Bytes> r : results) {
        assertThat(r.get(20, TimeUnit.SECONDS)).isEqualTo(Bytes.wrap(new byte[] {6}));
      }
      channels.forEach(TransportChannel::close);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void await_serverClosed_failsAsClosed() throws Exception {
    TransportServer server =
        GrpcTransport.listen(
            Endpoint.inProcess("closing-" + System.nanoTime()),
            TransportSecurity.insecurePlaintext("aggregator"),
            Set.of("client-1"),
            TransportOptions.DEFAULTS);
    PendingSession pending = server.expect("round-1", "client-1");
    server.close();
    assertThatThrownBy(() -> pending.await(WAIT))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.CLOSED));
    assertThatThrownBy(() -> server.expect("round-2", "client-1"))
        .isInstanceOf(IllegalStateException.class);
  }
}
