package io.jointly.lr.metrics;

import io.jointly.lr.training.LogisticMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Held-out quality of a response model, computed by the bank (the only party with labels) from
 * predicted probabilities.
 *
 * <ul>
 *   <li>{@code auc}: the probability that a random positive scores above a random negative, ties
 *       counting one half (Mann–Whitney U from average ranks);
 *   <li>{@code ks}: the Kolmogorov–Smirnov statistic {@code max_t |TPR(t) − FPR(t)|} over the
 *       thresholds between distinct scores;
 *   <li>{@code logLoss}: mean log-loss with probabilities clipped to [10⁻¹⁵, 1 − 10⁻¹⁵];
 *   <li>{@code deciles}: rows ranked by descending score, decile {@code d} (1–10) holding ranks
 *       {@code ⌊(d−1)·n/10⌋ … ⌊d·n/10⌋ − 1}. Rows with equal scores cannot be ordered, so a group of
 *       tied rows spreads its positives evenly over the ranks it occupies (a decile boundary
 *       inside a tie group then gets a fractional count) — the result does not depend on input
 *       order.
 * </ul>
 *
 * @param rows number of rows
 * @param positives number of positive rows
 * @param baseRate {@code positives / rows}
 * @param auc area under the ROC curve
 * @param ks KS statistic
 * @param logLoss mean clipped log-loss
 * @param deciles the ten deciles, best scores first
 * @param topDecileLift lift of decile 1
 * @param roc the ROC curve, from (0, 0) to (1, 1), one point per group of tied scores, thinned to
 *     at most {@value #ROC_POINTS} points for reports
 */
public record BinaryMetrics(
    int rows,
    int positives,
    double baseRate,
    double auc,
    double ks,
    double logLoss,
    List<Decile> deciles,
    double topDecileLift,
    List<RocPoint> roc) {

  /** Most points kept on the ROC curve. */
  public static final int ROC_POINTS = 101;

  /** A point of the ROC curve: false-positive rate, true-positive rate. */
  public record RocPoint(double falsePositiveRate, double truePositiveRate) {}

  /**
   * One decile of the gains table.
   *
   * @param decile 1 (highest scores) to 10
   * @param rows rows in the decile
   * @param positives positives in the decile (fractional where a tie group straddles a boundary)
   * @param responseRate {@code positives / rows}
   * @param cumulativeGain share of all positives in deciles 1..{@code decile}
   * @param lift {@code responseRate / baseRate}
   * @param cumulativeLift response rate of deciles 1..{@code decile} over the base rate
   */
  public record Decile(
      int decile,
      int rows,
      double positives,
      double responseRate,
      double cumulativeGain,
      double lift,
      double cumulativeLift) {}

  public BinaryMetrics {
    deciles = List.copyOf(deciles);
    roc = List.copyOf(roc);
  }

  /**
   * Computes the metrics.
   *
   * @param probabilities predicted probabilities of the positive class, in [0, 1]
   * @param labels 0 or 1, aligned with {@code probabilities}
   * @throws IllegalArgumentException with fewer than 10 rows, without both classes, or on a
   *     probability outside [0, 1]
   */
  public static BinaryMetrics of(double[] probabilities, int[] labels) {
    Objects.requireNonNull(probabilities, "probabilities");
    int n = labels.length;
    if (probabilities.length != n) {
      throw new IllegalArgumentException("one probability per label is required");
    }
    if (n < 10) {
      throw new IllegalArgumentException("at least 10 rows are required");
    }
    int pos = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("labels must be 0 or 1");
      }
      if (!(probabilities[i] >= 0 && probabilities[i] <= 1)) {
        throw new IllegalArgumentException("probabilities must be in [0, 1]");
      }
      pos += labels[i];
    }
    int neg = n - pos;
    if (pos == 0 || neg == 0) {
      throw new IllegalArgumentException("both classes are required");
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());

    // Tie groups in descending score order: positions [start, end), positives within.
    double rankSumPositives = 0; // ascending ranks, 1-based
    double ks = 0;
    int cumPos = 0;
    int cumNeg = 0;
    double[] decilePositives = new double[10];
    int[] bounds = new int[11];
    for (int d = 0; d <= 10; d++) {
      bounds[d] = (int) ((long) d * n / 10);
    }
    List<RocPoint> curve = new ArrayList<>();
    curve.add(new RocPoint(0, 0));
    int start = 0;
    while (start < n) {
      int end = start;
      int groupPos = 0;
      while (end < n && probabilities[order[end]] == probabilities[order[start]]) {
        groupPos += labels[order[end]];
        end++;
      }
      // Descending positions start..end-1 are ascending ranks n-end+1 .. n-start.
      double averageRank = ((n - end + 1) + (n - start)) / 2.0;
      rankSumPositives += groupPos * averageRank;
      cumPos += groupPos;
      cumNeg += (end - start) - groupPos;
      ks = Math.max(ks, Math.abs((double) cumPos / pos - (double) cumNeg / neg));
      curve.add(new RocPoint((double) cumNeg / neg, (double) cumPos / pos));
      double perRow = (double) groupPos / (end - start);
      for (int d = 0; d < 10; d++) {
        int overlap = Math.min(end, bounds[d + 1]) - Math.max(start, bounds[d]);
        if (overlap > 0) {
          decilePositives[d] += overlap * perRow;
        }
      }
      start = end;
    }
    double auc = (rankSumPositives - pos * (pos + 1.0) / 2) / ((double) pos * neg);
    double base = (double) pos / n;
    List<Decile> deciles = new ArrayList<>(10);
    double cumulative = 0;
    for (int d = 0; d < 10; d++) {
      int rows = bounds[d + 1] - bounds[d];
      cumulative += decilePositives[d];
      double rate = rows == 0 ? 0 : decilePositives[d] / rows;
      double cumRate = cumulative / bounds[d + 1];
      deciles.add(
          new Decile(
              d + 1, rows, decilePositives[d], rate, cumulative / pos, rate / base, cumRate / base));
    }
    return new BinaryMetrics(
        n,
        pos,
        base,
        auc,
        ks,
        LogisticMath.logLoss(labels, probabilities),
        deciles,
        deciles.get(0).lift(),
        thin(curve));
  }

  /** At most {@link #ROC_POINTS} points, evenly spaced along the curve, first and last kept. */
  private static List<RocPoint> thin(List<RocPoint> curve) {
    if (curve.size() <= ROC_POINTS) {
      return curve;
    }
    List<RocPoint> out = new ArrayList<>(ROC_POINTS);
    for (int k = 0; k < ROC_POINTS; k++) {
      out.add(curve.get((int) Math.round((double) k * (curve.size() - 1) / (ROC_POINTS - 1))));
    }
    return out;
  }
}
