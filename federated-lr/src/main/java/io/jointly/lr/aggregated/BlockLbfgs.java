package io.jointly.lr.aggregated;

import io.jointly.lr.training.LogisticRegression;
import java.util.List;

/**
 * L-BFGS when the parameter vector is split into blocks held by different parties, free of
 * channels and keys.
 *
 * <p>The two-loop recursion (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed.,
 * Algorithm 7.4) only ever combines the gradient {@code g} and the correction pairs {@code (s_i,
 * y_i)} linearly, and only reads them through inner products. So it can run on <b>coefficients</b>
 * over the list of vectors {@code V = [g, s_0, …, s_{k−1}, y_0, …, y_{k−1}]} (oldest pair first,
 * optionally followed by a pending pair), given their Gram matrix {@code G = VᵀV}. With the vector
 * split into blocks, {@code G} is the sum of the parties' block Gram matrices; every party then
 * forms its own block of the direction as {@code Σ_a c_a·V_a}. The result equals the centralised
 * recursion of {@link LogisticRegression} up to floating-point rounding.
 *
 * <p>Gram matrices travel as their upper triangle, row by row ({@link #gram}, {@link #at}).
 */
final class BlockLbfgs {
  /** The curvature condition a pair must meet to be stored: {@code sᵀy > 10⁻¹² · yᵀy}. */
  static final double CURVATURE = 1e-12;

  private BlockLbfgs() {}

  /** The upper triangle of the Gram matrix of {@code vectors}, row by row. */
  static double[] gram(List<double[]> vectors) {
    int v = vectors.size();
    double[] out = new double[v * (v + 1) / 2];
    int k = 0;
    for (int a = 0; a < v; a++) {
      for (int b = a; b < v; b++) {
        out[k++] = dot(vectors.get(a), vectors.get(b));
      }
    }
    return out;
  }

  /** Entry (a, b) of a Gram matrix of {@code v} vectors stored by {@link #gram}. */
  static double at(double[] tri, int v, int a, int b) {
    int i = Math.min(a, b);
    int j = Math.max(a, b);
    return tri[i * v - i * (i - 1) / 2 + (j - i)];
  }

  /** Number of vectors whose upper triangle has {@code length} entries, or −1. */
  static int vectorsOf(int length) {
    for (int v = 1; v * (v + 1) / 2 <= length; v++) {
      if (v * (v + 1) / 2 == length) {
        return v;
      }
    }
    return -1;
  }

  /**
   * The decision of one iteration, in terms of the Gram vectors {@code [g, s_0..s_{k−1},
   * y_0..y_{k−1}]} plus, if {@code pending}, {@code [s_p, y_p]} last.
   *
   * @param storePending whether the pending pair joins the history (curvature condition met)
   * @param reset whether the history is dropped (the quasi-Newton direction was not a descent
   *     direction, so the step is steepest descent)
   * @param coefficients the direction {@code Σ_a c_a·V_a}, one coefficient per Gram vector
   * @param slope {@code gᵀ·direction} (negative)
   * @param gradientNorm {@code ‖g‖₂}
   */
  record Direction(boolean storePending, boolean reset, double[] coefficients, double slope, double gradientNorm) {}

  /**
   * Runs the two-loop recursion on coefficients.
   *
   * @param tri the summed Gram matrix (upper triangle)
   * @param stored pairs in the history before this iteration
   * @param pending whether a pending pair follows the history in the Gram vectors
   * @param memory the most pairs kept (the oldest is dropped beyond it)
   */
  static Direction direction(double[] tri, int stored, boolean pending, int memory) {
    int v = 1 + 2 * stored + (pending ? 2 : 0);
    if (tri.length != v * (v + 1) / 2) {
      throw new IllegalArgumentException("Gram matrix of the wrong size");
    }
    double gg = at(tri, v, 0, 0);
    double norm = Math.sqrt(Math.max(0, gg));
    boolean store = false;
    if (pending) {
      int sp = v - 2;
      int yp = v - 1;
      store = at(tri, v, sp, yp) > CURVATURE * at(tri, v, yp, yp);
    }
    // The history after this iteration's update, as indexes into the Gram vectors, oldest first.
    int first = store && stored == memory ? 1 : 0;
    int k = stored - first + (store ? 1 : 0);
    int[] s = new int[k];
    int[] y = new int[k];
    for (int i = 0; i < stored - first; i++) {
      s[i] = 1 + first + i;
      y[i] = 1 + stored + first + i;
    }
    if (store) {
      s[k - 1] = v - 2;
      y[k - 1] = v - 1;
    }
    double[] q = new double[v];
    q[0] = 1;
    double[] alpha = new double[k];
    double[] rho = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      rho[i] = 1 / at(tri, v, s[i], y[i]);
      alpha[i] = rho[i] * dot(tri, v, s[i], q);
      q[y[i]] -= alpha[i];
    }
    double gamma = k > 0 ? at(tri, v, s[k - 1], y[k - 1]) / at(tri, v, y[k - 1], y[k - 1]) : 1 / Math.max(1, norm);
    for (int a = 0; a < v; a++) {
      q[a] *= gamma;
    }
    for (int i = 0; i < k; i++) {
      double beta = rho[i] * dot(tri, v, y[i], q);
      q[s[i]] += alpha[i] - beta;
    }
    double[] c = new double[v];
    for (int a = 0; a < v; a++) {
      c[a] = -q[a];
    }
    double slope = dot(tri, v, 0, c);
    if (slope >= 0) { // not a descent direction: forget the curvature, go steepest
      c = new double[v];
      c[0] = -1 / Math.max(1, norm);
      return new Direction(store, true, c, -gg / Math.max(1, norm), norm);
    }
    return new Direction(store, false, c, slope, norm);
  }

  /** {@code Σ_a c_a·V_a}: a party's block of the direction. */
  static double[] combine(double[] coefficients, List<double[]> vectors) {
    if (coefficients.length != vectors.size()) {
      throw new IllegalArgumentException("one coefficient per vector is needed");
    }
    double[] out = new double[vectors.get(0).length];
    for (int a = 0; a < coefficients.length; a++) {
      double c = coefficients[a];
      double[] va = vectors.get(a);
      for (int j = 0; j < out.length; j++) {
        out[j] += c * va[j];
      }
    }
    return out;
  }

  /**
   * A party's correction history, its block of every pair, oldest first; updated exactly as
   * {@link #direction} decided.
   */
  static final class History {
    private final int memory;
    private final java.util.ArrayDeque<double[]> s = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<double[]> y = new java.util.ArrayDeque<>();
    private double[] pendingS;
    private double[] pendingY;

    History(int memory) {
      this.memory = memory;
    }

    int stored() {
      return s.size();
    }

    boolean hasPending() {
      return pendingS != null;
    }

    /** The Gram vectors for gradient {@code g}: {@code [g, s..., y..., (s_p, y_p)]}. */
    List<double[]> vectors(double[] g) {
      List<double[]> v = new java.util.ArrayList<>();
      v.add(g);
      v.addAll(s);
      v.addAll(y);
      if (pendingS != null) {
        v.add(pendingS);
        v.add(pendingY);
      }
      return v;
    }

    /** Records this iteration's step and gradient change, to be decided on next iteration. */
    void pending(double[] step, double[] gradientChange) {
      pendingS = step;
      pendingY = gradientChange;
    }

    /** Applies a decision taken on the Gram vectors of {@link #vectors}. */
    void apply(boolean storePending, boolean reset) {
      if (storePending) {
        if (s.size() == memory) {
          s.removeFirst();
          y.removeFirst();
        }
        s.addLast(pendingS);
        y.addLast(pendingY);
      }
      pendingS = null;
      pendingY = null;
      if (reset) {
        s.clear();
        y.clear();
      }
    }
  }

  private static double dot(double[] tri, int v, int a, double[] c) {
    double sum = 0;
    for (int b = 0; b < v; b++) {
      if (c[b] != 0) {
        sum += c[b] * at(tri, v, a, b);
      }
    }
    return sum;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
