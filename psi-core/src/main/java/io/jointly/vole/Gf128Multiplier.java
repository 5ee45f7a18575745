package io.jointly.vole;

import java.util.Arrays;

/**
 * Multiplication by one fixed element d of GF(2^128) ({@link Gf128}) of elements with at most
 * {@code bits} low bits set, by table lookup: for each byte position k of the multiplicand, a
 * table of the 256 products {@code (b·X^{8k})·d}. A product then costs {@code ⌈bits/8⌉} lookups and
 * XORs and no carry-less multiplication, which the JVM offers no intrinsic for. This is the VOLE
 * sender's hot path: {@code B' = B + A'·Δ} and {@code Δ·H(y)} with ℓ-bit {@code A'} and {@code H(y)}.
 *
 * <p>The tables depend on the secret d: they are secret, and a lookup's address depends on the
 * multiplicand (a public or own value in Jointly's uses, never the peer's secret; cache timing
 * could reveal the multiplicand to a co-located observer, not d). {@link #destroy} zeroes them.
 * Redacted {@code toString}; immutable after construction and safe to share between threads until
 * destroyed.
 */
public final class Gf128Multiplier {
  private final int chunks;
  private final int bits;
  private final long[] table; // [chunk][byte] → (lo, hi)

  /**
   * Tables for multiplying by {@code (dLo, dHi)} elements of at most {@code bits} low bits.
   *
   * @param bits 1..128
   */
  public Gf128Multiplier(long dLo, long dHi, int bits) {
    if (bits < 1 || bits > 128) {
      throw new IllegalArgumentException("bits must be within 1..128");
    }
    this.bits = bits;
    this.chunks = (bits + 7) / 8;
    this.table = new long[chunks * 256 * 2];
    long lo = dLo;
    long hi = dHi;
    for (int k = 0; k < chunks; k++) {
      int base = k * 512;
      for (int j = 0; j < 8; j++) {
        // lo/hi = d·X^(8k+j)
        int single = 1 << j;
        table[base + 2 * single] = lo;
        table[base + 2 * single + 1] = hi;
        long nlo = Gf128.mulXLo(lo, hi);
        hi = Gf128.mulXHi(lo, hi);
        lo = nlo;
      }
      for (int b = 3; b < 256; b++) {
        int low = b & -b;
        if (low == b) {
          continue;
        }
        int rest = b ^ low;
        table[base + 2 * b] = table[base + 2 * rest] ^ table[base + 2 * low];
        table[base + 2 * b + 1] = table[base + 2 * rest + 1] ^ table[base + 2 * low + 1];
      }
    }
  }

  /** The largest multiplicand width in bits. */
  public int bits() {
    return bits;
  }

  /** The low word of {@code x·d}; {@code x} must have no bits beyond {@link #bits()}. */
  public long productLo(long xLo, long xHi) {
    long r = 0;
    for (int k = 0; k < chunks; k++) {
      int b = (int) ((k < 8 ? xLo >>> (8 * k) : xHi >>> (8 * (k - 8))) & 0xFF);
      r ^= table[k * 512 + 2 * b];
    }
    return r;
  }

  /** The high word of {@code x·d}; {@code x} must have no bits beyond {@link #bits()}. */
  public long productHi(long xLo, long xHi) {
    long r = 0;
    for (int k = 0; k < chunks; k++) {
      int b = (int) ((k < 8 ? xLo >>> (8 * k) : xHi >>> (8 * (k - 8))) & 0xFF);
      r ^= table[k * 512 + 2 * b + 1];
    }
    return r;
  }

  /** {@code out[0..1] = x·d}. */
  public void multiply(long xLo, long xHi, long[] out) {
    long rl = 0;
    long rh = 0;
    for (int k = 0; k < chunks; k++) {
      int b = (int) ((k < 8 ? xLo >>> (8 * k) : xHi >>> (8 * (k - 8))) & 0xFF);
      int at = k * 512 + 2 * b;
      rl ^= table[at];
      rh ^= table[at + 1];
    }
    out[0] = rl;
    out[1] = rh;
  }

  /** Zeroes the tables; later products are zero. */
  public void destroy() {
    Arrays.fill(table, 0L);
  }

  @Override
  public String toString() {
    return "Gf128Multiplier[" + bits + " bits, redacted]";
  }
}
