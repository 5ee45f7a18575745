package io.jointly.group.internal;

import io.jointly.group.internal.Edwards25519.Point;
import java.math.BigInteger;

/** Points built independently of ristretto255 DECODE, for the tests. */
final class TestPoints {
  private TestPoints() {}

  /**
   * The edwards25519 base point of RFC 8032 §5.1: y = 4/5 and x the non-negative (even) root of x²
   * = (y² − 1)/(d·y² + 1). The ristretto255 generator is its image (RFC 9496 §4).
   */
  static Point basepoint() {
    BigInteger p = Field25519.P;
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(p)).mod(p);
    long[] fy = Field25519.fromBigInteger(y);
    long[] yy = Field25519.create();
    Field25519.square(fy, yy);
    long[] u = Field25519.create();
    long[] v = Field25519.create();
    Field25519.sub(yy, Field25519.of(1), u);
    Field25519.mul(Edwards25519.D, yy, v);
    Field25519.add(v, Field25519.of(1), v);
    long[] x = Field25519.create();
    if (Field25519.sqrtRatioM1(u, v, x) != 1) {
      throw new AssertionError("4/5 is not the y of a curve point");
    }
    return Point.fromAffine(x, fy);
  }

  /** Double-and-add over the bits of k, most significant first: a plain reference for k·p. */
  static Point doubleAndAdd(BigInteger k, Point p) {
    Point acc = new Point();
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      Edwards25519.dbl(acc, acc);
      if (k.testBit(i)) {
        Edwards25519.addPoints(acc, p, acc);
      }
    }
    return acc;
  }
}
