package io.jointly.psi;

import java.util.List;
import java.util.Objects;

/**
 * A party's identifiers as read from its own rows: one or more key columns of equal length, in row
 * order. PSI results refer back to these rows by index.
 *
 * <p>Immutable if the given lists are not modified afterwards (they are not copied, to keep 2^20
 * rows cheap).
 */
public final class PsiInput {
  private final List<List<String>> columns;
  private final int rows;

  private PsiInput(List<List<String>> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is needed");
    }
    int n = columns.get(0).size();
    for (List<String> c : columns) {
      if (Objects.requireNonNull(c).size() != n) {
        throw new IllegalArgumentException("key columns must have equal lengths");
      }
    }
    this.columns = List.copyOf(columns);
    this.rows = n;
  }

  /** A single key column. */
  public static PsiInput ofColumn(List<String> identifiers) {
    return new PsiInput(List.of(identifiers));
  }

  /** Several key columns forming a composite key, each listing the rows in the same order. */
  public static PsiInput ofColumns(List<List<String>> columns) {
    return new PsiInput(columns);
  }

  public int rowCount() {
    return rows;
  }

  public int columnCount() {
    return columns.size();
  }

  /** The raw value of a key column in a row (may be {@code null}). */
  public String value(int row, int column) {
    return columns.get(column).get(row);
  }

  @Override
  public String toString() {
    return "PsiInput[" + rows + " rows x " + columns.size() + " columns]";
  }
}
