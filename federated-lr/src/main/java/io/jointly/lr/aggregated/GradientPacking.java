package io.jointly.lr.aggregated;

import java.math.BigInteger;

/**
 * The arithmetic of the encrypted gradient, free of keys and channels.
 *
 * <p>A partner encodes each of its training rows as integer feature scalars {@code |x| < 2^31}
 * ({@link #featureScalar}) and packs a group of them into one plaintext in balanced base
 * {@code 2^W}: {@code P = Σ_j x_j·2^(W·j)} (negative digits allowed), encrypted once under its own
 * key. For a batch B the bank, holding integer residuals {@code |d| < 2^48} ({@link
 * #residualScalar}), computes {@code Π_i [[P_i]]^(d_i) = [[Σ_j g_j·2^(W·j)]]} with {@code g_j =
 * Σ_{i∈B} d_i·x_ij}, a whole group of gradient entries in one multi-exponentiation. Each {@code
 * |g_j| < 2^b} with {@code b = 79 + ⌈log2 |B|⌉}, so with {@code W = b + 2} the packed value has
 * magnitude below {@code 2^(W·k − 1)} for k slots and, as long as {@code W·k ≤ |n| − 2}, its
 * centred lift modulo n is the integer itself; {@link #unpack} reads the balanced digits back.
 */
final class GradientPacking {
  /** Feature scalars are below 2^31 in magnitude. */
  static final int FEATURE_SCALAR_BITS = 31;
  /** Residual scalars are below 2^48 in magnitude. */
  static final int RESIDUAL_SCALAR_BITS = 48;

  private GradientPacking() {}

  /** Bits b with |g_j| < 2^b for batches of at most {@code batch} rows. */
  static int gradientBits(int batch) {
    int log = 32 - Integer.numberOfLeadingZeros(Math.max(1, batch) - 1);
    return FEATURE_SCALAR_BITS + RESIDUAL_SCALAR_BITS + log;
  }

  static int slotWidth(int batch) {
    return gradientBits(batch) + 2;
  }

  static int slotsPerPlaintext(int modulusBits, int batch) {
    int k = (modulusBits - 2) / slotWidth(batch);
    if (k < 1) {
      throw new IllegalArgumentException("the Paillier modulus is too small for a gradient slot");
    }
    return k;
  }

  static int plaintexts(int features, int modulusBits, int batch) {
    int per = slotsPerPlaintext(modulusBits, batch);
    return (features + per - 1) / per;
  }

  /** {@code Σ_j scalars[from + j]·2^(W·j)} for the group's columns (a signed integer). */
  static BigInteger pack(long[] scalars, int from, int count, int width) {
    BigInteger acc = BigInteger.ZERO;
    for (int j = count - 1; j >= 0; j--) {
      acc = acc.shiftLeft(width).add(BigInteger.valueOf(scalars[from + j]));
    }
    return acc;
  }

  /**
   * The {@code count} balanced base-{@code 2^width} digits of a signed packed value, each in
   * {@code [−2^(width−1), 2^(width−1))}, lowest first.
   *
   * @throws ArithmeticException if the value has more digits than {@code count} (it was not
   *     produced within the bounds)
   */
  static BigInteger[] unpack(BigInteger value, int count, int width) {
    BigInteger base = BigInteger.ONE.shiftLeft(width);
    BigInteger half = BigInteger.ONE.shiftLeft(width - 1);
    BigInteger mask = base.subtract(BigInteger.ONE);
    BigInteger rest = value;
    BigInteger[] out = new BigInteger[count];
    for (int j = 0; j < count; j++) {
      BigInteger digit = rest.and(mask); // two's complement: works for negative rest too
      if (digit.compareTo(half) >= 0) {
        digit = digit.subtract(base);
      }
      out[j] = digit;
      rest = rest.subtract(digit).shiftRight(width);
    }
    if (rest.signum() != 0) {
      throw new ArithmeticException("packed value out of range");
    }
    return out;
  }

  /** Encodes a feature value as an integer scalar; refuses values outside |x| < 2^(31−bits). */
  static long featureScalar(double x, int bits) {
    double scaled = Math.rint(Math.scalb(x, bits));
    if (!(Math.abs(scaled) < 0x1p31)) {
      throw new ArithmeticException("a feature value exceeds the fixed-point range ±2^" + (31 - bits));
    }
    return (long) scaled;
  }

  /** Encodes a residual; refuses values outside |d| < 2^(48−bits). */
  static long residualScalar(double d, int bits) {
    double scaled = Math.rint(Math.scalb(d, bits));
    if (!(Math.abs(scaled) < 0x1p48)) {
      throw new ArithmeticException("a residual exceeds the fixed-point range; lower the class weights");
    }
    return (long) scaled;
  }
}
