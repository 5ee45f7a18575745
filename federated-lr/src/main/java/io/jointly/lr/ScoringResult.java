package io.jointly.lr;

import io.jointly.channel.ChannelStats;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of federated scoring. At the bank: for each shared customer (its input row), the
 * probability of responding; at a partner: only which of its rows were scored (no scores).
 *
 * @param rows this party's input rows that were scored, in the aligned order
 * @param probabilities at the bank, one per row; empty at a partner
 * @param traffic bytes and messages of the scoring rounds (PSI not included)
 * @param elapsed wall-clock time
 */
public record ScoringResult(int[] rows, double[] probabilities, ChannelStats traffic, Duration elapsed) {
  public ScoringResult {
    rows = rows.clone();
    probabilities = probabilities.clone();
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
  }

  @Override
  public int[] rows() {
    return rows.clone();
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
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
    return "ScoringResult[" + rows.length + " rows]";
  }
}
