package io.jointly.lr.internal;

/** Per-row values picked out by row indexes (labels, class weights of a batch or split). */
public final class Rows {
  private Rows() {}

  /** {@code a[rows[i]]} for every i. */
  public static int[] pick(int[] a, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = a[rows[i]];
    }
    return out;
  }

  /** {@code a[rows[i]]} for every i. */
  public static double[] pick(double[] a, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = a[rows[i]];
    }
    return out;
  }
}
