package io.jointly.lr.training;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * An independent reference solver for L2-regularised weighted logistic regression (tests only):
 * Newton's method (IRLS) with the exact Hessian, solving {@code H·Δ = g} by LU decomposition, on
 * {@code (1/n)·Σ s_i·ℓ(y_i, x_iᵀw + b) + (λ/2)·‖w‖²}. Written from the textbook formulas, sharing
 * no code with the trainer.
 */
final class NewtonReference {
  private NewtonReference() {}

  /** Returns {@code [w_0, …, w_{d−1}, b]}. */
  static double[] solve(double[][] x, int[] y, double[] s, double lambda) {
    int n = x.length;
    int d = x[0].length;
    double[] theta = new double[d + 1];
    for (int iter = 0; iter < 100; iter++) {
      double[] g = new double[d + 1];
      double[][] h = new double[d + 1][d + 1];
      for (int i = 0; i < n; i++) {
        double z = theta[d];
        for (int j = 0; j < d; j++) {
          z += x[i][j] * theta[j];
        }
        double p = 1 / (1 + Math.exp(-z));
        double r = s[i] * (p - y[i]) / n;
        double w = s[i] * p * (1 - p) / n;
        for (int a = 0; a <= d; a++) {
          double xa = a < d ? x[i][a] : 1;
          g[a] += r * xa;
          for (int b = 0; b <= d; b++) {
            double xb = b < d ? x[i][b] : 1;
            h[a][b] += w * xa * xb;
          }
        }
      }
      for (int j = 0; j < d; j++) {
        g[j] += lambda * theta[j];
        h[j][j] += lambda;
      }
      RealMatrix hm = new Array2DRowRealMatrix(h);
      RealVector step = new LUDecomposition(hm).getSolver().solve(new ArrayRealVector(g));
      double max = 0;
      for (int j = 0; j <= d; j++) {
        theta[j] -= step.getEntry(j);
        max = Math.max(max, Math.abs(step.getEntry(j)));
      }
      if (max < 1e-13) {
        break;
      }
    }
    return theta;
  }
}
