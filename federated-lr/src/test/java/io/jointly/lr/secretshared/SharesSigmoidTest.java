package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.lr.training.LogisticMath;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.stat.regression.MillerUpdatingRegression;
import org.junit.jupiter.api.Test;

/**
 * The Fourier sigmoids: their coefficients recomputed in double precision (the fits documented on
 * {@link SharesSigmoid}, which {@code federated-lr/tools/fourier_sigmoid.py} computes with numpy),
 * their documented error bounds and ranges.
 */
class SharesSigmoidTest {

  @Test
  void standardCoefficients_leastSquaresOnMinus12To12_matchTheConstants() {
    double[] beta = fit(32, 8, -12, 1e-4, 240_001, z -> LogisticMath.sigmoid(z) - 0.5);
    assertThat(SharesSigmoid.STANDARD.beta()).containsExactly(beta, within(1e-11));
  }

  @Test
  void wideCoefficients_leastSquaresOverAWholePeriodOfTheTaperedTarget_matchTheConstants() {
    double[] beta = fit(128, 24, -64, 1.0 / 1024, 131_072, SharesSigmoidTest::wideTarget);
    assertThat(SharesSigmoid.WIDE.beta()).containsExactly(beta, within(1e-11));
  }

  @Test
  void extraWideCoefficients_leastSquaresOverAWholePeriodOfTheTaperedTarget_matchTheConstants() {
    double[] beta = fit(256, 64, -128, 1.0 / 512, 131_072, z -> tapered(z, 96, 128));
    assertThat(SharesSigmoid.EXTRA_WIDE.beta()).containsExactly(beta, within(1e-11));
  }

  @Test
  void extraWideValue_onMinus96To96_isWithin0_0043OfTheSigmoid_andOverAPeriodWithinMinus0_0013And1_0013() {
    assertThat(maxError(SharesSigmoid.EXTRA_WIDE, 96, 1e-3)).isLessThan(0.0043).isGreaterThan(0.004);
    assertRange(SharesSigmoid.EXTRA_WIDE, 1e-3, 0.0013);
  }

  @Test
  void standardValue_onMinus12To12_isWithin0_0031OfTheSigmoid() {
    assertThat(maxError(SharesSigmoid.STANDARD, 12, 1e-4)).isLessThan(0.0031).isGreaterThan(0.003);
  }

  @Test
  void wideValue_onMinus48To48_isWithin0_014OfTheSigmoidAnd0_0053BeyondEight() {
    assertThat(maxError(SharesSigmoid.WIDE, 48, 1e-3)).isLessThan(0.014).isGreaterThan(0.013);
    double far = 0;
    for (int i = 0; i <= 40_000; i++) {
      double z = 8 + i * 1e-3;
      for (double s : new double[] {z, -z}) {
        far = Math.max(far, Math.abs(SharesSigmoid.WIDE.value(s) - LogisticMath.sigmoid(s)));
      }
    }
    assertThat(far).isLessThan(0.0053);
  }

  @Test
  void standardValue_overAWholePeriod_staysWithinMinus0_0013And1_0013() {
    assertRange(SharesSigmoid.STANDARD, 1e-4, 0.0013);
  }

  @Test
  void wideValue_overAWholePeriod_staysWithinMinus0_005And1_005() {
    assertRange(SharesSigmoid.WIDE, 1e-3, 0.005);
  }

  @Test
  void value_isPeriodicWithItsPeriod() {
    for (SecretSharedLrParameters.Sigmoid kind : SecretSharedLrParameters.Sigmoid.values()) {
      SharesSigmoid s = SharesSigmoid.of(kind);
      assertThat(s.kind()).isEqualTo(kind);
      assertThat(s.beta()).hasSize(kind.terms());
      assertThat(1 << s.periodBits()).isEqualTo(kind.period());
      for (double z = -5; z <= 5; z += 0.37) {
        assertThat(s.value(z + kind.period())).isCloseTo(s.value(z), within(1e-12));
      }
    }
    assertThat(SecretSharedLrParameters.Sigmoid.STANDARD.period()).isEqualTo(32);
    assertThat(SecretSharedLrParameters.Sigmoid.WIDE.period()).isEqualTo(128);
    assertThat(SecretSharedLrParameters.Sigmoid.WIDE.fitBound()).isEqualTo(48);
    assertThat(SecretSharedLrParameters.Sigmoid.EXTRA_WIDE.period()).isEqualTo(256);
    assertThat(SecretSharedLrParameters.Sigmoid.EXTRA_WIDE.fitBound()).isEqualTo(96);
  }

  /** The documented target of WIDE: σ − 1/2 on [−48, 48], a half-cosine taper to 0 beyond. */
  private static double wideTarget(double z) {
    return tapered(z, 48, 64);
  }

  /** σ − 1/2 on [−bound, bound], tapered by a half cosine to 0 at ±halfPeriod. */
  private static double tapered(double z, double bound, double halfPeriod) {
    double a = Math.abs(z);
    if (a <= bound) {
      return LogisticMath.sigmoid(z) - 0.5;
    }
    double edge = LogisticMath.sigmoid(bound) - 0.5;
    return Math.signum(z) * edge * (1 + Math.cos(Math.PI * (a - bound) / (halfPeriod - bound))) / 2;
  }

  /**
   * Least squares of {@code target} by {@code Σ_k β_k sin(2πkz/period)} on the points {@code from +
   * i·step}, by Miller's updating QR (Givens rotations, AS 274) in double precision.
   */
  private static double[] fit(int period, int terms, double from, double step, int points, DoubleUnaryOperator target) {
    MillerUpdatingRegression ls = new MillerUpdatingRegression(terms, false, 1e-14);
    double[] row = new double[terms];
    for (int i = 0; i < points; i++) {
      double z = from + i * step;
      for (int k = 1; k <= terms; k++) {
        row[k - 1] = Math.sin(2 * Math.PI * k * z / period);
      }
      ls.addObservation(row, target.applyAsDouble(z));
    }
    return ls.regress().getParameterEstimates();
  }

  private static double maxError(SharesSigmoid s, int bound, double step) {
    double worst = 0;
    long points = Math.round(2 * bound / step);
    for (long i = 0; i <= points; i++) {
      double z = -bound + i * step;
      worst = Math.max(worst, Math.abs(s.value(z) - LogisticMath.sigmoid(z)));
    }
    return worst;
  }

  private static void assertRange(SharesSigmoid s, double step, double slack) {
    int period = 1 << s.periodBits();
    long points = Math.round(period / step);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (long i = 0; i <= points; i++) {
      double v = s.value(-period / 2.0 + i * step);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assertThat(lo).isBetween(-slack, 0.0);
    assertThat(hi).isBetween(1.0, 1 + slack);
  }
}
