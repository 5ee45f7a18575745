package io.jointly.bench.secagg;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.core.Bytes;
import io.jointly.secagg.SecureAggregationClient;
import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationResult;
import io.jointly.secagg.SecureAggregationServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One secure-aggregation run in this JVM over in-memory channels, with CPU time measured per
 * party: each client's thread CPU time ({@link ThreadMXBean}, from the start of its {@code run} to
 * its end), and the server's as the CPU time of its calling thread plus every thread of its
 * executor. All clients bring the same input array (read-only; each encodes its own copy), which
 * keeps a 200-client run within memory without changing the work.
 */
final class SecAggRun {
  private static final Bytes LAYOUT = Bytes.wrap("bench".getBytes(StandardCharsets.US_ASCII));
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * The measurements of one run.
   *
   * @param clientCpuNanos each client's CPU time
   * @param serverCpuNanos the server's CPU time (its thread and its executor's)
   * @param wallNanos wall time of the whole run
   * @param result the server's result
   */
  record Measurement(long[] clientCpuNanos, long serverCpuNanos, long wallNanos, SecureAggregationResult result) {
    double meanClientCpuNanos() {
      long s = 0;
      for (long c : clientCpuNanos) {
        s += c;
      }
      return (double) s / clientCpuNanos.length;
    }

    long maxClientCpuNanos() {
      long m = 0;
      for (long c : clientCpuNanos) {
        m = Math.max(m, c);
      }
      return m;
    }
  }

  private SecAggRun() {}

  static SecureAggregationParameters parameters(int clients, SecureAggregationParameters.Graph graph) {
    SecureAggregationParameters base = SecureAggregationParameters.forClients(clients);
    return base.toBuilder()
        .graph(graph)
        .minClients(Math.max(2, graph.threshold(clients)))
        .phaseTimeout(Duration.ofMinutes(10))
        .clientTimeout(Duration.ofMinutes(30))
        .build();
  }

  static double[] input(int length) {
    double[] v = new double[length];
    for (int i = 0; i < length; i++) {
      v[i] = (i % 1000) * 0.25 - 100;
    }
    return v;
  }

  static Measurement run(SecureAggregationParameters params, int clients, double[] input) throws Exception {
    if (!THREADS.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    Map<String, MessageChannel> serverEnds = new TreeMap<>();
    List<MessageChannel> clientEnds = new ArrayList<>();
    List<ChannelPair> pairs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      ChannelPair p = InMemoryChannel.pair("bench", "aggregator", String.format("client-%03d", i));
      pairs.add(p);
      serverEnds.put(p.second().self(), p.first());
      clientEnds.add(p.second());
    }
    List<Thread> serverThreads = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService io = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "secagg-server-io");
      t.setDaemon(true);
      serverThreads.add(t);
      return t;
    });
    ExecutorService parties = Executors.newFixedThreadPool(clients + 1, r -> {
      Thread t = new Thread(r, "secagg-party");
      t.setDaemon(true);
      return t;
    });
    try {
      long start = System.nanoTime();
      List<Future<Long>> clientCpu = new ArrayList<>();
      for (MessageChannel ch : clientEnds) {
        clientCpu.add(parties.submit(() -> {
          long c0 = THREADS.getCurrentThreadCpuTime();
          try {
            new SecureAggregationClient(params).run(input, LAYOUT, ch);
          } finally {
            ch.close();
          }
          return THREADS.getCurrentThreadCpuTime() - c0;
        }));
      }
      Future<long[]> server = parties.submit(() -> {
        long c0 = THREADS.getCurrentThreadCpuTime();
        SecureAggregationResult r =
            new SecureAggregationServer(params, io, Runtime.getRuntime().availableProcessors()).run(serverEnds);
        long own = THREADS.getCurrentThreadCpuTime() - c0;
        RESULT.set(r);
        return new long[] {own};
      });
      long serverOwn = server.get(60, TimeUnit.MINUTES)[0];
      long[] cpu = new long[clients];
      for (int i = 0; i < clients; i++) {
        cpu[i] = clientCpu.get(i).get(10, TimeUnit.MINUTES);
      }
      long wall = System.nanoTime() - start;
      long serverCpu = serverOwn;
      synchronized (serverThreads) {
        for (Thread t : serverThreads) {
          long c = THREADS.getThreadCpuTime(t.getId());
          if (c > 0) {
            serverCpu += c;
          }
        }
      }
      return new Measurement(cpu, serverCpu, wall, RESULT.getAndSet(null));
    } finally {
      pairs.forEach(ChannelPair::closeBoth);
      parties.shutdownNow();
      io.shutdownNow();
    }
  }

  private static final java.util.concurrent.atomic.AtomicReference<SecureAggregationResult> RESULT =
      new java.util.concurrent.atomic.AtomicReference<>();
}
