package io.jointly.lr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BinaryMetricsPropertyTest {

  /** Random labels with both classes and probabilities from {@code levels} values (ties when few). */
  private static Object[] sample(long seed, int n, int levels) {
    Random rnd = new Random(seed);
    int[] y = new int[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextInt(3) == 0 ? 1 : 0;
      p[i] = rnd.nextInt(levels) / (double) (levels - 1);
    }
    y[0] = 1;
    y[1] = 0;
    return new Object[] {p, y};
  }

  @Property
  void auc_randomInputsWithTies_equalsPairwiseComparisonDefinition(
      @ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n, @ForAll @IntRange(min = 2, max = 40) int levels) {
    Object[] s = sample(seed, n, levels);
    double[] p = (double[]) s[0];
    int[] y = (int[]) s[1];
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (y[i] == 1 && y[j] == 0) {
          pairs++;
          wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
        }
      }
    }
    assertThat(BinaryMetrics.of(p, y).auc()).isCloseTo(wins / pairs, within(1e-12));
  }

  @Property
  void roc_areaUnderTheCurveByTrapezoids_equalsAuc_andRunsFromOriginToOne(
      @ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n, @ForAll @IntRange(min = 2, max = 40) int levels) {
    Object[] s = sample(seed, n, levels);
    BinaryMetrics m = BinaryMetrics.of((double[]) s[0], (int[]) s[1]);
    List<BinaryMetrics.RocPoint> roc = m.roc();
    assertThat(roc.get(0)).isEqualTo(new BinaryMetrics.RocPoint(0, 0));
    assertThat(roc.get(roc.size() - 1)).isEqualTo(new BinaryMetrics.RocPoint(1, 1));
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      BinaryMetrics.RocPoint a = roc.get(i - 1);
      BinaryMetrics.RocPoint b = roc.get(i);
      assertThat(b.falsePositiveRate()).isGreaterThanOrEqualTo(a.falsePositiveRate());
      assertThat(b.truePositiveRate()).isGreaterThanOrEqualTo(a.truePositiveRate());
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    assertThat(area).isCloseTo(m.auc(), within(1e-12));
  }

  @Property
  void ks_randomInputs_equalsMaximumOverAllThresholds(
      @ForAll long seed, @ForAll @IntRange(min = 10, max = 80) int n, @ForAll @IntRange(min = 2, max = 40) int levels) {
    Object[] s = sample(seed, n, levels);
    double[] p = (double[]) s[0];
    int[] y = (int[]) s[1];
    int pos = Arrays.stream(y).sum();
    int neg = n - pos;
    TreeSet<Double> thresholds = new TreeSet<>();
    for (double v : p) {
      thresholds.add(v);
    }
    double best = 0;
    for (double t : thresholds) {
      int tp = 0;
      int fp = 0;
      for (int i = 0; i < n; i++) {
        if (p[i] >= t) {
          tp += y[i];
          fp += 1 - y[i];
        }
      }
      best = Math.max(best, Math.abs((double) tp / pos - (double) fp / neg));
    }
    assertThat(BinaryMetrics.of(p, y).ks()).isCloseTo(best, within(1e-12));
  }

  @Property
  void deciles_distinctScores_equalBruteForceCountsAfterSorting(
      @ForAll long seed, @ForAll @IntRange(min = 10, max = 200) int n) {
    Random rnd = new Random(seed);
    int[] y = new int[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextInt(4) == 0 ? 1 : 0;
      p[i] = (i + 0.5) / n; // distinct
    }
    y[0] = 1;
    y[1] = 0;
    // brute force: shuffle the indexes, sort by descending probability, count per decile
    Integer[] idx = new Integer[n];
    Arrays.setAll(idx, i -> i);
    Arrays.sort(idx, (a, b) -> Double.compare(p[b], p[a]));
    int pos = Arrays.stream(y).sum();
    double base = (double) pos / n;
    BinaryMetrics m = BinaryMetrics.of(p, y);
    double cumulative = 0;
    for (int d = 0; d < 10; d++) {
      int from = d * n / 10;
      int to = (d + 1) * n / 10;
      int count = 0;
      for (int r = from; r < to; r++) {
        count += y[idx[r]];
      }
      cumulative += count;
      BinaryMetrics.Decile dec = m.deciles().get(d);
      assertThat(dec.rows()).isEqualTo(to - from);
      assertThat(dec.positives()).isCloseTo(count, within(1e-9));
      assertThat(dec.lift()).isCloseTo((double) count / (to - from) / base, within(1e-9));
      assertThat(dec.cumulativeGain()).isCloseTo(cumulative / pos, within(1e-9));
      assertThat(dec.cumulativeLift()).isCloseTo(cumulative / to / base, within(1e-9));
    }
    assertThat(m.topDecileLift()).isEqualTo(m.deciles().get(0).lift());
  }

  @Property
  void deciles_withTies_doNotDependOnInputOrder_andConservePositives(
      @ForAll long seed, @ForAll @IntRange(min = 10, max = 120) int n, @ForAll @IntRange(min = 2, max = 6) int levels) {
    Object[] s = sample(seed, n, levels);
    double[] p = (double[]) s[0];
    int[] y = (int[]) s[1];
    int[] perm = new int[n];
    Arrays.setAll(perm, i -> n - 1 - i);
    double[] p2 = new double[n];
    int[] y2 = new int[n];
    for (int i = 0; i < n; i++) {
      p2[i] = p[perm[i]];
      y2[i] = y[perm[i]];
    }
    BinaryMetrics a = BinaryMetrics.of(p, y);
    BinaryMetrics b = BinaryMetrics.of(p2, y2);
    for (int d = 0; d < 10; d++) {
      assertThat(b.deciles().get(d).positives())
          .isCloseTo(a.deciles().get(d).positives(), within(1e-9));
    }
    double total = a.deciles().stream().mapToDouble(BinaryMetrics.Decile::positives).sum();
    assertThat(total).isCloseTo(a.positives(), within(1e-9));
    assertThat(a.deciles().get(9).cumulativeGain()).isCloseTo(1, within(1e-12));
  }

  @Test
  void of_perfectAndReversedRanking_giveAucOneAndZero() {
    double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
    int[] y = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    BinaryMetrics m = BinaryMetrics.of(p, y);
    assertThat(m.auc()).isEqualTo(1.0);
    assertThat(m.ks()).isEqualTo(1.0);
    assertThat(m.baseRate()).isCloseTo(0.3, within(1e-15));
    assertThat(m.topDecileLift()).isCloseTo(1 / 0.3, within(1e-12));
    int[] reversed = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    assertThat(BinaryMetrics.of(p, reversed).auc()).isEqualTo(0.0);
  }

  @Test
  void of_logLoss_matchesHandComputationWithClipping() {
    double[] p = {0, 1, 0.5, 0.25, 0.75, 0.1, 0.9, 0.2, 0.8, 1};
    int[] y = {0, 1, 1, 0, 1, 0, 1, 0, 1, 0};
    double expected = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(Math.max(p[i], 1e-15), 1 - 1e-15);
      expected -= y[i] == 1 ? Math.log(q) : Math.log(1 - q);
    }
    assertThat(BinaryMetrics.of(p, y).logLoss()).isCloseTo(expected / p.length, within(1e-9));
  }

  @Test
  void of_oneClassOrTooFewRowsOrBadProbability_isRejected() {
    double[] p = new double[10];
    assertThatThrownBy(() -> BinaryMetrics.of(p, new int[10]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BinaryMetrics.of(new double[] {0.1, 0.2}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    int[] y = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double[] bad = {1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> BinaryMetrics.of(bad, y)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modelComparison_reportsGainsOfJointOverBankOnly() {
    double[] good = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
    double[] flat = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
    int[] y = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    ModelComparison c = new ModelComparison(BinaryMetrics.of(good, y), BinaryMetrics.of(flat, y));
    assertThat(c.aucGain()).isCloseTo(0.5, within(1e-12));
    assertThat(c.ksGain()).isCloseTo(1.0, within(1e-12));
    assertThat(c.topDecileLiftGain()).isCloseTo(1 / 0.3 - 1, within(1e-9));
    assertThat(c.logLossReduction()).isPositive();
  }
}
