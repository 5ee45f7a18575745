package io.jointly.bench.vole;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How low can the weight of a dual-LPN test vector of the expand-accumulate code go? The evidence
 * behind the minimum-distance estimate in {@code io.jointly.vole.VoleParameters}.
 *
 * <p>A linear test on the VOLE output u·(B·A·e) is the test vector {@code v = Aᵀ·Bᵀ·u} on the
 * noise: {@code Bᵀ·u} marks the expander positions of the rows in u (a position used twice cancels)
 * and the accumulator turns them into runs, so v's weight is the sum of every other gap between the
 * sorted positions (plus the tail if their number is odd). With regular noise of t entries valued in
 * a large field, such a test distinguishes with advantage about {@code (1 − wt(v)/N)^t}.
 *
 * <p>This program draws the expander as the code does (k uniform positions per row, here from a
 * seeded SplittableRandom: the distribution, not the stream, matters) and reports, as fractions of
 * N:
 *
 * <ul>
 *   <li>the exact minimum over all single rows;
 *   <li>a check of the model below on random pairs of rows: the fraction whose weight is below a
 *       threshold, measured and predicted;
 *   <li>the expected minimum over all sets of r = 1..4 rows under the model in which the merged
 *       positions of r rows are r·k uniform points, so the weight is a Beta(⌈rk/2⌉, ⌊rk/2⌋ + 1)
 *       fraction of N (exact, by the binomial form of the incomplete beta function), and the
 *       minimum δ solves {@code C(m, r)·P[Beta < δ] = 1}.
 * </ul>
 *
 * Run: {@code java -cp bench/target/benchmarks.jar io.jointly.bench.vole.EaMinDistance [log2m=20]
 * [k=21] [expansion=5]}.
 */
public final class EaMinDistance {
  private EaMinDistance() {}

  public static void main(String[] args) {
    int log2m = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    int expansion = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int m = 1 << log2m;
    long n = (long) expansion * m;
    SplittableRandom rnd = new SplittableRandom(2026);
    int[][] rows = new int[m][k];
    double single = 1;
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < k; i++) {
        rows[j][i] = (int) rnd.nextLong(n);
      }
      Arrays.sort(rows[j]);
      single = Math.min(single, weight(rows[j], n) / (double) n);
    }
    System.out.printf(Locale.ROOT, "m=2^%d k=%d N=%d%n", log2m, k, n);
    System.out.printf(Locale.ROOT, "single rows: exact minimum weight/N = %.4f (model expects %.4f)%n", single, expectedMinimum(m, 1, k));
    // The model on random pairs: fraction of pair weights below x0, measured against predicted.
    int samples = 2_000_000;
    double x0 = 0.33;
    int below = 0;
    int[] merged = new int[2 * k];
    for (int s = 0; s < samples; s++) {
      int a = rnd.nextInt(m);
      int b = rnd.nextInt(m);
      if (a == b) {
        s--;
        continue;
      }
      System.arraycopy(rows[a], 0, merged, 0, k);
      System.arraycopy(rows[b], 0, merged, k, k);
      Arrays.sort(merged);
      if (weight(merged, n) < x0 * n) {
        below++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "random pairs: weight/N < %.2f for %.5f of %d pairs, model %.5f%n",
        x0,
        below / (double) samples,
        samples,
        betaCdf(x0, 2 * k));
    for (int r = 1; r <= 4; r++) {
      System.out.printf(Locale.ROOT, "model, all sets of %d rows: expected minimum weight/N = %.4f%n", r, expectedMinimum(m, r, k));
    }
  }

  /** The weight of the accumulated indicator of sorted positions (duplicates cancel). */
  static long weight(int[] sorted, long n) {
    long w = 0;
    int count = 0;
    long start = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i + 1 < sorted.length && sorted[i] == sorted[i + 1]) {
        i++; // a repeated position cancels
        continue;
      }
      if (count % 2 == 0) {
        start = sorted[i];
      } else {
        w += sorted[i] - start;
      }
      count++;
    }
    if (count % 2 == 1) {
      w += n - start;
    }
    return w;
  }

  /**
   * P[Beta(a, b) < x] for the weight of {@code points} uniform points, a = ⌈points/2⌉, b =
   * ⌊points/2⌋ + 1: the probability that at least a of a + b − 1 uniform points fall below x.
   */
  static double betaCdf(double x, int points) {
    int a = (points + 1) / 2;
    int total = a + points / 2; // a + b − 1
    double p = 0;
    for (int j = a; j <= total; j++) {
      p += Math.exp(lnChoose(total, j) + j * Math.log(x) + (total - j) * Math.log1p(-x));
    }
    return p;
  }

  /** The δ at which {@code C(m, r)·P[Beta < δ] = 1}, by bisection. */
  static double expectedMinimum(int m, int r, int k) {
    double lnSets = lnChoose(m, r);
    double lo = 0;
    double hi = 0.5;
    for (int it = 0; it < 100; it++) {
      double mid = (lo + hi) / 2;
      if (lnSets + Math.log(betaCdf(mid, r * k)) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static double lnChoose(int m, int r) {
    double v = 0;
    for (int i = 0; i < r; i++) {
      v += Math.log(m - i) - Math.log(i + 1);
    }
    return v;
  }

}
