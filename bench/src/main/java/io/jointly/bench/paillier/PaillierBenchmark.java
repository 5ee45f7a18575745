package io.jointly.bench.paillier;

import io.jointly.core.SecretAccess;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.paillier.internal.NthResidue;
import io.jointly.paillier.internal.RandomnessPool;
import io.jointly.paillier.internal.SquareModulus;
import java.math.BigInteger;
import java.security.SecureRandom;
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
 * Jointly's Paillier engine beside {@link TextbookPaillier} on the same key, single-threaded:
 * encryption (pooled online step, and unpooled with FULL, key-holder CRT and DJN randomness, which
 * are also the offline cost of one pool value), decryption, addition and scalar multiplication.
 *
 * <p>{@code encryptPooled} times what {@link PaillierEncryptor#encrypt} does once the pool holds a
 * value: {@link RandomnessPool#take} and the online step {@link SquareModulus#encrypt}. To keep the
 * pool non-empty at microsecond rates the pool here is fed from 64 precomputed n-th residues in
 * rotation — a benchmark-only shortcut (the engine never reuses a value); the cost of producing a
 * fresh value is what the {@code encryptUnpooled*} benchmarks add.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PaillierBenchmark {

  @Param({"2048"})
  public int modulusBits;

  private final SecureRandom random = new SecureRandom();
  private PaillierPublicKey pk;
  private PaillierEncryptor unpooledFull;
  private PaillierEncryptor unpooledKeyHolder;
  private PaillierEncryptor unpooledDjn;
  private PaillierDecryptor decryptor;
  private TextbookPaillier textbook;
  private RandomnessPool<NthResidue> pool;
  private SquareModulus sm;
  private BigInteger m;
  private Ciphertext a;
  private Ciphertext b;
  private long k32;

  @Setup(Level.Trial)
  public void setUp() {
    PaillierParameters params = new PaillierParameters(modulusBits, PaillierParameters.Randomness.FULL);
    PaillierKeyPair keys = PaillierKeyPair.generate(params, random);
    pk = keys.publicKey();
    textbook =
        new TextbookPaillier(
            keys.secretKey().p(SecretAccess.insecure()), keys.secretKey().q(SecretAccess.insecure()));
    unpooledFull = PaillierEncryptor.builder(pk).parameters(params).random(random).poolCapacity(1).build();
    unpooledKeyHolder =
        PaillierEncryptor.builder(pk)
            .parameters(params)
            .random(random)
            .secretKey(keys.secretKey())
            .poolCapacity(1)
            .build();
    unpooledDjn =
        PaillierEncryptor.builder(pk)
            .parameters(params.withRandomness(PaillierParameters.Randomness.DJN_SHORT_EXPONENT))
            .random(random)
            .poolCapacity(1)
            .build();
    decryptor = new PaillierDecryptor(keys.secretKey());
    sm = new SquareModulus(pk.n());
    NthResidue[] residues = new NthResidue[64];
    for (int i = 0; i < residues.length; i++) {
      residues[i] = NthResidue.of(unpooledKeyHolder.encryptZero().value(), sm);
    }
    int[] next = {0};
    pool = new RandomnessPool<>(() -> residues[next[0]++ & 63], 64, null, 1);
    pool.fillNow(64);
    m = new BigInteger(modulusBits - 1, random);
    a = unpooledKeyHolder.encrypt(m);
    b = unpooledKeyHolder.encrypt(BigInteger.valueOf(12345));
    k32 = (random.nextInt() & 0x7fff_ffffL) | 0x4000_0000L; // a positive 31-bit scalar
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unpooledFull.close();
    unpooledKeyHolder.close();
    unpooledDjn.close();
    pool.close();
  }

  @Benchmark
  public BigInteger encryptTextbook() {
    return textbook.encrypt(m, random);
  }

  @Benchmark
  public BigInteger encryptPooled() {
    NthResidue rho = pool.take();
    return sm.encrypt(m, rho.value(), rho.modN());
  }

  @Benchmark
  public Ciphertext encryptUnpooledFull() {
    return unpooledFull.encrypt(m);
  }

  @Benchmark
  public Ciphertext encryptUnpooledKeyHolderCrt() {
    return unpooledKeyHolder.encrypt(m);
  }

  @Benchmark
  public Ciphertext encryptUnpooledDjn() {
    return unpooledDjn.encrypt(m);
  }

  @Benchmark
  public BigInteger decryptTextbook() {
    return textbook.decrypt(a.value());
  }

  @Benchmark
  public BigInteger decryptCrt() {
    return decryptor.decrypt(a);
  }

  @Benchmark
  public BigInteger addTextbook() {
    return textbook.add(a.value(), b.value());
  }

  @Benchmark
  public Ciphertext add() {
    return unpooledFull.add(a, b);
  }

  @Benchmark
  public BigInteger multiplyScalar32Textbook() {
    return textbook.multiply(a.value(), k32);
  }

  @Benchmark
  public Ciphertext multiplyScalar32() {
    return unpooledFull.multiply(a, k32);
  }

  @Benchmark
  public BigInteger multiplyNegativeScalar32Textbook() {
    return textbook.multiply(a.value(), -k32);
  }

  @Benchmark
  public Ciphertext multiplyNegativeScalar32() {
    return unpooledFull.multiply(a, -k32);
  }
}
