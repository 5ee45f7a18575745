package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.secagg.SecureAggregationClient;
import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationResult;
import io.jointly.secagg.SecureAggregationServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Secure aggregation of 50 clients with 10^5-value vectors over loopback mutual TLS: one server,
 * one TLS identity per client (the names in the result are the certificate names), one of them
 * vanishing before its masked input. The secure sum equals the plain sum over the included
 * clients.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecureAggregationOverTlsTest {
  private static final int CLIENTS = 50;
  private static final int LENGTH = 100_000;
  private static final String SESSION = "secagg-tls";

  @Test
  void run_50ClientsOf100kValuesOverMutualTls_sumEqualsPlainSum() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      names.add(String.format("branch-%02d", i));
    }
    SecureAggregationParameters params =
        SecureAggregationParameters.forClients(CLIENTS).toBuilder()
            .phaseTimeout(Duration.ofSeconds(150)) // generous: a loaded CI machine must not drop a slow client
            .clientTimeout(Duration.ofMinutes(4))
            .build();
    FixedPoint fp = params.fixedPoint();
    Map<String, double[]> inputs = new LinkedHashMap<>();
    Random rnd = new Random(2026);
    for (String name : names) {
      double[] v = new double[LENGTH];
      for (int i = 0; i < LENGTH; i++) {
        v[i] = rnd.nextInt(2_000_001) / 100.0 - 10_000;
      }
      inputs.put(name, v);
    }
    String vanishing = names.get(17);
    Bytes layout = Bytes.wrap("campaign figures v1".getBytes(StandardCharsets.UTF_8));
    ExecutorService pool = Executors.newCachedThreadPool();
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("aggregator")),
            Set.copyOf(names),
            TransportOptions.DEFAULTS)) {
      Map<String, PendingSession> pending = new TreeMap<>();
      for (String name : names) {
        pending.put(name, server.expect(SESSION, name));
      }
      List<Future<?>> clients = new ArrayList<>();
      for (String name : names) {
        TransportSecurity sec = TransportSecurity.mutualTls(ca.issue(name));
        clients.add(pool.submit(() -> {
          try (TransportChannel ch = GrpcTransport.connect(server.endpoint(), sec, SESSION, "aggregator")) {
            if (name.equals(vanishing)) {
              // joins, then its process dies before the protocol's first message
              return null;
            }
            return new SecureAggregationClient(params).run(inputs.get(name), layout, ch);
          }
        }));
      }
      Map<String, TransportChannel> channels = new TreeMap<>();
      for (var e : pending.entrySet()) {
        TransportChannel ch = e.getValue().await(Duration.ofSeconds(60));
        assertThat(ch.peer()).isEqualTo(e.getKey());
        channels.put(e.getKey(), ch);
      }
      SecureAggregationResult result = new SecureAggregationServer(params, pool, 2).run(channels);
      for (Future<?> f : clients) {
        f.get(60, TimeUnit.SECONDS);
      }
      channels.values().forEach(TransportChannel::close);

      List<String> included = new ArrayList<>(names);
      included.remove(vanishing);
      assertThat(result.includedClients()).containsExactlyElementsOf(included);
      assertThat(result.droppedClients()).containsExactly(vanishing);
      long[] plain = new long[LENGTH];
      for (String name : included) {
        double[] v = inputs.get(name);
        for (int i = 0; i < LENGTH; i++) {
          plain[i] += fp.encode(v[i]);
        }
      }
      assertThat(result.encodedSums()).isEqualTo(plain);
      assertThat(result.traffic().bytesReceived()).isGreaterThan((long) included.size() * LENGTH * 8);
    } finally {
      pool.shutdownNow();
    }
  }
}
