package io.jointly.lr.training;

import java.util.Arrays;

/**
 * The coefficients of a vertically split linear model: one weight block per party, in party order
 * (block 0 is the bank's by convention), and the bank's intercept. Also used for gradients, which
 * have the same shape. Immutable: arrays are copied in and out.
 */
public final class Weights {
  private final double[][] blocks;
  private final double intercept;

  private Weights(double[][] blocks, double intercept) {
    this.blocks = blocks;
    this.intercept = intercept;
  }

  /** Weights with the given blocks (copied) and intercept. */
  public static Weights of(double[][] blocks, double intercept) {
    double[][] b = new double[blocks.length][];
    for (int k = 0; k < blocks.length; k++) {
      b[k] = blocks[k].clone();
      for (double v : b[k]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("weights must be finite");
        }
      }
    }
    if (!Double.isFinite(intercept)) {
      throw new IllegalArgumentException("intercept must be finite");
    }
    return new Weights(b, intercept);
  }

  /** All-zero weights for blocks of the given widths. */
  public static Weights zeros(int... widths) {
    double[][] b = new double[widths.length][];
    for (int k = 0; k < widths.length; k++) {
      b[k] = new double[widths[k]];
    }
    return new Weights(b, 0);
  }

  static Weights wrap(double[][] blocks, double intercept) {
    return new Weights(blocks, intercept);
  }

  public int blockCount() {
    return blocks.length;
  }

  /** A copy of block {@code k}. */
  public double[] block(int k) {
    return blocks[k].clone();
  }

  double[] blockView(int k) {
    return blocks[k];
  }

  public double intercept() {
    return intercept;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Weights w
        && Arrays.deepEquals(blocks, w.blocks)
        && Double.compare(intercept, w.intercept) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(blocks) + Double.hashCode(intercept);
  }

  @Override
  public String toString() {
    return "Weights[" + blocks.length + " blocks]";
  }
}
