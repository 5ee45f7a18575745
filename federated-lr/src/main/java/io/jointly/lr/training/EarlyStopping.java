package io.jointly.lr.training;

/**
 * When to stop training on the validation split (held by the bank, which alone can compute its
 * loss). After every epoch (L-BFGS: every iteration) the unweighted log-loss on the validation rows
 * is computed; it is an improvement when it is below the best so far by more than {@code
 * tolerance}. Training stops after {@code patience} evaluations without improvement, and the model
 * is the one from the best evaluation. See {@link EarlyStopper} for the state machine.
 *
 * @param enabled whether to stop early at all
 * @param patience evaluations without improvement before stopping, ≥ 1
 * @param tolerance the smallest decrease of the validation log-loss that counts, ≥ 0
 */
public record EarlyStopping(boolean enabled, int patience, double tolerance) {

  /** Never stop early; the model is the last one. */
  public static final EarlyStopping DISABLED = new EarlyStopping(false, 1, 0);

  public EarlyStopping {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be ≥ 1");
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and ≥ 0");
    }
  }

  /** Stop after {@code patience} evaluations without a decrease of more than {@code tolerance}. */
  public static EarlyStopping of(int patience, double tolerance) {
    return new EarlyStopping(true, patience, tolerance);
  }
}
