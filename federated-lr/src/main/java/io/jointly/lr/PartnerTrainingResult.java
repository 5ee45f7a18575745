package io.jointly.lr;

import io.jointly.channel.ChannelStats;
import io.jointly.lr.training.PartyModel;
import java.time.Duration;
import java.util.Objects;

/**
 * What a partner has after vertical training: its own model (weights and feature transform; no
 * label, residual or bank information), and what it learned along the way — which of its rows are
 * in the training set and how they were split, and the number of epochs.
 *
 * @param model the partner's part of the model
 * @param alignedRows this partner's input rows in the aligned order
 * @param trainRows training rows
 * @param validationRows validation rows
 * @param holdoutRows holdout rows
 * @param epochs epochs run
 * @param traffic bytes and messages of the LR rounds (PSI not included)
 * @param elapsed wall-clock time
 */
public record PartnerTrainingResult(
    PartyModel model,
    int[] alignedRows,
    int trainRows,
    int validationRows,
    int holdoutRows,
    int epochs,
    ChannelStats traffic,
    Duration elapsed) {

  public PartnerTrainingResult {
    Objects.requireNonNull(model);
    alignedRows = alignedRows.clone();
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
    return "PartnerTrainingResult[aligned=" + alignedRows.length + ", epochs=" + epochs + "]";
  }
}
