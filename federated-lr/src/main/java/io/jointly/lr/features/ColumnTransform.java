package io.jointly.lr.features;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The fitted encoding of one raw column: the state a {@link FeatureTransform} is made of, and what
 * a model file stores. Plain records, so a caller can write them out (for example as JSON) and
 * rebuild the transform with {@link FeatureTransform#of(List)}.
 */
public sealed interface ColumnTransform permits ColumnTransform.Numeric, ColumnTransform.Categorical {

  /** Suffix of a numeric column's missing-indicator output. */
  String MISSING_SUFFIX = "__missing";

  /** Level name of the pooled rare (and, at scoring, unseen) categories. */
  String OTHER_LEVEL = "__other__";

  /** Level name of missing cells in a categorical column. */
  String MISSING_LEVEL = "__missing__";

  /** The raw column's name. */
  String name();

  /** The names of the encoded columns this column produces, in order. */
  List<String> outputNames();

  /**
   * A numeric column: {@code (x − mean) / scale}; a missing cell becomes 0 (the training mean), and
   * with {@code missingIndicator} an extra column is 1 for missing cells and 0 otherwise.
   *
   * @param name the raw column
   * @param mean the mean of the non-missing training cells (0 if there were none)
   * @param scale their population standard deviation, or 1 for a constant (or empty) column, whose
   *     encoding is then identically 0
   * @param missingIndicator whether the indicator column is produced
   */
  record Numeric(String name, double mean, double scale, boolean missingIndicator)
      implements ColumnTransform {
    public Numeric {
      Objects.requireNonNull(name, "name");
      if (!Double.isFinite(mean) || !(scale > 0) || !Double.isFinite(scale)) {
        throw new IllegalArgumentException(
            "column '" + name + "': mean must be finite and scale finite and positive");
      }
    }

    @Override
    public List<String> outputNames() {
      return missingIndicator ? List.of(name, name + MISSING_SUFFIX) : List.of(name);
    }
  }

  /**
   * A categorical column, one-hot encoded: one 0/1 column {@code name=level} per kept level, then
   * {@code name=__other__} if {@code otherLevel}, then {@code name=__missing__} if {@code
   * missingLevel}. Cells are compared after stripping surrounding blanks. At scoring, a level not
   * kept goes to {@code __other__} (all zeros if there is none), a missing cell to {@code
   * __missing__} (all zeros if there is none).
   *
   * @param name the raw column
   * @param levels the kept levels, distinct, non-missing, in output order
   * @param otherLevel whether rare training levels were pooled into {@code __other__}
   * @param missingLevel whether training had missing cells
   */
  record Categorical(String name, List<String> levels, boolean otherLevel, boolean missingLevel)
      implements ColumnTransform {
    public Categorical {
      Objects.requireNonNull(name, "name");
      levels = List.copyOf(levels);
      if (new HashSet<>(levels).size() != levels.size()) {
        throw new IllegalArgumentException("column '" + name + "': levels must be distinct");
      }
      for (String l : levels) {
        if (RawTable.isMissing(l)
            || !l.equals(l.strip())
            || l.equals(OTHER_LEVEL)
            || l.equals(MISSING_LEVEL)) {
          throw new IllegalArgumentException(
              "column '" + name + "': a level is blank, a missing marker, reserved or not stripped");
        }
      }
    }

    @Override
    public List<String> outputNames() {
      List<String> out = new ArrayList<>();
      for (String l : levels) {
        out.add(name + "=" + l);
      }
      if (otherLevel) {
        out.add(name + "=" + OTHER_LEVEL);
      }
      if (missingLevel) {
        out.add(name + "=" + MISSING_LEVEL);
      }
      return List.copyOf(out);
    }
  }
}
