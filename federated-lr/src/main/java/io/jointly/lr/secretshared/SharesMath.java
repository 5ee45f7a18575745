package io.jointly.lr.secretshared;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The arithmetic of secret-shared training ({@link SecretSharedLr}), free of keys and channels.
 *
 * <h2>Shares</h2>
 *
 * A real value {@code v} is a fixed-point integer {@code V = round(v·2^f)} ({@link
 * io.jointly.core.FixedPoint}'s rounding), held as two <em>integer</em> additive shares {@code V =
 * V_bank + V_partner} over ℤ (not modulo anything). Shares arise only by masking: a party that
 * knows {@code |V| < 2^k} adds a uniform mask {@code m ∈ [−2^(k+σ), 2^(k+σ))} ({@link #mask}) and
 * its peer's view {@code V + m} is within statistical distance {@code 2^−σ} of {@code m} alone, with
 * {@link #STATISTICAL_BITS σ = 40}. Integer shares, unlike shares modulo 2^64, can be truncated
 * without a protocol and without the catastrophic wrap-around of local truncation in a ring:
 * {@code ⌊(V + m)/2^t⌋ − ⌊m/2^t⌋ ∈ {⌊V/2^t⌋, ⌊V/2^t⌋ + 1}} for all integers ({@link
 * #floorShift}), so the party that opens {@code V + m} and the party that chose {@code m} each
 * shift their own part and together hold {@code V/2^t} within one unit in the last place.
 *
 * <h2>Packing</h2>
 *
 * Many signed slots per Paillier plaintext as balanced digits, {@code Σ_j s_j·2^(W·j)} ({@link
 * #pack}, {@link #unpack}); {@link SharesLayout} fixes every slot width from the public bounds so
 * that the packed value stays below {@code 2^(|n|−2)} and lifts exactly from {@code mod n}.
 *
 * <p>Stateless; thread-safe.
 */
final class SharesMath {
  /** σ: every mask has this many bits of slack over the value it hides. */
  static final int STATISTICAL_BITS = 40;

  private SharesMath() {}

  /** A uniform mask in {@code [−2^(bits−1), 2^(bits−1))}, from {@code random}. */
  static BigInteger mask(int bits, SecureRandom random) {
    return new BigInteger(bits, random).subtract(BigInteger.ONE.shiftLeft(bits - 1));
  }

  /** {@code ⌊v / 2^t⌋} (rounding towards −∞, also for negative v). */
  static BigInteger floorShift(BigInteger v, int t) {
    return v.shiftRight(t); // BigInteger.shiftRight floors
  }

  /** {@code Σ_j slots[j]·2^(width·j)}: a signed integer (balanced digits). */
  static BigInteger pack(BigInteger[] slots, int width) {
    BigInteger acc = BigInteger.ZERO;
    for (int j = slots.length - 1; j >= 0; j--) {
      acc = acc.shiftLeft(width).add(slots[j]);
    }
    return acc;
  }

  /**
   * The {@code count} balanced base-{@code 2^width} digits of a signed packed value, lowest first,
   * each in {@code [−2^(width−1), 2^(width−1))}.
   *
   * @throws ArithmeticException if bits remain above the last digit
   */
  static BigInteger[] unpack(BigInteger value, int count, int width) {
    BigInteger base = BigInteger.ONE.shiftLeft(width);
    BigInteger half = BigInteger.ONE.shiftLeft(width - 1);
    BigInteger low = base.subtract(BigInteger.ONE);
    BigInteger rest = value;
    BigInteger[] out = new BigInteger[count];
    for (int j = 0; j < count; j++) {
      BigInteger d = rest.and(low);
      if (d.compareTo(half) >= 0) {
        d = d.subtract(base);
      }
      out[j] = d;
      rest = rest.subtract(d).shiftRight(width);
    }
    if (rest.signum() != 0) {
      throw new ArithmeticException("packed value out of range");
    }
    return out;
  }

  /** Bits b with {@code |v| < 2^b} (b ≥ 1). */
  static int magnitudeBits(BigInteger v) {
    return Math.max(1, v.abs().bitLength());
  }

  /** ⌈log2 n⌉ for n ≥ 1. */
  static int ceilLog2(long n) {
    return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
  }

  /** {@code round(x·2^bits)} as a long; refuses values with {@code |x| ≥ 2^limitBits}. */
  static long encode(double x, int bits, int limitBits) {
    if (!Double.isFinite(x) || !(Math.abs(x) < Math.scalb(1.0, limitBits))) {
      throw new ArithmeticException("a value exceeds the fixed-point range ±2^" + limitBits);
    }
    return (long) Math.rint(Math.scalb(x, bits));
  }

  /** A fixed-point integer decoded with {@code bits} fractional bits. */
  static double decode(BigInteger v, int bits) {
    return Math.scalb(v.doubleValue(), -bits);
  }
}
