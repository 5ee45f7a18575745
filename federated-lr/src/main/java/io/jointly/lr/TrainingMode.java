package io.jointly.lr;

import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.training.Weights;
import java.util.Locale;

/**
 * How the parties of vertical logistic regression compute together, and so what leaks. Both parties
 * must select the same mode; the handshake refuses a mismatch. {@link #SECRET_SHARED} is the
 * default ({@link VerticalLrParameters#DEFAULT}, the CLI); {@link #AGGREGATED_SCORES} leaks the
 * partners' partial scores, so each party must choose it explicitly.
 */
public enum TrainingMode {
  /**
   * The bank receives, at each step, the sum over partners of their partial scores {@code X_k·w_k}
   * for the batch's customers (with a single partner: that partner's partial scores), applies the
   * exact sigmoid, and sends the residuals Paillier-encrypted under its own key; each partner
   * computes its encrypted gradient, masks it, and has the bank open it. The bank never sees a
   * partner's features, weights or gradient; the partners never see labels, residuals or the bank's
   * features. What leaks to the bank is the partners' summed partial scores per customer and step.
   */
  AGGREGATED_SCORES(1, "aggregated-scores"),

  /**
   * Weights, scores, sigmoid values, residuals and gradients stay additive secret shares between
   * the bank and the partner throughout training ({@link SecretSharedLr}); each party learns only
   * its own final weights; with several partners the bank runs one session per partner, costs
   * linear in their number. The evaluation and scoring that follow training
   * work as in {@link #AGGREGATED_SCORES}: the partner sends its partial scores of the holdout (or
   * scored) customers, so the bank learns those — and only those — per customer.
   */
  SECRET_SHARED(2, "secret-shared");

  final int wireCode;
  private final String displayName;

  TrainingMode(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Parses a mode as written on the command line ({@code aggregated-scores}, {@code secret-shared}). */
  public static TrainingMode fromName(String name) {
    for (TrainingMode m : values()) {
      if (m.displayName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown training mode (known: secret-shared, aggregated-scores)");
  }

  @Override
  public String toString() {
    return displayName;
  }
}
