package io.jointly.lr;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Semi-honest oblivious-transfer extension (Ishai, Kilian, Nissim, Petrank, "Extending Oblivious
 * Transfers Efficiently", CRYPTO 2003, §3) and the correlated OTs that turn it into integer shares
 * of products (Gilboa, "Two Party RSA Key Generation", CRYPTO 1999, §3): the engine of the one
 * product of secrets per row that secret-shared training needs ({@link SecretSharedLr}).
 *
 * <h2>Extension</h2>
 *
 * κ = 128 base OTs, run once with the roles reversed: the extension receiver holds seed pairs
 * {@code (k_j^0, k_j^1)}; the sender holds a secret {@code s ∈ {0,1}^κ} and learns {@code
 * k_j^{s_j}}. For a batch of m OTs with choice bits {@code c}: the receiver expands {@code T_j =
 * G(k_j^0)} and sends {@code U_j = T_j ⊕ G(k_j^1) ⊕ c} ({@link Receiver#extend}); the sender
 * computes {@code Q_j = G(k_j^{s_j}) ⊕ s_j·U_j = T_j ⊕ s_j·c} ({@link Sender#extend}). Transposed,
 * row i is {@code q_i = t_i ⊕ c_i·s}. G is AES-128 in counter mode keyed by the seed, its IV the
 * batch number.
 *
 * <h2>Correlated OT over the integers</h2>
 *
 * For OT i with the sender's integer {@code Δ_i}: pads {@code p⁰_i = H(i, q_i)}, {@code p¹_i =
 * H(i, q_i ⊕ s)} (low {@code padBits} bits, as non-negative integers), the sender sends {@code τ_i
 * = p⁰_i + Δ_i − p¹_i} and keeps {@code −p⁰_i}; the receiver computes {@code H(i, t_i) + c_i·τ_i
 * = p⁰_i + c_i·Δ_i}. With {@code padBits ≥ bits(Δ) + σ} what the receiver sees ({@code τ} and one
 * pad) hides Δ statistically; the sender learns nothing about c (U is one-time-padded by
 * G(k_j^1)). H is the tweakable correlation-robust hash from fixed-key AES {@code H(i, x) =
 * π(π(x) ⊕ i) ⊕ π(x)} (Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty Computation from
 * Fixed-Key Block Ciphers", S&amp;P 2020, §7.4), the tweak unique per OT of a session (batch, index).
 *
 * <p>Instances hold secrets (seeds, s) and are confined to one party's protocol thread.
 */
final class SharesOt {
  /** Base OTs and the width of a row. */
  static final int KAPPA = 128;

  /** π's key: public, fixed (the bytes of "jointly-ot/v1\0\0\0"). */
  private static final byte[] FIXED_KEY = "jointly-ot/v1\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** π, per thread (a {@link Cipher} is not thread-safe; creating one is a provider lookup). */
  private static final ThreadLocal<Cipher> PI = ThreadLocal.withInitial(() -> cipher("AES/ECB/NoPadding"));

  /** G's cipher, per thread, re-keyed for every seed. */
  private static final ThreadLocal<Cipher> CTR = ThreadLocal.withInitial(() -> cipher("AES/CTR/NoPadding"));

  private SharesOt() {}

  private static Cipher cipher(String transformation) {
    try {
      Cipher c = Cipher.getInstance(transformation);
      if (transformation.startsWith("AES/ECB")) {
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(FIXED_KEY, "AES"));
      }
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

  /** The extension receiver: holds the seed pairs. */
  static final class Receiver {
    private final byte[][] seed0 = new byte[KAPPA][16];
    private final byte[][] seed1 = new byte[KAPPA][16];

    Receiver(SecureRandom random) {
      for (int j = 0; j < KAPPA; j++) {
        random.nextBytes(seed0[j]);
        random.nextBytes(seed1[j]);
      }
    }

    /** The base-OT messages of column j: {@code k_j^0}, {@code k_j^1} as 128-bit integers. */
    BigInteger seed(int j, int bit) {
      return new BigInteger(1, bit == 0 ? seed0[j] : seed1[j]);
    }

    /**
     * One batch: the message {@code U} (κ columns of {@code words} longs) and, in {@code rowsOut},
     * the rows {@code t_i} (two longs each).
     */
    long[][] extend(long batch, long[] choices, int m, long[][] rowsOut) {
      int words = (m + 63) >>> 6;
      long[][] t = new long[KAPPA][];
      long[][] u = new long[KAPPA][];
      for (int j = 0; j < KAPPA; j++) {
        t[j] = prg(seed0[j], batch, words);
        long[] g1 = prg(seed1[j], batch, words);
        long[] uj = new long[words];
        for (int w = 0; w < words; w++) {
          uj[w] = t[j][w] ^ g1[w] ^ choices[w];
        }
        u[j] = uj;
      }
      transpose(t, words, rowsOut);
      return u;
    }

    /**
     * {@code H(i, t_i) + c_i·τ_i}: the received values {@code p⁰_i + c_i·Δ_i}, as 128-bit two's
     * complement pairs {@code (hi, lo)} at {@code [2i, 2i+1]}.
     */
    static long[] receive(long batch, long[][] rows, long[] choices, long[] tau, int padBits) {
      int m = tau.length / 2;
      long[] out = pads(batch, rows, m, null, padBits);
      for (int i = 0; i < m; i++) {
        if (((choices[i >>> 6] >>> (i & 63)) & 1) != 0) {
          add(out, i, tau[2 * i], tau[2 * i + 1]);
        }
      }
      return out;
    }
  }

  /**
   * Vector correlated OTs modulo 2^64, receiver side: for OT i, {@code len} words {@code P⁰_i +
   * c_i·Δ_i} (row-major, {@code out[i·len + k]}), from the sender's corrections {@code τ}.
   */
  static long[] receiveVectors(long batch, long[][] rows, long[] choices, long[] tau, int m, int len) {
    long[] out = expand(batch, rows, m, null, len);
    for (int i = 0; i < m; i++) {
      if (((choices[i >>> 6] >>> (i & 63)) & 1) != 0) {
        for (int k = 0; k < len; k++) {
          out[i * len + k] += tau[i * len + k];
        }
      }
    }
    return out;
  }

  /** The extension sender: holds s and the seeds {@code k_j^{s_j}}. */
  static final class Sender {
    private final boolean[] s = new boolean[KAPPA];
    private final long[] sRow = new long[2];
    private final byte[][] seeds = new byte[KAPPA][];

    Sender(SecureRandom random) {
      for (int j = 0; j < KAPPA; j++) {
        s[j] = random.nextBoolean();
        if (s[j]) {
          sRow[j >>> 6] |= 1L << (j & 63);
        }
      }
    }

    /** This sender's choice in base OT j. */
    int choice(int j) {
      return s[j] ? 1 : 0;
    }

    /** Stores the seed received in base OT j (a 128-bit integer). */
    void seed(int j, BigInteger k) {
      if (k.signum() < 0 || k.bitLength() > 128) {
        throw new IllegalArgumentException("a seed has 128 bits");
      }
      byte[] raw = k.toByteArray();
      byte[] b = new byte[16];
      int n = Math.min(16, raw.length);
      System.arraycopy(raw, raw.length - n, b, 16 - n, n);
      seeds[j] = b;
    }

    /** The rows {@code q_i} of a batch, from the receiver's {@code U}. */
    long[][] extend(long batch, long[][] u, int m) {
      int words = (m + 63) >>> 6;
      long[][] q = new long[KAPPA][];
      for (int j = 0; j < KAPPA; j++) {
        long[] g = prg(seeds[j], batch, words);
        if (s[j]) {
          for (int w = 0; w < words; w++) {
            g[w] ^= u[j][w];
          }
        }
        q[j] = g;
      }
      long[][] rows = new long[m][2];
      transpose(q, words, rows);
      return rows;
    }

    /**
     * The correlated OTs of a batch: returns {@code τ_i = p⁰_i + Δ_i − p¹_i} to send; {@code
     * keepOut} gets {@code p⁰_i}, which this sender subtracts from its share (128-bit two's
     * complement pairs {@code (hi, lo)} at {@code [2i, 2i+1]}).
     */
    long[] correlate(long batch, long[][] rows, long[] delta, int padBits, long[] keepOut) {
      int m = delta.length;
      long[] p0 = pads(batch, rows, m, null, padBits);
      long[] p1 = pads(batch, rows, m, sRow, padBits);
      System.arraycopy(p0, 0, keepOut, 0, 2 * m);
      long[] tau = p0;
      for (int i = 0; i < m; i++) {
        add(tau, i, delta[i] >> 63, delta[i]);
        add(tau, i, ~p1[2 * i] + (p1[2 * i + 1] == 0 ? 1 : 0), -p1[2 * i + 1]);
      }
      return tau;
    }
  }

  /**
   * Vector correlated OTs modulo 2^64, sender side: for OT i with the correlation {@code
   * delta[i·len .. i·len+len)}, returns {@code τ_i = P⁰_i + Δ_i − P¹_i} (word-wise, mod 2^64) to
   * send and puts {@code P⁰_i} into {@code keepOut}. Pads modulo 2^64 are uniform, so τ hides Δ
   * perfectly.
   */
  static long[] correlateVectors(Sender sender, long batch, long[][] rows, long[] delta, int m, int len, long[] keepOut) {
    long[] p0 = expand(batch, rows, m, null, len);
    long[] p1 = expand(batch, rows, m, sender.sRow, len);
    System.arraycopy(p0, 0, keepOut, 0, m * len);
    for (int x = 0; x < m * len; x++) {
      p0[x] = p0[x] + delta[x] - p1[x];
    }
    return p0;
  }

  /**
   * Pad vectors: the seed {@code H((batch, i), rows[i] ⊕ xor)} of each OT (128 bits) expanded
   * into {@code len} words by {@code π(seed ⊕ k) ⊕ seed ⊕ k}, k = 0, 1, … (two words per block;
   * fixed-key AES as a PRG in the random-permutation model, as for H).
   */
  static long[] expand(long batch, long[][] rows, int m, long[] xor, int len) {
    long[] seeds = pads(batch, rows, m, xor, 127);
    int blocks = (len + 1) / 2;
    ByteBuffer in = ByteBuffer.allocate(16 * m * blocks);
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < blocks; k++) {
        in.putLong(seeds[2 * i]).putLong(seeds[2 * i + 1] ^ k);
      }
    }
    try {
      Cipher pi = PI.get();
      ByteBuffer outBytes = ByteBuffer.wrap(pi.doFinal(in.array()));
      long[] out = new long[m * len];
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < len; k++) {
          int at = 16 * (i * blocks + k / 2) + 8 * (k & 1);
          out[i * len + k] = outBytes.getLong(at) ^ in.getLong(at);
        }
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

  /** {@code a[i] += (hi, lo)} in 128-bit two's complement. */
  static void add(long[] a, int i, long hi, long lo) {
    long l = a[2 * i + 1] + lo;
    long carry = Long.compareUnsigned(l, lo) < 0 ? 1 : 0;
    a[2 * i + 1] = l;
    a[2 * i] = a[2 * i] + hi + carry;
  }

  /** Writes {@code v} ({@code |v| < 2^127}) at {@code [2i, 2i+1]} as a 128-bit two's complement pair. */
  static void fromBigInteger(BigInteger v, long[] a, int i) {
    if (v.bitLength() > 127) {
      throw new ArithmeticException("value exceeds 128 bits");
    }
    a[2 * i + 1] = v.longValue();
    a[2 * i] = v.shiftRight(64).longValue();
  }

  /** The 128-bit two's complement pair at {@code [2i, 2i+1]} as an integer. */
  static BigInteger toBigInteger(long[] a, int i) {
    return BigInteger.valueOf(a[2 * i]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(a[2 * i + 1])));
  }

  /** G: {@code words} longs of AES-128-CTR keyed by the seed, IV = batch number. */
  static long[] prg(byte[] seed, long batch, int words) {
    try {
      Cipher c = CTR.get();
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(ByteBuffer.allocate(16).putLong(batch).array()));
      byte[] out = c.doFinal(new byte[words * 8]);
      ByteBuffer b = ByteBuffer.wrap(out);
      long[] r = new long[words];
      for (int w = 0; w < words; w++) {
        r[w] = b.getLong();
      }
      return r;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

  /**
   * {@code H((batch, i), rows[i] ⊕ xor)} for every row, the low {@code padBits} bits as
   * non-negative 128-bit pairs {@code (hi, lo)} at {@code [2i, 2i+1]}.
   */
  static long[] pads(long batch, long[][] rows, int m, long[] xor, int padBits) {
    if (padBits < 65 || padBits > 127) {
      throw new IllegalArgumentException("pads have 65..127 bits");
    }
    ByteBuffer x = ByteBuffer.allocate(16 * m);
    for (int i = 0; i < m; i++) {
      x.putLong(rows[i][1] ^ (xor == null ? 0 : xor[1])).putLong(rows[i][0] ^ (xor == null ? 0 : xor[0]));
    }
    try {
      Cipher pi = PI.get();
      byte[] px = pi.doFinal(x.array());
      byte[] tweaked = px.clone();
      ByteBuffer tw = ByteBuffer.wrap(tweaked);
      for (int i = 0; i < m; i++) {
        tw.putLong(16 * i, tw.getLong(16 * i) ^ batch);
        tw.putLong(16 * i + 8, tw.getLong(16 * i + 8) ^ i);
      }
      ByteBuffer h = ByteBuffer.wrap(pi.doFinal(tweaked));
      ByteBuffer pxb = ByteBuffer.wrap(px);
      long highMask = (1L << (padBits - 64)) - 1;
      long[] out = new long[2 * m];
      for (int i = 0; i < m; i++) {
        out[2 * i] = (h.getLong(16 * i) ^ pxb.getLong(16 * i)) & highMask;
        out[2 * i + 1] = h.getLong(16 * i + 8) ^ pxb.getLong(16 * i + 8);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

  /**
   * Transposes κ columns of {@code words} longs (bit i of column j: {@code (cols[j][i/64] >>> i%64)
   * & 1}) into rows of two longs (bit j of row i: {@code (rows[i][j/64] >>> j%64) & 1}), in 64×64
   * blocks.
   */
  static void transpose(long[][] cols, int words, long[][] rows) {
    int m = rows.length;
    long[] block = new long[64];
    for (int w = 0; w < words; w++) {
      for (int half = 0; half < 2; half++) {
        for (int j = 0; j < 64; j++) {
          block[j] = cols[half * 64 + j][w];
        }
        transpose64(block);
        for (int i = 0; i < 64 && w * 64 + i < m; i++) {
          rows[w * 64 + i][half] = block[i];
        }
      }
    }
  }

  /**
   * In-place transpose of a 64×64 bit matrix, bit c of {@code a[r]} being entry (r, c) (Warren,
   * Hacker's Delight, 2nd ed., §7-3, with bit 0 the first column).
   */
  static void transpose64(long[] a) {
    long m = 0x00000000FFFFFFFFL;
    for (int j = 32; j != 0; j >>>= 1, m ^= m << j) {
      for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
        long t = ((a[k] >>> j) ^ a[k | j]) & m;
        a[k] ^= t << j;
        a[k | j] ^= t;
      }
    }
  }
}
