package io.jointly.group.internal;

import static io.jointly.group.internal.Field25519.abs;
import static io.jointly.group.internal.Field25519.add;
import static io.jointly.group.internal.Field25519.cmov;
import static io.jointly.group.internal.Field25519.create;
import static io.jointly.group.internal.Field25519.isNegative;
import static io.jointly.group.internal.Field25519.isZero;
import static io.jointly.group.internal.Field25519.mul;
import static io.jointly.group.internal.Field25519.neg;
import static io.jointly.group.internal.Field25519.one;
import static io.jointly.group.internal.Field25519.sqrtRatioM1;
import static io.jointly.group.internal.Field25519.square;
import static io.jointly.group.internal.Field25519.sub;

import io.jointly.group.internal.Edwards25519.Point;

/**
 * The ristretto255 group operations of RFC 9496 §4.3 on edwards25519 points in extended
 * coordinates: DECODE (§4.3.1), ENCODE (§4.3.2), EQUALS (§4.3.3) and element derivation with MAP
 * (§4.3.4). Each step is commented with the RFC's pseudo-code line it implements.
 *
 * <p>Constant-time: {@link #encode}, {@link #equal}, {@link #map} and {@link #fromUniformBytes}
 * have no branches or memory indexes that depend on their inputs. {@link #decode} computes every
 * validity condition of §4.3.1 in constant time and combines them into one flag; the caller then
 * branches on that flag, so whether an encoding is valid is visible in the timing, which is
 * harmless because a received encoding is public.
 *
 * <p>Stateless and thread-safe; each call works on its own temporaries.
 */
final class Ristretto255 {
  /** The length of an element encoding. */
  static final int ENCODED_LENGTH = 32;

  // RFC 9496 §4.1 constants, in decimal as printed there (the tests check each one's defining
  // equation). Never modified.
  static final long[] SQRT_AD_MINUS_ONE =
      Field25519.fromDecimal(
          "25063068953384623474111414158702152701244531502492656460079210482610430750235");
  static final long[] INVSQRT_A_MINUS_D =
      Field25519.fromDecimal(
          "54469307008909316920995813868745141605393597292927456921205312896311721017578");
  static final long[] ONE_MINUS_D_SQ =
      Field25519.fromDecimal(
          "1159843021668779879193775521855586647937357759715417654439879720876111806838");
  static final long[] D_MINUS_ONE_SQ =
      Field25519.fromDecimal(
          "40440834346308536858101042469323190826248399146238708352240133220865137265952");

  private static final long[] ONE = Field25519.of(1);

  private Ristretto255() {}

  /**
   * DECODE (RFC 9496 §4.3.1): sets {@code out} to the element encoded by the 32 bytes at {@code
   * in[off]} and returns 1, or returns 0 (leaving {@code out} unspecified) if they are not a valid
   * canonical encoding. Rejects exactly what the RFC rejects: s ≥ p, negative s, x² non-square,
   * negative t = x·y, y = 0. The all-zero encoding is valid (the identity).
   */
  static int decode(byte[] in, int off, Point out) {
    long[] s = create();
    // 1. Interpret the string as an integer s in little-endian; if s >= p, decoding fails.
    int ok = Field25519.decode(in, off, s);
    // 2. If IS_NEGATIVE(s) returns TRUE, decoding fails.
    ok &= 1 ^ isNegative(s);

    // 3. ss = s^2; u1 = 1 - ss; u2 = 1 + ss; u2_sqr = u2^2
    long[] ss = create();
    long[] u1 = create();
    long[] u2 = create();
    long[] u2Sqr = create();
    square(s, ss);
    sub(ONE, ss, u1);
    add(ONE, ss, u2);
    square(u2, u2Sqr);
    // v = -(D * u1^2) - u2_sqr
    long[] v = create();
    long[] t = create();
    square(u1, t);
    mul(Edwards25519.D, t, t);
    neg(t, t);
    sub(t, u2Sqr, v);
    // (was_square, invsqrt) = SQRT_RATIO_M1(1, v * u2_sqr)
    long[] invsqrt = create();
    mul(v, u2Sqr, t);
    int wasSquare = sqrtRatioM1(ONE, t, invsqrt);
    // den_x = invsqrt * u2; den_y = invsqrt * den_x * v
    long[] denX = create();
    long[] denY = create();
    mul(invsqrt, u2, denX);
    mul(invsqrt, denX, denY);
    mul(denY, v, denY);
    // x = CT_ABS(2 * s * den_x); y = u1 * den_y; t = x * y
    add(s, s, t);
    mul(t, denX, t);
    abs(t, out.x);
    mul(u1, denY, out.y);
    one(out.z);
    mul(out.x, out.y, out.t);

    // 4. Fails if was_square is FALSE, or IS_NEGATIVE(t), or y = 0.
    ok &= wasSquare;
    ok &= 1 ^ isNegative(out.t);
    ok &= 1 ^ isZero(out.y);
    return ok;
  }

  /** ENCODE (RFC 9496 §4.3.2): the 32-byte canonical encoding of p, written at {@code out[off]}. */
  static void encode(Point p, byte[] out, int off) {
    long[] u1 = create();
    long[] u2 = create();
    long[] t = create();
    long[] t2 = create();
    // u1 = (z0 + y0) * (z0 - y0); u2 = x0 * y0
    add(p.z, p.y, t);
    sub(p.z, p.y, t2);
    mul(t, t2, u1);
    mul(p.x, p.y, u2);
    // (_, invsqrt) = SQRT_RATIO_M1(1, u1 * u2^2)   (always square for a valid point)
    long[] invsqrt = create();
    square(u2, t);
    mul(u1, t, t);
    sqrtRatioM1(ONE, t, invsqrt);
    // den1 = invsqrt * u1; den2 = invsqrt * u2; z_inv = den1 * den2 * t0
    long[] den1 = create();
    long[] den2 = create();
    long[] zInv = create();
    mul(invsqrt, u1, den1);
    mul(invsqrt, u2, den2);
    mul(den1, den2, zInv);
    mul(zInv, p.t, zInv);
    // ix0 = x0 * SQRT_M1; iy0 = y0 * SQRT_M1; enchanted_denominator = den1 * INVSQRT_A_MINUS_D
    long[] ix0 = create();
    long[] iy0 = create();
    long[] enchanted = create();
    mul(p.x, Field25519.SQRT_M1, ix0);
    mul(p.y, Field25519.SQRT_M1, iy0);
    mul(den1, INVSQRT_A_MINUS_D, enchanted);
    // rotate = IS_NEGATIVE(t0 * z_inv)
    mul(p.t, zInv, t);
    int rotate = isNegative(t);
    // x = CT_SELECT(iy0 IF rotate ELSE x0); y = CT_SELECT(ix0 IF rotate ELSE y0); z = z0
    // den_inv = CT_SELECT(enchanted_denominator IF rotate ELSE den2)
    long[] x = create();
    long[] y = create();
    Field25519.carry(p.x, x);
    Field25519.carry(p.y, y);
    cmov(x, iy0, rotate);
    cmov(y, ix0, rotate);
    cmov(den2, enchanted, rotate);
    // y = CT_SELECT(-y IF IS_NEGATIVE(x * z_inv) ELSE y)
    mul(x, zInv, t);
    Field25519.cneg(y, isNegative(t), y);
    // s = CT_ABS(den_inv * (z - y))
    sub(p.z, y, t);
    mul(den2, t, t);
    abs(t, t);
    // Return the 32-byte little-endian encoding of s.
    Field25519.encode(t, out, off);
  }

  /** The canonical encoding of p as a new array. */
  static byte[] encode(Point p) {
    byte[] out = new byte[ENCODED_LENGTH];
    encode(p, out, 0);
    return out;
  }

  /** EQUALS (RFC 9496 §4.3.3): 1 if (x1·y2 == y1·x2) | (y1·y2 == x1·x2), else 0. */
  static int equal(Point a, Point b) {
    long[] l = create();
    long[] r = create();
    mul(a.x, b.y, l);
    mul(a.y, b.x, r);
    int e1 = Field25519.equal(l, r);
    mul(a.y, b.y, l);
    mul(a.x, b.x, r);
    int e2 = Field25519.equal(l, r);
    return e1 | e2;
  }

  /** Element derivation (RFC 9496 §4.3.4): out = MAP(b[0:32]) + MAP(b[32:64]). */
  static void fromUniformBytes(byte[] b, Point out) {
    if (b.length != 64) {
      throw new IllegalArgumentException("element derivation takes 64 bytes");
    }
    // 1. P1 = MAP(b[0:32]); 2. P2 = MAP(b[32:64]); 3. return P1 + P2
    Point p1 = new Point();
    Point p2 = new Point();
    map(b, 0, p1);
    map(b, 32, p2);
    Edwards25519.addPoints(p1, p2, out);
    p1.wipe();
    p2.wipe();
  }

  /** MAP (RFC 9496 §4.3.4) of the 32 bytes at {@code b[off]}. */
  static void map(byte[] b, int off, Point out) {
    // 1. Mask the most significant bit, interpret as little-endian, reduce mod p: t.
    long[] t = create();
    Field25519.fromBytes(b, off, t);
    // 2. r = SQRT_M1 * t^2
    long[] r = create();
    square(t, r);
    mul(Field25519.SQRT_M1, r, r);
    // u = (r + 1) * ONE_MINUS_D_SQ
    long[] u = create();
    add(r, ONE, u);
    mul(u, ONE_MINUS_D_SQ, u);
    // v = (-1 - r*D) * (r + D)
    long[] v = create();
    long[] w = create();
    mul(r, Edwards25519.D, w);
    add(w, ONE, w);
    neg(w, w);
    add(r, Edwards25519.D, v);
    mul(w, v, v);
    // (was_square, s) = SQRT_RATIO_M1(u, v)
    long[] s = create();
    int wasSquare = sqrtRatioM1(u, v, s);
    // s_prime = -CT_ABS(s*t); s = CT_SELECT(s IF was_square ELSE s_prime)
    long[] sPrime = create();
    mul(s, t, sPrime);
    abs(sPrime, sPrime);
    neg(sPrime, sPrime);
    cmov(sPrime, s, wasSquare);
    // c = CT_SELECT(-1 IF was_square ELSE r)
    long[] c = create();
    long[] minusOne = create();
    neg(ONE, minusOne);
    Field25519.carry(r, c);
    cmov(c, minusOne, wasSquare);
    // N = c * (r - 1) * D_MINUS_ONE_SQ - v
    long[] n = create();
    sub(r, ONE, n);
    mul(c, n, n);
    mul(n, D_MINUS_ONE_SQ, n);
    sub(n, v, n);
    // w0 = 2 * s * v; w1 = N * SQRT_AD_MINUS_ONE; w2 = 1 - s^2; w3 = 1 + s^2
    long[] w0 = create();
    long[] w1 = create();
    long[] w2 = create();
    long[] w3 = create();
    add(sPrime, sPrime, w0);
    mul(w0, v, w0);
    mul(n, SQRT_AD_MINUS_ONE, w1);
    square(sPrime, w);
    sub(ONE, w, w2);
    add(ONE, w, w3);
    // 3. Return (w0*w3, w2*w1, w1*w3, w0*w2).
    mul(w0, w3, out.x);
    mul(w2, w1, out.y);
    mul(w1, w3, out.z);
    mul(w0, w2, out.t);
  }
}
