package io.jointly.group.internal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Scalars modulo ℓ = 2^252 + 27742317777372353535851937790883648493, the order of ristretto255 (RFC
 * 9496 §4 and §4.4), as 32-byte little-endian strings.
 *
 * <p>Reduction is a constant-time binary long division: for each input bit from the top, r = 2r +
 * bit, then ℓ is subtracted if r ≥ ℓ, by a masked select of the borrow-chain result. With r < ℓ
 * before each step, 2r + 1 < 2ℓ < 2^254, so one conditional subtraction suffices and eight 32-bit
 * limbs hold every intermediate value. It costs about 10 µs for 64 bytes, which is fine for key
 * generation and tests (it is not on the per-element path); in exchange it is short, obviously
 * correct, and free of secret-dependent branches, memory indexes and {@code BigInteger}.
 *
 * <p>{@link #isCanonical} and {@link #isZero} are constant-time as well. Stateless and thread-safe.
 */
final class Scalar25519 {
  /** The length of an encoded scalar. */
  static final int LENGTH = 32;

  /** ℓ, for tests and documentation. */
  static final BigInteger ORDER =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  // ℓ in eight little-endian 32-bit limbs.
  private static final long[] L = new long[8];

  static {
    for (int i = 0; i < 8; i++) {
      L[i] = ORDER.shiftRight(32 * i).longValue() & 0xffffffffL;
    }
  }

  private Scalar25519() {}

  /**
   * The canonical 32-byte encoding of (the little-endian integer {@code in}) mod ℓ, for inputs of
   * any length up to 64 bytes (RFC 9496 §4.4: a uniform 64-byte string gives a uniform scalar).
   */
  static byte[] reduce(byte[] in) {
    if (in.length > 64) {
      throw new IllegalArgumentException("at most 64 bytes");
    }
    long[] r = new long[8];
    long[] d = new long[8];
    for (int bit = 8 * in.length - 1; bit >= 0; bit--) {
      // r = 2r + bit
      long b = (in[bit >>> 3] >>> (bit & 7)) & 1;
      for (int i = 0; i < 8; i++) {
        long w = (r[i] << 1) | b;
        b = w >>> 32;
        r[i] = w & 0xffffffffL;
      }
      // d = r - ℓ; keep d unless it borrowed
      long borrow = 0;
      for (int i = 0; i < 8; i++) {
        long w = r[i] - L[i] - borrow;
        borrow = w >>> 63;
        d[i] = w & 0xffffffffL;
      }
      long keepR = -borrow;
      for (int i = 0; i < 8; i++) {
        r[i] = (r[i] & keepR) | (d[i] & ~keepR);
      }
    }
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        out[4 * i + j] = (byte) (r[i] >>> (8 * j));
      }
    }
    Arrays.fill(r, 0);
    Arrays.fill(d, 0);
    return out;
  }

  /** 1 if the 32 bytes are a canonical scalar (the little-endian value is below ℓ), else 0. */
  static int isCanonical(byte[] s) {
    if (s.length != LENGTH) {
      return 0;
    }
    long borrow = 0;
    for (int i = 0; i < 8; i++) {
      long limb =
          (s[4 * i] & 0xffL)
              | (s[4 * i + 1] & 0xffL) << 8
              | (s[4 * i + 2] & 0xffL) << 16
              | (s[4 * i + 3] & 0xffL) << 24;
      borrow = (limb - L[i] - borrow) >>> 63;
    }
    return (int) borrow;
  }

  /** 1 if every byte is zero, else 0. */
  static int isZero(byte[] s) {
    int acc = 0;
    for (byte b : s) {
      acc |= b;
    }
    return ((acc & 0xff) - 1) >>> 31;
  }

  // ---- Multiplication and inversion modulo ℓ (Montgomery form, nine 29-bit limbs) ----------
  //
  // Elements are nine limbs of 29 bits (261 bits, R = 2^261). montMul is the word-serial
  // Montgomery multiplication (CIOS, Koç, Acar and Kaliski, "Analyzing and Comparing Montgomery
  // Multiplication Algorithms", IEEE Micro 1996): each step adds a_i·b and m·ℓ, with m chosen so
  // the lowest limb vanishes, and shifts one limb. Limb products are below 2^58 and every column
  // sum below 2^60, so signed longs never overflow. For a, b < ℓ the result is below 2ℓ; one
  // masked subtraction makes it canonical. No branch or memory index depends on the values.

  private static final int LIMBS = 9;
  private static final int LIMB_BITS = 29;
  private static final long LIMB_MASK = (1L << LIMB_BITS) - 1;
  private static final long[] L29 = toLimbs29(ORDER);
  /** −ℓ^−1 mod 2^29. */
  private static final long L_PRIME =
      ORDER.negate().modInverse(BigInteger.ONE.shiftLeft(LIMB_BITS)).longValue();
  /** R² mod ℓ, R = 2^261: converts into Montgomery form. */
  private static final long[] R2 = toLimbs29(BigInteger.ONE.shiftLeft(2 * LIMBS * LIMB_BITS).mod(ORDER));
  /** ℓ − 2, the Fermat exponent of the inverse (public). */
  private static final BigInteger INVERSE_EXPONENT = ORDER.subtract(BigInteger.TWO);

  private static long[] toLimbs29(BigInteger v) {
    long[] out = new long[LIMBS];
    for (int i = 0; i < LIMBS; i++) {
      out[i] = v.shiftRight(LIMB_BITS * i).longValue() & LIMB_MASK;
    }
    return out;
  }

  /** 32 little-endian bytes (a canonical scalar) as nine 29-bit limbs. */
  static long[] fromBytes(byte[] s) {
    if (s.length != LENGTH) {
      throw new IllegalArgumentException("a scalar has 32 bytes");
    }
    long[] out = new long[LIMBS];
    for (int bit = 0, i = 0; i < LIMBS; i++, bit += LIMB_BITS) {
      long v = 0;
      for (int b = 0; b < 5; b++) { // limb i spans bytes bit/8 .. bit/8 + 4
        int idx = (bit >>> 3) + b;
        if (idx < LENGTH) {
          v |= (s[idx] & 0xffL) << (8 * b);
        }
      }
      out[i] = (v >>> (bit & 7)) & LIMB_MASK;
    }
    return out;
  }

  /** Nine 29-bit limbs of a value below 2^256 as 32 little-endian bytes. */
  static byte[] toBytes(long[] limbs) {
    byte[] out = new byte[LENGTH];
    long acc = 0;
    int accBits = 0;
    int pos = 0;
    for (int i = 0; i < LIMBS && pos < LENGTH; i++) {
      acc |= limbs[i] << accBits;
      accBits += LIMB_BITS;
      while (accBits >= 8 && pos < LENGTH) {
        out[pos++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    while (pos < LENGTH) {
      out[pos++] = (byte) acc;
      acc >>>= 8;
    }
    return out;
  }

  /** r = a·b·R^−1 mod ℓ, for a, b < ℓ (limb form); r is canonical. r may alias a or b. */
  static void montMul(long[] a, long[] b, long[] r) {
    long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0, t8 = 0, t9 = 0;
    long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
    long b8 = b[8];
    long[] l = L29;
    for (int i = 0; i < LIMBS; i++) {
      long ai = a[i];
      long v = t0 + ai * b0;
      long m = ((v & LIMB_MASK) * L_PRIME) & LIMB_MASK;
      v += m * l[0];
      long c = v >>> LIMB_BITS;
      v = t1 + ai * b1 + m * l[1] + c;
      t0 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t2 + ai * b2 + m * l[2] + c;
      t1 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t3 + ai * b3 + m * l[3] + c;
      t2 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t4 + ai * b4 + m * l[4] + c;
      t3 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t5 + ai * b5 + m * l[5] + c;
      t4 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t6 + ai * b6 + m * l[6] + c;
      t5 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t7 + ai * b7 + m * l[7] + c;
      t6 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t8 + ai * b8 + m * l[8] + c;
      t7 = v & LIMB_MASK;
      c = v >>> LIMB_BITS;
      v = t9 + c;
      t8 = v & LIMB_MASK;
      t9 = v >>> LIMB_BITS;
    }
    long[] t = {t0, t1, t2, t3, t4, t5, t6, t7, t8};
    // t + t9·2^261 < 2ℓ < 2^254, so t9 = 0; subtract ℓ unless that borrows.
    long borrow = 0;
    long[] d = new long[LIMBS];
    for (int i = 0; i < LIMBS; i++) {
      long w = t[i] - l[i] - borrow;
      borrow = w >>> 63;
      d[i] = w & LIMB_MASK;
    }
    long keepT = -borrow;
    for (int i = 0; i < LIMBS; i++) {
      r[i] = (t[i] & keepT) | (d[i] & ~keepT);
    }
  }

  /** a·R mod ℓ: into Montgomery form. */
  static long[] toMontgomery(long[] a) {
    long[] r = new long[LIMBS];
    montMul(a, R2, r);
    return r;
  }

  /** a·R^−1 mod ℓ: out of Montgomery form. */
  static long[] fromMontgomery(long[] a) {
    long[] one = new long[LIMBS];
    one[0] = 1;
    long[] r = new long[LIMBS];
    montMul(a, one, r);
    return r;
  }

  /**
   * The inverse in Montgomery form of an element in Montgomery form, by Fermat: a^(ℓ−2), with a
   * fixed 4-bit window over the public exponent (252 squarings and at most 78 multiplications).
   * The exponent is public, so branching on its digits reveals nothing; the value is only ever
   * multiplied. The inverse of 0 is 0.
   */
  static long[] invertMontgomery(long[] aMont) {
    long[][] table = new long[16][];
    table[1] = aMont.clone();
    for (int i = 2; i < 16; i++) {
      table[i] = new long[LIMBS];
      montMul(table[i - 1], aMont, table[i]);
    }
    int topNibble = (INVERSE_EXPONENT.bitLength() + 3) / 4 - 1;
    long[] r = null;
    for (int n = topNibble; n >= 0; n--) {
      int digit = 0;
      for (int b = 3; b >= 0; b--) {
        digit = (digit << 1) | (INVERSE_EXPONENT.testBit(4 * n + b) ? 1 : 0);
      }
      if (r == null) {
        r = table[digit].clone(); // the top digit of ℓ − 2 is non-zero
        continue;
      }
      for (int s = 0; s < 4; s++) {
        montMul(r, r, r);
      }
      if (digit != 0) {
        montMul(r, table[digit], r);
      }
    }
    for (long[] e : table) {
      if (e != null) {
        Arrays.fill(e, 0);
      }
    }
    return r;
  }

  /** The canonical encoding of s^−1 mod ℓ for a canonical scalar s (0 maps to 0). */
  static byte[] invert(byte[] s) {
    long[] a = fromBytes(s);
    long[] m = toMontgomery(a);
    long[] inv = invertMontgomery(m);
    long[] r = fromMontgomery(inv);
    byte[] out = toBytes(r);
    Arrays.fill(a, 0);
    Arrays.fill(m, 0);
    Arrays.fill(inv, 0);
    Arrays.fill(r, 0);
    return out;
  }

  /** The canonical encoding of a·b mod ℓ for canonical scalars a and b. */
  static byte[] multiply(byte[] a, byte[] b) {
    long[] x = fromBytes(a);
    long[] y = fromBytes(b);
    long[] r = new long[LIMBS];
    montMul(x, y, r); //  a·b·R^−1
    montMul(r, R2, r); // a·b
    byte[] out = toBytes(r);
    Arrays.fill(x, 0);
    Arrays.fill(y, 0);
    Arrays.fill(r, 0);
    return out;
  }

  /**
   * The inverses of canonical non-zero scalars, with one inversion for the whole batch
   * (Montgomery's trick: prefix products, one inverse, then three multiplications per scalar).
   * Constant-time in the values; a zero input makes every output zero, so callers pass non-zero
   * scalars only.
   */
  static byte[][] invertAll(byte[][] scalars) {
    int n = scalars.length;
    byte[][] out = new byte[n][];
    if (n == 0) {
      return out;
    }
    long[][] mont = new long[n][];
    long[][] prefix = new long[n][];
    for (int i = 0; i < n; i++) {
      long[] a = fromBytes(scalars[i]);
      mont[i] = toMontgomery(a);
      Arrays.fill(a, 0);
      prefix[i] = new long[LIMBS];
      if (i == 0) {
        System.arraycopy(mont[0], 0, prefix[0], 0, LIMBS);
      } else {
        montMul(prefix[i - 1], mont[i], prefix[i]);
      }
    }
    long[] inv = invertMontgomery(prefix[n - 1]);
    long[] tmp = new long[LIMBS];
    for (int i = n - 1; i >= 0; i--) {
      if (i > 0) {
        montMul(inv, prefix[i - 1], tmp); // (a_0..a_i)^−1 · (a_0..a_{i−1}) = a_i^−1
        montMul(inv, mont[i], inv); //       (a_0..a_{i−1})^−1
      } else {
        System.arraycopy(inv, 0, tmp, 0, LIMBS);
      }
      long[] plain = fromMontgomery(tmp);
      out[i] = toBytes(plain);
      Arrays.fill(plain, 0);
      Arrays.fill(mont[i], 0);
      Arrays.fill(prefix[i], 0);
    }
    Arrays.fill(inv, 0);
    Arrays.fill(tmp, 0);
    return out;
  }

  /** The little-endian integer of {@code s}. For tests only (not constant-time). */
  static BigInteger toBigInteger(byte[] s) {
    byte[] be = new byte[s.length + 1];
    for (int i = 0; i < s.length; i++) {
      be[s.length - i] = s[i];
    }
    return new BigInteger(be);
  }
}
