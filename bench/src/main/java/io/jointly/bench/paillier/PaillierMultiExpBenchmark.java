package io.jointly.bench.paillier;

import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core of an encrypted gradient, {@code Σ kᵢ·[[xᵢ]]} over {@code terms} ciphertexts with
 * signed 32-bit scalars (half negative), single-threaded. Divide the time per operation by {@code
 * terms} for the amortised cost per term; {@link PaillierBenchmark#multiplyScalar32Textbook} is one
 * textbook scalar multiplication on the same key size. The ciphertexts are random units mod n²
 * (every unit is a valid ciphertext), which costs the same as real ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PaillierMultiExpBenchmark {

  @Param({"2048"})
  public int modulusBits;

  @Param({"64"})
  public int terms;

  private PaillierEncryptor encryptor;
  private List<Ciphertext> cs;
  private long[] k;

  @Setup(Level.Trial)
  public void setUp() {
    SecureRandom random = new SecureRandom();
    PaillierParameters params = new PaillierParameters(modulusBits, PaillierParameters.Randomness.FULL);
    PaillierPublicKey pk = PaillierKeyPair.generate(params, random).publicKey();
    encryptor = PaillierEncryptor.builder(pk).random(random).poolCapacity(1).build();
    cs = new ArrayList<>(terms);
    k = new long[terms];
    BigInteger n2 = pk.nSquared();
    for (int i = 0; i < terms; i++) {
      BigInteger c;
      do {
        c = new BigInteger(n2.bitLength(), random);
      } while (c.signum() == 0 || c.compareTo(n2) >= 0 || !c.gcd(pk.n()).equals(BigInteger.ONE));
      cs.add(new Ciphertext(c));
      k[i] = random.nextInt();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encryptor.close();
  }

  @Benchmark
  public Ciphertext multiExp() {
    return encryptor.multiExp(cs, k);
  }
}
