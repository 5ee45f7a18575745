package io.jointly.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The public shape of the partner's value columns, as both parties agree on it in the handshake:
 * numeric columns with their clipping bounds, categorical columns with their levels (plus {@link
 * PartnerColumns#OTHER}). It fixes the slot layout of the encrypted vector each shared customer
 * contributes:
 *
 * <pre>
 *   for each numeric column:     [ clipped value (fixed point) , 1 if present else 0 ]
 *   for each categorical column: [ 1 if level 0, ..., 1 if level L-1, 1 if other ]
 * </pre>
 *
 * Immutable and thread-safe.
 */
public record ColumnLayout(List<NumericColumn> numeric, List<CategoricalColumn> categorical) {
  /** A numeric column and its clipping bound. */
  public record NumericColumn(String name, double bound) {
    public NumericColumn {
      PartnerColumns.requireName(name);
      if (!(bound > 0) || Double.isInfinite(bound)) {
        throw new IllegalArgumentException("bound of column " + name + " must be positive and finite");
      }
    }
  }

  /** A categorical column and its levels (without OTHER). */
  public record CategoricalColumn(String name, List<String> levels) {
    public CategoricalColumn {
      PartnerColumns.requireName(name);
      levels = List.copyOf(levels);
      if (levels.isEmpty() || levels.size() > PartnerColumns.MAX_LEVELS) {
        throw new IllegalArgumentException("column " + name + " needs 1 to " + PartnerColumns.MAX_LEVELS + " levels");
      }
      for (String l : levels) {
        if (l.isEmpty() || l.length() > 128) {
          throw new IllegalArgumentException("a level must be 1 to 128 characters");
        }
      }
    }
  }

  public ColumnLayout {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw new IllegalArgumentException("at least one value column is needed");
    }
  }

  /** Slots per encrypted vector. */
  public int slots() {
    int s = 2 * numeric.size();
    for (CategoricalColumn c : categorical) {
      s += c.levels().size() + 1;
    }
    return s;
  }

  /** All column names, numeric first. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    numeric.forEach(c -> names.add(c.name()));
    categorical.forEach(c -> names.add(c.name()));
    return names;
  }
}
