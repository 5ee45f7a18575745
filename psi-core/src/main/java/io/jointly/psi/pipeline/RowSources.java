package io.jointly.psi.pipeline;

import io.jointly.core.InputException;
import io.jointly.psi.PsiInput;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** Ready-made {@link RowSource}s: in-memory columns, and any iterable of key tuples. */
public final class RowSources {
  private RowSources() {}

  /** The rows of an in-memory {@link PsiInput}. */
  public static RowSource of(PsiInput input) {
    Objects.requireNonNull(input, "input");
    return new RowSource() {
      @Override
      public RowReader open() {
        return new RowReader() {
          private int row;

          @Override
          public boolean next(String[] keys) throws InputException {
            if (keys.length != input.columnCount()) {
              throw new InputException(
                  InputException.Kind.INVALID_INPUT,
                  -1,
                  "input has " + input.columnCount() + " key columns, parameters say " + keys.length);
            }
            if (row >= input.rowCount()) {
              return false;
            }
            for (int c = 0; c < keys.length; c++) {
              keys[c] = input.value(row, c);
            }
            row++;
            return true;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public String description() {
        return "in-memory input of " + input.rowCount() + " rows";
      }
    };
  }

  /**
   * Rows from an iterable of key tuples, each a list with one value per key column (for a JDBC
   * result, a Kafka topic or a Spark partition wrapped as an iterable). Every {@link
   * RowSource#open()} iterates afresh and must see the same rows in the same order.
   *
   * @param description names the source in messages (never data)
   */
  public static RowSource fromIterable(Iterable<? extends List<String>> rows, String description) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(description, "description");
    return new RowSource() {
      @Override
      public RowReader open() {
        Iterator<? extends List<String>> it = rows.iterator();
        return new RowReader() {
          private long row;

          @Override
          public boolean next(String[] keys) throws InputException {
            if (!it.hasNext()) {
              return false;
            }
            List<String> tuple = it.next();
            row++;
            if (tuple == null || tuple.size() != keys.length) {
              throw new InputException(
                  InputException.Kind.MALFORMED_INPUT,
                  row,
                  description + ": row " + row + " has " + (tuple == null ? 0 : tuple.size())
                      + " key values, expected " + keys.length);
            }
            for (int c = 0; c < keys.length; c++) {
              keys[c] = tuple.get(c);
            }
            return true;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public String description() {
        return description;
      }
    };
  }
}
