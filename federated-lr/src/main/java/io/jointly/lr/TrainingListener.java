package io.jointly.lr;

/**
 * Progress of a federated training run, for progress bars (the library never prints). Called on
 * the party's protocol thread; counts and losses only, never data.
 */
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * A mini-batch step finished.
   *
   * @param step steps done so far (1-based)
   * @param plannedSteps steps in a run of the maximum number of epochs
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
