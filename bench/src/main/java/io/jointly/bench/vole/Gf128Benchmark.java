package io.jointly.bench.vole;

import io.jointly.vole.Gf128;
import io.jointly.vole.Gf128Multiplier;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GF(2^128) products: by a fixed element with 80-bit multiplicands through {@link Gf128Multiplier}'s
 * tables (the VOLE sender's {@code A'·Δ}), and general products (schoolbook, software carry-less).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Gf128Benchmark {
  private static final int N = 1024;
  private final long[] x = new long[2 * N];
  private Gf128Multiplier delta;
  private long dLo;
  private long dHi;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    dLo = r.nextLong();
    dHi = r.nextLong();
    delta = new Gf128Multiplier(dLo, dHi, 80);
    for (int i = 0; i < N; i++) {
      x[2 * i] = r.nextLong();
      x[2 * i + 1] = r.nextLong() & 0xFFFF;
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long tableProduct80() {
    long acc = 0;
    long[] out = new long[2];
    for (int i = 0; i < N; i++) {
      delta.multiply(x[2 * i], x[2 * i + 1], out);
      acc ^= out[0] ^ out[1];
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long generalProduct() {
    long acc = 0;
    long[] out = new long[2];
    for (int i = 0; i < N; i++) {
      Gf128.multiply(x[2 * i], x[2 * i + 1], dLo, dHi, out);
      acc ^= out[0] ^ out[1];
    }
    return acc;
  }
}
