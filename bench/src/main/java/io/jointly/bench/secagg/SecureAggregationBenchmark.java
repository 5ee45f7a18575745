package io.jointly.bench.secagg;

import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationParameters.Graph;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * End-to-end secure aggregation in one JVM over in-memory channels, single-shot: wall time of a
 * run, and as auxiliary counters the mean client CPU and the server CPU, in nanoseconds per value.
 * Small defaults keep the CI smoke pass cheap; {@link SecAggScale} runs the 50- and 200-client
 * figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SecureAggregationBenchmark {
  /** Values per client. */
  @Param({"4096"})
  public int size;

  @Param({"10"})
  public int clients;

  @Param({"sparse", "complete"})
  public String graph;

  private SecureAggregationParameters params;
  private double[] input;

  /** CPU per value, reported next to the wall time. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    public double clientCpuNanosPerValue;
    public double serverCpuNanosPerValue;

    @Setup(Level.Iteration)
    public void reset() {
      clientCpuNanosPerValue = 0;
      serverCpuNanosPerValue = 0;
    }
  }

  @Setup
  public void setUp() {
    Graph g = "sparse".equals(graph) ? Graph.sparse(4) : Graph.COMPLETE;
    params = SecAggRun.parameters(clients, g);
    input = SecAggRun.input(size);
  }

  @Benchmark
  public Object aggregate(Cpu cpu) throws Exception {
    SecAggRun.Measurement m = SecAggRun.run(params, clients, input);
    cpu.clientCpuNanosPerValue += m.meanClientCpuNanos() / size;
    cpu.serverCpuNanosPerValue += (double) m.serverCpuNanos() / size;
    return m.result();
  }
}
