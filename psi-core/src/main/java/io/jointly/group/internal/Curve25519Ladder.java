package io.jointly.group.internal;

/**
 * The X25519 function of RFC 7748 §5: the Montgomery ladder on the u-coordinate of Curve25519, over
 * Jointly's own {@link Field25519} arithmetic (the same radix-2^51 code as ristretto255).
 *
 * <h2>Constant time</h2>
 *
 * The ladder runs all 255 steps for every scalar; the scalar's bits only select, through {@link
 * Field25519#cswap} masks, which of the two working points each step updates (RFC 7748 §5 "cswap"),
 * so there is no branch or memory index on secret data; the swap is applied by masks as the step
 * reads its inputs ({@code head}). The final inversion ({@link Inverse25519}) runs a fixed number
 * of branch-free divsteps. The JVM gives no formal constant-time guarantee (see {@link
 * Field25519}).
 *
 * <p>Stateless and thread-safe: every call uses its own temporaries.
 */
final class Curve25519Ladder {
  /** (A − 2) / 4 for Curve25519, A = 486662 (RFC 7748 §5: a24 = 121665). */
  private static final long A24 = 121665;

  private Curve25519Ladder() {}

  /**
   * {@code out = X25519(k, u)} (RFC 7748 §5): {@code k} is decoded with decodeScalar25519 (clamped
   * here, so already clamped scalars are fine) and {@code u} with decodeUCoordinate (bit 255
   * masked). Returns false, with {@code out} all zero, if the result is the all-zero value (a
   * low-order input), as RFC 7748 §6.1 says a Diffie–Hellman caller must check.
   */
  static boolean scalarMult(byte[] k, byte[] u, byte[] out) {
    byte[] scalar = k.clone();
    try {
      // decodeScalar25519 (§5)
      scalar[0] &= (byte) 248;
      scalar[31] &= 127;
      scalar[31] |= 64;
      long[] x1 = Field25519.create();
      Field25519.fromBytes(u, 0, x1); // decodeUCoordinate: masks bit 255 (§5)
      long[] x2 = Field25519.of(1);
      long[] z2 = Field25519.create();
      long[] x3 = Field25519.create();
      Field25519.copy(x1, x3);
      long[] z3 = Field25519.of(1);
      long[] a = Field25519.create();
      long[] b = Field25519.create();
      long[] c = Field25519.create();
      long[] d = Field25519.create();
      long[] aa = Field25519.create();
      long[] bb = Field25519.create();
      long[] da = Field25519.create();
      long[] cb = Field25519.create();
      long[] e = Field25519.create();
      long[] f = Field25519.create();
      int swap = 0;
      for (int i = 254; i >= 0; i--) {
        int bit = (scalar[i >>> 3] >>> (i & 7)) & 1;
        swap ^= bit;
        // The cswap of x_2/x_3 and z_2/z_3 happens inside head(), on the way into A, B, C, D.
        head(x2, z2, x3, z3, swap, a, b, c, d);
        swap = bit;
        Field25519.square(a, aa); // AA = A^2
        Field25519.square(b, bb); // BB = B^2
        Field25519.mul(d, a, da); // DA = D * A
        Field25519.mul(c, b, cb); // CB = C * B
        sumDiff(da, cb, e, f); // DA + CB, DA - CB
        Field25519.square(e, x3); // x_3 = (DA + CB)^2
        Field25519.square(f, f);
        Field25519.mul(x1, f, z3); // z_3 = x_1 * (DA - CB)^2
        Field25519.mul(aa, bb, x2); // x_2 = AA * BB
        eAndF(aa, bb, e, f); // E = AA - BB, F = AA + a24 * E
        Field25519.mul(e, f, z2); // z_2 = E * (AA + a24 * E)
      }
      Field25519.cswap(x2, x3, swap);
      Field25519.cswap(z2, z3, swap);
      Inverse25519.invert(z2, z2); // 1 / z_2
      Field25519.mul(x2, z2, x2);
      Field25519.encode(x2, out, 0);
      int acc = 0;
      for (byte v : out) {
        acc |= v;
      }
      return acc != 0;
    } finally {
      java.util.Arrays.fill(scalar, (byte) 0);
    }
  }

  private static final long P2_0 = Field25519.P2_0;
  private static final long P2_N = Field25519.P2_N;

  /**
   * The start of a ladder step: swaps (x_2, z_2) with (x_3, z_3) if {@code swap} = 1 (by masks,
   * RFC 7748 §5 cswap) and computes A = x_2 + z_2, B = x_2 − z_2, C = x_3 + z_3, D = x_3 − z_3 of
   * the swapped values, without carrying (as {@link Field25519#add}, and for the differences with
   * {@link Field25519#P2_0 2p} added: inputs reduced, outputs below 2^53). The swapped values themselves are
   * not stored: the step overwrites all four of them, so only A, B, C and D carry the swap on.
   */
  static void head(
      long[] x2,
      long[] z2,
      long[] x3,
      long[] z3,
      int swap,
      long[] a,
      long[] b,
      long[] c,
      long[] d) {
    long m = -(long) swap;
    for (int i = 0; i < 5; i++) {
      long s = (x2[i] ^ x3[i]) & m;
      long t = (z2[i] ^ z3[i]) & m;
      long p = x2[i] ^ s;
      long q = x3[i] ^ s;
      long r = z2[i] ^ t;
      long v = z3[i] ^ t;
      long p2 = i == 0 ? P2_0 : P2_N;
      a[i] = p + r;
      b[i] = p - r + p2;
      c[i] = q + v;
      d[i] = q - v + p2;
    }
  }

  /** s = x + y, t = x − y + 2p, without carrying; x, y reduced, outputs below 2^53. */
  private static void sumDiff(long[] x, long[] y, long[] s, long[] t) {
    for (int i = 0; i < 5; i++) {
      long p2 = i == 0 ? P2_0 : P2_N;
      s[i] = x[i] + y[i];
      t[i] = x[i] - y[i] + p2;
    }
  }

  /**
   * E = AA − BB + 2p (not carried, limbs below 2^53) and F = AA + a24·E with limbs below 2^53 (not
   * carried either; a valid input of {@link Field25519#mul}). a24·E is split per limb: the low 51
   * bits of e_i·a24 (the wrapping product masked: 2^51 divides 2^64) stay in limb i and the high
   * part ⌊e_i·a24 / 2^51⌋ = multiplyHigh(e_i·2^8, a24·2^5) &lt; 2^19 (both shifted operands below
   * 2^63, so the signed high product is the unsigned one) moves to limb i + 1 (limb 4's to limb 0,
   * times 19): ten multiplications instead of a full product's fifty. So every limb of F is below
   * (2^51 + 2^16) + 2^51 + 19·2^19 &lt; 2^53.
   */
  static void eAndF(long[] aa, long[] bb, long[] e, long[] f) {
    long e0 = aa[0] - bb[0] + P2_0;
    long e1 = aa[1] - bb[1] + P2_N;
    long e2 = aa[2] - bb[2] + P2_N;
    long e3 = aa[3] - bb[3] + P2_N;
    long e4 = aa[4] - bb[4] + P2_N;
    e[0] = e0;
    e[1] = e1;
    e[2] = e2;
    e[3] = e3;
    e[4] = e4;
    // multiplyHigh(e_i·2^8, a24·2^5) = ⌊e_i·a24 / 2^51⌋: both operands below 2^63 (e_i < 2^53).
    long sc = A24 << 5;
    long h0 = Math.multiplyHigh(e0 << 8, sc);
    long h1 = Math.multiplyHigh(e1 << 8, sc);
    long h2 = Math.multiplyHigh(e2 << 8, sc);
    long h3 = Math.multiplyHigh(e3 << 8, sc);
    long h4 = Math.multiplyHigh(e4 << 8, sc);
    f[0] = aa[0] + ((e0 * A24) & Field25519.MASK51) + 19 * h4;
    f[1] = aa[1] + ((e1 * A24) & Field25519.MASK51) + h0;
    f[2] = aa[2] + ((e2 * A24) & Field25519.MASK51) + h1;
    f[3] = aa[3] + ((e3 * A24) & Field25519.MASK51) + h2;
    f[4] = aa[4] + ((e4 * A24) & Field25519.MASK51) + h3;
  }
}
