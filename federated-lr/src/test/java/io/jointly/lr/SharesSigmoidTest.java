package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Fourier sigmoid's documented error bound and range. */
class SharesSigmoidTest {

  @Test
  void value_onMinus12To12_isWithin0_0031OfTheSigmoid() {
    double worst = 0;
    for (int i = 0; i <= 240_000; i++) {
      double z = -12 + i * 1e-4;
      worst = Math.max(worst, Math.abs(SharesSigmoid.value(z) - LogisticMath.sigmoid(z)));
    }
    assertThat(worst).isLessThan(0.0031).isGreaterThan(0.001);
  }

  @Test
  void value_overAWholePeriod_staysWithinMinus0_0013And1_0013() {
    for (int i = 0; i <= 320_000; i++) {
      double z = -16 + i * 1e-4;
      assertThat(SharesSigmoid.value(z)).isBetween(-0.0013, 1.0013);
    }
  }

  @Test
  void value_isPeriodicWithPeriod32() {
    for (double z = -5; z <= 5; z += 0.37) {
      assertThat(SharesSigmoid.value(z + 32)).isCloseTo(SharesSigmoid.value(z), org.assertj.core.api.Assertions.within(1e-12));
    }
  }
}
