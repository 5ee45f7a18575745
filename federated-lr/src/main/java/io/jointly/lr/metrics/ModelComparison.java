package io.jointly.lr.metrics;

import java.util.Objects;

/**
 * The partner's contribution, as the bank's report shows it: the joint model (bank and partner
 * features) against the bank-only model (the bank's features alone, same parameters), both on the
 * same held-out rows.
 *
 * @param joint metrics of the model over all parties' features
 * @param bankOnly metrics of the model over the bank's features only
 */
public record ModelComparison(BinaryMetrics joint, BinaryMetrics bankOnly) {

  public ModelComparison {
    Objects.requireNonNull(joint, "joint");
    Objects.requireNonNull(bankOnly, "bankOnly");
    if (joint.rows() != bankOnly.rows() || joint.positives() != bankOnly.positives()) {
      throw new IllegalArgumentException("both models must be evaluated on the same rows");
    }
  }

  /** {@code joint.auc − bankOnly.auc}. */
  public double aucGain() {
    return joint.auc() - bankOnly.auc();
  }

  /** {@code joint.ks − bankOnly.ks}. */
  public double ksGain() {
    return joint.ks() - bankOnly.ks();
  }

  /** Relative log-loss reduction {@code (bankOnly − joint) / bankOnly} (positive is better). */
  public double logLossReduction() {
    return (bankOnly.logLoss() - joint.logLoss()) / bankOnly.logLoss();
  }

  /** {@code joint.topDecileLift − bankOnly.topDecileLift}. */
  public double topDecileLiftGain() {
    return joint.topDecileLift() - bankOnly.topDecileLift();
  }
}
