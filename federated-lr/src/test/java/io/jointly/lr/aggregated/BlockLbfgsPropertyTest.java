package io.jointly.lr.aggregated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The two-loop recursion on coefficients over block Gram matrices equals the plain two-loop
 * recursion (Nocedal &amp; Wright, Algorithm 7.4) on the concatenated vectors.
 */
class BlockLbfgsPropertyTest {

  @Property(tries = 200)
  void direction_fromSummedBlockGrams_equalsThePlainTwoLoopRecursion(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int stored, @ForAll boolean pending, @ForAll @IntRange(min = 1, max = 5) int memory) {
    stored = Math.min(stored, memory);
    Random rnd = new Random(seed);
    int[] widths = {1 + rnd.nextInt(5), 1 + rnd.nextInt(4), 1 + rnd.nextInt(3)};
    int dim = Arrays.stream(widths).sum();
    // A convex quadratic's gradients give pairs with sᵀy > 0; sometimes a pending pair violates it.
    double[] g = gaussian(rnd, dim);
    List<double[]> s = new ArrayList<>();
    List<double[]> y = new ArrayList<>();
    for (int i = 0; i < stored; i++) {
      double[] si = gaussian(rnd, dim);
      s.add(si);
      y.add(curved(rnd, si));
    }
    double[] sp = gaussian(rnd, dim);
    double[] yp = rnd.nextInt(4) == 0 ? negate(sp) : curved(rnd, sp);

    // Each block's Gram matrix, summed.
    double[] tri = null;
    List<List<double[]>> blockVectors = new ArrayList<>();
    int from = 0;
    for (int width : widths) {
      List<double[]> v = new ArrayList<>();
      v.add(slice(g, from, width));
      for (double[] si : s) {
        v.add(slice(si, from, width));
      }
      for (double[] yi : y) {
        v.add(slice(yi, from, width));
      }
      if (pending) {
        v.add(slice(sp, from, width));
        v.add(slice(yp, from, width));
      }
      blockVectors.add(v);
      double[] t = BlockLbfgs.gram(v);
      if (tri == null) {
        tri = t;
      } else {
        for (int a = 0; a < t.length; a++) {
          tri[a] += t[a];
        }
      }
      from += width;
    }
    BlockLbfgs.Direction dir = BlockLbfgs.direction(tri, stored, pending, memory);
    double[] combined = new double[dim];
    from = 0;
    for (int k = 0; k < widths.length; k++) {
      System.arraycopy(BlockLbfgs.combine(dir.coefficients(), blockVectors.get(k)), 0, combined, from, widths[k]);
      from += widths[k];
    }

    // The plain recursion on the whole vectors.
    List<double[]> hs = new ArrayList<>(s);
    List<double[]> hy = new ArrayList<>(y);
    boolean store = pending && BlockLbfgs.dot(sp, yp) > BlockLbfgs.CURVATURE * BlockLbfgs.dot(yp, yp);
    assertThat(dir.storePending()).isEqualTo(store);
    if (store) {
      if (hs.size() == memory) {
        hs.remove(0);
        hy.remove(0);
      }
      hs.add(sp);
      hy.add(yp);
    }
    double[] expected = plainDirection(g, hs, hy);
    boolean reset = BlockLbfgs.dot(expected, g) >= 0;
    assertThat(dir.reset()).isEqualTo(reset);
    if (reset) {
      expected = g.clone();
      double scale = -1 / Math.max(1, Math.sqrt(BlockLbfgs.dot(g, g)));
      for (int j = 0; j < dim; j++) {
        expected[j] *= scale;
      }
    }
    double size = Math.sqrt(BlockLbfgs.dot(expected, expected));
    for (int j = 0; j < dim; j++) {
      assertThat(combined[j]).isCloseTo(expected[j], within(1e-9 * Math.max(1, size)));
    }
    assertThat(dir.slope()).isCloseTo(BlockLbfgs.dot(expected, g), within(1e-9 * Math.max(1, Math.abs(dir.slope()))));
    assertThat(dir.gradientNorm()).isCloseTo(Math.sqrt(BlockLbfgs.dot(g, g)), within(1e-12));
  }

  @Test
  void history_appliesTheDecisionsLikeTheRingBufferOfCentralisedLbfgs() {
    BlockLbfgs.History h = new BlockLbfgs.History(2);
    double[] g = {1, 0};
    for (int i = 0; i < 3; i++) {
      h.pending(new double[] {i, 1}, new double[] {i, 2});
      assertThat(h.vectors(g)).hasSize(1 + 2 * h.stored() + 2);
      h.apply(true, false);
    }
    assertThat(h.stored()).isEqualTo(2);
    // The oldest pair went; the two newest stay, oldest first.
    assertThat(h.vectors(g).get(1)).containsExactly(1, 1);
    assertThat(h.vectors(g).get(2)).containsExactly(2, 1);
    h.pending(new double[] {9, 9}, new double[] {9, 9});
    h.apply(false, true);
    assertThat(h.stored()).isZero();
    assertThat(h.hasPending()).isFalse();
  }

  @Test
  void at_readsTheUpperTriangleSymmetrically() {
    List<double[]> v = List.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 7});
    double[] tri = BlockLbfgs.gram(v);
    assertThat(BlockLbfgs.vectorsOf(tri.length)).isEqualTo(3);
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        assertThat(BlockLbfgs.at(tri, 3, a, b)).isEqualTo(BlockLbfgs.dot(v.get(a), v.get(b)));
      }
    }
  }

  /** Nocedal & Wright, Algorithm 7.4, with γ = sᵀy/yᵀy of the newest pair (or 1/max(1, ‖g‖)). */
  private static double[] plainDirection(double[] g, List<double[]> s, List<double[]> y) {
    int k = s.size();
    double[] q = g.clone();
    double[] alpha = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      alpha[i] = BlockLbfgs.dot(s.get(i), q) / BlockLbfgs.dot(s.get(i), y.get(i));
      axpy(-alpha[i], y.get(i), q);
    }
    double gamma =
        k > 0
            ? BlockLbfgs.dot(s.get(k - 1), y.get(k - 1)) / BlockLbfgs.dot(y.get(k - 1), y.get(k - 1))
            : 1 / Math.max(1, Math.sqrt(BlockLbfgs.dot(g, g)));
    for (int j = 0; j < q.length; j++) {
      q[j] *= gamma;
    }
    for (int i = 0; i < k; i++) {
      double beta = BlockLbfgs.dot(y.get(i), q) / BlockLbfgs.dot(s.get(i), y.get(i));
      axpy(alpha[i] - beta, s.get(i), q);
    }
    for (int j = 0; j < q.length; j++) {
      q[j] = -q[j];
    }
    return q;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] gaussian(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  /** H·s for a random diagonal positive H: a gradient change with positive curvature. */
  private static double[] curved(Random rnd, double[] s) {
    double[] y = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      y[i] = (0.5 + rnd.nextDouble()) * s[i];
    }
    return y;
  }

  private static double[] negate(double[] s) {
    double[] y = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      y[i] = -s[i];
    }
    return y;
  }

  private static double[] slice(double[] v, int from, int width) {
    return Arrays.copyOfRange(v, from, from + width);
  }
}
