package io.jointly.okvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parameter derivation against RR22's equations and an exact binomial tail. */
class OkvsParametersTest {

  @Test
  void expansion_followsRr22Equations() {
    // RR22 §5.1 reports m ≈ 1.23n for the unclustered w = 3 store at n = 2^20, λ = 40.
    double e = OkvsParameters.expansion(1 << 20, 40);
    assertThat(e).isBetween(1.225, 1.232);
    // The expansion falls as n grows (the phase transition sharpens) and rises with λ.
    assertThat(OkvsParameters.expansion(1 << 14, 40)).isGreaterThan(OkvsParameters.expansion(1 << 16, 40));
    assertThat(OkvsParameters.expansion(1 << 16, 60)).isGreaterThan(OkvsParameters.expansion(1 << 16, 40));
  }

  @Test
  void forItems_shapes() {
    OkvsParameters dense = OkvsParameters.forItems(64, 40);
    assertThat(dense.dense()).isTrue();
    assertThat(dense.size()).isEqualTo(64 + 42);
    OkvsParameters empty = OkvsParameters.forItems(0, 40);
    assertThat(empty.size()).isEqualTo(42);

    OkvsParameters one = OkvsParameters.forItems(50_000, 40);
    assertThat(one.bins()).isEqualTo(1);
    assertThat(one.binCapacity()).isEqualTo(50_000);
    assertThat(one.denseColumns()).isLessThanOrEqualTo(64);

    OkvsParameters big = OkvsParameters.forItems(1 << 20, 40);
    assertThat(big.bins()).isEqualTo(16);
    double perItem = big.size() / (double) (1 << 20);
    assertThat(perItem).isBetween(1.25, 1.32);
  }

  @Test
  void capacity_boundsTheExactBinomialTail() {
    int[][] cases = {{1 << 20, 16}, {200_000, 4}, {70_000, 2}, {1 << 24, 256}};
    for (int[] c : cases) {
      int n = c[0];
      int bins = c[1];
      int cap = OkvsParameters.capacity(n, bins, 41);
      double logTail = log2BinomialTail(n, 1.0 / bins, cap + 1);
      // P[some bin overflows] ≤ bins · P[Bin(n, 1/bins) > cap] ≤ 2^-41
      assertThat(logTail + Math.log(bins) / Math.log(2)).as(n + "/" + bins).isLessThanOrEqualTo(-41);
      // and the Chernoff bound is not wasteful: 5 % fewer slots would not do.
      assertThat(log2BinomialTail(n, 1.0 / bins, (int) (cap * 0.95))).isGreaterThan(-41 - Math.log(bins) / Math.log(2));
    }
  }

  /** log2 P[Bin(n, p) ≥ k], summed exactly in log space. */
  static double log2BinomialTail(int n, double p, int k) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[Math.min(n, k + 20_000) - k + 1];
    for (int i = 0; i < terms.length; i++) {
      int j = k + i;
      terms[i] = lnChoose(n, j) + j * Math.log(p) + (n - j) * Math.log1p(-p);
      max = Math.max(max, terms[i]);
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return (max + Math.log(sum)) / Math.log(2);
  }

  static double lnChoose(int n, int k) {
    return lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);
  }

  static double lnFactorial(int n) {
    // Stirling series, accurate to 1e-10 for n ≥ 10; exact products below.
    if (n < 10) {
      double r = 0;
      for (int i = 2; i <= n; i++) {
        r += Math.log(i);
      }
      return r;
    }
    double x = n;
    return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
  }

  @Test
  void invalidShapes_refused() {
    assertThatThrownBy(() -> new OkvsParameters(10, 40, 2, 10, 0, 50)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OkvsParameters.forItems(-1, 40)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OkvsParameters(10, 40, 1, 10, 20, 65)).isInstanceOf(IllegalArgumentException.class);
  }
}
