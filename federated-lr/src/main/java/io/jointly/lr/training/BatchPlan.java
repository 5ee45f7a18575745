package io.jointly.lr.training;

import io.jointly.psi.RowIndexes;
import java.util.Objects;

/**
 * The deterministic mini-batch schedule both parties compute from the agreed seed and training rows,
 * so that no batch composition ever needs to be sent: epoch {@code e} is the training rows (in
 * increasing order) shuffled by Fisher–Yates with {@link DeterministicStream}{@code (seed,
 * "batches/" + e)}, cut into consecutive batches of {@code batchSize} rows (the last may be
 * shorter). A batch size at least the number of training rows gives one full batch per epoch, in
 * increasing row order.
 *
 * <p>Immutable and thread-safe.
 */
public final class BatchPlan {
  private final long seed;
  private final int[] train;
  private final int batchSize;

  private BatchPlan(long seed, int[] train, int batchSize) {
    this.seed = seed;
    this.train = train;
    this.batchSize = batchSize;
  }

  /** The plan over {@code trainRows} with the given seed and batch size (≥ 1). */
  public static BatchPlan of(long seed, RowIndexes trainRows, int batchSize) {
    Objects.requireNonNull(trainRows, "trainRows");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be ≥ 1");
    }
    return new BatchPlan(seed, trainRows.toArray(), batchSize);
  }

  /** The number of batches in every epoch. */
  public int batchesPerEpoch() {
    return train.length == 0 ? 0 : (train.length + batchSize - 1) / batchSize;
  }

  /** The batches of epoch {@code epoch} (0-based), each an array of row indexes. */
  public int[][] epoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be ≥ 0");
    }
    int[] order = train.clone();
    if (batchSize < order.length) {
      new DeterministicStream(seed, "batches/" + epoch).shuffle(order);
    }
    int[][] out = new int[batchesPerEpoch()][];
    for (int b = 0; b < out.length; b++) {
      int from = b * batchSize;
      int to = Math.min(from + batchSize, order.length);
      out[b] = java.util.Arrays.copyOfRange(order, from, to);
    }
    return out;
  }
}
