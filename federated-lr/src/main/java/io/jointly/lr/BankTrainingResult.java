package io.jointly.lr;

import io.jointly.channel.ChannelStats;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.training.PartyModel;
import io.jointly.lr.training.TrainingHistory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the bank has after vertical training: its own model (weights, intercept, feature transform),
 * the training history, and the evaluation on the holdout rows of the joint model beside a
 * bank-only model trained on the bank's features alone with the same settings.
 *
 * @param model the bank's part of the model (the partners hold theirs)
 * @param history per-epoch training objective (data loss plus the bank's penalty; partners'
 *     penalties are not sent) and validation log-loss, stop reason, best epoch (no steps in the
 *     secret-shared mode unless both parties agreed to open the per-epoch loss, one step per epoch
 *     with it)
 * @param epochs epochs (or L-BFGS iterations) run
 * @param sigmoid the sigmoid approximation the secret-shared mode trained with (chosen by the bank,
 *     possibly automatically: {@link VerticalLrParameters.SigmoidChoice}); empty in the other mode
 * @param evaluation joint vs bank-only on the holdout rows (absent if there are none)
 * @param alignedRows the bank's input rows in the aligned order both parties used
 * @param trainRows training rows (aligned indexes)
 * @param validationRows validation rows
 * @param holdoutRows holdout rows
 * @param partnerFeatures encoded feature count per partner (public, from the handshake)
 * @param partnerInformationValue WOE and IV of each partner column from the encrypted-label
 *     exchange (empty if not requested)
 * @param traffic bytes and messages of the LR rounds with all partners (PSI not included)
 * @param elapsed wall-clock time of alignment, training and evaluation
 */
public record BankTrainingResult(
    PartyModel model,
    TrainingHistory history,
    int epochs,
    java.util.Optional<SecretSharedLrParameters.Sigmoid> sigmoid,
    java.util.Optional<ModelComparison> evaluation,
    int[] alignedRows,
    int trainRows,
    int validationRows,
    int holdoutRows,
    List<Integer> partnerFeatures,
    List<FeatureInformationValue> partnerInformationValue,
    ChannelStats traffic,
    Duration elapsed) {

  public BankTrainingResult {
    Objects.requireNonNull(model);
    Objects.requireNonNull(history);
    Objects.requireNonNull(sigmoid);
    Objects.requireNonNull(evaluation);
    alignedRows = alignedRows.clone();
    partnerFeatures = List.copyOf(partnerFeatures);
    partnerInformationValue = List.copyOf(partnerInformationValue);
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
  }

  @Override
  public int[] alignedRows() {
    return alignedRows.clone();
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "BankTrainingResult[aligned=" + alignedRows.length + ", train=" + trainRows + ", epochs=" + history.steps().size() + "]";
  }
}
