package io.jointly.lr.training;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What happened during training, for the report and for checking that the federated trainer took
 * the same steps.
 *
 * @param steps one entry per epoch (GD) or iteration (L-BFGS), in order; in the secret-shared mode
 *     empty unless both parties agreed to open the per-epoch loss ({@link
 *     io.jointly.lr.secretshared.SecretSharedLrParameters#epochLoss})
 * @param stopReason why training ended
 * @param bestStep the 0-based index into {@code steps} of the model returned (the last step unless
 *     early stopping chose an earlier one; −1 if no step was taken or, in the secret-shared mode,
 *     none is recorded)
 */
public record TrainingHistory(List<Step> steps, StopReason stopReason, int bestStep) {

  /** Why training ended. */
  public enum StopReason {
    /** The epoch or iteration budget ran out. */
    MAX_EPOCHS,
    /** L-BFGS: the objective or the gradient fell below the tolerance. */
    CONVERGED,
    /** The validation loss stopped improving; the best model was restored. */
    EARLY_STOPPED,
    /** L-BFGS: the line search found no decrease (at the limit of floating-point precision). */
    NO_PROGRESS
  }

  /**
   * One epoch or iteration.
   *
   * @param index 0-based epoch or iteration
   * @param trainObjective the full objective (weighted data loss plus penalties) on the training
   *     rows after the step; in the secret-shared mode the class-weighted mean of the Fourier
   *     approximation of the log-loss over the epoch's batches, each taken with the weights before
   *     its step, without penalties ({@code SharesLoss})
   * @param validationLoss the unweighted log-loss on the validation rows, if there are any
   */
  public record Step(int index, double trainObjective, OptionalDouble validationLoss) {
    public Step {
      Objects.requireNonNull(validationLoss, "validationLoss");
    }
  }

  public TrainingHistory {
    steps = List.copyOf(steps);
    Objects.requireNonNull(stopReason, "stopReason");
    if (bestStep < -1 || bestStep >= steps.size()) {
      throw new IllegalArgumentException("bestStep out of range");
    }
  }
}
