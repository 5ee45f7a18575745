package io.jointly.lr.training;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Everything that determines a logistic-regression training run, centralised or federated: with the
 * same parameters (seed included), the same rows and the same batches, the federated trainer
 * performs the same steps as {@link LogisticRegression}. Immutable; invalid values are rejected at
 * construction. Start from {@link #DEFAULT} (or {@link #builder()}) and change fields with {@link
 * #toBuilder()}.
 *
 * <p>The objective is {@code (1/n)·Σ s_i·ℓ(y_i, z_i) + (λ₂/2)·‖w‖² + λ₁·‖w‖₁} over the training
 * rows (see {@link LogisticMath}); the intercept, when present, belongs to the bank and is not
 * penalised.
 *
 * @param optimizer mini-batch gradient descent or full-batch L-BFGS (OWL-QN with L1)
 * @param learningRate GD step size η {@code > 0}
 * @param learningRateDecay GD: the step in epoch {@code e} (0-based) is {@code η / (1 + decay·e)}
 * @param batchSize GD rows per batch, ≥ 1 (a batch at least as large as the training set makes GD
 *     full-batch)
 * @param maxEpochs GD epochs, or L-BFGS iterations, ≥ 1
 * @param l2 λ₂ ≥ 0
 * @param l1 λ₁ ≥ 0
 * @param classWeights per-class row weights
 * @param earlyStopping the rule on the validation split
 * @param tolerance L-BFGS converges when the objective decreases by less than {@code
 *     tolerance·max(1, |f|)} in an iteration or the (pseudo-)gradient's Euclidean norm falls below
 *     {@code tolerance}; ≥ 0
 * @param lbfgsMemory correction pairs kept by L-BFGS, 1–100
 * @param intercept whether the bank fits an intercept
 * @param seed the public seed of the batch schedule, agreed by both parties (not a secret: it only
 *     orders the training rows)
 */
public record LogisticRegressionParameters(
    Optimizer optimizer,
    double learningRate,
    double learningRateDecay,
    int batchSize,
    int maxEpochs,
    double l2,
    double l1,
    ClassWeights classWeights,
    EarlyStopping earlyStopping,
    double tolerance,
    int lbfgsMemory,
    boolean intercept,
    long seed) {

  /**
   * L-BFGS, λ₂ = 10⁻³, no L1, unweighted, at most 200 iterations, tolerance 10⁻⁹, memory 10,
   * intercept, no early stopping, seed 0; GD settings η = 0.1, no decay, batches of 1,024.
   */
  public static final LogisticRegressionParameters DEFAULT =
      new LogisticRegressionParameters(
          Optimizer.LBFGS,
          0.1,
          0,
          1024,
          200,
          1e-3,
          0,
          ClassWeights.NONE,
          EarlyStopping.DISABLED,
          1e-9,
          10,
          true,
          0);

  public LogisticRegressionParameters {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(classWeights, "classWeights");
    Objects.requireNonNull(earlyStopping, "earlyStopping");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0");
    }
    requireNonNegative(learningRateDecay, "learningRateDecay");
    requireNonNegative(l2, "l2");
    requireNonNegative(l1, "l1");
    requireNonNegative(tolerance, "tolerance");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be ≥ 1");
    }
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("maxEpochs must be ≥ 1");
    }
    if (lbfgsMemory < 1 || lbfgsMemory > 100) {
      throw new IllegalArgumentException("lbfgsMemory must be in 1..100");
    }
  }

  private static void requireNonNegative(double v, String name) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and ≥ 0");
    }
  }

  /** A builder starting from {@link #DEFAULT} with a fresh random seed. */
  public static Builder builder() {
    return DEFAULT.toBuilder().seed(new SecureRandom().nextLong());
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link LogisticRegressionParameters}; validation happens in {@link #build()}. */
  public static final class Builder {
    private Optimizer optimizer;
    private double learningRate;
    private double learningRateDecay;
    private int batchSize;
    private int maxEpochs;
    private double l2;
    private double l1;
    private ClassWeights classWeights;
    private EarlyStopping earlyStopping;
    private double tolerance;
    private int lbfgsMemory;
    private boolean intercept;
    private long seed;

    private Builder(LogisticRegressionParameters p) {
      optimizer = p.optimizer;
      learningRate = p.learningRate;
      learningRateDecay = p.learningRateDecay;
      batchSize = p.batchSize;
      maxEpochs = p.maxEpochs;
      l2 = p.l2;
      l1 = p.l1;
      classWeights = p.classWeights;
      earlyStopping = p.earlyStopping;
      tolerance = p.tolerance;
      lbfgsMemory = p.lbfgsMemory;
      intercept = p.intercept;
      seed = p.seed;
    }

    public Builder optimizer(Optimizer v) {
      optimizer = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder learningRateDecay(double v) {
      learningRateDecay = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder maxEpochs(int v) {
      maxEpochs = v;
      return this;
    }

    public Builder l2(double v) {
      l2 = v;
      return this;
    }

    public Builder l1(double v) {
      l1 = v;
      return this;
    }

    public Builder classWeights(ClassWeights v) {
      classWeights = v;
      return this;
    }

    public Builder earlyStopping(EarlyStopping v) {
      earlyStopping = v;
      return this;
    }

    public Builder tolerance(double v) {
      tolerance = v;
      return this;
    }

    public Builder lbfgsMemory(int v) {
      lbfgsMemory = v;
      return this;
    }

    public Builder intercept(boolean v) {
      intercept = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public LogisticRegressionParameters build() {
      return new LogisticRegressionParameters(
          optimizer,
          learningRate,
          learningRateDecay,
          batchSize,
          maxEpochs,
          l2,
          l1,
          classWeights,
          earlyStopping,
          tolerance,
          lbfgsMemory,
          intercept,
          seed);
    }
  }
}
