package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The layout's bounds: worst-case slot contents fit, and a row's features pack densely enough. */
class SharesLayoutTest {

  @Test
  void of_batchOf256_packsFifteenColumnsPerPlaintext() {
    SharesLayout l = SharesLayout.of(256, SharesLayout.etaBits(0.5), 2048, SharesSigmoid.STANDARD);
    assertThat(l.columnsPerPlaintext()).isEqualTo(15);
    assertThat(l.padBits()).isLessThanOrEqualTo(127);
    assertThat(l.forwardRingBits()).isEqualTo(45);
    assertThat(l.scoreResidueBits()).isEqualTo(21);
    assertThat(l.otsPerRow()).isEqualTo(256);
    // Scores modulo the period after the forward shift need the products modulo 2^45 only.
    assertThat(l.forwardRingBits()).isEqualTo(SharesLayout.T_FORWARD + l.scoreResidueBits());
  }

  @Test
  void of_wideSigmoid_twoMoreRingBitsThreeTimesTheOtsSamePackingAtEtaOne() {
    SharesLayout standard = SharesLayout.of(256, SharesLayout.etaBits(1), 2048, SharesSigmoid.STANDARD);
    SharesLayout wide = SharesLayout.of(256, SharesLayout.etaBits(1), 2048, SharesSigmoid.WIDE);
    assertThat(wide.forwardRingBits()).isEqualTo(47).isEqualTo(SharesLayout.T_FORWARD + wide.scoreResidueBits());
    assertThat(wide.scoreResidueBits()).isEqualTo(23);
    assertThat(wide.otsPerRow()).isEqualTo(3 * standard.otsPerRow()).isEqualTo(768);
    assertThat(wide.padBits()).isEqualTo(standard.padBits());
    assertThat(wide.residualShareBits()).isEqualTo(standard.residualShareBits() + 2);
    assertThat(wide.backwardSlotBits()).isEqualTo(standard.backwardSlotBits() + 2);
    assertThat(wide.columnsPerPlaintext()).isEqualTo(15);
    // At η = 2 the wide slot no longer fits 15 times into a 2,048-bit plaintext.
    assertThat(SharesLayout.of(256, SharesLayout.etaBits(2), 2048, SharesSigmoid.WIDE).columnsPerPlaintext()).isEqualTo(14);
  }

  @ParameterizedTest
  @EnumSource(SecretSharedLrParameters.Sigmoid.class)
  void backwardSlot_worstCaseContent_fitsWithAMarginOfTwoBits(SecretSharedLrParameters.Sigmoid kind) {
    for (int batch : new int[] {1, 256, 1 << 16}) {
      SharesLayout l = SharesLayout.of(batch, 4, 2048, SharesSigmoid.of(kind));
      BigInteger data = BigInteger.ONE.shiftLeft(SharesLayout.X_BITS + l.residualShareBits()).multiply(BigInteger.valueOf(batch));
      BigInteger weight = BigInteger.ONE.shiftLeft(SharesLayout.T_BACKWARD + 1 + l.weightShareBits());
      BigInteger worst = data.add(weight).add(BigInteger.ONE.shiftLeft(l.backwardMaskBits() - 1));
      assertThat(worst.bitLength()).isLessThanOrEqualTo(l.backwardSlotBits() - 1);
    }
  }

  @ParameterizedTest
  @EnumSource(SecretSharedLrParameters.Sigmoid.class)
  void residualShare_worstCaseSumOfPadsAndLocalTerms_fits(SecretSharedLrParameters.Sigmoid kind) {
    SharesSigmoid sigmoid = SharesSigmoid.of(kind);
    SharesLayout l = SharesLayout.of(256, 4, 2048, sigmoid);
    BigInteger pads = BigInteger.ONE.shiftLeft(l.padBits()).multiply(BigInteger.valueOf(l.otsPerRow()));
    BigInteger local = BigInteger.ONE.shiftLeft(SharesLayout.F_D + 4 + SharesLayout.S_LIMIT_BITS);
    BigInteger correction = BigInteger.ONE.shiftLeft(SharesLayout.F_V + l.uBits()).multiply(BigInteger.valueOf(2L * sigmoid.terms()));
    assertThat(pads.add(local).add(correction).bitLength()).isLessThanOrEqualTo(l.residualShareBits());
  }

  @ParameterizedTest
  @EnumSource(SecretSharedLrParameters.Sigmoid.class)
  void uBits_largestBankTerm_fits(SecretSharedLrParameters.Sigmoid kind) {
    SharesSigmoid sigmoid = SharesSigmoid.of(kind);
    SharesLayout l = SharesLayout.of(1, 4, 2048, sigmoid);
    // η = 16, class weight just below 256, a batch of one: the largest scale η·s/|B|.
    double scale = 16 * Math.nextDown(256.0);
    for (double b : sigmoid.beta()) {
      long u = Math.round(Math.scalb(scale * b, SharesLayout.F_U));
      assertThat(BigInteger.valueOf(u).abs().bitLength()).isLessThan(l.uBits());
    }
  }

  @Test
  void of_learningRateAbove16_isRefused() {
    assertThatThrownBy(() -> SharesLayout.of(256, 5, 2048, SharesSigmoid.STANDARD)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SharesLayout.etaBits(0.5)).isZero();
    assertThat(SharesLayout.etaBits(1)).isZero();
    assertThat(SharesLayout.etaBits(8)).isEqualTo(3);
    assertThat(SharesLayout.etaBits(8.5)).isEqualTo(4);
  }
}
