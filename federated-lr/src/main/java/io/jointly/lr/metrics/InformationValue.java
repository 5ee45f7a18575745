package io.jointly.lr.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Weight of evidence and information value of one feature, computed by the bank from per-bin
 * positive and negative counts (FATE's hetero feature binning computes the same quantities; this
 * is an independent implementation with explicit smoothing and suppression).
 *
 * <p>Over the {@code m} bins that are neither suppressed by their owner nor smaller than the bank's
 * own {@code minBinSize}, with {@code P} and {@code N} the positives and negatives in those bins
 * and smoothing {@code α > 0} added to every kept bin (so the smoothed shares still sum to 1):
 *
 * <pre>
 *   e_j = (pos_j + α) / (P + m·α)      share of positives (events) in bin j
 *   n_j = (neg_j + α) / (N + m·α)      share of negatives in bin j
 *   WOE_j = ln(e_j / n_j)              positive where the bin responds above average
 *   IV_j  = (e_j − n_j) · WOE_j  ≥ 0,   IV = Σ_j IV_j
 * </pre>
 *
 * <p>Smoothing must be positive, so that every WOE is finite even for a bin without positives or
 * negatives (the unsmoothed formula gives ±∞ there); the default is {@link #DEFAULT_SMOOTHING}. Suppressed bins are reported with
 * {@code suppressed = true} and WOE and IV 0, never dropped.
 *
 * @param iv the feature's information value
 * @param bins per-bin results in bin order
 */
public record InformationValue(double iv, List<BinWoe> bins) {

  /** The default smoothing α: half an observation per bin and class. */
  public static final double DEFAULT_SMOOTHING = 0.5;

  /**
   * The counts of one bin, as the bank receives them.
   *
   * @param bin the owner's bin index
   * @param positives positive rows in the bin
   * @param negatives negative rows in the bin
   * @param suppressed the owner withheld this bin's counts (they must then be 0)
   */
  public record BinCount(int bin, long positives, long negatives, boolean suppressed) {
    public BinCount {
      if (positives < 0 || negatives < 0) {
        throw new IllegalArgumentException("counts must be ≥ 0");
      }
      if (suppressed && (positives != 0 || negatives != 0)) {
        throw new IllegalArgumentException("a suppressed bin carries no counts");
      }
    }
  }

  /**
   * The result for one bin.
   *
   * @param bin the owner's bin index
   * @param positives positives counted (0 if suppressed)
   * @param negatives negatives counted (0 if suppressed)
   * @param suppressed withheld by the owner or below the bank's minimum size
   * @param woe weight of evidence (0 if suppressed)
   * @param iv the bin's IV contribution (0 if suppressed)
   */
  public record BinWoe(
      int bin, long positives, long negatives, boolean suppressed, double woe, double iv) {}

  public InformationValue {
    bins = List.copyOf(bins);
  }

  /**
   * WOE and IV from per-bin counts.
   *
   * @param counts the bins' counts
   * @param smoothing α &gt; 0
   * @param minBinSize bins with fewer rows ({@code positives + negatives}) are suppressed, ≥ 1
   */
  public static InformationValue of(List<BinCount> counts, double smoothing, int minBinSize) {
    Objects.requireNonNull(counts, "counts");
    if (!(smoothing > 0) || Double.isInfinite(smoothing)) {
      throw new IllegalArgumentException("smoothing must be finite and > 0");
    }
    if (minBinSize < 1) {
      throw new IllegalArgumentException("minBinSize must be ≥ 1");
    }
    long pTotal = 0;
    long nTotal = 0;
    int kept = 0;
    boolean[] suppressed = new boolean[counts.size()];
    for (int i = 0; i < counts.size(); i++) {
      BinCount c = counts.get(i);
      suppressed[i] = c.suppressed() || c.positives() + c.negatives() < minBinSize;
      if (!suppressed[i]) {
        pTotal += c.positives();
        nTotal += c.negatives();
        kept++;
      }
    }
    double pDen = pTotal + kept * smoothing;
    double nDen = nTotal + kept * smoothing;
    List<BinWoe> out = new ArrayList<>();
    double iv = 0;
    for (int i = 0; i < counts.size(); i++) {
      BinCount c = counts.get(i);
      if (suppressed[i]) {
        out.add(new BinWoe(c.bin(), 0, 0, true, 0, 0));
        continue;
      }
      double e = (c.positives() + smoothing) / pDen;
      double n = (c.negatives() + smoothing) / nDen;
      double woe = Math.log(e / n);
      double binIv = (e - n) * woe;
      iv += binIv;
      out.add(new BinWoe(c.bin(), c.positives(), c.negatives(), false, woe, binIv));
    }
    return new InformationValue(iv, out);
  }

  /** WOE and IV with {@link #DEFAULT_SMOOTHING} and no further suppression by the bank. */
  public static InformationValue of(List<BinCount> counts) {
    return of(counts, DEFAULT_SMOOTHING, 1);
  }
}
