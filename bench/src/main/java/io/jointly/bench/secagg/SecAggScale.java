package io.jointly.bench.secagg;

import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationParameters.Graph;
import java.util.Locale;

/**
 * Secure aggregation at scale in one JVM over in-memory channels: client CPU time and server CPU
 * time, normalised per 10^6 values, for a given number of clients, vector length and graph. Run:
 * {@code java -cp bench/target/benchmarks.jar io.jointly.bench.secagg.SecAggScale [clients=200]
 * [values=100000] [graph=sparse|complete|auto] [runs=3]}. The first run warms the JIT and is not
 * reported; the figures are the median over the others.
 *
 * <p>Client CPU is per client (each client's own thread), so it does not depend on how many
 * clients share the machine; the server's CPU covers its thread and its executor, including the
 * unmasking. A single-shot measurement of runs that take seconds to minutes; {@link
 * SecureAggregationBenchmark} covers small sizes under JMH.
 */
public final class SecAggScale {
  private SecAggScale() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int values = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    String g = args.length > 2 ? args[2] : "sparse";
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Graph graph = switch (g) {
      case "sparse" -> Graph.sparse(0);
      case "complete" -> Graph.COMPLETE;
      case "auto" -> Graph.AUTO;
      default -> throw new IllegalArgumentException("graph must be sparse, complete or auto");
    };
    SecureAggregationParameters params = SecAggRun.parameters(clients, graph);
    double[] input = SecAggRun.input(values);
    double perMillion = 1e6 / values;
    SecAggRun.run(params, clients, input); // warm-up
    double[] meanClient = new double[runs];
    double[] maxClient = new double[runs];
    double[] server = new double[runs];
    double[] wall = new double[runs];
    SecAggRun.Measurement last = null;
    for (int r = 0; r < runs; r++) {
      last = SecAggRun.run(params, clients, input);
      meanClient[r] = last.meanClientCpuNanos() / 1e9 * perMillion;
      maxClient[r] = last.maxClientCpuNanos() / 1e9 * perMillion;
      server[r] = last.serverCpuNanos() / 1e9 * perMillion;
      wall[r] = last.wallNanos() / 1e9;
    }
    System.out.printf(
        Locale.ROOT,
        "clients=%d values=%d graph=%s degree=%d threshold=%d included=%d runs=%d (median)%n"
            + "client_cpu_seconds_per_1e6_values mean=%.3f max=%.3f%n"
            + "server_cpu_seconds_per_1e6_values=%.3f%n"
            + "wall_seconds_per_run=%.2f (all %d clients and the server on %d cores)%n"
            + "server_bytes_received_per_value_per_client=%.2f%n",
        clients,
        values,
        g,
        last.result().degree(),
        last.result().threshold(),
        last.result().includedClients().size(),
        runs,
        median(meanClient),
        median(maxClient),
        median(server),
        median(wall),
        clients,
        Runtime.getRuntime().availableProcessors(),
        (double) last.result().traffic().bytesReceived() / values / clients);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
