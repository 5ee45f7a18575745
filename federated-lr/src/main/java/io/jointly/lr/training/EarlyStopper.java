package io.jointly.lr.training;

import java.util.Objects;

/**
 * The early-stopping decision as a small deterministic state machine, so the federated trainer
 * reproduces the centralised one: the bank feeds it each validation loss and tells the partners two
 * bits per evaluation — "this is the best so far" (keep a copy of your weights) and "stop" (restore
 * that copy and finish).
 *
 * <p>Not thread-safe: one per training run.
 */
public final class EarlyStopper {
  private final EarlyStopping rule;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEvaluation = -1;
  private int evaluations;
  private int sinceBest;

  public EarlyStopper(EarlyStopping rule) {
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  /**
   * Records the next validation loss; returns whether it is the new best (the first finite loss
   * always is).
   */
  public boolean observe(double validationLoss) {
    int index = evaluations++;
    if (!Double.isNaN(validationLoss) && validationLoss < best - (bestEvaluation < 0 ? 0 : rule.tolerance())) {
      best = validationLoss;
      bestEvaluation = index;
      sinceBest = 0;
      return true;
    }
    sinceBest++;
    return false;
  }

  /** Whether training should stop now: enabled, and {@code patience} evaluations without a best. */
  public boolean shouldStop() {
    return rule.enabled() && sinceBest >= rule.patience();
  }

  /** The 0-based index of the best evaluation, or −1 before any finite loss was observed. */
  public int bestEvaluation() {
    return bestEvaluation;
  }

  /** The best validation loss so far (+∞ before any). */
  public double bestLoss() {
    return best;
  }

  /** How many losses were observed. */
  public int evaluations() {
    return evaluations;
  }
}
