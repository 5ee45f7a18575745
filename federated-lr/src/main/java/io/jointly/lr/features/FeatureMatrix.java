package io.jointly.lr.features;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One party's encoded features: a dense {@code rows × columns} matrix of doubles with a name per
 * column, stored row-major. What {@link FeatureTransform#apply} produces and what training and
 * scoring consume.
 *
 * <p>The two products of vertical logistic regression live here, so the centralised trainer and the
 * federated protocol use the very same arithmetic: {@link #times(double[], int[])} (a party's
 * partial scores {@code X_k·w_k} on a batch) and {@link #transposeTimes(int[], double[])} (the
 * gradient block {@code X_kᵀ·d}).
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureMatrix {
  private final List<String> names;
  private final int rows;
  private final int cols;
  private final double[] data;

  private FeatureMatrix(List<String> names, int rows, double[] data) {
    this.names = List.copyOf(names);
    this.rows = rows;
    this.cols = names.size();
    this.data = data;
    if (new HashSet<>(this.names).size() != cols) {
      throw new IllegalArgumentException("duplicate feature names");
    }
    for (double v : data) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("feature values must be finite");
      }
    }
  }

  /**
   * A matrix from row-major values ({@code values[r·columns + c]}); the array is copied.
   *
   * @throws IllegalArgumentException if the length is not {@code rows · names.size()}, a name
   *     repeats, or a value is not finite
   */
  public static FeatureMatrix of(List<String> names, int rows, double[] values) {
    if (rows < 0 || (long) rows * names.size() != values.length) {
      throw new IllegalArgumentException(
          "expected " + rows + " × " + names.size() + " values, got " + values.length);
    }
    return new FeatureMatrix(names, rows, values.clone());
  }

  /** A matrix from rows of equal width. */
  public static FeatureMatrix ofRows(List<String> names, double[][] rowValues) {
    int c = names.size();
    double[] d = new double[rowValues.length * c];
    for (int r = 0; r < rowValues.length; r++) {
      if (rowValues[r].length != c) {
        throw new IllegalArgumentException(
            "row " + (r + 1) + " has " + rowValues[r].length + " values, expected " + c);
      }
      System.arraycopy(rowValues[r], 0, d, r * c, c);
    }
    return new FeatureMatrix(names, rowValues.length, d);
  }

  /** Takes ownership of {@code values} (package-internal, for the transform). */
  static FeatureMatrix wrap(List<String> names, int rows, double[] values) {
    return new FeatureMatrix(names, rows, values);
  }

  public int rowCount() {
    return rows;
  }

  public int columnCount() {
    return cols;
  }

  public List<String> columnNames() {
    return names;
  }

  public double get(int row, int column) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(column, cols);
    return data[row * cols + column];
  }

  /** A copy of one row. */
  public double[] row(int row) {
    Objects.checkIndex(row, rows);
    return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
  }

  /** A copy of all values, row-major. */
  public double[] toArray() {
    return data.clone();
  }

  /** The rows at the given indexes, in that order. */
  public FeatureMatrix rows(int[] rowIndexes) {
    double[] d = new double[rowIndexes.length * cols];
    for (int i = 0; i < rowIndexes.length; i++) {
      int r = Objects.checkIndex(rowIndexes[i], rows);
      System.arraycopy(data, r * cols, d, i * cols, cols);
    }
    return new FeatureMatrix(names, rowIndexes.length, d);
  }

  /**
   * Partial scores {@code X[rows]·w}: entry {@code i} is {@code Σ_c X[rows[i], c]·w[c]}, summed in
   * column order.
   */
  public double[] times(double[] w, int[] rowIndexes) {
    requireWidth(w);
    double[] out = new double[rowIndexes.length];
    for (int i = 0; i < rowIndexes.length; i++) {
      int base = Objects.checkIndex(rowIndexes[i], rows) * cols;
      double s = 0;
      for (int c = 0; c < cols; c++) {
        s += data[base + c] * w[c];
      }
      out[i] = s;
    }
    return out;
  }

  /** Partial scores {@code X·w} for every row. */
  public double[] times(double[] w) {
    return times(w, allRows());
  }

  /**
   * The gradient block {@code X[rows]ᵀ·d}: entry {@code c} is {@code Σ_i X[rows[i], c]·d[i]},
   * summed in batch order.
   */
  public double[] transposeTimes(int[] rowIndexes, double[] d) {
    if (d.length != rowIndexes.length) {
      throw new IllegalArgumentException("one residual per batch row is required");
    }
    double[] out = new double[cols];
    for (int i = 0; i < rowIndexes.length; i++) {
      int base = Objects.checkIndex(rowIndexes[i], rows) * cols;
      double di = d[i];
      for (int c = 0; c < cols; c++) {
        out[c] += data[base + c] * di;
      }
    }
    return out;
  }

  /** The indexes {@code 0 … rows−1}. */
  public int[] allRows() {
    int[] r = new int[rows];
    Arrays.setAll(r, i -> i);
    return r;
  }

  private void requireWidth(double[] w) {
    if (w.length != cols) {
      throw new IllegalArgumentException(
          "weights have " + w.length + " entries, the matrix " + cols + " columns");
    }
  }

  @Override
  public String toString() {
    return "FeatureMatrix[" + rows + " × " + cols + "]";
  }
}
