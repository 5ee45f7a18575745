package io.jointly.psi.unbalanced;

import io.jointly.core.InputException;
import io.jointly.psi.PsiInput;
import io.jointly.psi.pipeline.RowReader;
import io.jointly.psi.pipeline.RowSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A party's identifiers read once, row by row, so that a set of any size streams through the
 * offline encoding without being held in memory. Rows are numbered from 1 in the order they come.
 *
 * <p>Not thread-safe: one consumer reads it.
 */
@FunctionalInterface
public interface IdentifierSource extends AutoCloseable {

  /**
   * The next row's key values (one per key column, raw: they are normalised by the consumer), or
   * {@code null} after the last row.
   *
   * @throws InputException if the underlying input is unreadable at this row
   */
  List<String> next() throws InputException;

  /** Releases what the source holds. */
  @Override
  default void close() {}

  /** The rows of an in-memory input. */
  static IdentifierSource of(PsiInput input) {
    Objects.requireNonNull(input, "input");
    return new IdentifierSource() {
      private int row;

      @Override
      public List<String> next() {
        if (row == input.rowCount()) {
          return null;
        }
        List<String> values = new ArrayList<>(input.columnCount());
        for (int c = 0; c < input.columnCount(); c++) {
          values.add(input.value(row, c));
        }
        row++;
        return values;
      }
    };
  }

  /**
   * The rows of a PSI pipeline source (a CSV file, a database query), read in one pass as they are
   * asked for: nothing is held but the current row. A missing value reads as empty (invalid for
   * every profile).
   */
  static IdentifierSource of(RowSource source, int keyColumns) {
    Objects.requireNonNull(source, "source");
    if (keyColumns < 1) {
      throw new IllegalArgumentException("at least one key column");
    }
    return new IdentifierSource() {
      private RowReader reader;
      private final String[] keys = new String[keyColumns];

      @Override
      public List<String> next() throws InputException {
        if (reader == null) {
          reader = source.open();
        }
        if (!reader.next(keys)) {
          return null;
        }
        List<String> values = new ArrayList<>(keyColumns);
        for (String k : keys) {
          values.add(k == null ? "" : k);
        }
        return values;
      }

      @Override
      public void close() {
        if (reader != null) {
          reader.close();
        }
      }
    };
  }

  /** A single column of identifiers. */
  static IdentifierSource of(List<String> column) {
    return of(PsiInput.ofColumn(column));
  }
}
