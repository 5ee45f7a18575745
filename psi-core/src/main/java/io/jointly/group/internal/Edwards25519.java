package io.jointly.group.internal;

import static io.jointly.group.internal.Field25519.add;
import static io.jointly.group.internal.Field25519.cmov;
import static io.jointly.group.internal.Field25519.copy;
import static io.jointly.group.internal.Field25519.create;
import static io.jointly.group.internal.Field25519.cswap;
import static io.jointly.group.internal.Field25519.mul;
import static io.jointly.group.internal.Field25519.neg;
import static io.jointly.group.internal.Field25519.one;
import static io.jointly.group.internal.Field25519.square;
import static io.jointly.group.internal.Field25519.sub;
import static io.jointly.group.internal.Field25519.zero;

import java.util.Arrays;

/**
 * The twisted Edwards curve edwards25519, −x² + y² = 1 + d·x²·y² over GF(2^255 − 19) (RFC 7748
 * §4.1, RFC 8032 §5.1), the internal representation of ristretto255 (RFC 9496 §4).
 *
 * <p>Points are kept in the extended coordinates (X:Y:Z:T) of H. Hisil, K. K.-H. Wong, G. Carter
 * and E. Dawson, "Twisted Edwards Curves Revisited", ASIACRYPT 2008 (eprint 2008/522), with x =
 * X/Z, y = Y/Z, x·y = T/Z. Addition is their §3.1 unified formula for a = −1 with k = 2d
 * ("add-2008-hwcd-3"), doubling their §3.3 formula ("dbl-2008-hwcd"); both go through the
 * "completed" form ((E:G), (H:F)) so that a chain of doublings can skip the T coordinate. Since a =
 * −1 is a square and d is not a square in GF(p), the addition formula is complete: it has no
 * exceptional inputs (HWCD §3.1; Bernstein–Lange, "Faster addition and doubling on elliptic
 * curves", 2007, Theorem 3.3), so the identity and equal inputs need no special case.
 *
 * <p>{@link #scalarMul} is the constant-time variable-base multiplication: a signed radix-16 fixed
 * window with the multiples 1·P..8·P precomputed and read by a constant-time scan of the whole
 * table, as described for Ed25519 by D. J. Bernstein, N. Duif, T. Lange, P. Schwabe and B.-Y. Yang,
 * "High-speed high-security signatures", CHES 2011 / J. Cryptogr. Eng. 2012, §4 (there for the
 * fixed base; the same recoding and scan are used here for a variable base). 63 windows of four
 * doublings and one addition; no branch or memory index depends on the scalar or the point.
 *
 * <p>All types here are mutable work areas, confined to one thread and one operation.
 */
final class Edwards25519 {
  /** The curve constant d = −121665/121666, as given in RFC 9496 §4.1 (and RFC 8032 §5.1). */
  static final long[] D =
      Field25519.fromDecimal(
          "37095705934669439343138083508754565189542113879843219016388785533085940283555");

  /** The number of longs of one {@link Cached} point in a flattened table. */
  static final int TABLE_STRIDE = 20;

  // The identity (1, 1, 2, 0) in flattened Cached form. Never modified.
  private static final long[] IDENTITY_CACHED = new long[TABLE_STRIDE];

  static {
    IDENTITY_CACHED[0] = 1;
    IDENTITY_CACHED[5] = 1;
    IDENTITY_CACHED[10] = 2;
  }

  /** 2·d, reduced. */
  static final long[] D2 = create();

  static {
    add(D, D, D2);
    Field25519.carry(D2, D2);
  }

  private Edwards25519() {}

  /** A point (X:Y:Z:T) in extended coordinates, x = X/Z, y = Y/Z, x·y = T/Z, Z ≠ 0. */
  static final class Point {
    final long[] x = create();
    final long[] y = create();
    final long[] z = create();
    final long[] t = create();

    /** A new identity point (0:1:1:0). */
    Point() {
      setIdentity();
    }

    void setIdentity() {
      zero(x);
      one(y);
      one(z);
      zero(t);
    }

    void set(Point o) {
      copy(o.x, x);
      copy(o.y, y);
      copy(o.z, z);
      copy(o.t, t);
    }

    /** The point (x, y) from affine coordinates, which must be on the curve. For tests. */
    static Point fromAffine(long[] ax, long[] ay) {
      Point p = new Point();
      copy(ax, p.x);
      copy(ay, p.y);
      one(p.z);
      mul(ax, ay, p.t);
      return p;
    }

    void wipe() {
      Arrays.fill(x, 0);
      Arrays.fill(y, 0);
      Arrays.fill(z, 0);
      Arrays.fill(t, 0);
    }

    @Override
    public String toString() {
      return "Edwards25519.Point[redacted]";
    }
  }

  /** A point prepared as an addend: (Y + X, Y − X, 2·Z, 2d·T). */
  static final class Cached {
    final long[] yPlusX = create();
    final long[] yMinusX = create();
    final long[] z2 = create();
    final long[] t2d = create();

    /** The identity (1, 1, 2, 0). */
    void setIdentity() {
      one(yPlusX);
      one(yMinusX);
      zero(z2);
      z2[0] = 2;
      zero(t2d);
    }

    /** Writes the four coordinates to {@code dst[off..off + TABLE_STRIDE)}. */
    void store(long[] dst, int off) {
      System.arraycopy(yPlusX, 0, dst, off, 5);
      System.arraycopy(yMinusX, 0, dst, off + 5, 5);
      System.arraycopy(z2, 0, dst, off + 10, 5);
      System.arraycopy(t2d, 0, dst, off + 15, 5);
    }

    /** Reads the four coordinates from {@code src[off..off + TABLE_STRIDE)}. */
    void load(long[] src, int off) {
      System.arraycopy(src, off, yPlusX, 0, 5);
      System.arraycopy(src, off + 5, yMinusX, 0, 5);
      System.arraycopy(src, off + 10, z2, 0, 5);
      System.arraycopy(src, off + 15, t2d, 0, 5);
    }

    void wipe() {
      Arrays.fill(yPlusX, 0);
      Arrays.fill(yMinusX, 0);
      Arrays.fill(z2, 0);
      Arrays.fill(t2d, 0);
    }

    @Override
    public String toString() {
      return "Edwards25519.Cached[redacted]";
    }
  }

  /**
   * The "completed" result ((E:G), (H:F)) of HWCD's formulas before the final multiplications: x =
   * E/G, y = H/F; then X = E·F, Y = G·H, Z = F·G, T = E·H. Holds one scratch element.
   */
  static final class Completed {
    final long[] e = create();
    final long[] f = create();
    final long[] g = create();
    final long[] h = create();
    final long[] s = create();

    void wipe() {
      Arrays.fill(e, 0);
      Arrays.fill(f, 0);
      Arrays.fill(g, 0);
      Arrays.fill(h, 0);
      Arrays.fill(s, 0);
    }

    @Override
    public String toString() {
      return "Edwards25519.Completed[redacted]";
    }
  }

  /** c = (Y + X, Y − X, 2Z, 2d·T) of p. */
  static void toCached(Point p, Cached c) {
    add(p.y, p.x, c.yPlusX);
    sub(p.y, p.x, c.yMinusX);
    add(p.z, p.z, c.z2);
    mul(p.t, D2, c.t2d);
  }

  /**
   * r = p + q (HWCD 2008 §3.1, a = −1, k = 2d): A = (Y1 − X1)(Y2 − X2), B = (Y1 + X1)(Y2 + X2), C =
   * T1·2d·T2, D = Z1·2·Z2, E = B − A, F = D − C, G = D + C, H = B + A. {@code r} must not share
   * arrays with {@code p}.
   */
  static void addCached(Point p, Cached q, Completed r) {
    sub(p.y, p.x, r.s);
    mul(r.s, q.yMinusX, r.s); //    A
    add(p.y, p.x, r.h);
    mul(r.h, q.yPlusX, r.h); //     B
    sub(r.h, r.s, r.e); //          E = B − A
    add(r.h, r.s, r.h); //          H = B + A
    mul(p.t, q.t2d, r.s); //        C
    mul(p.z, q.z2, r.g); //         D
    sub(r.g, r.s, r.f); //          F = D − C
    add(r.g, r.s, r.g); //          G = D + C
  }

  /**
   * r = 2p (HWCD 2008 §3.3, a = −1), reading only X, Y, Z of p: A = X², B = Y², C = 2Z², D = −A, E
   * = (X + Y)² − A − B, G = D + B, F = G − C, H = D − B. All four of E, F, G, H are stored negated,
   * which represents the same point (X = EF, Y = GH, Z = FG, T = EH are unchanged) and saves a
   * negation: −E = (A + B) − (X + Y)², −F = C + (A − B), −G = A − B, −H = A + B. {@code r} must not
   * share arrays with {@code p}.
   */
  static void dbl(Point p, Completed r) {
    square(p.x, r.s); //            A
    square(p.y, r.f); //            B
    add(r.s, r.f, r.h); //          −H = A + B
    sub(r.s, r.f, r.g); //          −G = A − B
    add(p.x, p.y, r.e);
    square(r.e, r.e); //            (X + Y)²
    sub(r.h, r.e, r.e); //          −E = A + B − (X + Y)²
    square(p.z, r.s);
    add(r.s, r.s, r.s); //          C = 2Z²
    add(r.s, r.g, r.f); //          −F = C + A − B   (limbs below 2^53: a valid mul input)
  }

  /** p = r in extended coordinates: X = E·F, Y = G·H, Z = F·G, T = E·H. */
  static void toExtended(Completed r, Point p) {
    mul(r.e, r.f, p.x);
    mul(r.g, r.h, p.y);
    mul(r.f, r.g, p.z);
    mul(r.e, r.h, p.t);
  }

  /**
   * p = r in projective coordinates (X:Y:Z); p.t is left stale, so only {@link #dbl} may follow.
   */
  static void toProjective(Completed r, Point p) {
    mul(r.e, r.f, p.x);
    mul(r.g, r.h, p.y);
    mul(r.f, r.g, p.z);
  }

  /** out = a + b. Convenience for non-hot paths; out may be a or b. */
  static void addPoints(Point a, Point b, Point out) {
    Cached c = new Cached();
    Completed r = new Completed();
    toCached(b, c);
    addCached(a, c, r);
    toExtended(r, out);
  }

  /** out = 2a. Convenience for non-hot paths; out may be a. */
  static void dbl(Point a, Point out) {
    Completed r = new Completed();
    dbl(a, r);
    toExtended(r, out);
  }

  /** out = −a = (−X : Y : Z : −T). */
  static void negate(Point a, Point out) {
    neg(a.x, out.x);
    copy(a.y, out.y);
    copy(a.z, out.z);
    neg(a.t, out.t);
  }

  /**
   * out = k·p for a 32-byte little-endian scalar k below 2^255, in constant time (see the class
   * comment). k is typically below the group order ℓ but need not be reduced. {@code out} may be
   * {@code p}.
   *
   * @throws IllegalArgumentException if k is not 32 bytes or has bit 255 set
   */
  static void scalarMul(byte[] k, Point p, Point out) {
    if (k.length != 32 || (k[31] & 0x80) != 0) {
      throw new IllegalArgumentException("scalar must be 32 bytes below 2^255");
    }
    // Signed radix-16 recoding (BDLSY 2012 §4): k = Σ e[i]·16^i with e[i] ∈ [−8, 7] for i < 63
    // and e[63] ∈ [0, 8] (bit 255 clear). Arithmetic only, no branches.
    byte[] e = new byte[64];
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (k[i] & 15);
      e[2 * i + 1] = (byte) ((k[i] >>> 4) & 15);
    }
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      int v = e[i] + carry;
      carry = (v + 8) >> 4;
      e[i] = (byte) (v - (carry << 4));
    }
    e[63] = (byte) (e[63] + carry);

    // table holds (j + 1)·p for j = 0..7 in Cached form, flattened (TABLE_STRIDE longs each) so
    // that the constant-time scan in select() is one simple loop the JIT can vectorise.
    long[] table = new long[8 * TABLE_STRIDE];
    Point q = new Point();
    Completed r = new Completed();
    Cached c = new Cached();
    Cached p1 = new Cached();
    q.set(p);
    toCached(q, p1);
    p1.store(table, 0);
    dbl(q, r);
    toExtended(r, q); //                         2p
    toCached(q, c);
    c.store(table, TABLE_STRIDE);
    for (int j = 2; j < 8; j++) {
      addCached(q, p1, r);
      toExtended(r, q); //                       (j + 1)p
      toCached(q, c);
      c.store(table, j * TABLE_STRIDE);
    }

    Cached sel = new Cached();
    long[] tmp = new long[TABLE_STRIDE];
    q.setIdentity();
    select(table, e[63], sel, tmp);
    addCached(q, sel, r);
    toProjective(r, q);
    for (int i = 62; i >= 0; i--) {
      // q = 16·q: the first three doublings need only (X:Y:Z); the addition needs T.
      dbl(q, r);
      toProjective(r, q);
      dbl(q, r);
      toProjective(r, q);
      dbl(q, r);
      toProjective(r, q);
      dbl(q, r);
      toExtended(r, q);
      // q = q + e[i]·p; only the last result needs T (the next window starts by doubling).
      select(table, e[i], sel, tmp);
      addCached(q, sel, r);
      if (i > 0) { //                           public loop index, not secret
        toProjective(r, q);
      } else {
        toExtended(r, q);
      }
    }
    out.set(q);

    Arrays.fill(e, (byte) 0);
    Arrays.fill(table, 0);
    c.wipe();
    p1.wipe();
    sel.wipe();
    q.wipe();
    r.wipe();
    Arrays.fill(tmp, 0);
  }

  /**
   * out = digit·p from the flattened table of (j + 1)·p, j = 0..7, for digit ∈ [−8, 8], in constant
   * time: every entry is read and merged with a mask, and the sign is applied by a masked swap and
   * negation. {@code tmp} is a work array of {@link #TABLE_STRIDE} longs.
   */
  // All ones if a == b, else 0, for a, b in [0, 15]; no branch.
  private static long eqMask(int a, int b) {
    return -(long) (((a ^ b) - 1) >>> 31);
  }

  static void select(long[] table, int digit, Cached out, long[] tmp) {
    int negative = digit >>> 31; //                 1 if digit < 0
    int abs = (digit ^ -negative) + negative;
    long[] acc = tmp;
    // m_j is all ones iff abs == j (both in [0, 8]); exactly one mask is set.
    long m0 = eqMask(abs, 0);
    long m1 = eqMask(abs, 1);
    long m2 = eqMask(abs, 2);
    long m3 = eqMask(abs, 3);
    long m4 = eqMask(abs, 4);
    long m5 = eqMask(abs, 5);
    long m6 = eqMask(abs, 6);
    long m7 = eqMask(abs, 7);
    long m8 = eqMask(abs, 8);
    final int s = TABLE_STRIDE;
    for (int k = 0; k < s; k++) {
      acc[k] =
          (IDENTITY_CACHED[k] & m0)
              | (table[k] & m1)
              | (table[s + k] & m2)
              | (table[2 * s + k] & m3)
              | (table[3 * s + k] & m4)
              | (table[4 * s + k] & m5)
              | (table[5 * s + k] & m6)
              | (table[6 * s + k] & m7)
              | (table[7 * s + k] & m8);
    }
    out.load(acc, 0);
    // −(Y + X, Y − X, 2Z, 2dT) = (Y − X, Y + X, 2Z, −2dT)
    cswap(out.yPlusX, out.yMinusX, negative);
    neg(out.t2d, acc);
    cmov(out.t2d, acc, negative);
  }
}
