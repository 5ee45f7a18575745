package io.jointly.lr.training;

import io.jointly.psi.RowIndexes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic partition of the aligned rows into training, validation (early stopping) and
 * holdout (evaluation) sets.
 *
 * <p>{@link #stratified} keeps the positive rate equal across the three sets; it needs the labels,
 * so the bank computes it and tells the partners the row sets. Within each class the rows are
 * shuffled uniformly, so a row's set says nothing about its label beyond the (rounded) per-class
 * counts. {@link #random} needs no labels, so every party can compute it from the seed alone.
 *
 * <p>Construction: the rows of each class (all rows for {@code random}), in increasing order, are
 * shuffled by Fisher–Yates with {@link DeterministicStream}{@code (seed, "split/" + class)}
 * ({@code class} 0, 1, or {@code "all"}); the first {@code round(h·m)} go to holdout, the next
 * {@code round(v·m)} to validation, the rest to training, {@code m} being the class size.
 *
 * @param train training rows
 * @param validation validation rows (may be empty)
 * @param holdout holdout rows (may be empty)
 */
public record Split(RowIndexes train, RowIndexes validation, RowIndexes holdout) {

  public Split {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(holdout, "holdout");
  }

  /**
   * A split stratified by label.
   *
   * @param labels 0 or 1 per row
   * @param validationFraction share of each class for validation
   * @param holdoutFraction share of each class for holdout
   */
  public static Split stratified(
      int[] labels, double validationFraction, double holdoutFraction, long seed) {
    checkFractions(validationFraction, holdoutFraction);
    List<Integer> neg = new ArrayList<>();
    List<Integer> pos = new ArrayList<>();
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] != 0 && labels[r] != 1) {
        throw new IllegalArgumentException("labels must be 0 or 1 (row " + (r + 1) + ")");
      }
      (labels[r] == 1 ? pos : neg).add(r);
    }
    Parts p = new Parts();
    p.add(neg, "split/0", validationFraction, holdoutFraction, seed);
    p.add(pos, "split/1", validationFraction, holdoutFraction, seed);
    return p.build();
  }

  /** A split of {@code rows} rows that ignores labels. */
  public static Split random(
      int rows, double validationFraction, double holdoutFraction, long seed) {
    checkFractions(validationFraction, holdoutFraction);
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be ≥ 0");
    }
    List<Integer> all = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      all.add(r);
    }
    Parts p = new Parts();
    p.add(all, "split/all", validationFraction, holdoutFraction, seed);
    return p.build();
  }

  private static void checkFractions(double v, double h) {
    if (!(v >= 0) || !(h >= 0) || !(v + h < 1)) {
      throw new IllegalArgumentException("fractions must be ≥ 0 and sum to less than 1");
    }
  }

  private static final class Parts {
    private final List<Integer> train = new ArrayList<>();
    private final List<Integer> validation = new ArrayList<>();
    private final List<Integer> holdout = new ArrayList<>();

    void add(List<Integer> rows, String label, double v, double h, long seed) {
      int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
      new DeterministicStream(seed, label).shuffle(a);
      int nh = (int) Math.round(h * a.length);
      int nv = (int) Math.min(Math.round(v * a.length), a.length - nh);
      for (int i = 0; i < a.length; i++) {
        (i < nh ? holdout : i < nh + nv ? validation : train).add(a[i]);
      }
    }

    Split build() {
      return new Split(of(train), of(validation), of(holdout));
    }

    private static RowIndexes of(List<Integer> l) {
      return RowIndexes.of(l.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
