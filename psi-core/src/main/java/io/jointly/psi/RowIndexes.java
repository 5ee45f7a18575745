package io.jointly.psi;

import java.util.Arrays;

/**
 * An immutable, strictly increasing set of 0-based row indexes into a party's own input: the rows
 * whose identifier is shared. Indexes rather than copies, so the caller keeps its rows.
 */
public final class RowIndexes {
  private static final RowIndexes EMPTY = new RowIndexes(new int[0]);

  private final int[] rows;

  private RowIndexes(int[] rows) {
    this.rows = rows;
  }

  /** The set of the given indexes (sorted and de-duplicated). */
  public static RowIndexes of(int... rows) {
    int[] r = rows.clone();
    Arrays.sort(r);
    int n = 0;
    for (int i = 0; i < r.length; i++) {
      if (r[i] < 0) {
        throw new IllegalArgumentException("negative row index");
      }
      if (n == 0 || r[n - 1] != r[i]) {
        r[n++] = r[i];
      }
    }
    return n == 0 ? EMPTY : new RowIndexes(Arrays.copyOf(r, n));
  }

  /**
   * Takes ownership of an array that is already strictly increasing and non-negative (checked),
   * without copying it: for protocol implementations that build the array themselves.
   *
   * @throws IllegalArgumentException if the array is not strictly increasing and non-negative
   */
  public static RowIndexes ofSortedUnique(int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || (i > 0 && rows[i] <= rows[i - 1])) {
        throw new IllegalArgumentException("row indexes must be strictly increasing and non-negative");
      }
    }
    return rows.length == 0 ? EMPTY : new RowIndexes(rows);
  }

  public int size() {
    return rows.length;
  }

  public boolean isEmpty() {
    return rows.length == 0;
  }

  /** The {@code i}-th smallest index. */
  public int get(int i) {
    return rows[i];
  }

  public boolean contains(int row) {
    return Arrays.binarySearch(rows, row) >= 0;
  }

  public int[] toArray() {
    return rows.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowIndexes other && Arrays.equals(rows, other.rows);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rows);
  }

  @Override
  public String toString() {
    return "RowIndexes[" + rows.length + " rows]";
  }
}
