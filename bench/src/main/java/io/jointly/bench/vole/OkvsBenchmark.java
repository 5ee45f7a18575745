package io.jointly.bench.vole;

import io.jointly.okvs.Okvs;
import io.jointly.okvs.OkvsParameters;
import io.jointly.symmetric.AesPrg;
import io.jointly.symmetric.Blocks;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** RR22 OKVS (w = 3, binary dense columns, bins of 2^16) encoding and decoding of {@code size} keys, one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class OkvsBenchmark {
  @Param({"65536", "1048576"})
  public int size;

  private byte[] keys;
  private byte[] values;
  private byte[] store;
  private byte[] decoded;
  private OkvsParameters params;
  private final byte[] seed = new byte[16];

  @Setup
  public void setUp() {
    params = OkvsParameters.forItems(size, 40);
    keys = Blocks.allocate(size);
    values = Blocks.allocate(size);
    AesPrg prg = new AesPrg(new byte[16]);
    prg.nextBytes(keys);
    prg.nextBytes(values);
    store = Blocks.allocate(params.size());
    decoded = Blocks.allocate(size);
    if (!new Okvs(params, seed).encode(keys, values, size, store)) {
      throw new IllegalStateException("encoding failed");
    }
  }

  @Benchmark
  public boolean encode() {
    return new Okvs(params, seed).encode(keys, values, size, store);
  }

  @Benchmark
  public byte[] decode() {
    new Okvs(params, seed).decode(store, keys, size, decoded);
    return decoded;
  }
}
