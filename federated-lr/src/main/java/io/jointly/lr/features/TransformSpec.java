package io.jointly.lr.features;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link FeatureTransform#fit} encodes a party's columns.
 *
 * <p>Each column's {@link ColumnKind} is taken from {@link #kinds} when given there, and detected
 * otherwise: a column is {@link ColumnKind#NUMERIC} when every non-missing cell parses as a finite
 * number (an all-missing column counts as numeric), else {@link ColumnKind#CATEGORICAL}.
 *
 * @param kinds explicit kinds for some columns, overriding detection (for example a numeric code
 *     such as a postcode that must be treated as a category)
 * @param minCategoryCount a category level seen in fewer training rows than this is pooled into one
 *     {@code __other__} level (1 keeps every level); this also keeps rare, identifying values out of
 *     the model file
 * @param missingIndicators whether a numeric column with missing training cells gets an extra 0/1
 *     {@code name__missing} column, so the model can tell "missing" from "average"
 */
public record TransformSpec(
    Map<String, ColumnKind> kinds, int minCategoryCount, boolean missingIndicators) {

  /** Detected kinds, levels seen fewer than 10 times pooled, missing indicators on. */
  public static final TransformSpec DEFAULT = new TransformSpec(Map.of(), 10, true);

  public TransformSpec {
    kinds = Map.copyOf(Objects.requireNonNull(kinds, "kinds"));
    if (minCategoryCount < 1) {
      throw new IllegalArgumentException("minCategoryCount must be ≥ 1");
    }
  }

  /** This spec with one column's kind fixed. */
  public TransformSpec withKind(String column, ColumnKind kind) {
    Map<String, ColumnKind> k = new HashMap<>(kinds);
    k.put(Objects.requireNonNull(column), Objects.requireNonNull(kind));
    return new TransformSpec(k, minCategoryCount, missingIndicators);
  }

  /** This spec with another minimum category count. */
  public TransformSpec withMinCategoryCount(int min) {
    return new TransformSpec(kinds, min, missingIndicators);
  }

  /** This spec with missing indicators switched on or off. */
  public TransformSpec withMissingIndicators(boolean on) {
    return new TransformSpec(kinds, minCategoryCount, on);
  }
}
