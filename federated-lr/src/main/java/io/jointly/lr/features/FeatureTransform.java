package io.jointly.lr.features;

import io.jointly.core.InputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A party's feature encoding, fitted on its own training rows and stored with its model, so that
 * scoring encodes new rows exactly as training did. Each party fits and applies its own transform
 * locally: the statistics (means, standard deviations, category levels) never leave the party.
 *
 * <p>Rules (per raw column, see {@link ColumnTransform} for the exact encodings):
 *
 * <ul>
 *   <li><b>numeric</b>: standardised with the mean and population standard deviation of the
 *       non-missing training cells; a constant column is kept with scale 1 and so encodes to 0; a
 *       missing cell is imputed with the training mean (encodes to 0), and with {@link
 *       TransformSpec#missingIndicators()} a column that had missing training cells gets a 0/1
 *       indicator column;
 *   <li><b>categorical</b>: one-hot over the levels seen at least {@link
 *       TransformSpec#minCategoryCount()} times in training, sorted by text; rarer levels pool into
 *       {@code __other__}; missing cells form their own {@code __missing__} level; at scoring an
 *       unseen level goes to {@code __other__} (all zeros if training had no rare level) and a
 *       missing cell to {@code __missing__} (all zeros if training had none). One-hot columns are
 *       not standardised and no level is dropped (the L2 penalty keeps the fit well-posed).
 * </ul>
 *
 * <p>Fit it on the training rows only, so that the validation and holdout rows stay unseen. Errors
 * name the row and column, never a cell's value. Immutable and thread-safe.
 */
public final class FeatureTransform {
  private final List<ColumnTransform> columns;
  private final List<String> outputNames;

  private FeatureTransform(List<ColumnTransform> columns) {
    this.columns = List.copyOf(columns);
    List<String> out = new ArrayList<>();
    Set<String> inputs = new HashSet<>();
    for (ColumnTransform c : this.columns) {
      if (!inputs.add(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is transformed twice");
      }
      out.addAll(c.outputNames());
    }
    if (new HashSet<>(out).size() != out.size()) {
      throw new IllegalArgumentException("two columns produce the same encoded column name");
    }
    this.outputNames = List.copyOf(out);
  }

  /** The transform with the given (stored) column encodings, in order. */
  public static FeatureTransform of(List<ColumnTransform> columns) {
    return new FeatureTransform(columns);
  }

  /**
   * Fits the transform to every column of {@code table} (drop identifier and label columns first).
   *
   * @throws InputException if a column declared numeric in {@code spec} holds a cell that is not a
   *     finite number
   */
  public static FeatureTransform fit(RawTable table, TransformSpec spec) throws InputException {
    Objects.requireNonNull(spec, "spec");
    for (String declared : spec.kinds().keySet()) {
      if (table.columnIndex(declared).isEmpty()) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, "no column '" + declared + "' to declare a kind for");
      }
    }
    List<ColumnTransform> out = new ArrayList<>();
    for (int c = 0; c < table.columnCount(); c++) {
      String name = table.columns().get(c);
      String[] cells = table.columnCells(c);
      ColumnKind kind = spec.kinds().get(name);
      if (kind == null) {
        kind = looksNumeric(cells) ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
      }
      out.add(
          kind == ColumnKind.NUMERIC
              ? fitNumeric(name, cells, spec.missingIndicators())
              : fitCategorical(name, cells, spec.minCategoryCount()));
    }
    return new FeatureTransform(out);
  }

  private static boolean looksNumeric(String[] cells) {
    for (String s : cells) {
      if (!RawTable.isMissing(s) && !Double.isFinite(parseOrNaN(s))) {
        return false;
      }
    }
    return true;
  }

  private static ColumnTransform.Numeric fitNumeric(String name, String[] cells, boolean indicators)
      throws InputException {
    double sum = 0;
    long n = 0;
    boolean anyMissing = false;
    double[] v = new double[cells.length];
    for (int r = 0; r < cells.length; r++) {
      if (RawTable.isMissing(cells[r])) {
        anyMissing = true;
        v[r] = Double.NaN;
        continue;
      }
      v[r] = parseNumeric(name, cells[r], r);
      sum += v[r];
      n++;
    }
    double mean = n == 0 ? 0 : sum / n;
    double ss = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        ss += (x - mean) * (x - mean); // two-pass: no cancellation
      }
    }
    double sd = n == 0 ? 0 : Math.sqrt(ss / n);
    double scale = sd > 1e-12 * Math.max(1, Math.abs(mean)) && Double.isFinite(sd) ? sd : 1;
    return new ColumnTransform.Numeric(name, mean, scale, indicators && anyMissing);
  }

  private static ColumnTransform.Categorical fitCategorical(String name, String[] cells, int min) {
    Map<String, Integer> counts = new TreeMap<>();
    boolean anyMissing = false;
    for (String s : cells) {
      if (RawTable.isMissing(s)) {
        anyMissing = true;
      } else {
        counts.merge(s.strip(), 1, Integer::sum);
      }
    }
    List<String> kept = new ArrayList<>();
    boolean other = false;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      String level = e.getKey();
      boolean reserved =
          level.equals(ColumnTransform.OTHER_LEVEL) || level.equals(ColumnTransform.MISSING_LEVEL);
      if (e.getValue() >= min && !reserved) {
        kept.add(level);
      } else {
        other = true;
      }
    }
    return new ColumnTransform.Categorical(name, kept, other, anyMissing);
  }

  /** The raw columns this transform reads, in order. */
  public List<String> inputColumns() {
    return columns.stream().map(ColumnTransform::name).toList();
  }

  /** The encoded column names {@link #apply} produces, in order. */
  public List<String> outputColumns() {
    return outputNames;
  }

  /** The fitted encodings, one per raw column: the state to store with a model. */
  public List<ColumnTransform> columns() {
    return columns;
  }

  /**
   * Encodes {@code table}: its rows, in order, as a dense matrix over {@link #outputColumns()}.
   * Columns of {@code table} that the transform does not read are ignored.
   *
   * @throws InputException if a column the transform reads is absent, or a numeric column holds a
   *     cell that is not a finite number (the message names the row and column, not the value)
   */
  public FeatureMatrix apply(RawTable table) throws InputException {
    int rows = table.rowCount();
    int width = outputNames.size();
    double[] out = new double[rows * width];
    int offset = 0;
    for (ColumnTransform ct : columns) {
      int c = table.columnIndex(ct.name()).orElse(-1);
      if (c < 0) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, "missing column '" + ct.name() + "'");
      }
      String[] cells = table.columnCells(c);
      if (ct instanceof ColumnTransform.Numeric num) {
        for (int r = 0; r < rows; r++) {
          if (RawTable.isMissing(cells[r])) {
            if (num.missingIndicator()) {
              out[r * width + offset + 1] = 1;
            }
          } else {
            out[r * width + offset] =
                (parseNumeric(num.name(), cells[r], r) - num.mean()) / num.scale();
          }
        }
      } else if (ct instanceof ColumnTransform.Categorical cat) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < cat.levels().size(); i++) {
          position.put(cat.levels().get(i), i);
        }
        int other = cat.otherLevel() ? cat.levels().size() : -1;
        int missing = cat.missingLevel() ? cat.levels().size() + (cat.otherLevel() ? 1 : 0) : -1;
        for (int r = 0; r < rows; r++) {
          int j =
              RawTable.isMissing(cells[r])
                  ? missing
                  : position.getOrDefault(cells[r].strip(), other);
          if (j >= 0) {
            out[r * width + offset + j] = 1;
          }
        }
      }
      offset += ct.outputNames().size();
    }
    return FeatureMatrix.wrap(outputNames, rows, out);
  }

  private static double parseNumeric(String column, String cell, int row) throws InputException {
    double v = parseOrNaN(cell);
    if (!Double.isFinite(v)) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT,
          row + 1L,
          "column '" + column + "' is numeric but the cell is not a finite number");
    }
    return v;
  }

  private static double parseOrNaN(String cell) {
    try {
      return Double.parseDouble(cell.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureTransform t && t.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureTransform[" + columns.size() + " columns → " + outputNames.size() + "]";
  }
}
