package io.jointly.lr.metrics;

import io.jointly.core.InputException;
import io.jointly.lr.features.ColumnKind;
import io.jointly.lr.features.ColumnTransform;
import io.jointly.lr.features.RawTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The bins of one feature, fitted by the party that owns the feature, for weight of evidence and
 * information value ({@link InformationValue}). The owner assigns each of its rows to a bin; the
 * bank needs only the per-bin positive and negative counts ({@link #counts}, computed under
 * encryption in the federated protocol). Bin labels and numeric edges stay with the owner.
 *
 * <ul>
 *   <li><b>numeric</b>: quantile bins over the non-missing values — candidate upper edges at the
 *       values of ascending rank {@code ⌈i·m/maxBins⌉} (1-based) for {@code i = 1 … maxBins−1},
 *       duplicates and the maximum dropped; bin {@code j} holds {@code edge[j−1] < x ≤ edge[j]}. Then,
 *       while some bin has fewer than {@code minBinSize} rows, the smallest such bin (the first on
 *       ties) is merged with its smaller neighbour (the left one on ties). Missing cells form a
 *       last bin of their own.
 *   <li><b>categorical</b>: one bin per level with at least {@code minBinSize} rows (sorted by text;
 *       cells stripped), rarer levels pooled into one {@code __other__} bin; missing cells form a
 *       last bin of their own.
 * </ul>
 *
 * <p><b>Suppression</b>: a bin that still has fewer than {@code minBinSize} rows (a small missing
 * bin, a small {@code __other__} bin, or a single remaining bin) is kept in the list, flagged
 * {@link Bin#suppressed()}: its counts are withheld and it takes no part in WOE/IV. Nothing is
 * silently dropped. Immutable.
 */
public final class Binning {
  private final String feature;
  private final ColumnKind kind;
  private final List<Bin> bins;
  private final double[] upperEdges;
  private final int[] assignment;

  /**
   * One bin.
   *
   * @param index 0-based position in {@link #bins()}
   * @param label human-readable description, owner-side only (for example {@code (1.5, 3]})
   * @param rows rows in the bin
   * @param suppressed fewer than the minimum rows: counts withheld
   */
  public record Bin(int index, String label, int rows, boolean suppressed) {
    public Bin {
      Objects.requireNonNull(label, "label");
    }
  }

  private Binning(
      String feature, ColumnKind kind, List<Bin> bins, double[] upperEdges, int[] assignment) {
    this.feature = feature;
    this.kind = kind;
    this.bins = List.copyOf(bins);
    this.upperEdges = upperEdges;
    this.assignment = assignment;
  }

  /**
   * Fits the bins of a column of {@code table}.
   *
   * @param maxBins numeric: at most this many quantile bins before merging, ≥ 1
   * @param minBinSize the suppression threshold, ≥ 1
   * @throws InputException if a numeric column holds a cell that is not a finite number
   */
  public static Binning fit(
      RawTable table, String column, ColumnKind kind, int maxBins, int minBinSize)
      throws InputException {
    if (maxBins < 1 || minBinSize < 1) {
      throw new IllegalArgumentException("maxBins and minBinSize must be ≥ 1");
    }
    String[] cells = table.column(column).toArray(String[]::new);
    return kind == ColumnKind.NUMERIC
        ? numeric(column, cells, maxBins, minBinSize)
        : categorical(column, cells, minBinSize);
  }

  private static Binning numeric(String name, String[] cells, int maxBins, int min)
      throws InputException {
    int n = cells.length;
    double[] v = new double[n];
    int m = 0;
    for (int r = 0; r < n; r++) {
      if (RawTable.isMissing(cells[r])) {
        v[r] = Double.NaN;
        continue;
      }
      try {
        v[r] = Double.parseDouble(cells[r].strip());
      } catch (NumberFormatException e) {
        v[r] = Double.NaN;
      }
      if (!Double.isFinite(v[r])) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            r + 1L,
            "column '" + name + "' is numeric but the cell is not a finite number");
      }
      m++;
    }
    double[] sorted = new double[m];
    int k = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        sorted[k++] = x;
      }
    }
    Arrays.sort(sorted);
    List<Double> edges = new ArrayList<>();
    for (int i = 1; i < maxBins && m > 0; i++) {
      double e = sorted[(int) Math.ceil((double) i * m / maxBins) - 1];
      if (e < sorted[m - 1] && (edges.isEmpty() || e > edges.get(edges.size() - 1))) {
        edges.add(e);
      }
    }
    // Counts per bin, then merging of small bins (removing the edge between two neighbours).
    while (true) {
      int[] counts = new int[edges.size() + 1];
      for (double x : sorted) {
        counts[binOf(edges, x)]++;
      }
      int smallest = -1;
      for (int b = 0; b < counts.length; b++) {
        if (counts[b] < min && (smallest < 0 || counts[b] < counts[smallest])) {
          smallest = b;
        }
      }
      if (smallest < 0 || counts.length == 1) {
        break;
      }
      boolean left =
          smallest == counts.length - 1
              || (smallest > 0 && counts[smallest - 1] <= counts[smallest + 1]);
      edges.remove(left ? smallest - 1 : smallest);
    }
    int[] assignment = new int[n];
    int[] counts = new int[edges.size() + 2];
    int missingBin = edges.size() + 1;
    for (int r = 0; r < n; r++) {
      assignment[r] = Double.isNaN(v[r]) ? missingBin : binOf(edges, v[r]);
      counts[assignment[r]]++;
    }
    List<Bin> bins = new ArrayList<>();
    for (int b = 0; b <= edges.size(); b++) {
      String lo = b == 0 ? "(-inf" : "(" + edges.get(b - 1);
      String hi = b == edges.size() ? "+inf)" : edges.get(b) + "]";
      bins.add(new Bin(b, lo + ", " + hi, counts[b], counts[b] < min));
    }
    if (counts[missingBin] > 0) {
      bins.add(new Bin(missingBin, "missing", counts[missingBin], counts[missingBin] < min));
    }
    double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
    return new Binning(name, ColumnKind.NUMERIC, bins, e, assignment);
  }

  private static int binOf(List<Double> edges, double x) {
    int lo = 0;
    int hi = edges.size(); // first edge ≥ x, or edges.size()
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges.get(mid) >= x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private static Binning categorical(String name, String[] cells, int min) {
    Map<String, Integer> counts = new TreeMap<>();
    int missing = 0;
    for (String c : cells) {
      if (RawTable.isMissing(c)) {
        missing++;
      } else {
        counts.merge(c.strip(), 1, Integer::sum);
      }
    }
    Map<String, Integer> index = new TreeMap<>();
    List<Bin> bins = new ArrayList<>();
    int other = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= min) {
        index.put(e.getKey(), bins.size());
        bins.add(new Bin(bins.size(), e.getKey(), e.getValue(), false));
      } else {
        other += e.getValue();
      }
    }
    int otherBin = -1;
    if (other > 0) {
      otherBin = bins.size();
      bins.add(new Bin(otherBin, ColumnTransform.OTHER_LEVEL, other, other < min));
    }
    int missingBin = -1;
    if (missing > 0) {
      missingBin = bins.size();
      bins.add(new Bin(missingBin, "missing", missing, missing < min));
    }
    int[] assignment = new int[cells.length];
    for (int r = 0; r < cells.length; r++) {
      assignment[r] =
          RawTable.isMissing(cells[r]) ? missingBin : index.getOrDefault(cells[r].strip(), otherBin);
    }
    return new Binning(name, ColumnKind.CATEGORICAL, bins, new double[0], assignment);
  }

  public String feature() {
    return feature;
  }

  public ColumnKind kind() {
    return kind;
  }

  public List<Bin> bins() {
    return bins;
  }

  /** Numeric: the upper edges of all bins but the last (which is unbounded); empty otherwise. */
  public double[] upperEdges() {
    return upperEdges.clone();
  }

  /** The bin of each fitted row, in row order. */
  public int[] assignment() {
    return assignment.clone();
  }

  /**
   * The per-bin positive and negative counts for labels of the fitted rows — in plaintext what the
   * bank obtains from the federated exchange. Suppressed bins report zero counts and the flag.
   *
   * @param labels 0 or 1 per fitted row
   */
  public List<InformationValue.BinCount> counts(int[] labels) {
    if (labels.length != assignment.length) {
      throw new IllegalArgumentException("one label per fitted row is required");
    }
    long[] pos = new long[bins.size()];
    long[] neg = new long[bins.size()];
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] == 1) {
        pos[assignment[r]]++;
      } else if (labels[r] == 0) {
        neg[assignment[r]]++;
      } else {
        throw new IllegalArgumentException("labels must be 0 or 1");
      }
    }
    List<InformationValue.BinCount> out = new ArrayList<>();
    for (Bin b : bins) {
      out.add(
          b.suppressed()
              ? new InformationValue.BinCount(b.index(), 0, 0, true)
              : new InformationValue.BinCount(b.index(), pos[b.index()], neg[b.index()], false));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Binning[" + feature + ", " + bins.size() + " bins]";
  }
}
