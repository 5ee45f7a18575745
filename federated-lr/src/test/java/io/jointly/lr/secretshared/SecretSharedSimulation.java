package io.jointly.lr.secretshared;

import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.training.LogisticRegressionParameters;

/**
 * The algorithm of {@link SecretSharedLr} in plain double precision, on one machine: the same fixed
 * batches and batch order, the same Fourier sigmoid ({@link SharesSigmoid}, by default STANDARD), residuals scaled by η, class weights and 1/|B|,
 * and the update {@code w ← (1 − ηλ₂)·w − Xᵀd'} (intercept unpenalised), on features rounded to
 * the protocol's fixed point. What the two-party run must reproduce within the fixed-point
 * tolerance (test support).
 */
public final class SecretSharedSimulation {
  public final double[] bankWeights;
  public final double intercept;
  public final double[] partnerWeights;

  private SecretSharedSimulation(double[] bankWeights, double intercept, double[] partnerWeights) {
    this.bankWeights = bankWeights;
    this.intercept = intercept;
    this.partnerWeights = partnerWeights;
  }

  public static SecretSharedSimulation run(LogisticRegressionParameters lr, FeatureMatrix xb, FeatureMatrix xp, int[] y) {
    return run(lr, SecretSharedLrParameters.Sigmoid.STANDARD, xb, xp, y, new java.util.ArrayList<>());
  }

  /** With the given sigmoid. */
  public static SecretSharedSimulation run(
      LogisticRegressionParameters lr, SecretSharedLrParameters.Sigmoid sigmoid, FeatureMatrix xb, FeatureMatrix xp, int[] y) {
    return run(lr, sigmoid, xb, xp, y, new java.util.ArrayList<>());
  }

  /** As above, collecting every score the run computes in {@code scores}. */
  public static SecretSharedSimulation run(
      LogisticRegressionParameters lr,
      SecretSharedLrParameters.Sigmoid sigmoid,
      FeatureMatrix xb,
      FeatureMatrix xp,
      int[] y,
      java.util.List<Double> scores) {
    SharesSigmoid series = SharesSigmoid.of(sigmoid);
    int n = y.length;
    int pb = xb.columnCount();
    int pp = xp.columnCount();
    double[][] b = quantised(xb);
    double[][] p = quantised(xp);
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    double[] s = lr.classWeights().rowWeights(y, all);
    double[] wb = new double[pb];
    double[] wp = new double[pp];
    double w0 = 0;
    int[][] batches = SecretSharedLr.batches(lr.seed(), n, lr.batchSize());
    for (int e = 0; e < lr.maxEpochs(); e++) {
      double eta = SecretSharedLr.eta(lr, e);
      for (int bi : SecretSharedLr.batchOrder(lr.seed(), batches.length, e)) {
        int[] rows = batches[bi];
        double[] d = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          int r = rows[i];
          double z = lr.intercept() ? w0 : 0;
          for (int j = 0; j < pb; j++) {
            z += b[r][j] * wb[j];
          }
          for (int j = 0; j < pp; j++) {
            z += p[r][j] * wp[j];
          }
          scores.add(z);
          d[i] = eta * s[r] * (series.value(z) - y[r]) / rows.length;
        }
        double k = 1 - eta * lr.l2();
        double[] gb = new double[pb];
        double[] gp = new double[pp];
        double g0 = 0;
        for (int i = 0; i < rows.length; i++) {
          int r = rows[i];
          for (int j = 0; j < pb; j++) {
            gb[j] += b[r][j] * d[i];
          }
          for (int j = 0; j < pp; j++) {
            gp[j] += p[r][j] * d[i];
          }
          g0 += d[i];
        }
        for (int j = 0; j < pb; j++) {
          wb[j] = k * wb[j] - gb[j];
        }
        for (int j = 0; j < pp; j++) {
          wp[j] = k * wp[j] - gp[j];
        }
        if (lr.intercept()) {
          w0 -= g0;
        }
      }
    }
    return new SecretSharedSimulation(wb, w0, wp);
  }

  private static double[][] quantised(FeatureMatrix x) {
    double[][] out = new double[x.rowCount()][x.columnCount()];
    for (int r = 0; r < x.rowCount(); r++) {
      for (int c = 0; c < x.columnCount(); c++) {
        out[r][c] = Math.scalb(Math.rint(Math.scalb(x.get(r, c), SharesLayout.F_X)), -SharesLayout.F_X);
      }
    }
    return out;
  }
}
