package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The loss series: its documented error bounds, and its evaluation on shares. */
class SharesLossTest {

  private static double logLoss(int y, double z) {
    double t = (1 - 2 * y) * z;
    return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"STANDARD, 0.0131, 0.0023", "WIDE, 0.0133, 0.0100", "EXTRA_WIDE, 0.0044, 0.0025"})
  void value_withinItsBoundOfTheLogLossOnTheFitInterval(SecretSharedLrParameters.Sigmoid kind, double bound, double nearZero) {
    SharesLoss loss = SharesLoss.of(SharesSigmoid.of(kind));
    double worst = 0;
    double worstNear = 0;
    int r = kind.fitBound();
    for (int i = 0; i <= 200 * r; i++) {
      double z = -r + i * 0.01;
      for (int y = 0; y <= 1; y++) {
        double err = Math.abs(loss.value(y, z) - logLoss(y, z));
        worst = Math.max(worst, err);
        if (Math.abs(z) <= 6) {
          worstNear = Math.max(worstNear, err);
        }
      }
    }
    assertThat(worst).isLessThan(bound).isGreaterThan(bound / 2);
    assertThat(worstNear).isLessThan(nearZero);
  }

  @ParameterizedTest
  @EnumSource(SecretSharedLrParameters.Sigmoid.class)
  void bankTermsTimesPartnerTerms_isTheSeriesOfTheSumOfTheAngles(SecretSharedLrParameters.Sigmoid kind) {
    SharesSigmoid sigmoid = SharesSigmoid.of(kind);
    SharesLoss loss = SharesLoss.of(sigmoid);
    SplittableRandom rnd = new SplittableRandom(5);
    double period = kind.period();
    for (int trial = 0; trial < 200; trial++) {
      double zb = rnd.nextDouble() * period;
      double zp = rnd.nextDouble() * period;
      int y = rnd.nextInt(2);
      double[] u = loss.bankTerms(2 * Math.PI * zb / period, y);
      double[] v = sigmoid.partnerTerms(2 * Math.PI * zp / period);
      double dot = loss.constant();
      for (int k = 0; k < u.length; k++) {
        dot += u[k] * v[k];
      }
      assertThat(dot).isCloseTo(loss.value(y, zb + zp), within(1e-9));
      assertThat(Math.abs(loss.value(y, zb + zp))).isLessThanOrEqualTo(loss.bound());
    }
  }

  @Test
  void scaleBits_keepsAnEpochBelow2To62_andShrinksWithTheRows() {
    SharesLoss loss = SharesLoss.of(SharesSigmoid.STANDARD);
    assertThat(loss.scaleBits(100)).isEqualTo(SharesLoss.MAX_SCALE_BITS);
    int big = 1 << 20;
    int f = loss.scaleBits(big);
    assertThat(f).isLessThan(SharesLoss.MAX_SCALE_BITS).isGreaterThanOrEqualTo(SharesLoss.MIN_SCALE_BITS);
    double perRow = Math.scalb(1.0, SharesLayout.S_LIMIT_BITS) * loss.bound() * Math.scalb(1.0, f + SharesLayout.F_V);
    assertThat(perRow * big).isLessThan(Math.scalb(1.0, 62));
    assertThat(SharesLoss.of(SharesSigmoid.EXTRA_WIDE).scaleBits(big)).isLessThan(f);
  }
}
