package io.jointly.lr.training;

import io.jointly.lr.features.FeatureMatrix;
import io.jointly.psi.RowIndexes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Centralised logistic regression over feature blocks: the reference the federated trainer must
 * match, and the bank-only model of the report. The features come as blocks, one per party (block
 * 0 the bank's), so that the centralised run performs exactly the arithmetic of the federated one
 * — partial scores per block, summed in party order ({@link LogisticMath}) — and with the same
 * parameters, seed and rows the two take the same steps.
 *
 * <p>The step the federated protocol replaces is {@link #gradient}: given the weights and a batch,
 * the smooth objective (data loss and L2) and its gradient. Everything else — the batch schedule
 * ({@link BatchPlan}), the proximal update ({@link LogisticMath#proximalStep}), early stopping
 * ({@link EarlyStopper}) — is local, deterministic and shared.
 *
 * <p>Optimisers ({@link Optimizer}): mini-batch proximal GD, or full-batch L-BFGS with a backtracking
 * Armijo line search, run as OWL-QN when {@code λ₁ > 0}. Stateless and thread-safe; {@link #fit}
 * runs on the calling thread.
 */
public final class LogisticRegression {
  /** The Armijo constant of the backtracking line search (shared with federated L-BFGS). */
  public static final double ARMIJO = 1e-4;

  /** The most halvings of a line search before it gives up. */
  public static final int MAX_BACKTRACKS = 60;

  private final List<FeatureMatrix> blocks;
  private final int[] labels;
  private final double[] rowWeights;
  private final LogisticRegressionParameters params;
  private final int[] offsets;
  private final int dim;
  private final int penalised;

  private LogisticRegression(
      List<FeatureMatrix> blocks,
      int[] labels,
      double[] rowWeights,
      LogisticRegressionParameters params) {
    this.blocks = blocks;
    this.labels = labels;
    this.rowWeights = rowWeights;
    this.params = params;
    offsets = new int[blocks.size() + 1];
    for (int k = 0; k < blocks.size(); k++) {
      offsets[k + 1] = offsets[k] + blocks.get(k).columnCount();
    }
    penalised = offsets[blocks.size()];
    dim = penalised + (params.intercept() ? 1 : 0);
  }

  /**
   * Trains on a single feature matrix (the bank-only model, or all features joined).
   *
   * @see #fit(List, int[], RowIndexes, RowIndexes, LogisticRegressionParameters)
   */
  public static LogisticRegressionModel fit(
      FeatureMatrix features, int[] labels, Split split, LogisticRegressionParameters params) {
    return fit(List.of(features), labels, split.train(), split.validation(), params);
  }

  /**
   * Trains on feature blocks whose rows are aligned (row {@code r} of every block and {@code
   * labels[r]} are the same customer).
   *
   * @param blocks one matrix per party, block 0 the bank's; all with the same number of rows
   * @param labels 0 or 1 per row
   * @param train the training rows, not empty
   * @param validation the validation rows, for early stopping and the history (may be empty unless
   *     early stopping is enabled)
   * @throws IllegalArgumentException if the shapes disagree, a label is not 0 or 1, or early
   *     stopping is enabled without validation rows
   */
  public static LogisticRegressionModel fit(
      List<FeatureMatrix> blocks,
      int[] labels,
      RowIndexes train,
      RowIndexes validation,
      LogisticRegressionParameters params) {
    Objects.requireNonNull(params, "params");
    List<FeatureMatrix> b = List.copyOf(blocks);
    checkShapes(b, labels);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training rows");
    }
    if (train.get(train.size() - 1) >= labels.length
        || (!validation.isEmpty() && validation.get(validation.size() - 1) >= labels.length)) {
      throw new IllegalArgumentException("a row index is beyond the data");
    }
    if (params.earlyStopping().enabled() && validation.isEmpty()) {
      throw new IllegalArgumentException("early stopping needs validation rows");
    }
    int[] y = labels.clone();
    double[] s = params.classWeights().rowWeights(y, train.toArray());
    LogisticRegression lr = new LogisticRegression(b, y, s, params);
    return params.optimizer() == Optimizer.LBFGS
        ? lr.lbfgs(train.toArray(), validation.toArray())
        : lr.gradientDescent(train.toArray(), validation.toArray());
  }

  /**
   * The step the federated protocol replaces: the smooth objective on a batch, {@code
   * (1/|B|)·Σ_{i∈B} s_i·ℓ(y_i, z_i) + (λ₂/2)·‖w‖²}, and its gradient with respect to every block and
   * the intercept, computed in the order of {@link LogisticMath} (partial scores per block, summed in
   * block order, residuals, {@code X_kᵀ·d + λ₂·w_k} per block, {@code Σ d} for the intercept).
   *
   * @param blocks the feature blocks
   * @param weights current weights (same block widths)
   * @param labels 0 or 1 per row
   * @param rowWeights {@code s_i} per row
   * @param batch the batch's row indexes
   * @param l2 λ₂
   * @param intercept whether the intercept's gradient is wanted (0 otherwise)
   */
  public static Gradient gradient(
      List<FeatureMatrix> blocks,
      Weights weights,
      int[] labels,
      double[] rowWeights,
      int[] batch,
      double l2,
      boolean intercept) {
    checkShapes(blocks, labels);
    if (weights.blockCount() != blocks.size() || rowWeights.length != labels.length) {
      throw new IllegalArgumentException("weights or row weights do not fit the blocks");
    }
    return gradientOnChecked(blocks, weights, labels, rowWeights, batch, l2, intercept);
  }

  private static Gradient gradientOnChecked(
      List<FeatureMatrix> blocks,
      Weights weights,
      int[] labels,
      double[] rowWeights,
      int[] batch,
      double l2,
      boolean intercept) {
    int[] y = new int[batch.length];
    double[] s = new double[batch.length];
    for (int i = 0; i < batch.length; i++) {
      y[i] = labels[batch[i]];
      s[i] = rowWeights[batch[i]];
    }
    double[][] u = new double[blocks.size()][];
    for (int k = 0; k < blocks.size(); k++) {
      u[k] = blocks.get(k).times(weights.blockView(k), batch);
    }
    double[] z = LogisticMath.sumScores(u, weights.intercept());
    double[] d = LogisticMath.residuals(z, y, s);
    double loss = LogisticMath.dataLoss(z, y, s);
    double[][] g = new double[blocks.size()][];
    for (int k = 0; k < blocks.size(); k++) {
      double[] w = weights.blockView(k);
      g[k] = blocks.get(k).transposeTimes(batch, d);
      LogisticMath.addL2(g[k], w, l2);
      loss += LogisticMath.penalty(w, l2, 0);
    }
    double gb = 0;
    if (intercept) {
      for (double di : d) {
        gb += di;
      }
    }
    return new Gradient(loss, Weights.wrap(g, gb));
  }

  /**
   * The smooth objective on a batch and its gradient.
   *
   * @param objective data loss plus L2 penalty (the L1 penalty is not included)
   * @param gradient its gradient, shaped like the weights
   */
  public record Gradient(double objective, Weights gradient) {
    public Gradient {
      Objects.requireNonNull(gradient, "gradient");
    }
  }

  private static void checkShapes(List<FeatureMatrix> blocks, int[] labels) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("at least one feature block is required");
    }
    for (FeatureMatrix m : blocks) {
      if (m.rowCount() != labels.length) {
        throw new IllegalArgumentException("every block needs one row per label");
      }
    }
    for (int y : labels) {
      if (y != 0 && y != 1) {
        throw new IllegalArgumentException("labels must be 0 or 1");
      }
    }
  }

  // ---- flat parameter vector θ = [w_0 | w_1 | … | b] ----

  private Weights toWeights(double[] theta) {
    double[][] w = new double[blocks.size()][];
    for (int k = 0; k < blocks.size(); k++) {
      w[k] = java.util.Arrays.copyOfRange(theta, offsets[k], offsets[k + 1]);
    }
    return Weights.wrap(w, params.intercept() ? theta[penalised] : 0);
  }

  private double[] toFlat(Weights w) {
    double[] theta = new double[dim];
    for (int k = 0; k < blocks.size(); k++) {
      System.arraycopy(w.blockView(k), 0, theta, offsets[k], offsets[k + 1] - offsets[k]);
    }
    if (params.intercept()) {
      theta[penalised] = w.intercept();
    }
    return theta;
  }

  /** Smooth objective and its flat gradient on {@code batch}. */
  private double smooth(double[] theta, int[] batch, double[] gradOut) {
    Gradient g =
        gradientOnChecked(
            blocks, toWeights(theta), labels, rowWeights, batch, params.l2(), params.intercept());
    double[] flat = toFlat(g.gradient());
    System.arraycopy(flat, 0, gradOut, 0, dim);
    return g.objective();
  }

  private double l1Penalty(double[] theta) {
    double s = 0;
    for (int j = 0; j < penalised; j++) {
      s += Math.abs(theta[j]);
    }
    return params.l1() * s;
  }

  private double[] scores(double[] theta, int[] rows) {
    Weights w = toWeights(theta);
    double[][] u = new double[blocks.size()][];
    for (int k = 0; k < blocks.size(); k++) {
      u[k] = blocks.get(k).times(w.blockView(k), rows);
    }
    return LogisticMath.sumScores(u, w.intercept());
  }

  private OptionalDouble validationLoss(double[] theta, int[] validation) {
    if (validation.length == 0) {
      return OptionalDouble.empty();
    }
    double[] z = scores(theta, validation);
    double[] p = new double[z.length];
    int[] y = new int[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = LogisticMath.sigmoid(z[i]);
      y[i] = labels[validation[i]];
    }
    return OptionalDouble.of(LogisticMath.logLoss(y, p));
  }

  // ---- mini-batch proximal gradient descent ----

  private LogisticRegressionModel gradientDescent(int[] train, int[] validation) {
    BatchPlan plan = BatchPlan.of(params.seed(), RowIndexes.of(train), params.batchSize());
    EarlyStopper stopper = new EarlyStopper(params.earlyStopping());
    List<TrainingHistory.Step> steps = new ArrayList<>();
    double[] theta = new double[dim];
    double[] best = theta.clone();
    double[] g = new double[dim];
    TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
    for (int e = 0; e < params.maxEpochs(); e++) {
      double eta = params.learningRate() / (1 + params.learningRateDecay() * e);
      for (int[] batch : plan.epoch(e)) {
        smooth(theta, batch, g);
        step(theta, g, eta);
      }
      double objective = smooth(theta, train, g) + l1Penalty(theta);
      OptionalDouble val = validationLoss(theta, validation);
      steps.add(new TrainingHistory.Step(e, objective, val));
      if (!Double.isFinite(objective)) {
        throw new ArithmeticException("training diverged: lower the learning rate");
      }
      if (params.earlyStopping().enabled()) {
        if (stopper.observe(val.getAsDouble())) {
          best = theta.clone();
        }
        if (stopper.shouldStop()) {
          reason = TrainingHistory.StopReason.EARLY_STOPPED;
          break;
        }
      }
    }
    return finish(theta, best, stopper, steps, reason);
  }

  /** One proximal step per block (as each party does on its own block), plain for the intercept. */
  private void step(double[] theta, double[] g, double eta) {
    for (int k = 0; k < blocks.size(); k++) {
      double[] w = java.util.Arrays.copyOfRange(theta, offsets[k], offsets[k + 1]);
      double[] gk = java.util.Arrays.copyOfRange(g, offsets[k], offsets[k + 1]);
      LogisticMath.proximalStep(w, gk, eta, params.l1());
      System.arraycopy(w, 0, theta, offsets[k], w.length);
    }
    if (params.intercept()) {
      theta[penalised] -= eta * g[penalised];
    }
  }

  private LogisticRegressionModel finish(
      double[] last,
      double[] best,
      EarlyStopper stopper,
      List<TrainingHistory.Step> steps,
      TrainingHistory.StopReason reason) {
    boolean useBest = params.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    double[] theta = useBest ? best : last;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;
    List<List<String>> names = blocks.stream().map(FeatureMatrix::columnNames).toList();
    return new LogisticRegressionModel(
        names,
        toWeights(theta),
        params.intercept(),
        new TrainingHistory(steps, reason, bestStep));
  }

  // ---- L-BFGS / OWL-QN (full batch) ----

  private LogisticRegressionModel lbfgs(int[] train, int[] validation) {
    final double l1 = params.l1();
    final int m = params.lbfgsMemory();
    EarlyStopper stopper = new EarlyStopper(params.earlyStopping());
    List<TrainingHistory.Step> steps = new ArrayList<>();
    double[] x = new double[dim];
    double[] best = x.clone();
    double[] g = new double[dim];
    double f = smooth(x, train, g) + l1Penalty(x);
    double[][] sHist = new double[m][];
    double[][] yHist = new double[m][];
    double[] rho = new double[m];
    int stored = 0;
    int head = 0; // index of the next slot to write
    TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
    for (int it = 0; it < params.maxEpochs(); it++) {
      double[] pg = pseudoGradient(x, g, l1);
      if (norm(pg) <= params.tolerance()) {
        reason = TrainingHistory.StopReason.CONVERGED;
        break;
      }
      // Two-loop recursion (Nocedal & Wright, Algorithm 7.4) on the pseudo-gradient.
      double[] q = pg.clone();
      double[] alpha = new double[m];
      for (int i = 0; i < stored; i++) {
        int j = Math.floorMod(head - 1 - i, m);
        alpha[j] = rho[j] * dot(sHist[j], q);
        axpy(-alpha[j], yHist[j], q);
      }
      if (stored > 0) {
        int j = Math.floorMod(head - 1, m);
        double gamma = dot(sHist[j], yHist[j]) / dot(yHist[j], yHist[j]);
        scale(q, gamma);
      } else {
        scale(q, 1 / Math.max(1, norm(pg))); // first step: a unit-length steepest descent
      }
      for (int i = stored - 1; i >= 0; i--) {
        int j = Math.floorMod(head - 1 - i, m);
        double beta = rho[j] * dot(yHist[j], q);
        axpy(alpha[j] - beta, sHist[j], q);
      }
      double[] dir = new double[dim];
      for (int j = 0; j < dim; j++) {
        dir[j] = -q[j];
        // OWL-QN: keep only the components that agree in sign with steepest descent.
        if (l1 > 0 && j < penalised && dir[j] * pg[j] >= 0) {
          dir[j] = 0;
        }
      }
      if (dot(dir, pg) >= 0) { // not a descent direction: forget the curvature, go steepest
        stored = 0;
        for (int j = 0; j < dim; j++) {
          dir[j] = -pg[j] / Math.max(1, norm(pg));
        }
      }
      // Orthant of the step (OWL-QN): the sign of x, or of −pg where x is zero.
      double[] orthant = new double[dim];
      for (int j = 0; j < penalised; j++) {
        orthant[j] = x[j] != 0 ? Math.signum(x[j]) : -Math.signum(pg[j]);
      }
      double step = 1;
      double[] xNew = null;
      double[] gNew = new double[dim];
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int bt = 0; bt < MAX_BACKTRACKS; bt++) {
        xNew = new double[dim];
        for (int j = 0; j < dim; j++) {
          xNew[j] = x[j] + step * dir[j];
          if (l1 > 0 && j < penalised && Math.signum(xNew[j]) != orthant[j]) {
            xNew[j] = 0;
          }
        }
        fNew = smooth(xNew, train, gNew) + l1Penalty(xNew);
        double decrease = 0;
        for (int j = 0; j < dim; j++) {
          decrease += pg[j] * (xNew[j] - x[j]);
        }
        if (Double.isFinite(fNew) && fNew <= f + ARMIJO * decrease) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        reason = TrainingHistory.StopReason.NO_PROGRESS;
        break;
      }
      double[] s = new double[dim];
      double[] yv = new double[dim];
      for (int j = 0; j < dim; j++) {
        s[j] = xNew[j] - x[j];
        yv[j] = gNew[j] - g[j];
      }
      double sy = dot(s, yv);
      if (sy > 1e-12 * dot(yv, yv)) {
        sHist[head] = s;
        yHist[head] = yv;
        rho[head] = 1 / sy;
        head = (head + 1) % m;
        stored = Math.min(stored + 1, m);
      }
      double fOld = f;
      x = xNew;
      g = gNew;
      f = fNew;
      OptionalDouble val = validationLoss(x, validation);
      steps.add(new TrainingHistory.Step(it, f, val));
      if (params.earlyStopping().enabled()) {
        if (stopper.observe(val.getAsDouble())) {
          best = x.clone();
        }
        if (stopper.shouldStop()) {
          reason = TrainingHistory.StopReason.EARLY_STOPPED;
          break;
        }
      }
      if (fOld - f <= params.tolerance() * Math.max(1, Math.abs(f))) {
        reason = TrainingHistory.StopReason.CONVERGED;
        break;
      }
    }
    return finish(x, best, stopper, steps, reason);
  }

  /** The OWL-QN pseudo-gradient of the smooth gradient {@code g} plus {@code λ₁·‖w‖₁}. */
  private double[] pseudoGradient(double[] x, double[] g, double l1) {
    double[] pg = g.clone();
    if (l1 == 0) {
      return pg;
    }
    for (int j = 0; j < penalised; j++) {
      if (x[j] > 0) {
        pg[j] = g[j] + l1;
      } else if (x[j] < 0) {
        pg[j] = g[j] - l1;
      } else if (g[j] + l1 < 0) {
        pg[j] = g[j] + l1;
      } else if (g[j] - l1 > 0) {
        pg[j] = g[j] - l1;
      } else {
        pg[j] = 0;
      }
    }
    return pg;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
