package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The share arithmetic against plain computation. */
class SharesMathPropertyTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Property(tries = 300)
  void floorShift_maskedValue_sharesTruncateToTheValueWithinOneUnit(
      @ForAll long value, @ForAll @IntRange(min = 1, max = 60) int t, @ForAll @IntRange(min = 64, max = 200) int maskBits) {
    BigInteger v = BigInteger.valueOf(value);
    BigInteger m = SharesMath.mask(maskBits, RANDOM);
    BigInteger opened = SharesMath.floorShift(v.add(m), t);
    BigInteger kept = SharesMath.floorShift(m, t).negate();
    BigInteger diff = opened.add(kept).subtract(SharesMath.floorShift(v, t));
    assertThat(diff).isIn(BigInteger.ZERO, BigInteger.ONE);
  }

  @Property(tries = 300)
  void mask_anyWidth_isInTheHalfOpenSignedRange(@ForAll @IntRange(min = 2, max = 300) int bits) {
    BigInteger m = SharesMath.mask(bits, RANDOM);
    assertThat(m.compareTo(BigInteger.ONE.shiftLeft(bits - 1).negate())).isGreaterThanOrEqualTo(0);
    assertThat(m.compareTo(BigInteger.ONE.shiftLeft(bits - 1))).isLessThan(0);
  }

  @Property(tries = 200)
  void unpack_packedSignedSlots_returnsThem(@ForAll long seed, @ForAll @IntRange(min = 1, max = 17) int count, @ForAll @IntRange(min = 8, max = 140) int width) {
    Random rnd = new Random(seed);
    BigInteger[] slots = new BigInteger[count];
    for (int j = 0; j < count; j++) {
      slots[j] = new BigInteger(width - 1, rnd).subtract(BigInteger.ONE.shiftLeft(width - 2));
    }
    BigInteger packed = SharesMath.pack(slots, width);
    BigInteger n = BigInteger.ONE.shiftLeft(width * count + 3).add(BigInteger.valueOf(12345));
    // Through a modulus and back, as a decryption's centred lift does.
    BigInteger lifted = io.jointly.core.FixedPoint.lift(packed.mod(n), n);
    assertThat(SharesMath.unpack(lifted, count, width)).containsExactly(slots);
  }

  @Property(tries = 100)
  void unpack_bitsAboveTheLastSlot_throws(@ForAll @IntRange(min = 1, max = 10) int count, @ForAll @IntRange(min = 8, max = 100) int width) {
    BigInteger tooBig = BigInteger.ONE.shiftLeft(width * count + 1);
    assertThatThrownBy(() -> SharesMath.unpack(tooBig, count, width)).isInstanceOf(ArithmeticException.class);
  }

  /** Scores shared modulo 2^64 and truncated locally, as FORWARD does: off by at most one unit modulo the period. */
  @Property(tries = 500)
  void forwardTruncation_ringSharesOfAProduct_residuesSumToTheShiftedProductModuloThePeriod(
      @ForAll long product, @ForAll long bankShare, @ForAll long partnerLowBitsNoise, @ForAll SecretSharedLrParameters.Sigmoid kind) {
    SharesLayout layout = SharesLayout.of(256, 0, 2048, SharesSigmoid.of(kind));
    // The partner's share agrees with product − bankShare modulo the forward ring only (its weight shares enter reduced).
    long partnerShare = (product - bankShare) ^ (partnerLowBitsNoise << layout.forwardRingBits());
    long mask = (1L << layout.scoreResidueBits()) - 1;
    long a = (bankShare >>> SharesLayout.T_FORWARD) & mask;
    long b = (partnerShare >>> SharesLayout.T_FORWARD) & mask;
    long want = (product >> SharesLayout.T_FORWARD) & mask;
    assertThat((a + b) & mask).isIn(want, (want - 1) & mask);
  }

  /** The inner product the OTs compute, on shares reduced modulo the period, is σ̂ of their sum. */
  @Property(tries = 300)
  void fourierTerms_integerSharesOfAScore_innerProductIsTheSigmoidOfTheScore(
      @ForAll @DoubleRange(min = -60, max = 60) double z, @ForAll long seed, @ForAll SecretSharedLrParameters.Sigmoid kind) {
    SharesSigmoid sigmoid = SharesSigmoid.of(kind);
    BigInteger scaled = BigInteger.valueOf(Math.round(Math.scalb(z, SharesLayout.F_Z)));
    BigInteger bankShare = new BigInteger(90, new Random(seed)).subtract(BigInteger.ONE.shiftLeft(89));
    BigInteger partnerShare = scaled.subtract(bankShare);
    double[] u = sigmoid.bankTerms(sigmoid.angle(bankShare, SharesLayout.F_Z));
    double[] v = sigmoid.partnerTerms(sigmoid.angle(partnerShare, SharesLayout.F_Z));
    double s = 0.5;
    for (int k = 0; k < u.length; k++) {
      s += u[k] * v[k];
    }
    assertThat(s).isCloseTo(sigmoid.value(Math.scalb(scaled.doubleValue(), -SharesLayout.F_Z)), within(1e-9));
  }

  /** The same in the protocol's fixed point: terms quantised to F_U and F_V bits, u scaled as the bank scales it. */
  @Property(tries = 300)
  void fourierTerms_fixedPoint_errorWithinTheQuantisationBound(
      @ForAll @DoubleRange(min = -48, max = 48) double z,
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0.01, max = 8) double scale,
      @ForAll SecretSharedLrParameters.Sigmoid kind) {
    SharesSigmoid sigmoid = SharesSigmoid.of(kind);
    BigInteger scaled = BigInteger.valueOf(Math.round(Math.scalb(z, SharesLayout.F_Z)));
    BigInteger bankShare = new BigInteger(90, new Random(seed)).subtract(BigInteger.ONE.shiftLeft(89));
    BigInteger partnerShare = scaled.subtract(bankShare);
    double[] u = sigmoid.bankTerms(sigmoid.angle(bankShare, SharesLayout.F_Z));
    double[] v = sigmoid.partnerTerms(sigmoid.angle(partnerShare, SharesLayout.F_Z));
    long acc = 0;
    for (int k = 0; k < u.length; k++) {
      long uk = Math.round(Math.scalb(scale * u[k], SharesLayout.F_U));
      long vk = Math.round(Math.scalb(v[k], SharesLayout.F_V));
      acc += uk * vk;
    }
    double got = Math.scalb((double) acc, -SharesLayout.F_D) / scale;
    double want = sigmoid.value(Math.scalb(scaled.doubleValue(), -SharesLayout.F_Z)) - 0.5;
    // 2K terms, each off by ≤ |u|·2^−(F_V+1) + 2^−(F_U+1)/scale.
    assertThat(got).isCloseTo(want, within(u.length * (Math.scalb(1.0, -SharesLayout.F_V - 1) + Math.scalb(1.0, -SharesLayout.F_U - 1) / scale)));
  }
}
