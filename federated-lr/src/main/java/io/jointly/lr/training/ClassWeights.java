package io.jointly.lr.training;

/**
 * Per-class weights {@code s_i} in the training loss, for rare responders. The weights come from
 * the training labels, which only the bank holds; they scale the residuals and are never sent.
 *
 * @param mode how the weights are chosen
 * @param positiveWeight the weight of a positive row in {@link Mode#EXPLICIT} mode (negatives weigh
 *     1); ignored (and 1) otherwise
 */
public record ClassWeights(Mode mode, double positiveWeight) {

  /** The choices of weighting. */
  public enum Mode {
    /** Every row weighs 1. */
    NONE,
    /**
     * Each class weighs half of the training total: positives {@code n/(2·n₊)}, negatives {@code
     * n/(2·n₋)}, so the weights average to 1 over the training rows.
     */
    BALANCED,
    /** Positives weigh {@code positiveWeight}, negatives 1. */
    EXPLICIT
  }

  /** Unweighted. */
  public static final ClassWeights NONE = new ClassWeights(Mode.NONE, 1);

  /** Balanced classes. */
  public static final ClassWeights BALANCED = new ClassWeights(Mode.BALANCED, 1);

  public ClassWeights {
    if (mode == null) {
      throw new NullPointerException("mode");
    }
    if (!(positiveWeight > 0) || Double.isInfinite(positiveWeight)) {
      throw new IllegalArgumentException("positive weight must be finite and > 0");
    }
    if (mode != Mode.EXPLICIT && positiveWeight != 1) {
      throw new IllegalArgumentException("a positive weight is only meaningful in EXPLICIT mode");
    }
  }

  /** Positives weigh {@code w}, negatives 1. */
  public static ClassWeights positive(double w) {
    return new ClassWeights(Mode.EXPLICIT, w);
  }

  /** The weight of each row, given the labels of the training rows (0 or 1). */
  public double[] rowWeights(int[] labels, int[] trainRows) {
    long pos = 0;
    for (int r : trainRows) {
      pos += labels[r];
    }
    long n = trainRows.length;
    double wPos;
    double wNeg;
    switch (mode) {
      case BALANCED -> {
        wPos = pos == 0 ? 1 : n / (2.0 * pos);
        wNeg = pos == n ? 1 : n / (2.0 * (n - pos));
      }
      case EXPLICIT -> {
        wPos = positiveWeight;
        wNeg = 1;
      }
      default -> {
        wPos = 1;
        wNeg = 1;
      }
    }
    double[] s = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      s[i] = labels[i] == 1 ? wPos : wNeg;
    }
    return s;
  }
}
