package io.jointly.lr.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.testing.Synthetic;
import io.jointly.psi.RowIndexes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

  private static double[] flat(LogisticRegressionModel m) {
    Weights w = m.weights();
    List<Double> out = new ArrayList<>();
    for (int k = 0; k < w.blockCount(); k++) {
      for (double v : w.block(k)) {
        out.add(v);
      }
    }
    out.add(w.intercept());
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static RowIndexes all(int n) {
    int[] r = new int[n];
    java.util.Arrays.setAll(r, i -> i);
    return RowIndexes.of(r);
  }

  private static double[][] rows(FeatureMatrix m) {
    double[][] x = new double[m.rowCount()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = m.row(i);
    }
    return x;
  }

  @Test
  void fit_lbfgsWithL2_matchesIndependentNewtonSolver() {
    Synthetic d = Synthetic.generate(11, 400, 3, 2);
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder().l2(0.01).tolerance(1e-14).maxEpochs(1000).build();
    LogisticRegressionModel m = LogisticRegression.fit(d.blocks, d.labels, all(400), RowIndexes.of(), p);
    double[] s = new double[400];
    java.util.Arrays.fill(s, 1);
    double[] expected = NewtonReference.solve(rows(d.joined()), d.labels, s, 0.01);
    assertThat(flat(m)).containsExactly(expected, within(1e-7));
  }

  @Test
  void fit_balancedClassWeights_matchNewtonWithHandComputedWeights() {
    Synthetic d = Synthetic.generate(12, 300, 4);
    int pos = java.util.Arrays.stream(d.labels).sum();
    double[] s = new double[300];
    for (int i = 0; i < 300; i++) {
      s[i] = d.labels[i] == 1 ? 300.0 / (2 * pos) : 300.0 / (2 * (300 - pos));
    }
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder()
            .l2(0.02)
            .classWeights(ClassWeights.BALANCED)
            .tolerance(1e-14)
            .maxEpochs(1000)
            .build();
    LogisticRegressionModel m = LogisticRegression.fit(d.blocks, d.labels, all(300), RowIndexes.of(), p);
    assertThat(flat(m)).containsExactly(NewtonReference.solve(rows(d.joined()), d.labels, s, 0.02), within(1e-7));
  }

  @Test
  void fit_l1WithOwlqn_satisfiesKktConditionsAndZeroesNoise() {
    Synthetic signal = Synthetic.generate(13, 600, 3);
    Random rnd = new Random(99);
    double[][] noise = new double[600][4];
    for (double[] row : noise) {
      for (int j = 0; j < 4; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    List<FeatureMatrix> blocks =
        List.of(signal.blocks.get(0), FeatureMatrix.ofRows(List.of("n0", "n1", "n2", "n3"), noise));
    double l1 = 0.03;
    double l2 = 0.001;
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder().l1(l1).l2(l2).tolerance(1e-13).maxEpochs(2000).build();
    LogisticRegressionModel m = LogisticRegression.fit(blocks, signal.labels, all(600), RowIndexes.of(), p);
    double[] s = new double[600];
    java.util.Arrays.fill(s, 1);
    LogisticRegression.Gradient g =
        LogisticRegression.gradient(blocks, m.weights(), signal.labels, s, all(600).toArray(), l2, true);
    int zeros = 0;
    for (int k = 0; k < 2; k++) {
      double[] w = m.weights().block(k);
      double[] gk = g.gradient().block(k);
      for (int j = 0; j < w.length; j++) {
        if (w[j] == 0) {
          zeros++;
          assertThat(Math.abs(gk[j])).isLessThanOrEqualTo(l1 + 1e-6);
        } else {
          assertThat(gk[j] + l1 * Math.signum(w[j])).isCloseTo(0, within(1e-5));
        }
      }
    }
    assertThat(g.gradient().intercept()).isCloseTo(0, within(1e-5));
    assertThat(zeros).isGreaterThan(0);
    // Full-batch proximal gradient descent converges to the same (unique) point.
    LogisticRegressionParameters gd =
        p.toBuilder().optimizer(Optimizer.MINI_BATCH_GD).batchSize(600).learningRate(1).maxEpochs(4000).build();
    assertThat(flat(LogisticRegression.fit(blocks, signal.labels, all(600), RowIndexes.of(), gd)))
        .containsExactly(flat(m), within(1e-5));
  }

  /**
   * The federated trainer's path, simulated party by party with the public per-step functions:
   * each party keeps its own block and applies its own step, the bank alone sees labels and the
   * intercept. It must take exactly the steps of the centralised trainer.
   */
  @Test
  void fit_partyByPartySimulation_reproducesCentralisedBitForBit() {
    Synthetic d = Synthetic.generate(14, 500, 3, 4);
    Split split = Split.stratified(d.labels, 0.2, 0.1, 77);
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder()
            .optimizer(Optimizer.MINI_BATCH_GD)
            .batchSize(32)
            .learningRate(0.5)
            .learningRateDecay(0.1)
            .maxEpochs(30)
            .l1(0.002)
            .l2(0.01)
            .classWeights(ClassWeights.positive(2))
            .earlyStopping(EarlyStopping.of(3, 1e-4))
            .seed(123)
            .build();
    LogisticRegressionModel central =
        LogisticRegression.fit(d.blocks, d.labels, split.train(), split.validation(), p);

    FeatureMatrix bankX = d.blocks.get(0);
    FeatureMatrix partnerX = d.blocks.get(1);
    double[] s = p.classWeights().rowWeights(d.labels, split.train().toArray());
    double[] wBank = new double[bankX.columnCount()];
    double[] wPartner = new double[partnerX.columnCount()];
    double b = 0;
    double[] bestBank = wBank.clone();
    double[] bestPartner = wPartner.clone();
    double bestB = 0;
    BatchPlan plan = BatchPlan.of(p.seed(), split.train(), p.batchSize());
    EarlyStopper stopper = new EarlyStopper(p.earlyStopping());
    int[] val = split.validation().toArray();
    for (int e = 0; e < p.maxEpochs(); e++) {
      double eta = p.learningRate() / (1 + p.learningRateDecay() * e);
      for (int[] batch : plan.epoch(e)) {
        double[] uBank = bankX.times(wBank, batch);
        double[] uPartner = partnerX.times(wPartner, batch); // partner → bank
        int[] y = new int[batch.length];
        double[] sb = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
          y[i] = d.labels[batch[i]];
          sb[i] = s[batch[i]];
        }
        double[] z = LogisticMath.sumScores(new double[][] {uBank, uPartner}, b);
        double[] res = LogisticMath.residuals(z, y, sb); // bank → partner (encrypted)
        double[] gBank = bankX.transposeTimes(batch, res);
        LogisticMath.addL2(gBank, wBank, p.l2());
        double[] gPartner = partnerX.transposeTimes(batch, res);
        LogisticMath.addL2(gPartner, wPartner, p.l2());
        double gb = 0;
        for (double r : res) {
          gb += r;
        }
        LogisticMath.proximalStep(wBank, gBank, eta, p.l1());
        LogisticMath.proximalStep(wPartner, gPartner, eta, p.l1());
        b -= eta * gb;
      }
      double[] z =
          LogisticMath.sumScores(new double[][] {bankX.times(wBank, val), partnerX.times(wPartner, val)}, b);
      double[] prob = new double[z.length];
      int[] yv = new int[z.length];
      for (int i = 0; i < z.length; i++) {
        prob[i] = LogisticMath.sigmoid(z[i]);
        yv[i] = d.labels[val[i]];
      }
      if (stopper.observe(LogisticMath.logLoss(yv, prob))) { // bank → partner: "best"
        bestBank = wBank.clone();
        bestPartner = wPartner.clone();
        bestB = b;
      }
      if (stopper.shouldStop()) { // bank → partner: "stop"
        break;
      }
    }
    assertThat(central.weights().block(0)).isEqualTo(bestBank);
    assertThat(central.weights().block(1)).isEqualTo(bestPartner);
    assertThat(central.weights().intercept()).isEqualTo(bestB);
    assertThat(central.history().steps()).hasSize(stopper.evaluations());
    assertThat(central.history().bestStep()).isEqualTo(stopper.bestEvaluation());
  }

  @Test
  void fit_gradientDescent_sameSeedIdentical_otherSeedDifferent() {
    Synthetic d = Synthetic.generate(15, 300, 3);
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder()
            .optimizer(Optimizer.MINI_BATCH_GD)
            .batchSize(20)
            .maxEpochs(3)
            .seed(1)
            .build();
    LogisticRegressionModel a = LogisticRegression.fit(d.blocks, d.labels, all(300), RowIndexes.of(), p);
    LogisticRegressionModel b = LogisticRegression.fit(d.blocks, d.labels, all(300), RowIndexes.of(), p);
    LogisticRegressionModel c =
        LogisticRegression.fit(d.blocks, d.labels, all(300), RowIndexes.of(), p.toBuilder().seed(2).build());
    assertThat(a.weights()).isEqualTo(b.weights()).isNotEqualTo(c.weights());
  }

  @Test
  void fit_earlyStopping_returnsModelOfBestValidationStep() {
    // Few rows, many noise features, no penalty: the validation loss turns up and training stops.
    Random rnd = new Random(5);
    int n = 120;
    double[][] x = new double[n][30];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 30; j++) {
        x[i][j] = rnd.nextGaussian();
      }
      y[i] = rnd.nextDouble() < LogisticMath.sigmoid(x[i][0]) ? 1 : 0;
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 30; j++) {
      names.add("f" + j);
    }
    FeatureMatrix m = FeatureMatrix.ofRows(names, x);
    Split split = Split.stratified(y, 0.4, 0, 3);
    LogisticRegressionParameters p =
        LogisticRegressionParameters.DEFAULT.toBuilder()
            .optimizer(Optimizer.MINI_BATCH_GD)
            .l2(0)
            .learningRate(0.5)
            .batchSize(8)
            .maxEpochs(300)
            .earlyStopping(EarlyStopping.of(5, 0))
            .seed(9)
            .build();
    LogisticRegressionModel model = LogisticRegression.fit(m, y, split, p);
    TrainingHistory h = model.history();
    assertThat(h.stopReason()).isEqualTo(TrainingHistory.StopReason.EARLY_STOPPED);
    assertThat(h.steps().size() - 1 - h.bestStep()).isEqualTo(5);
    double best = h.steps().get(h.bestStep()).validationLoss().getAsDouble();
    for (TrainingHistory.Step st : h.steps()) {
      assertThat(st.validationLoss().getAsDouble()).isGreaterThanOrEqualTo(best);
    }
    int[] val = split.validation().toArray();
    double[] prob = model.probabilities(List.of(m.rows(val)));
    int[] yv = new int[val.length];
    for (int i = 0; i < val.length; i++) {
      yv[i] = y[val[i]];
    }
    assertThat(LogisticMath.logLoss(yv, prob)).isEqualTo(best);
  }

  @Test
  void fit_invalidInputs_areRejected() {
    Synthetic d = Synthetic.generate(16, 50, 2);
    LogisticRegressionParameters es =
        LogisticRegressionParameters.DEFAULT.toBuilder().earlyStopping(EarlyStopping.of(2, 0)).build();
    assertThatThrownBy(() -> LogisticRegression.fit(d.blocks, d.labels, all(50), RowIndexes.of(), es))
        .isInstanceOf(IllegalArgumentException.class);
    int[] bad = d.labels.clone();
    bad[3] = 2;
    assertThatThrownBy(
            () -> LogisticRegression.fit(d.blocks, bad, all(50), RowIndexes.of(), LogisticRegressionParameters.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LogisticRegression.fit(d.blocks, d.labels, RowIndexes.of(), RowIndexes.of(), LogisticRegressionParameters.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogisticRegressionParameters.DEFAULT.toBuilder().learningRate(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classWeights_balanced_averageOneOverTrainingRows() {
    int[] y = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    int[] train = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] s = ClassWeights.BALANCED.rowWeights(y, train);
    assertThat(java.util.Arrays.stream(s).sum()).isCloseTo(10, within(1e-12));
    assertThat(s[0]).isCloseTo(2.5, within(1e-12));
    assertThat(s[1]).isCloseTo(10.0 / 16, within(1e-12));
  }
}
