package io.jointly.bench.secagg;

import io.jointly.secagg.internal.MaskPrg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The mask generator of secure aggregation: adding {@code size} 64-bit words of a seeded keystream
 * to a vector, with the library's JCE AES-256-CTR ({@link MaskPrg}, AES-NI intrinsics) against
 * Bouncy Castle's pure-Java AES-256-CTR and ChaCha20 (RFC 8439) doing the same work. A client
 * applies 1 + degree such masks to its vector, so this bounds its CPU per value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PrgBenchmark {
  @Param({"4096"})
  public int size;

  private byte[] seed;
  private long[] acc;
  private byte[] scratch;
  private byte[] zeros;

  @Setup
  public void setUp() {
    seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    acc = new long[size];
    scratch = new byte[32 << 10];
    zeros = new byte[32 << 10];
  }

  @Benchmark
  public long[] jceAesCtr() {
    MaskPrg.apply(seed, 0, acc, 0, size, false);
    return acc;
  }

  @Benchmark
  public long[] bouncyCastleAesCtr() {
    SICBlockCipher c = new SICBlockCipher(AESEngine.newInstance());
    c.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[16]));
    return addStream(c);
  }

  @Benchmark
  public long[] bouncyCastleChaCha20() {
    ChaCha7539Engine c = new ChaCha7539Engine();
    c.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[12]));
    return addStream(c);
  }

  private long[] addStream(StreamCipher c) {
    ByteBuffer view = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    int done = 0;
    while (done < size) {
      int words = Math.min(scratch.length / 8, size - done);
      c.processBytes(zeros, 0, words * 8, scratch, 0);
      for (int i = 0; i < words; i++) {
        acc[done + i] += view.getLong(i * 8);
      }
      done += words;
    }
    return acc;
  }
}
