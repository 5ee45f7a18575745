package io.jointly.lr.training;

import io.jointly.lr.features.FeatureMatrix;

/**
 * The pure per-step arithmetic of logistic regression, split the way vertical federated training
 * splits it, so that the centralised trainer and the federated protocol run the same code:
 *
 * <ol>
 *   <li>each party {@code k}: partial scores {@code u_k = X_k[B]·w_k} ({@link FeatureMatrix#times});
 *   <li>bank: {@code z = Σ_k u_k + b} summed in party order ({@link #sumScores}), then residuals
 *       {@code d_i = s_i·(σ(z_i) − y_i) / |B|} ({@link #residuals});
 *   <li>each party: gradient block {@code X_k[B]ᵀ·d + λ₂·w_k} ({@link FeatureMatrix#transposeTimes},
 *       {@link #addL2}); bank: intercept gradient {@code Σ d_i};
 *   <li>each party: proximal step on its own block ({@link #proximalStep}).
 * </ol>
 *
 * <p>The objective on a batch {@code B} is {@code (1/|B|)·Σ_{i∈B} s_i·ℓ(y_i, z_i) + (λ₂/2)·‖w‖² +
 * λ₁·‖w‖₁}, with {@code ℓ(y, z) = log(1 + e^z) − y·z} (the log-loss of {@code σ(z)}), {@code s_i}
 * the class weight of row {@code i}, and the intercept {@code b} not penalised. Stateless.
 */
public final class LogisticMath {
  /** Probabilities are clipped to [ε, 1 − ε] in {@link #logLoss(int[], double[])}. */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  private LogisticMath() {}

  /** The exact logistic function {@code 1 / (1 + e^−z)}, computed without overflow. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }

  /** {@code log(1 + e^z)}, computed without overflow or loss of precision for large |z|. */
  public static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  /** {@code ℓ(y, z) = log(1 + e^z) − y·z}: the log-loss of a score {@code z} for a label 0 or 1. */
  public static double pointLoss(int y, double z) {
    return softplus(z) - (y == 1 ? z : 0);
  }

  /**
   * The full scores of a batch: {@code z_i = ((u_0[i] + u_1[i]) + …) + b}, the parties' partial
   * scores added in party order, then the intercept.
   */
  public static double[] sumScores(double[][] partialScores, double intercept) {
    int n = partialScores.length == 0 ? 0 : partialScores[0].length;
    double[] z = new double[n];
    for (double[] u : partialScores) {
      if (u.length != n) {
        throw new IllegalArgumentException("partial scores of different lengths");
      }
      for (int i = 0; i < n; i++) {
        z[i] += u[i];
      }
    }
    for (int i = 0; i < n; i++) {
      z[i] += intercept;
    }
    return z;
  }

  /**
   * The residuals of a batch, {@code d_i = s_i·(σ(z_i) − y_i) / |B|}: the gradient of the batch's
   * data loss with respect to the scores.
   *
   * @param scores {@code z_i} for the batch rows
   * @param labels {@code y_i} (0 or 1) for the batch rows
   * @param weights {@code s_i} for the batch rows
   */
  public static double[] residuals(double[] scores, int[] labels, double[] weights) {
    requireSameLength(scores, labels, weights);
    int n = scores.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = weights[i] * (sigmoid(scores[i]) - labels[i]) / n;
    }
    return d;
  }

  /** The batch's weighted mean data loss {@code (1/|B|)·Σ s_i·ℓ(y_i, z_i)}. */
  public static double dataLoss(double[] scores, int[] labels, double[] weights) {
    requireSameLength(scores, labels, weights);
    double s = 0;
    for (int i = 0; i < scores.length; i++) {
      s += weights[i] * pointLoss(labels[i], scores[i]);
    }
    return scores.length == 0 ? 0 : s / scores.length;
  }

  /** Adds {@code λ₂·w} to a gradient block in place. */
  public static void addL2(double[] gradient, double[] w, double l2) {
    for (int j = 0; j < w.length; j++) {
      gradient[j] += l2 * w[j];
    }
  }

  /** The penalty of one block, {@code (λ₂/2)·‖w‖² + λ₁·‖w‖₁}. */
  public static double penalty(double[] w, double l2, double l1) {
    double sq = 0;
    double abs = 0;
    for (double v : w) {
      sq += v * v;
      abs += Math.abs(v);
    }
    return 0.5 * l2 * sq + l1 * abs;
  }

  /**
   * One proximal gradient step on a weight block, in place: {@code w ← soft(w − η·g, η·λ₁)}, where
   * {@code soft(v, t) = sign(v)·max(|v| − t, 0)} (plain gradient descent when {@code λ₁ = 0}). The
   * gradient {@code g} is of the smooth part (data loss and L2).
   */
  public static void proximalStep(double[] w, double[] g, double eta, double l1) {
    if (w.length != g.length) {
      throw new IllegalArgumentException("weights and gradient differ in length");
    }
    double t = eta * l1;
    for (int j = 0; j < w.length; j++) {
      double v = w[j] - eta * g[j];
      w[j] = t == 0 ? v : Math.signum(v) * Math.max(Math.abs(v) - t, 0);
    }
  }

  /** Mean log-loss of probabilities {@code p} for labels {@code y}, with p clipped to [ε, 1−ε]. */
  public static double logLoss(int[] y, double[] p) {
    if (y.length != p.length) {
      throw new IllegalArgumentException("labels and probabilities differ in length");
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      double q = Math.min(Math.max(p[i], LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
      s -= y[i] == 1 ? Math.log(q) : Math.log1p(-q);
    }
    return s / y.length;
  }

  private static void requireSameLength(double[] scores, int[] labels, double[] weights) {
    if (labels.length != scores.length || weights.length != scores.length) {
      throw new IllegalArgumentException("scores, labels and weights differ in length");
    }
  }
}
