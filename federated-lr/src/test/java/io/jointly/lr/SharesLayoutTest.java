package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The layout's bounds: worst-case slot contents fit, and a row's features pack densely enough. */
class SharesLayoutTest {

  @Test
  void of_batchOf256_packsFifteenColumnsPerPlaintext() {
    SharesLayout l = SharesLayout.of(256, SharesLayout.etaBits(0.5), 2048);
    assertThat(l.columnsPerPlaintext()).isEqualTo(15);
    assertThat(l.padBits()).isLessThanOrEqualTo(127);
    assertThat(SharesLayout.FORWARD_RING_BITS).isEqualTo(45);
    // Scores modulo the period after the forward shift need the products modulo 2^45 only.
    assertThat(SharesLayout.FORWARD_RING_BITS).isEqualTo(SharesLayout.T_FORWARD + SharesLayout.SCORE_RESIDUE_BITS);
  }

  @Test
  void backwardSlot_worstCaseContent_fitsWithAMarginOfTwoBits() {
    for (int batch : new int[] {1, 256, 1 << 16}) {
      SharesLayout l = SharesLayout.of(batch, 4, 2048);
      BigInteger data = BigInteger.ONE.shiftLeft(SharesLayout.X_BITS + l.residualShareBits()).multiply(BigInteger.valueOf(batch));
      BigInteger weight = BigInteger.ONE.shiftLeft(SharesLayout.T_BACKWARD + 1 + l.weightShareBits());
      BigInteger worst = data.add(weight).add(BigInteger.ONE.shiftLeft(l.backwardMaskBits() - 1));
      assertThat(worst.bitLength()).isLessThanOrEqualTo(l.backwardSlotBits() - 1);
    }
  }

  @Test
  void residualShare_worstCaseSumOfPadsAndLocalTerms_fits() {
    SharesLayout l = SharesLayout.of(256, 4, 2048);
    BigInteger pads = BigInteger.ONE.shiftLeft(l.padBits()).multiply(BigInteger.valueOf(SharesLayout.OTS_PER_ROW));
    BigInteger local = BigInteger.ONE.shiftLeft(SharesLayout.F_D + 4 + SharesLayout.S_LIMIT_BITS);
    BigInteger correction = BigInteger.ONE.shiftLeft(SharesLayout.F_V + l.uBits() + 4);
    assertThat(pads.add(local).add(correction).bitLength()).isLessThanOrEqualTo(l.residualShareBits());
  }

  @Test
  void of_learningRateAbove16_isRefused() {
    assertThatThrownBy(() -> SharesLayout.of(256, 5, 2048)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SharesLayout.etaBits(0.5)).isZero();
    assertThat(SharesLayout.etaBits(1)).isZero();
    assertThat(SharesLayout.etaBits(8)).isEqualTo(3);
    assertThat(SharesLayout.etaBits(8.5)).isEqualTo(4);
  }
}
