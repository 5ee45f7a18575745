package io.jointly.core;

import java.math.BigInteger;

/**
 * The one fixed-point encoding of real numbers shared by Paillier, secure aggregation and federated
 * logistic regression: a real {@code x} is the integer {@code round(x · 2^f)}, with {@code f} =
 * {@link #fractionalBits()}.
 *
 * <ul>
 *   <li><b>As a signed 64-bit integer</b> ({@link #encode(double)}, {@link #decode(long)}): an
 *       encodable value has {@code |round(x · 2^f)| ≤ 2^62}, so the sum of two encodings never
 *       overflows a {@code long}. The same bits are an element of Z_2^64 in two's complement:
 *       secure aggregation adds encodings modulo 2^64 and the decoded sum is exact as long as the
 *       true sum of the encodings lies in [−2^63, 2^63) — {@link #additionsWithin(double, int)}
 *       gives the number of additions that guarantees it.
 *   <li><b>Modulo a public modulus</b> such as a Paillier {@code n} ({@link #encode(double,
 *       BigInteger)}, {@link #decode(BigInteger, BigInteger)}): a negative value {@code v} is
 *       {@code n − |v|}, and decoding lifts a residue to the centred interval (−n/2, n/2]. Correct
 *       as long as the true (signed) result of the homomorphic computation has {@code |v| < n/2};
 *       the caller declares the number of additions and the scalar sizes and checks the bound with
 *       {@link #bitsFor(double, long)}.
 *   <li><b>Products</b> of two encodings carry {@code f1 + f2} fractional bits: decode them with
 *       {@link #times(FixedPoint)}.
 * </ul>
 *
 * <p>Resolution is {@code 2^−f}; rounding is to nearest, ties to even ({@link Math#rint}). The
 * default, {@link #DEFAULT}, has 24 fractional bits: resolution ≈ 6·10^−8, range ±2^38 ≈ ±2.7·10^11.
 *
 * <p>Error messages never contain the value being encoded. Immutable and thread-safe.
 */
public record FixedPoint(int fractionalBits) {

  /** Largest supported number of fractional bits (products of two 31-bit encodings fit). */
  public static final int MAX_FRACTIONAL_BITS = 62;

  /** 24 fractional bits: resolution 2^−24 ≈ 6·10^−8, |x| ≤ 2^38. */
  public static final FixedPoint DEFAULT = new FixedPoint(24);

  private static final double LIMIT = 0x1p62;

  /** Validates the number of fractional bits. */
  public FixedPoint {
    if (fractionalBits < 0 || fractionalBits > MAX_FRACTIONAL_BITS) {
      throw new IllegalArgumentException(
          "fractional bits must be in [0, " + MAX_FRACTIONAL_BITS + "], got " + fractionalBits);
    }
  }

  /** The smallest positive step, {@code 2^−f}. */
  public double resolution() {
    return Math.scalb(1.0, -fractionalBits);
  }

  /** The largest magnitude {@link #encode(double)} accepts, {@code 2^(62−f)}. */
  public double maxAbs() {
    return Math.scalb(1.0, 62 - fractionalBits);
  }

  /** The encoding of products of a value in this encoding and one in {@code other}. */
  public FixedPoint times(FixedPoint other) {
    return new FixedPoint(fractionalBits + other.fractionalBits);
  }

  /**
   * Encodes {@code x} as {@code round(x · 2^f)}.
   *
   * @throws IllegalArgumentException if {@code x} is NaN or infinite
   * @throws ArithmeticException if {@code |x| > maxAbs()}
   */
  public long encode(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("fixed-point: value is not finite");
    }
    double scaled = Math.rint(Math.scalb(x, fractionalBits));
    if (Math.abs(scaled) > LIMIT) {
      throw new ArithmeticException(
          "fixed-point overflow: a value exceeds the range ±2^" + (62 - fractionalBits));
    }
    return (long) scaled;
  }

  /** Decodes a signed 64-bit encoding (or a sum of encodings in Z_2^64). */
  public double decode(long encoded) {
    return Math.scalb((double) encoded, -fractionalBits);
  }

  /** Encodes {@code x} as a residue in [0, modulus): negative values become {@code modulus − |v|}. */
  public BigInteger encode(double x, BigInteger modulus) {
    requireModulus(modulus);
    BigInteger v = BigInteger.valueOf(encode(x));
    if (v.abs().shiftLeft(1).compareTo(modulus) >= 0) {
      throw new ArithmeticException("fixed-point overflow: a value does not fit the modulus");
    }
    return v.signum() < 0 ? v.add(modulus) : v;
  }

  /** Decodes a residue in [0, modulus) by lifting it to (−modulus/2, modulus/2] first. */
  public double decode(BigInteger residue, BigInteger modulus) {
    return Math.scalb(lift(residue, modulus).doubleValue(), -fractionalBits);
  }

  /** Decodes an unbounded signed integer encoding (for example a lifted homomorphic sum). */
  public double decode(BigInteger encoded) {
    return Math.scalb(encoded.doubleValue(), -fractionalBits);
  }

  /**
   * Lifts a residue in [0, modulus) to the centred representative in (−modulus/2, modulus/2].
   *
   * @throws IllegalArgumentException if the residue is outside [0, modulus)
   */
  public static BigInteger lift(BigInteger residue, BigInteger modulus) {
    requireModulus(modulus);
    if (residue.signum() < 0 || residue.compareTo(modulus) >= 0) {
      throw new IllegalArgumentException("fixed-point: residue outside [0, modulus)");
    }
    return residue.compareTo(modulus.shiftRight(1)) > 0 ? residue.subtract(modulus) : residue;
  }

  /**
   * Number of bits, sign included, that a sum of {@code additions} encodings of values with {@code
   * |x| ≤ maxAbs} needs: {@code ⌈log2(maxAbs·2^f + 1)⌉ + ⌈log2(additions)⌉ + 1}. A modulus of more
   * than this many bits (plus one for the centred lift) holds the sum without wrap-around.
   */
  public int bitsFor(double maxAbs, long additions) {
    if (!(maxAbs >= 0) || Double.isInfinite(maxAbs) || additions < 1) {
      throw new IllegalArgumentException("bitsFor needs maxAbs ≥ 0 and additions ≥ 1");
    }
    double scaled = Math.ceil(Math.scalb(maxAbs, fractionalBits)) + 1;
    int magnitude = Math.getExponent(scaled) + 1;
    int growth = 64 - Long.numberOfLeadingZeros(additions - 1);
    return magnitude + growth + 1;
  }

  /**
   * The number of encodings of values with {@code |x| ≤ maxAbs} that can be added in Z_2^64 (or a
   * {@code long}) and still decode exactly: at least 1 if a single value fits, 0 if it does not.
   */
  public long additionsWithin(double maxAbs, int ringBits) {
    if (ringBits < 2 || ringBits > 64) {
      throw new IllegalArgumentException("ring bits must be in [2, 64]");
    }
    if (!(maxAbs >= 0) || Double.isInfinite(maxAbs)) {
      throw new IllegalArgumentException("maxAbs must be finite and ≥ 0");
    }
    double scaledDouble = Math.ceil(Math.scalb(maxAbs, fractionalBits));
    if (scaledDouble > LIMIT) {
      return 0;
    }
    long scaled = (long) scaledDouble;
    if (scaled == 0) {
      return Long.MAX_VALUE;
    }
    long room = ringBits == 64 ? Long.MAX_VALUE : (1L << (ringBits - 1)) - 1; // |sum| < 2^(bits−1)
    return room / scaled;
  }

  private static void requireModulus(BigInteger modulus) {
    if (modulus.signum() <= 0 || modulus.bitLength() < 3) {
      throw new IllegalArgumentException("fixed-point: modulus must be at least 4");
    }
  }
}
