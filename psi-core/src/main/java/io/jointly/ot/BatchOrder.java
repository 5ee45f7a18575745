package io.jointly.ot;

/**
 * The batch numbers one extension instance has used: each must exceed the last, since a batch
 * number selects the PRG stream and a repeated one would repeat the pads. Confined to the
 * instance's thread.
 */
final class BatchOrder {
  private boolean started;
  private long last;

  /**
   * Records {@code batch} as used.
   *
   * @throws IllegalStateException if it does not exceed the previous batch number
   */
  void next(long batch) {
    if (started && batch <= last) {
      throw new IllegalStateException("extension batch numbers must strictly increase");
    }
    started = true;
    last = batch;
  }
}
