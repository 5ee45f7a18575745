package io.jointly.group.internal;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain {@link BigInteger} arithmetic on y^2 = x^3 + ax + b over GF(p), independent of Bouncy
 * Castle's curve classes: encodings, square tests, affine addition, and the malformed encodings the
 * P-256 and SM2 known-answer tests feed to {@code multiply}.
 */
record WeierstrassTestCurve(BigInteger p, BigInteger a, BigInteger b) {

  BigInteger g(BigInteger x) {
    return x.pow(3).add(a.multiply(x)).add(b).mod(p);
  }

  /** Euler's criterion; zero counts as a square (RFC 9380 §4 is_square). */
  boolean isSquare(BigInteger x) {
    BigInteger r = x.mod(p);
    return r.signum() == 0
        || r.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).equals(BigInteger.ONE);
  }

  /** A square root for p = 3 mod 4 (RFC 9380 §I.1), or null if x is not a square. */
  BigInteger sqrt(BigInteger x) {
    BigInteger r = x.mod(p).modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    return r.multiply(r).mod(p).equals(x.mod(p)) ? r : null;
  }

  boolean onCurve(BigInteger[] point) {
    return point[1].multiply(point[1]).mod(p).equals(g(point[0]));
  }

  /** Affine addition of two finite points that are not each other's negatives. */
  BigInteger[] add(BigInteger[] s, BigInteger[] t) {
    BigInteger lambda;
    if (s[0].equals(t[0])) {
      if (!s[1].equals(t[1]) || s[1].signum() == 0) {
        throw new ArithmeticException("sum is the point at infinity");
      }
      lambda =
          s[0].pow(2)
              .multiply(BigInteger.valueOf(3))
              .add(a)
              .multiply(s[1].shiftLeft(1).modInverse(p))
              .mod(p);
    } else {
      lambda = t[1].subtract(s[1]).multiply(t[0].subtract(s[0]).modInverse(p)).mod(p);
    }
    BigInteger x = lambda.pow(2).subtract(s[0]).subtract(t[0]).mod(p);
    BigInteger y = lambda.multiply(s[0].subtract(x)).subtract(s[1]).mod(p);
    return new BigInteger[] {x, y};
  }

  static byte[] fixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  /** SEC1 compressed encoding of a finite point. */
  static byte[] compressed(BigInteger x, BigInteger y) {
    byte[] out = new byte[33];
    out[0] = (byte) (y.testBit(0) ? 0x03 : 0x02);
    System.arraycopy(fixed32(x), 0, out, 1, 32);
    return out;
  }

  /** The smallest x >= start that is not the abscissa of a curve point. */
  BigInteger firstXNotOnCurve(BigInteger start) {
    BigInteger x = start;
    while (isSquare(g(x))) {
      x = x.add(BigInteger.ONE);
    }
    return x;
  }

  /** Malformed 1-to-65-byte strings derived from a valid compressed {@code element}, by reason. */
  Map<String, byte[]> invalidEncodings(byte[] element, byte[] uncompressed) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("empty", new byte[0]);
    out.put("infinity (single 0x00)", new byte[1]);
    out.put("33 zero bytes", new byte[33]);
    out.put("truncated to 32 bytes", Arrays.copyOf(element, 32));
    out.put("extended to 34 bytes", Arrays.copyOf(element, 34));
    out.put("x only, no prefix", Arrays.copyOfRange(element, 1, 33));
    out.put("uncompressed 65 bytes", uncompressed);
    for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0x82, 0xFF}) {
      byte[] e = element.clone();
      e[0] = (byte) prefix;
      out.put("prefix " + prefix, e);
    }
    byte[] notOnCurve = new byte[33];
    notOnCurve[0] = 0x02;
    BigInteger x = firstXNotOnCurve(new BigInteger(1, Arrays.copyOfRange(element, 1, 33)));
    System.arraycopy(fixed32(x), 0, notOnCurve, 1, 32);
    out.put("x not on the curve (0x02)", notOnCurve);
    byte[] notOnCurve3 = notOnCurve.clone();
    notOnCurve3[0] = 0x03;
    out.put("x not on the curve (0x03)", notOnCurve3);
    // x >= p: p, p + 1, p + x0 (x0 the smallest abscissa of a curve point, so x mod p is valid) and
    // 2^256 - 1.
    BigInteger x0 = BigInteger.ZERO;
    while (!isSquare(g(x0))) {
      x0 = x0.add(BigInteger.ONE);
    }
    for (BigInteger big :
        new BigInteger[] {
          p, p.add(BigInteger.ONE), p.add(x0), BigInteger.TWO.pow(256).subtract(BigInteger.ONE)
        }) {
      for (byte prefix : new byte[] {0x02, 0x03}) {
        byte[] e = new byte[33];
        e[0] = prefix;
        System.arraycopy(fixed32(big), 0, e, 1, 32);
        out.put("x >= p (" + big.subtract(p) + " above p, prefix " + prefix + ")", e);
      }
    }
    return out;
  }
}
