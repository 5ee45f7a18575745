package io.jointly.lr.secretshared;

import io.jointly.channel.ChannelStats;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one party of secret-shared training ends with.
 *
 * @param weights this party's weights, one per column of its feature matrix
 * @param intercept the bank's intercept (empty at the partner, or without an intercept)
 * @param partnerWeights at the bank, the partner's weights if both agreed to reveal them to it
 * @param epochs epochs run
 * @param steps gradient steps run
 * @param traffic bytes and messages this party sent and received
 * @param elapsed wall time of the run
 * @param epochLosses at the bank, if both parties agreed to open it, the training loss of each epoch
 *     (see {@link SecretSharedLrParameters#epochLoss}); empty otherwise
 */
public record SecretSharedResult(
    double[] weights,
    OptionalDouble intercept,
    Optional<double[]> partnerWeights,
    int epochs,
    int steps,
    ChannelStats traffic,
    Duration elapsed,
    java.util.List<Double> epochLosses) {
  public SecretSharedResult {
    weights = weights.clone();
    Objects.requireNonNull(intercept);
    Objects.requireNonNull(partnerWeights);
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
    epochLosses = java.util.List.copyOf(epochLosses);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }
}
