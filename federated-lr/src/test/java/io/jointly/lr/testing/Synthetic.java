package io.jointly.lr.testing;

import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.training.LogisticMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic logistic data split into feature blocks (tests only). */
public final class Synthetic {
  public final List<FeatureMatrix> blocks;
  public final int[] labels;

  private Synthetic(List<FeatureMatrix> blocks, int[] labels) {
    this.blocks = blocks;
    this.labels = labels;
  }

  public static Synthetic generate(long seed, int n, int... widths) {
    Random rnd = new Random(seed);
    int total = 0;
    for (int w : widths) {
      total += w;
    }
    double[] beta = new double[total];
    for (int j = 0; j < total; j++) {
      beta[j] = rnd.nextGaussian();
    }
    double[][] x = new double[n][total];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double z = -0.5;
      for (int j = 0; j < total; j++) {
        x[i][j] = rnd.nextGaussian();
        z += x[i][j] * beta[j];
      }
      y[i] = rnd.nextDouble() < LogisticMath.sigmoid(z) ? 1 : 0;
    }
    y[0] = 1;
    y[1] = 0;
    List<FeatureMatrix> blocks = new ArrayList<>();
    int off = 0;
    for (int k = 0; k < widths.length; k++) {
      double[][] part = new double[n][widths[k]];
      List<String> names = new ArrayList<>();
      for (int j = 0; j < widths[k]; j++) {
        names.add("b" + k + "x" + j);
        for (int i = 0; i < n; i++) {
          part[i][j] = x[i][off + j];
        }
      }
      off += widths[k];
      blocks.add(FeatureMatrix.ofRows(names, part));
    }
    return new Synthetic(List.copyOf(blocks), y);
  }

  /** All blocks side by side, as one matrix. */
  public FeatureMatrix joined() {
    List<String> names = new ArrayList<>();
    int n = labels.length;
    int width = 0;
    for (FeatureMatrix b : blocks) {
      names.addAll(b.columnNames());
      width += b.columnCount();
    }
    double[][] rows = new double[n][width];
    for (int i = 0; i < n; i++) {
      int off = 0;
      for (FeatureMatrix b : blocks) {
        System.arraycopy(b.row(i), 0, rows[i], off, b.columnCount());
        off += b.columnCount();
      }
    }
    return FeatureMatrix.ofRows(names, rows);
  }
}
