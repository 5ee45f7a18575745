package io.jointly.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The partner's per-row attributes that federated statistics describe, in the partner's row order
 * (the same rows as its identifiers): numeric columns, each with a public clipping bound, and
 * categorical columns, each with a public list of levels.
 *
 * <p>What the bank sees of these before the run: the column names, each numeric column's bound and
 * each categorical column's levels (they label the output). Values never leave the partner except
 * inside Paillier ciphertexts under its own key. A numeric value outside {@code [−bound, bound]} is
 * clipped to it (so one customer moves a sum by at most {@code bound}, which also fixes the noise
 * scale); {@code NaN} is a missing value and only affects the column's non-missing count. A
 * categorical value that is not one of the levels (or {@code null}) is counted under {@link
 * #OTHER}.
 *
 * <p>Immutable if the given arrays are not modified afterwards (they are not copied).
 */
public final class PartnerColumns {
  /** The level that collects values outside a categorical column's levels, and missing ones. */
  public static final String OTHER = "(other)";

  /** Most levels per categorical column (each is a slot in every encrypted vector). */
  public static final int MAX_LEVELS = 64;

  /** A numeric column: name, public clipping bound, values ({@code NaN} = missing). */
  public static final class Numeric {
    private final String name;
    private final double bound;
    private final double[] values;

    /** The values array is not copied; do not modify it afterwards. */
    public Numeric(String name, double bound, double[] values) {
      requireName(name);
      if (!(bound > 0) || Double.isInfinite(bound)) {
        throw new IllegalArgumentException("bound of column " + name + " must be positive and finite");
      }
      this.name = name;
      this.bound = bound;
      this.values = Objects.requireNonNull(values);
    }

    public String name() {
      return name;
    }

    public double bound() {
      return bound;
    }

    double value(int row) {
      return values[row];
    }

    int size() {
      return values.length;
    }

    @Override
    public String toString() {
      return "Numeric[" + name + ", bound=" + bound + ", " + values.length + " rows]";
    }
  }

  /** A categorical column: name, public levels (without {@link #OTHER}), values per row. */
  public record Categorical(String name, List<String> levels, List<String> values) {
    public Categorical {
      requireName(name);
      levels = List.copyOf(levels);
      if (levels.isEmpty() || levels.size() > MAX_LEVELS) {
        throw new IllegalArgumentException(
            "column " + name + " needs 1 to " + MAX_LEVELS + " levels, has " + levels.size());
      }
      if (levels.contains(OTHER) || levels.stream().distinct().count() != levels.size()) {
        throw new IllegalArgumentException("levels of column " + name + " must be distinct and not " + OTHER);
      }
      Objects.requireNonNull(values);
    }

    /**
     * The column with its levels taken from the data: the {@code maxLevels} most frequent values
     * (ties by name), the rest counted under {@link #OTHER}. The levels are disclosed to the bank.
     */
    public static Categorical fromValues(String name, List<String> values, int maxLevels) {
      TreeMap<String, Integer> counts = new TreeMap<>();
      for (String v : values) {
        if (v != null && !v.isEmpty() && !v.equals(OTHER)) {
          counts.merge(v, 1, Integer::sum);
        }
      }
      List<String> levels = new ArrayList<>(counts.keySet());
      levels.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a.compareTo(b));
      levels = new ArrayList<>(levels.subList(0, Math.min(levels.size(), Math.min(maxLevels, MAX_LEVELS))));
      Collections.sort(levels);
      if (levels.isEmpty()) {
        levels.add("(none)");
      }
      return new Categorical(name, levels, values);
    }

    /** The level index of a value: its position in {@link #levels()}, or {@code levels().size()} for OTHER. */
    int levelOf(String value) {
      int i = value == null ? -1 : levels.indexOf(value);
      return i < 0 ? levels.size() : i;
    }

    @Override
    public String toString() {
      return "Categorical[" + name + ", " + levels.size() + " levels, " + values.size() + " rows]";
    }
  }

  private final List<Numeric> numeric;
  private final List<Categorical> categorical;
  private final int rows;

  private PartnerColumns(List<Numeric> numeric, List<Categorical> categorical) {
    this.numeric = List.copyOf(numeric);
    this.categorical = List.copyOf(categorical);
    if (this.numeric.isEmpty() && this.categorical.isEmpty()) {
      throw new IllegalArgumentException("at least one value column is needed");
    }
    int n = -1;
    List<String> names = new ArrayList<>();
    for (Numeric c : this.numeric) {
      n = checkRows(n, c.size());
      names.add(c.name());
    }
    for (Categorical c : this.categorical) {
      n = checkRows(n, c.values().size());
      names.add(c.name());
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("column names must be distinct");
    }
    this.rows = n;
  }

  public static PartnerColumns of(List<Numeric> numeric, List<Categorical> categorical) {
    return new PartnerColumns(numeric, categorical);
  }

  public List<Numeric> numeric() {
    return numeric;
  }

  public List<Categorical> categorical() {
    return categorical;
  }

  public int rowCount() {
    return rows;
  }

  /** The public description of the columns (names, bounds, levels) that the bank receives. */
  public ColumnLayout layout() {
    List<ColumnLayout.NumericColumn> n = new ArrayList<>();
    for (Numeric c : numeric) {
      n.add(new ColumnLayout.NumericColumn(c.name(), c.bound()));
    }
    List<ColumnLayout.CategoricalColumn> k = new ArrayList<>();
    for (Categorical c : categorical) {
      k.add(new ColumnLayout.CategoricalColumn(c.name(), c.levels()));
    }
    return new ColumnLayout(n, k);
  }

  private static int checkRows(int n, int len) {
    if (n >= 0 && n != len) {
      throw new IllegalArgumentException("value columns must have equal lengths");
    }
    return len;
  }

  static void requireName(String name) {
    if (name == null || name.isBlank() || name.length() > 128) {
      throw new IllegalArgumentException("a column name must be 1 to 128 characters");
    }
  }

  @Override
  public String toString() {
    return "PartnerColumns[" + rows + " rows, " + numeric.size() + " numeric, " + categorical.size() + " categorical]";
  }
}
