package io.jointly.okvs;

/**
 * The shape of an {@link Okvs} for at most {@code items} keys with encoding failure probability at
 * most 2^-{@code lambda}: the construction of Raghuraman and Rindal, "Blazing Fast PSI from
 * Improved OKVS and Subfield VOLE", ACM CCS 2022 (RR22), §2–3, with binary dense columns and
 * clustering.
 *
 * <h2>Layout</h2>
 *
 * Keys are spread over {@code bins} bins by a hash; bin b owns the {@code binSize()} consecutive
 * entries starting at {@code b·binSize()}: {@code sparseColumns} entries of which every key's row
 * picks 3 distinct ones (RR22's weight w = 3), then {@code denseColumns} entries of which it picks
 * a uniformly random subset (RR22 §2, "binary row-hat"). A bin holds at most {@code binCapacity}
 * keys. For at most 64 keys ({@link #dense()}) there is one bin and every column is dense: a row is
 * a uniformly random vector of {@code denseColumns} = items + λ + 2 bits.
 *
 * <h2>How the sizes follow from λ (all bounds are union bounds, each term ≤ 2^-(λ+1))</h2>
 *
 * <ul>
 *   <li>Bin overflow: {@code binCapacity} is the smallest c with the Chernoff bound {@code
 *       exp(−μ·h(c/μ − 1))} ≤ 2^-(λ+1)/bins, μ = items/bins, h(u) = (1+u)ln(1+u) − u (1 bin: c =
 *       items).
 *   <li>Per bin, with λ' = λ + 2 + ⌈log2 bins⌉: {@code sparseColumns = ⌈e·c⌉} with the expansion e
 *       of RR22 Eq. (2)–(3) for w = 3 (phase-transition point e* = 1.223 and slope 2^α, log2 α-fit
 *       {@code 0.55·log2 c + 0.093w'^3 − 1.01w'^2 + 2.92w' − 0.13}, w' = log2 3), solved for the line
 *       through (e*, −9.2) to reach λ'; the gap bound {@code ĝ = ⌈λ'/((w−2)·log2(e·c))⌉} (RR22 end
 *       of §3.2, rounded up) holds except with probability 2^-λ'; {@code denseColumns = ĝ + λ'}, so
 *       the gap rows' dense part has full rank except with probability 2^-λ' (RR22 Lemma 2.1).
 *   <li>Dense mode: a random (items × items + λ + 2) binary matrix has full row rank except with
 *       probability 2^-(λ+2) (the same lemma).
 * </ul>
 *
 * So an encoding fails with probability at most 2^-λ; RR22's bound on the gap is an empirical fit
 * (stated by the paper for 2^6 ≤ n ≤ 2^30, 30 ≤ λ ≤ 128), and this class uses it only in that range.
 *
 * @param items the most keys that will be encoded
 * @param lambda the statistical security parameter λ
 * @param bins number of bins
 * @param binCapacity the most keys a bin holds
 * @param sparseColumns sparse entries per bin (0 in dense mode)
 * @param denseColumns dense entries per bin (1..64 in sparse mode, 1..128 in dense mode)
 */
public record OkvsParameters(
    int items, int lambda, int bins, int binCapacity, int sparseColumns, int denseColumns) {

  /** The most keys encoded with an all-dense matrix. */
  public static final int DENSE_LIMIT = 64;

  /** The number of keys a bin is aimed at: a bin's entries stay within a few MiB of cache. */
  public static final int TARGET_BIN_ITEMS = 1 << 16;

  /** The most keys an OKVS takes. */
  public static final int MAX_ITEMS = 1 << 28;

  /** Row weight of the sparse part (RR22's w). */
  public static final int WEIGHT = 3;

  public OkvsParameters {
    if (items < 0 || items > MAX_ITEMS) {
      throw new IllegalArgumentException("items out of range: " + items);
    }
    if (lambda < 1 || lambda > 64) {
      throw new IllegalArgumentException("lambda must be within 1..64");
    }
    if (bins < 1 || binCapacity < 0 || sparseColumns < 0 || denseColumns < 1) {
      throw new IllegalArgumentException("invalid OKVS shape");
    }
    if (sparseColumns == 0 ? denseColumns > 128 || bins != 1 : denseColumns > 64 || sparseColumns < WEIGHT) {
      throw new IllegalArgumentException("invalid OKVS shape");
    }
    if ((long) bins * (sparseColumns + denseColumns) > Integer.MAX_VALUE / 16) {
      throw new IllegalArgumentException("OKVS too large");
    }
  }

  /**
   * The parameters for at most {@code items} keys and failure probability at most 2^-λ.
   *
   * @throws IllegalArgumentException if λ is outside 1..40 for large sets (RR22's fit is used only
   *     up to λ' ≤ 62) or the set is too large
   */
  public static OkvsParameters forItems(int items, int lambda) {
    return forItems(items, lambda, TARGET_BIN_ITEMS);
  }

  /**
   * As {@link #forItems(int, int)} with bins aimed at {@code binItems} keys (at least 2^10, where
   * RR22's fit still holds).
   */
  public static OkvsParameters forItems(int items, int lambda, int binItems) {
    if (binItems < 1 << 10) {
      throw new IllegalArgumentException("bins of at least 1024 items");
    }
    if (items < 0 || items > MAX_ITEMS) {
      throw new IllegalArgumentException("items out of range: " + items);
    }
    if (items <= DENSE_LIMIT) {
      return new OkvsParameters(items, lambda, 1, items, 0, items + lambda + 2);
    }
    int bins = Math.max(1, (int) Math.ceil(items / (double) binItems));
    int capacity = bins == 1 ? items : capacity(items, bins, lambda + 1);
    int lambdaBin = lambda + 2 + ceilLog2(bins);
    double e = expansion(capacity, lambdaBin);
    int sparse = (int) Math.ceil(e * capacity);
    int gap = (int) Math.ceil(lambdaBin / ((WEIGHT - 2) * log2(e * capacity)));
    int dense = gap + lambdaBin;
    if (dense > 64) {
      throw new IllegalArgumentException("lambda too large for this OKVS: " + lambda);
    }
    return new OkvsParameters(items, lambda, bins, capacity, sparse, dense);
  }

  /** Whether every column is dense (at most {@link #DENSE_LIMIT} keys). */
  public boolean dense() {
    return sparseColumns == 0;
  }

  /** Entries per bin. */
  public int binSize() {
    return sparseColumns + denseColumns;
  }

  /** Entries in the whole store. */
  public int size() {
    return bins * binSize();
  }

  /**
   * RR22 Eq. (2)–(3) for w = 3: the expansion e = m'/n at which the bound reaches λ' for n keys.
   */
  static double expansion(int n, int lambdaBin) {
    double wp = log2(WEIGHT);
    double alpha = 0.55 * log2(n) + 0.093 * wp * wp * wp - 1.01 * wp * wp + 2.92 * wp - 0.13;
    double slope = Math.pow(2, alpha);
    return 1.223 + (lambdaBin + 9.2) / slope;
  }

  /** The smallest bin capacity whose overflow probability is at most 2^-bitsPerAll / bins. */
  static int capacity(int items, int bins, int bits) {
    double mu = items / (double) bins;
    double target = -(bits + log2(bins)) * Math.log(2); // ln of the per-bin bound
    int lo = (int) Math.ceil(mu);
    int hi = items;
    while (lo < hi) {
      int mid = (int) (((long) lo + hi) >>> 1);
      double u = mid / mu - 1;
      double lnBound = u <= 0 ? 0 : -mu * ((1 + u) * Math.log1p(u) - u);
      if (lnBound <= target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  static int ceilLog2(int x) {
    return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
