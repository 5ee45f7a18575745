package io.jointly.stats;

import io.jointly.psi.PsiListener;

/**
 * Progress of a federated statistics run, for progress bars (the library never prints): the PSI
 * part ({@link PsiListener}), then the encrypted value vectors. Called on the party's protocol
 * thread; must be fast and must not throw. Counts only, never data.
 */
public interface StatisticsListener extends PsiListener {
  /** A listener that ignores everything. */
  StatisticsListener NONE = new StatisticsListener() {};

  /**
   * Value vectors done: encrypted and sent (partner) or received and summed (bank). There is one
   * per item the partner sent in PSI.
   *
   * @param done vectors done so far
   * @param total vectors in the run
   */
  default void onValues(long done, long total) {}
}
