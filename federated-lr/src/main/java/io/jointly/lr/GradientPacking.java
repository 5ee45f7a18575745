package io.jointly.lr;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The arithmetic of a partner's masked gradient, free of keys and channels.
 *
 * <p>A gradient entry {@code g_j = Σ_{i∈B} x_ij·d_i} is computed under encryption from integer
 * feature scalars {@code |x| < 2^31} and encrypted residuals {@code |d| < 2^48}, so {@code |g_j| <
 * 2^b} with {@code b = 79 + ⌈log2 |B|⌉}. The partner adds a mask {@code r_j} uniform in {@code
 * [2^b, 2^b + 2^(b+σ))}, σ = 40, making every slot value positive and below {@code 2^(b+σ+1)}, and
 * packs the slots into plaintexts of {@code ⌊(|n|−1)/W⌋} slots of {@code W = b + σ + 2} bits
 * (Horner's rule on ciphertexts: {@code acc ← acc·2^W + slot}). The packed plaintext is below
 * {@code 2^(|n|−1)}, so it decrypts exactly; the bank sees each {@code g_j + r_j}, which is within
 * statistical distance 2^−40 of the mask alone.
 */
final class GradientPacking {
  static final int STATISTICAL_BITS = 40;
  /** Feature scalars are below 2^31 in magnitude. */
  static final int FEATURE_SCALAR_BITS = 31;
  /** Encrypted residuals are below 2^48 in magnitude. */
  static final int RESIDUAL_SCALAR_BITS = 48;

  private GradientPacking() {}

  /** Bits b with |g_j| < 2^b for a batch of {@code batch} rows. */
  static int gradientBits(int batch) {
    int log = 32 - Integer.numberOfLeadingZeros(Math.max(1, batch) - 1);
    return FEATURE_SCALAR_BITS + RESIDUAL_SCALAR_BITS + log;
  }

  static int slotWidth(int batch) {
    return gradientBits(batch) + STATISTICAL_BITS + 2;
  }

  static int slotsPerPlaintext(int modulusBits, int batch) {
    int k = (modulusBits - 1) / slotWidth(batch);
    if (k < 1) {
      throw new IllegalArgumentException("the Paillier modulus is too small for a gradient slot");
    }
    return k;
  }

  static int plaintexts(int features, int modulusBits, int batch) {
    int per = slotsPerPlaintext(modulusBits, batch);
    return (features + per - 1) / per;
  }

  /** Fresh masks, uniform in [2^b, 2^b + 2^(b+σ)). */
  static BigInteger[] masks(int features, int batch, SecureRandom random) {
    int b = gradientBits(batch);
    BigInteger base = BigInteger.ONE.shiftLeft(b);
    BigInteger[] r = new BigInteger[features];
    for (int j = 0; j < features; j++) {
      r[j] = base.add(new BigInteger(b + STATISTICAL_BITS, random));
    }
    return r;
  }

  /** The signed gradient integers from opened packed plaintexts and the masks. */
  static BigInteger[] unmask(BigInteger[] opened, BigInteger[] masks, int modulusBits, int batch) {
    BigInteger[] slots =
        unpack(opened, masks.length, slotWidth(batch), slotsPerPlaintext(modulusBits, batch));
    BigInteger[] g = new BigInteger[masks.length];
    for (int j = 0; j < masks.length; j++) {
      g[j] = slots[j].subtract(masks[j]);
    }
    return g;
  }

  /**
   * The {@code count} slots of {@code width} bits packed by Horner's rule in groups of {@code per}:
   * a group's first value ends up in its highest slot.
   */
  static BigInteger[] unpack(BigInteger[] opened, int count, int width, int per) {
    BigInteger slotMask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    BigInteger[] out = new BigInteger[count];
    for (int j = 0; j < count; j++) {
      int p = j / per;
      int inGroup = Math.min(per, count - p * per);
      int slot = (inGroup - 1) - (j % per);
      out[j] = opened[p].shiftRight(slot * width).and(slotMask);
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
