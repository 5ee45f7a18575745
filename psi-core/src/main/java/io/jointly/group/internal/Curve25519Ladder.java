package io.jointly.group.internal;

/**
 * The X25519 function of RFC 7748 §5: the Montgomery ladder on the u-coordinate of Curve25519, over
 * Jointly's own {@link Field25519} arithmetic (the same radix-2^51 code as ristretto255).
 *
 * <h2>Constant time</h2>
 *
 * The ladder runs all 255 steps for every scalar; the scalar's bits only select, through {@link
 * Field25519#cswap} masks, which of the two working points each step updates (RFC 7748 §5 "cswap"),
 * so there is no branch or memory index on secret data. The final inversion is a fixed addition
 * chain. The JVM gives no formal constant-time guarantee (see {@link Field25519}).
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
      long[] aa = Field25519.create();
      long[] b = Field25519.create();
      long[] bb = Field25519.create();
      long[] e = Field25519.create();
      long[] c = Field25519.create();
      long[] d = Field25519.create();
      long[] da = Field25519.create();
      long[] cb = Field25519.create();
      long[] t = Field25519.create();
      int swap = 0;
      for (int i = 254; i >= 0; i--) {
        int bit = (scalar[i >>> 3] >>> (i & 7)) & 1;
        swap ^= bit;
        Field25519.cswap(x2, x3, swap);
        Field25519.cswap(z2, z3, swap);
        swap = bit;
        // x_2, z_2, x_3, z_3 are reduced here (outputs of mul/square, or the initial values), so
        // the sums (limbs below 2^53) and the carry-free differences (subLoose, limbs below 2^53)
        // are valid mul/square inputs; AA, BB, DA, CB are reduced as well.
        Field25519.add(x2, z2, a); // A = x_2 + z_2
        Field25519.square(a, aa); // AA = A^2
        Field25519.subLoose(x2, z2, b); // B = x_2 - z_2
        Field25519.square(b, bb); // BB = B^2
        Field25519.subLoose(aa, bb, e); // E = AA - BB
        Field25519.add(x3, z3, c); // C = x_3 + z_3
        Field25519.subLoose(x3, z3, d); // D = x_3 - z_3
        Field25519.mul(d, a, da); // DA = D * A
        Field25519.mul(c, b, cb); // CB = C * B
        Field25519.add(da, cb, t);
        Field25519.square(t, x3); // x_3 = (DA + CB)^2
        Field25519.subLoose(da, cb, t);
        Field25519.square(t, t);
        Field25519.mul(x1, t, z3); // z_3 = x_1 * (DA - CB)^2
        Field25519.mul(aa, bb, x2); // x_2 = AA * BB
        Field25519.mulSmall(e, A24, t); // a24 * E, reduced
        Field25519.add(aa, t, t);
        Field25519.mul(e, t, z2); // z_2 = E * (AA + a24 * E)
      }
      Field25519.cswap(x2, x3, swap);
      Field25519.cswap(z2, z3, swap);
      Field25519.invert(z2, z2); // z_2^(p - 2)
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
}
