package io.jointly.vole;

import io.jointly.symmetric.Blocks;

/**
 * Arithmetic in GF(2^128) = GF(2)[X] / (X^128 + X^7 + X^2 + X + 1), the field of GCM and of
 * VOLE over 128-bit blocks. An element is a pair of 64-bit words {@code (lo, hi)}; the coefficient
 * of X^i is bit i of the 128-bit integer {@code hi·2^64 + lo} (no bit reflection, unlike GCM's
 * byte strings: {@link #fromGcmBlock} converts). Addition is XOR.
 *
 * <p>General multiplication ({@link #multiply}) is schoolbook carry-less multiplication in 64-bit
 * words followed by reduction; it is used off the hot paths. The hot paths multiply many short
 * elements by one secret element and use {@link Gf128Multiplier}'s tables instead.
 *
 * <p>Constant time: every method runs the same instructions whatever the operands. Stateless and
 * thread-safe.
 */
public final class Gf128 {
  /** The reduction constant: X^128 = X^7 + X^2 + X + 1. */
  static final long REDUCTION = 0x87L;

  private Gf128() {}

  /** The low word of {@code a·X}. */
  public static long mulXLo(long lo, long hi) {
    return (lo << 1) ^ ((hi >> 63) & REDUCTION);
  }

  /** The high word of {@code a·X}. */
  public static long mulXHi(long lo, long hi) {
    return (hi << 1) | (lo >>> 63);
  }

  /** {@code out = a·b}, {@code out[0]} the low word and {@code out[1]} the high word. */
  public static void multiply(long aLo, long aHi, long bLo, long bHi, long[] out) {
    long[] t = new long[2];
    clmul(aLo, bLo, t);
    long p0 = t[0];
    long p1 = t[1];
    clmul(aHi, bHi, t);
    long p2 = t[0];
    long p3 = t[1];
    clmul(aLo, bHi, t);
    p1 ^= t[0];
    p2 ^= t[1];
    clmul(aHi, bLo, t);
    p1 ^= t[0];
    p2 ^= t[1];
    reduce(p0, p1, p2, p3, out);
  }

  /** {@code out[k] = a[i]·b[j]} on {@link Blocks} arrays. */
  public static void multiply(byte[] a, int i, byte[] b, int j, byte[] out, int k) {
    long[] r = new long[2];
    multiply(Blocks.lo(a, i), Blocks.hi(a, i), Blocks.lo(b, j), Blocks.hi(b, j), r);
    Blocks.set(out, k, r[0], r[1]);
  }

  /**
   * Reduces the 256-bit product {@code p3·X^192 + p2·X^128 + p1·X^64 + p0} modulo the field
   * polynomial: the high half H contributes H·(X^7 + X^2 + X + 1), whose 7 overflow bits are folded
   * once more.
   */
  static void reduce(long p0, long p1, long p2, long p3, long[] out) {
    long lo = p0 ^ p2 ^ (p2 << 1) ^ (p2 << 2) ^ (p2 << 7);
    long hi = p1 ^ p3 ^ ((p3 << 1) | (p2 >>> 63)) ^ ((p3 << 2) | (p2 >>> 62)) ^ ((p3 << 7) | (p2 >>> 57));
    long over = (p3 >>> 63) ^ (p3 >>> 62) ^ (p3 >>> 57);
    lo ^= over ^ (over << 1) ^ (over << 2) ^ (over << 7);
    out[0] = lo;
    out[1] = hi;
  }

  /** Carry-less product of two 64-bit polynomials: {@code out[0]} low, {@code out[1]} high word. */
  static void clmul(long a, long b, long[] out) {
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < 64; i++) {
      long mask = -((b >>> i) & 1L);
      lo ^= (a << i) & mask;
      if (i > 0) { // public loop index
        hi ^= (a >>> (64 - i)) & mask;
      }
    }
    out[0] = lo;
    out[1] = hi;
  }

  /**
   * The element of a GCM block (NIST SP 800-38D §6.3: bit 0 of the string, the most significant
   * bit of its first byte, is the coefficient of X^0) in this class's layout.
   */
  public static long[] fromGcmBlock(byte[] block, int off) {
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < 8; i++) {
      lo |= (Integer.reverse(block[off + i] & 0xFF) >>> 24 & 0xFFL) << (8 * i);
      hi |= (Integer.reverse(block[off + 8 + i] & 0xFF) >>> 24 & 0xFFL) << (8 * i);
    }
    return new long[] {lo, hi};
  }

  /** The GCM block of an element (inverse of {@link #fromGcmBlock}). */
  public static byte[] toGcmBlock(long lo, long hi) {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (Integer.reverse((int) (lo >>> (8 * i)) & 0xFF) >>> 24);
      out[8 + i] = (byte) (Integer.reverse((int) (hi >>> (8 * i)) & 0xFF) >>> 24);
    }
    return out;
  }
}
