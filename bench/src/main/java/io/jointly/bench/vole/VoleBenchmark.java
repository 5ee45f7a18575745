package io.jointly.bench.vole;

import io.jointly.vole.SilentVole;
import io.jointly.vole.VoleParameters;
import java.security.SecureRandom;
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

/**
 * One silent-VOLE chunk of {@code size} outputs with ℓ = 80 and the default parameters
 * (expand-accumulate code, t = 1,434): the sender's trees and code, and the receiver's, each on its
 * own (the correlated OTs are dealt in the setup, not timed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class VoleBenchmark {
  @Param({"65536", "1048576"})
  public int size;

  private final SecureRandom random = new SecureRandom();
  private SilentVole.Shape shape;
  private long[][] q;
  private long[][] t;
  private long dLo;
  private long dHi;
  private byte[] seed;
  private byte[] message;
  private SilentVole.Receiver receiver;

  @Setup
  public void setUp() {
    shape = SilentVole.Shape.of(size, 80, VoleParameters.EXPAND_ACCUMULATE);
    seed = new byte[16];
    random.nextBytes(seed);
    dLo = random.nextLong();
    dHi = random.nextLong();
    receiver = new SilentVole.Receiver(shape, seed, random);
    long[] choices = receiver.choices();
    q = new long[shape.cots()][2];
    t = new long[shape.cots()][2];
    for (int i = 0; i < q.length; i++) {
      q[i][0] = random.nextLong();
      q[i][1] = random.nextLong();
      long c = -((choices[i >>> 6] >>> (i & 63)) & 1);
      t[i][0] = q[i][0] ^ (dLo & c);
      t[i][1] = q[i][1] ^ (dHi & c);
    }
    message = new SilentVole.Sender(shape, dLo, dHi, seed, random).message(q, 1);
  }

  /** The sender: GGM trees, level messages, corrections, then B through the code. */
  @Benchmark
  public byte[] sender() {
    SilentVole.Sender s = new SilentVole.Sender(shape, dLo, dHi, seed, random);
    s.message(q, 1);
    return s.outputs();
  }

  /** The receiver: punctured trees, then A and C through the code. */
  @Benchmark
  public byte[] receiver() throws Exception {
    SilentVole.Receiver r = new SilentVole.Receiver(shape, seed, random);
    // The message was made for another receiver's choices: the timing is the same, the values are
    // not a VOLE (correctness is tested in psi-core).
    r.finish(t, message, 1);
    return r.c();
  }
}
