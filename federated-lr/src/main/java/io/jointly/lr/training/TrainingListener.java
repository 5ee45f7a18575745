package io.jointly.lr.training;

/**
 * Progress of a federated training run, for progress bars (the library never prints). Called on
 * the party's protocol thread; counts and losses only, never data.
 */
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Setup progress: training rows whose features are encrypted and sent (partner) or received
   * (bank), once before the first step.
   *
   * @param rows rows done so far
   * @param totalRows training rows
   */
  default void onSetup(long rows, long totalRows) {}

  /**
   * A mini-batch step (or an L-BFGS iteration) finished.
   *
   * @param step steps done so far (1-based)
   * @param plannedSteps steps in a run of the maximum number of epochs (L-BFGS: the maximum
   *     number of iterations)
   */
  default void onStep(long step, long plannedSteps) {}

  /**
   * An epoch finished (at the bank: with its objective and validation loss).
   *
   * @param epoch the epoch (0-based)
   * @param maxEpochs the maximum number of epochs
   */
  default void onEpoch(int epoch, int maxEpochs) {}
}
