package io.jointly.lr.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.lr.testing.Synthetic;
import io.jointly.psi.RowIndexes;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class LogisticRegressionPropertyTest {

  @Property(tries = 100)
  void gradient_randomPoint_matchesCentralFiniteDifferences(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int w0,
      @ForAll @IntRange(min = 0, max = 3) int w1,
      @ForAll @DoubleRange(min = 0, max = 1) double l2) {
    Synthetic d = Synthetic.generate(seed, 25, w0, w1);
    Random rnd = new Random(seed ^ 0x5DEECE66DL);
    double[][] w = {new double[w0], new double[w1]};
    for (double[] block : w) {
      for (int j = 0; j < block.length; j++) {
        block[j] = rnd.nextGaussian();
      }
    }
    double b = rnd.nextGaussian();
    double[] s = new double[25];
    for (int i = 0; i < 25; i++) {
      s[i] = 0.5 + rnd.nextDouble() * 2;
    }
    int[] batch = {3, 0, 7, 7, 12, 24, 5, 19};
    LogisticRegression.Gradient g =
        LogisticRegression.gradient(d.blocks, Weights.of(w, b), d.labels, s, batch, l2, true);
    double h = 1e-6;
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < w[k].length; j++) {
        double[][] plus = {w[0].clone(), w[1].clone()};
        double[][] minus = {w[0].clone(), w[1].clone()};
        plus[k][j] += h;
        minus[k][j] -= h;
        double fd =
            (objective(d, Weights.of(plus, b), s, batch, l2) - objective(d, Weights.of(minus, b), s, batch, l2))
                / (2 * h);
        assertThat(g.gradient().block(k)[j]).isCloseTo(fd, within(1e-6));
      }
    }
    double fdb =
        (objective(d, Weights.of(w, b + h), s, batch, l2) - objective(d, Weights.of(w, b - h), s, batch, l2)) / (2 * h);
    assertThat(g.gradient().intercept()).isCloseTo(fdb, within(1e-6));
    assertThat(g.objective()).isCloseTo(objective(d, Weights.of(w, b), s, batch, l2), within(1e-12));
  }

  /** The objective from its definition, independently of the trainer. */
  private static double objective(Synthetic d, Weights w, double[] s, int[] batch, double l2) {
    double sum = 0;
    for (int i : batch) {
      double z = w.intercept();
      for (int k = 0; k < d.blocks.size(); k++) {
        double[] wk = w.block(k);
        for (int j = 0; j < wk.length; j++) {
          z += d.blocks.get(k).get(i, j) * wk[j];
        }
      }
      double p = 1 / (1 + Math.exp(-z));
      sum += -s[i] * (d.labels[i] == 1 ? Math.log(p) : Math.log(1 - p));
    }
    double pen = 0;
    for (int k = 0; k < d.blocks.size(); k++) {
      for (double v : w.block(k)) {
        pen += v * v;
      }
    }
    return sum / batch.length + 0.5 * l2 * pen;
  }

  @Property(tries = 15)
  void fit_strongConvexL2_gradientDescentAndLbfgsReachSameOptimum(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int w0,
      @ForAll @IntRange(min = 1, max = 3) int w1,
      @ForAll @DoubleRange(min = 0.01, max = 0.5) double l2) {
    Synthetic d = Synthetic.generate(seed, 80, w0, w1);
    int[] all = new int[80];
    java.util.Arrays.setAll(all, i -> i);
    LogisticRegressionParameters lbfgs =
        LogisticRegressionParameters.DEFAULT.toBuilder().l2(l2).tolerance(1e-15).maxEpochs(1000).build();
    LogisticRegressionParameters gd =
        lbfgs.toBuilder().optimizer(Optimizer.MINI_BATCH_GD).batchSize(80).learningRate(1).maxEpochs(5000).build();
    Weights a = LogisticRegression.fit(d.blocks, d.labels, RowIndexes.of(all), RowIndexes.of(), lbfgs).weights();
    Weights b = LogisticRegression.fit(d.blocks, d.labels, RowIndexes.of(all), RowIndexes.of(), gd).weights();
    for (int k = 0; k < 2; k++) {
      assertThat(b.block(k)).containsExactly(a.block(k), within(1e-6));
    }
    assertThat(b.intercept()).isCloseTo(a.intercept(), within(1e-6));
  }
}
