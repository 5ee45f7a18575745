package io.jointly.group.internal;

/**
 * Inversion in GF(p), p = 2^255 − 19, by the constant-time extended GCD of Bernstein and Yang
 * ("Fast constant-time gcd computation and modular inversion", TCHES 2019, §§ 8–11), in the
 * variant whose divstep starts at δ = 1/2 (the "half-delta" divsteps): 600 divsteps, in 20 batches
 * of 30. For 256-bit inputs 590 such divsteps always reach g = 0 (the bound computed by P. Wuille
 * for this variant, published with libsecp256k1's {@code doc/safegcd_implementation.md}; Bernstein
 * and Yang's own bound for δ = 1 is 741). No code was taken from either; the algorithm is written
 * here from the paper's definitions.
 *
 * <h2>The algorithm</h2>
 *
 * One divstep maps (δ, f, g), f odd, to (1 − δ, g, (g − f)/2) if δ &gt; 0 and g is odd, else
 * to (1 + δ, f, (g + (g mod 2)·f)/2). Starting from f = p, g = x, it keeps gcd(f, g) and ends
 * with g = 0 and f = ±1. Thirty divsteps depend only on the low 30 bits of f and g, so each batch
 * runs them on one word and records them as an integer matrix T = [[u, v], [q, r]] with
 * 2^30·(f', g') = T·(f, g) and |u| + |v|, |q| + |r| ≤ 2^30; the full-width f, g are then updated
 * once per batch. The same T, applied modulo p to (d, e), starting from (0, 1), keeps d·x ≡ f and e·x ≡ g (mod p), so at
 * the end x^−1 = ±d. Division by 2^30 modulo p adds m·p first, with m ∈ [0, 2^30) chosen so that
 * the sum is divisible by 2^30.
 *
 * <h2>Representation and bounds</h2>
 *
 * f, g, d, e are {@code long[9]} in signed radix 2^30: limbs 0–7 in [0, 2^30), limb 8 signed, value
 * Σ a_i·2^(30i). |f|, |g| ≤ p throughout. |d|, |e| grow by at most p per batch (|u·d + v·e| ≤
 * 2^30·max(|d|, |e|) and m·p &lt; 2^30·p), so they stay below 21·p &lt; 2^260 and limb 8 below
 * 2^21 in magnitude. Every intermediate sum of a batch update is below 2^62 in magnitude: two
 * products of at most 2^30·2^30, plus m·p_i &lt; 2^60, plus a carry below 2^33.
 *
 * <h2>Constant time</h2>
 *
 * The number of divsteps and batches is fixed; every divstep is branch-free (masks from the sign of
 * δ and the parity of g), and the updates are straight-line. Arithmetic shifts and multiplications
 * of signed longs take data-independent time on current CPUs; as for {@link Field25519}, the JVM
 * gives no formal guarantee about the machine code.
 *
 * <p>Stateless and thread-safe: every call uses its own arrays.
 */
final class Inverse25519 {
  private static final long M30 = (1L << 30) - 1;

  /** Number of batches of 30 divsteps: 600 ≥ 590 (see the class comment). */
  private static final int BATCHES = 20;

  /** p^−1 mod 2^30 (p is odd), computed by Newton's iteration at class initialisation. */
  private static final long P_INV30 = inverseMod2To30((1L << 30) - 19);

  private Inverse25519() {}

  /** r = 1/a (mod p) for a reduced element {@code a}; 0 maps to 0. Output reduced, may alias a. */
  static void invert(long[] a, long[] r) {
    long[] c = Field25519.create();
    Field25519.canonical(a, c);
    long[] f = new long[9];
    long[] g = new long[9];
    long[] d = new long[9];
    long[] e = new long[9];
    // f = p: limbs 2^30 − 19, 2^30 − 1 (×7), 2^15 − 1 (255 = 8·30 + 15).
    f[0] = M30 - 18;
    for (int i = 1; i < 8; i++) {
      f[i] = M30;
    }
    f[8] = (1L << 15) - 1;
    toRadix30(c, g);
    e[0] = 1;
    long eta = 1; // 2δ, δ = 1/2
    for (int batch = 0; batch < BATCHES; batch++) {
      // Thirty divsteps on the low 60 bits of f and g (the low 30 bits decide them all).
      long fl = f[0] | (f[1] << 30);
      long gl = g[0] | (g[1] << 30);
      long u = 1;
      long v = 0;
      long q = 0;
      long rr = 1;
      for (int i = 0; i < 30; i++) {
        long c1 = (-eta) >> 63; // −1 iff δ > 0
        long c2 = -(gl & 1); // −1 iff g odd
        // g += ±f (−f if δ > 0) when g is odd, with the matrix rows alike.
        long x = (fl ^ c1) - c1;
        long y = (u ^ c1) - c1;
        long z = (v ^ c1) - c1;
        gl += x & c2;
        q += y & c2;
        rr += z & c2;
        // If δ > 0 and g odd: f becomes the old g (f + (g − f)), δ becomes −δ (then + 1 below).
        c1 &= c2;
        fl += gl & c1;
        u += q & c1;
        v += rr & c1;
        eta = ((eta ^ c1) - c1) + 2;
        gl >>= 1;
        u <<= 1;
        v <<= 1;
      }
      updateFg(f, g, u, v, q, rr);
      updateDe(d, e, u, v, q, rr);
    }
    // Now g = 0 and f = ±1, so x^−1 = sign(f)·d; d is negated limb-wise (limbs may turn negative,
    // which the normalisation below allows).
    long s = f[8] >> 63;
    for (int i = 0; i < 9; i++) {
      d[i] = (d[i] ^ s) - s;
    }
    fromRadix30(d, r);
  }

  /** (f, g) = (u·f + v·g, q·f + r·g) / 2^30; the low 30 bits of both sums are zero by design. */
  private static void updateFg(long[] f, long[] g, long u, long v, long q, long r) {
    long cf = u * f[0] + v * g[0];
    long cg = q * f[0] + r * g[0];
    cf >>= 30;
    cg >>= 30;
    for (int i = 1; i < 9; i++) {
      cf += u * f[i] + v * g[i];
      cg += q * f[i] + r * g[i];
      f[i - 1] = cf & M30;
      g[i - 1] = cg & M30;
      cf >>= 30;
      cg >>= 30;
    }
    f[8] = cf;
    g[8] = cg;
  }

  /**
   * (d, e) = (u·d + v·e + m_d·p, q·d + r·e + m_e·p) / 2^30 with m ∈ [0, 2^30) making the sums
   * divisible by 2^30. p's limbs are 2^30 − 19, 2^30 − 1 and 2^15 − 1, so m·p_i is a shift and a
   * subtraction.
   */
  private static void updateDe(long[] d, long[] e, long u, long v, long q, long r) {
    long cd = u * d[0] + v * e[0];
    long ce = q * d[0] + r * e[0];
    long md = (-(cd * P_INV30)) & M30;
    long me = (-(ce * P_INV30)) & M30;
    cd += (md << 30) - 19 * md;
    ce += (me << 30) - 19 * me;
    cd >>= 30;
    ce >>= 30;
    long mdp = (md << 30) - md;
    long mep = (me << 30) - me;
    for (int i = 1; i < 8; i++) {
      cd += u * d[i] + v * e[i] + mdp;
      ce += q * d[i] + r * e[i] + mep;
      d[i - 1] = cd & M30;
      e[i - 1] = ce & M30;
      cd >>= 30;
      ce >>= 30;
    }
    cd += u * d[8] + v * e[8] + (md << 15) - md;
    ce += q * d[8] + r * e[8] + (me << 15) - me;
    d[7] = cd & M30;
    e[7] = ce & M30;
    d[8] = cd >> 30;
    e[8] = ce >> 30;
  }

  /** The canonical radix-2^51 limbs {@code c} as nine radix-2^30 limbs. */
  private static void toRadix30(long[] c, long[] t) {
    t[0] = c[0] & M30;
    t[1] = ((c[0] >>> 30) | (c[1] << 21)) & M30;
    t[2] = (c[1] >>> 9) & M30;
    t[3] = ((c[1] >>> 39) | (c[2] << 12)) & M30;
    t[4] = (c[2] >>> 18) & M30;
    t[5] = ((c[2] >>> 48) | (c[3] << 3)) & M30;
    t[6] = ((c[3] >>> 27) | (c[4] << 24)) & M30;
    t[7] = (c[4] >>> 6) & M30;
    t[8] = c[4] >>> 36;
  }

  /**
   * A signed radix-2^30 value |d| &lt; 21·p (limbs of either sign, each below 2^31 in magnitude) to
   * a reduced radix-2^51 element: adds 22·p so that the value is positive and below 2^261, carries,
   * repacks, and folds the bits from 255 up back into limb 0 (2^255 ≡ 19).
   */
  private static void fromRadix30(long[] d, long[] r) {
    long[] t = new long[9];
    t[0] = d[0] + 22 * (M30 - 18);
    for (int i = 1; i < 8; i++) {
      t[i] = d[i] + 22 * M30;
    }
    t[8] = d[8] + 22 * ((1L << 15) - 1);
    for (int i = 0; i < 8; i++) {
      t[i + 1] += t[i] >> 30;
      t[i] &= M30;
    }
    // t[8] is now in [0, 2^21): the value is below 43·p < 2^261.
    long h0 = (t[0] | (t[1] << 30)) & Field25519.MASK51;
    long h1 = ((t[1] >>> 21) | (t[2] << 9) | (t[3] << 39)) & Field25519.MASK51;
    long h2 = ((t[3] >>> 12) | (t[4] << 18) | (t[5] << 48)) & Field25519.MASK51;
    long h3 = ((t[5] >>> 3) | (t[6] << 27)) & Field25519.MASK51;
    long h4 = (t[6] >>> 24) | (t[7] << 6) | (t[8] << 36);
    r[0] = h0 + 19 * (h4 >>> 51);
    r[1] = h1;
    r[2] = h2;
    r[3] = h3;
    r[4] = h4 & Field25519.MASK51;
  }

  /** x^−1 mod 2^30 for odd x, by Newton's iteration (each step doubles the correct low bits). */
  private static long inverseMod2To30(long x) {
    long y = x; // correct to 3 bits: x·x ≡ 1 (mod 8) for odd x
    for (int i = 0; i < 4; i++) {
      y *= 2 - x * y;
    }
    return y & M30;
  }
}
