package io.jointly.secagg;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs one secure-aggregation server and N clients in one JVM over in-memory channel pairs: every
 * party on its own thread of a dedicated executor, a party that fails closes its own channel (as a
 * vanished process would), the server's failure closes every channel, and a hard time-out bounds
 * the run. Test support, not a test.
 */
final class AggregationHarness {
  static final String SERVER = "aggregator";
  static final Bytes LAYOUT = Bytes.wrap("key,amount\nbranch-a\nbranch-b".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /** What the run ended with: the server's result or failure, and each client's. */
  record Outcome(
      SecureAggregationResult server,
      Throwable serverFailure,
      Map<String, SecureAggregationResult> clients,
      Map<String, Throwable> clientFailures) {}

  private AggregationHarness() {}

  /** Client names {@code client-00 ..}. */
  static List<String> names(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("client-%02d", i));
    }
    return out;
  }

  /** Random vectors of {@code length} values in (−1000, 1000) with 3 decimals. */
  static Map<String, double[]> inputs(List<String> names, int length, long seed) {
    Random rnd = new Random(seed);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String name : names) {
      double[] v = new double[length];
      for (int i = 0; i < length; i++) {
        v[i] = Math.round((rnd.nextDouble() * 2000 - 1000) * 1000) / 1000.0;
      }
      out.put(name, v);
    }
    return out;
  }

  /** The plain sum of the included clients' encodings in Z_2^64. */
  static long[] plainSum(Map<String, double[]> inputs, List<String> included, FixedPoint fp) {
    int length = inputs.values().iterator().next().length;
    long[] sum = new long[length];
    for (String name : included) {
      double[] v = inputs.get(name);
      for (int i = 0; i < length; i++) {
        sum[i] += fp.encode(v[i]);
      }
    }
    return sum;
  }

  static Outcome run(SecureAggregationParameters params, Map<String, double[]> inputs, Duration hardTimeout)
      throws Exception {
    return run(params, params, inputs, Map.of(), Map.of(), hardTimeout);
  }

  /**
   * Runs the server with {@code serverParams} and every client with {@code clientParams}; {@code
   * clientSide} decorates a client's end of its channel (fault injection at the client), {@code
   * serverSide} the server's end towards that client.
   */
  static Outcome run(
      SecureAggregationParameters serverParams,
      SecureAggregationParameters clientParams,
      Map<String, double[]> inputs,
      Map<String, UnaryOperator<MessageChannel>> clientSide,
      Map<String, UnaryOperator<MessageChannel>> serverSide,
      Duration hardTimeout)
      throws Exception {
    Map<String, MessageChannel> serverEnds = new TreeMap<>();
    Map<String, MessageChannel> clientEnds = new HashMap<>();
    List<ChannelPair> pairs = new ArrayList<>();
    for (String name : inputs.keySet()) {
      ChannelPair pair = InMemoryChannel.pair("secagg-test", SERVER, name);
      pairs.add(pair);
      serverEnds.put(name, serverSide.getOrDefault(name, UnaryOperator.identity()).apply(pair.first()));
      clientEnds.put(name, clientSide.getOrDefault(name, UnaryOperator.identity()).apply(pair.second()));
    }
    ExecutorService parties = Executors.newFixedThreadPool(inputs.size() + 1, daemon("secagg-party"));
    ExecutorService io = Executors.newCachedThreadPool(daemon("secagg-io"));
    try {
      Map<String, Future<SecureAggregationResult>> clientFutures = new TreeMap<>();
      for (var e : inputs.entrySet()) {
        String name = e.getKey();
        MessageChannel ch = clientEnds.get(name);
        clientFutures.put(name, parties.submit(() -> {
          try {
            return new SecureAggregationClient(clientParams).run(e.getValue(), LAYOUT, ch);
          } finally {
            ch.close(); // a client that returns or fails is gone
          }
        }));
      }
      Future<SecureAggregationResult> serverFuture = parties.submit(() -> {
        try {
          return new SecureAggregationServer(serverParams, io, 2).run(serverEnds);
        } catch (Exception | Error e) {
          pairs.forEach(ChannelPair::closeBoth);
          throw e;
        } finally {
          serverEnds.values().forEach(MessageChannel::close); // a server that returns is gone
        }
      });
      long deadline = System.nanoTime() + hardTimeout.toNanos();
      SecureAggregationResult server = null;
      Throwable serverFailure = null;
      try {
        server = serverFuture.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException ex) {
        serverFailure = ex.getCause();
      } catch (TimeoutException ex) {
        pairs.forEach(ChannelPair::closeBoth);
        throw new AssertionError("secure aggregation exceeded its hard time-out of " + hardTimeout);
      }
      Map<String, SecureAggregationResult> results = new TreeMap<>();
      Map<String, Throwable> failures = new TreeMap<>();
      for (var e : clientFutures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.ExecutionException ex) {
          failures.put(e.getKey(), ex.getCause());
        } catch (TimeoutException ex) {
          pairs.forEach(ChannelPair::closeBoth);
          throw new AssertionError("client " + e.getKey() + " hung past the hard time-out");
        }
      }
      return new Outcome(server, serverFailure, results, failures);
    } finally {
      parties.shutdownNow();
      io.shutdownNow();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
