package io.jointly.paillier;

import io.jointly.paillier.PaillierParameters.Randomness;
import io.jointly.paillier.internal.FixedBaseTable;
import io.jointly.paillier.internal.ModArithmetic;
import io.jointly.paillier.internal.MultiExp;
import io.jointly.paillier.internal.NthResidue;
import io.jointly.paillier.internal.RandomnessPool;
import io.jointly.paillier.internal.SquareModulus;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Everything that needs only the public key: encryption with precomputed randomness, and the
 * homomorphic operations (addition, subtraction, negation, signed scalar multiplication,
 * multi-exponentiation, re-randomisation).
 *
 * <h2>Encryption</h2>
 *
 * {@code E(m) = g^m · ρ mod n²} with {@code g = n + 1}, so {@code g^m = 1 + m·n} and an encryption
 * is one multiplication once the randomness {@code ρ} (an n-th residue: {@code rⁿ}, or {@code hₛ^a}
 * in DJN mode, see {@link PaillierParameters}) is ready. The randomness comes from a bounded pool
 * that tasks on the {@linkplain Builder#executor executor} fill ahead of use; when the pool is
 * empty the caller computes the value itself, so encryption never blocks on the pool and never
 * reuses a value. Without an executor every encryption computes its randomness inline. The key
 * holder may pass its {@linkplain Builder#secretKey secret key} so that {@code rⁿ} is computed by
 * CRT at about a quarter of the cost (FULL mode).
 *
 * <h2>Plaintexts</h2>
 *
 * Residues in [0, n). Signed values (for example {@link io.jointly.core.FixedPoint} encodings) are
 * represented as {@code v mod n}; {@link PaillierDecryptor#decryptSigned} lifts them back to
 * (−n/2, n/2]. Homomorphic results are exact as long as the true signed result stays inside that
 * interval: the caller bounds it (or uses {@link PackedEncoding}, which enforces its bounds).
 *
 * <h2>Scalars</h2>
 *
 * A negative scalar multiplies the inverse ciphertext by |k| (one modular inverse plus a short
 * exponentiation), never exponentiates by {@code n − |k|}. {@link #multiExp} computes {@code Σ kᵢ·
 * [[xᵢ]]} with Pippenger's bucket method on signed digits, positive and negative digits accumulated
 * separately and one inverse at the end.
 *
 * <p>Thread-safe: all methods may be called concurrently. {@link #close()} stops the background
 * filling; later encryptions compute their randomness inline.
 */
public final class PaillierEncryptor implements AutoCloseable {
  private final PaillierPublicKey publicKey;
  private final BigInteger n;
  private final BigInteger nSquared;
  private final ModArithmetic arith;
  private final SquareModulus sm;
  private final RandomnessPool<NthResidue> pool;

  private PaillierEncryptor(Builder b) {
    this.publicKey = b.publicKey;
    this.n = publicKey.n();
    this.nSquared = publicKey.nSquared();
    this.arith = publicKey.arithmetic();
    this.sm = publicKey.squareModulus();
    Supplier<BigInteger> rho = generator(b);
    this.pool =
        new RandomnessPool<>(
            () -> NthResidue.of(rho.get(), sm), b.poolCapacity, b.executor, b.fillers);
  }

  /** A builder for an encryptor of {@code publicKey}. */
  public static Builder builder(PaillierPublicKey publicKey) {
    return new Builder(publicKey);
  }

  /** An encryptor with FULL randomness, a default pool filled on {@code executor}. */
  public static PaillierEncryptor create(
      PaillierPublicKey publicKey, SecureRandom random, Executor executor) {
    return builder(publicKey).random(random).executor(executor).build();
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  /** Encrypts a plaintext residue {@code 0 ≤ m < n}. */
  public Ciphertext encrypt(BigInteger m) {
    return new Ciphertext(encryptWith(checkPlaintext(m), pool.take()));
  }

  /** Encrypts a signed value as {@code v mod n}. */
  public Ciphertext encrypt(long v) {
    return encrypt(signedResidue(v));
  }

  /** Encrypts a batch of signed values. */
  public List<Ciphertext> encryptAll(long[] values) {
    List<Ciphertext> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(encrypt(v));
    }
    return out;
  }

  /** A fresh encryption of 0. */
  public Ciphertext encryptZero() {
    return new Ciphertext(pool.take().value());
  }

  /** {@code [[a + b]]}. */
  public Ciphertext add(Ciphertext a, Ciphertext b) {
    return new Ciphertext(arith.multiply(publicKey.checkRange(a), publicKey.checkRange(b)));
  }

  /** {@code [[Σ xᵢ]]}; the empty sum is the deterministic encryption of 0, the residue 1. */
  public Ciphertext sum(List<Ciphertext> cs) {
    BigInteger acc = BigInteger.ONE;
    for (Ciphertext c : cs) {
      acc = arith.multiply(acc, publicKey.checkRange(c));
    }
    return new Ciphertext(acc);
  }

  /** {@code [[a − b]]}: a times the inverse of b. */
  public Ciphertext subtract(Ciphertext a, Ciphertext b) {
    return new Ciphertext(arith.multiply(publicKey.checkRange(a), inverse(b)));
  }

  /** {@code [[−a]]}: the inverse of a mod n². */
  public Ciphertext negate(Ciphertext a) {
    return new Ciphertext(inverse(a));
  }

  /** {@code [[a + m]]} for a plaintext residue m: a times {@code 1 + m·n}. */
  public Ciphertext addPlaintext(Ciphertext a, BigInteger m) {
    BigInteger gm = checkPlaintext(m).multiply(n).add(BigInteger.ONE);
    return new Ciphertext(arith.multiply(publicKey.checkRange(a), gm));
  }

  /** {@code [[a + v]]} for a signed value v. */
  public Ciphertext addPlaintext(Ciphertext a, long v) {
    return addPlaintext(a, signedResidue(v));
  }

  /** {@code [[k·a]]} for a signed scalar: {@code a^k}, or {@code (a⁻¹)^|k|} when k is negative. */
  public Ciphertext multiply(Ciphertext a, long k) {
    BigInteger c = publicKey.checkRange(a);
    if (k == 0) {
      return new Ciphertext(BigInteger.ONE);
    }
    BigInteger magnitude = BigInteger.valueOf(k).abs();
    BigInteger base = k > 0 ? c : sm.inverse(c);
    return new Ciphertext(base.modPow(magnitude, nSquared));
  }

  /** {@code [[k·a]]} for an arbitrary signed integer scalar (negative: inverse to the power |k|). */
  public Ciphertext multiply(Ciphertext a, BigInteger k) {
    BigInteger c = publicKey.checkRange(a);
    if (k.signum() == 0) {
      return new Ciphertext(BigInteger.ONE);
    }
    BigInteger base = k.signum() > 0 ? c : sm.inverse(c);
    return new Ciphertext(base.modPow(k.abs(), nSquared));
  }

  /** {@code a} times fresh randomness: the same plaintext, unlinkable to a. */
  public Ciphertext rerandomize(Ciphertext a) {
    return new Ciphertext(arith.multiply(publicKey.checkRange(a), pool.take().value()));
  }

  /**
   * {@code [[Σ kᵢ·xᵢ]]} from ciphertexts {@code [[xᵢ]]} and signed scalars {@code kᵢ}: Pippenger's
   * bucket method on signed digits, positive and negative digits in separate buckets, and one
   * inverse at the end (see {@code io.jointly.paillier.internal.MultiExp}). The result is not re-randomised: call {@link #rerandomize} before it leaves this party if the
   * scalars are to stay hidden.
   */
  public Ciphertext multiExp(List<Ciphertext> cs, long[] k) {
    checkSizes(cs, k);
    return new Ciphertext(signedMultiExp(values(cs), k, 0, k.length));
  }

  /**
   * {@link #multiExp(List, long[])} split into {@code parallelism} chunks run on {@code executor}
   * and multiplied together.
   */
  public Ciphertext multiExp(List<Ciphertext> cs, long[] k, Executor executor, int parallelism) {
    checkSizes(cs, k);
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    List<BigInteger> bases = values(cs);
    int chunks = Math.max(1, Math.min(parallelism, k.length / 64));
    List<CompletableFuture<BigInteger>> parts = new ArrayList<>(chunks);
    for (int t = 0; t < chunks; t++) {
      int from = (int) ((long) k.length * t / chunks);
      int to = (int) ((long) k.length * (t + 1) / chunks);
      parts.add(CompletableFuture.supplyAsync(() -> signedMultiExp(bases, k, from, to), executor));
    }
    BigInteger acc = BigInteger.ONE;
    try {
      for (CompletableFuture<BigInteger> part : parts) {
        acc = arith.multiply(acc, part.join());
      }
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
    return new Ciphertext(acc);
  }

  /** Randomness values ready in the pool now. */
  public int poolAvailable() {
    return pool.available();
  }

  /**
   * Computes randomness on the calling thread until {@code count} values are ready (bounded by the
   * pool capacity): the offline phase, done before a time-critical one.
   */
  public void precompute(int count) {
    pool.fillNow(count);
  }

  /** Stops background filling and drops the pooled randomness. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PaillierEncryptor[" + publicKey.modulusBits() + " bits]";
  }

  private BigInteger signedMultiExp(List<BigInteger> bases, long[] k, int from, int to) {
    return MultiExp.multiExp(sm, bases, k, from, to);
  }

  private List<BigInteger> values(List<Ciphertext> cs) {
    List<BigInteger> out = new ArrayList<>(cs.size());
    for (Ciphertext c : cs) {
      out.add(publicKey.checkRange(c));
    }
    return out;
  }

  private static void checkSizes(List<Ciphertext> cs, long[] k) {
    if (cs.size() != k.length) {
      throw new IllegalArgumentException("one scalar per ciphertext is needed");
    }
  }

  private BigInteger inverse(Ciphertext a) {
    return sm.inverse(publicKey.checkRange(a));
  }

  /**
   * Encryption with a given {@code r ∈ Z*ₙ}, {@code (1 + m·n)·rⁿ mod n²}, through the same online
   * step as {@link #encrypt}: for known-answer tests only.
   */
  static Ciphertext encryptWithR(PaillierPublicKey pk, BigInteger m, BigInteger r) {
    SquareModulus sm = pk.squareModulus();
    NthResidue rho = NthResidue.of(r.modPow(pk.n(), pk.nSquared()), sm);
    return new Ciphertext(sm.encrypt(m, rho.value(), rho.modN()));
  }

  /** {@code (1 + m·n)·ρ mod n²}: the online part of encryption. */
  private BigInteger encryptWith(BigInteger m, NthResidue rho) {
    return sm.encrypt(m, rho.value(), rho.modN());
  }

  private BigInteger checkPlaintext(BigInteger m) {
    if (m.signum() < 0 || m.compareTo(n) >= 0) {
      throw new IllegalArgumentException("plaintext must be a residue in [0, n)");
    }
    return m;
  }

  private BigInteger signedResidue(long v) {
    BigInteger b = BigInteger.valueOf(v);
    return b.signum() < 0 ? b.add(n) : b;
  }

  private static Supplier<BigInteger> generator(Builder b) {
    PaillierPublicKey pk = b.publicKey;
    BigInteger n = pk.n();
    BigInteger n2 = pk.nSquared();
    SecureRandom random = b.random;
    if (b.randomness == Randomness.DJN_SHORT_EXPONENT) {
      int bits = b.shortExponentBits;
      BigInteger x = unit(n, random);
      BigInteger h = n.subtract(x.multiply(x).mod(n)); // −x² mod n
      BigInteger hs = h.modPow(n, n2);
      FixedBaseTable table = new FixedBaseTable(pk.arithmetic(), hs, bits);
      return () -> table.pow(new BigInteger(bits, random));
    }
    PaillierSecretKey sk = b.secretKey;
    if (sk != null) {
      return () -> sk.randomNthResidue(random);
    }
    return () -> unit(n, random).modPow(n, n2);
  }

  /** A uniform element of Z*ₙ (rejection sampling; a non-unit would factor n). */
  private static BigInteger unit(BigInteger n, SecureRandom random) {
    while (true) {
      BigInteger r = new BigInteger(n.bitLength(), random);
      if (r.signum() > 0 && r.compareTo(n) < 0 && r.gcd(n).equals(BigInteger.ONE)) {
        return r;
      }
    }
  }

  /** Configures a {@link PaillierEncryptor}. */
  public static final class Builder {
    private final PaillierPublicKey publicKey;
    private Randomness randomness = Randomness.FULL;
    private int shortExponentBits;
    private SecureRandom random;
    private Executor executor;
    private int poolCapacity = 1024;
    private int fillers = 1;
    private PaillierSecretKey secretKey;

    private Builder(PaillierPublicKey publicKey) {
      this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    /**
     * Takes the randomness mode from {@code params}; its modulus size must match the key's.
     */
    public Builder parameters(PaillierParameters params) {
      if (params.modulusBits() != publicKey.modulusBits()) {
        throw new IllegalArgumentException("parameters do not match the key's modulus size");
      }
      this.randomness = params.randomness();
      this.shortExponentBits = params.shortExponentBits();
      return this;
    }

    /** The source of randomness (required). */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Runs the background fill tasks; without it every encryption computes randomness inline. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The most precomputed values held at once (default 1,024). */
    public Builder poolCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("pool capacity must be at least 1");
      }
      this.poolCapacity = capacity;
      return this;
    }

    /** The most fill tasks running at once on the executor (default 1). */
    public Builder fillers(int fillers) {
      if (fillers < 1) {
        throw new IllegalArgumentException("fillers must be at least 1");
      }
      this.fillers = fillers;
      return this;
    }

    /**
     * The key holder's own secret key, so FULL randomness (a uniform n-th residue) is computed by
     * CRT, about 4× cheaper (see {@code PaillierSecretKey}). Must belong to the public key.
     */
    public Builder secretKey(PaillierSecretKey secretKey) {
      if (!secretKey.publicKey().equals(publicKey)) {
        throw new IllegalArgumentException("secret key does not belong to the public key");
      }
      this.secretKey = secretKey;
      return this;
    }

    /**
     * Builds the encryptor and starts filling its pool. In DJN mode this first builds the
     * fixed-base table (about 0.2 s at 2,048 bits).
     */
    public PaillierEncryptor build() {
      Objects.requireNonNull(random, "random is required");
      if (shortExponentBits == 0) {
        shortExponentBits = (publicKey.modulusBits() + 1) / 2;
      }
      return new PaillierEncryptor(this);
    }
  }
}
