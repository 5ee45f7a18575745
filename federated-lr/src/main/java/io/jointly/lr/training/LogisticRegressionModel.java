package io.jointly.lr.training;

import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import java.util.List;
import java.util.Objects;

/**
 * A trained model over feature blocks (block 0 the bank's), with its training history. Split it
 * into per-party files with {@link #bankModel} and {@link #partnerModel}. Immutable.
 */
public final class LogisticRegressionModel {
  private final List<List<String>> featureNames;
  private final Weights weights;
  private final boolean hasIntercept;
  private final TrainingHistory history;

  LogisticRegressionModel(
      List<List<String>> featureNames,
      Weights weights,
      boolean hasIntercept,
      TrainingHistory history) {
    this.featureNames = featureNames.stream().map(List::copyOf).toList();
    this.weights = Objects.requireNonNull(weights);
    this.hasIntercept = hasIntercept;
    this.history = Objects.requireNonNull(history);
    if (weights.blockCount() != featureNames.size()) {
      throw new IllegalArgumentException("one weight block per feature block is required");
    }
  }

  public Weights weights() {
    return weights;
  }

  /** The encoded feature names of each block, in block order. */
  public List<List<String>> featureNames() {
    return featureNames;
  }

  public boolean hasIntercept() {
    return hasIntercept;
  }

  public TrainingHistory history() {
    return history;
  }

  /** Scores {@code z = Σ_k X_k·w_k + b} of every row of the (row-aligned) blocks. */
  public double[] scores(List<FeatureMatrix> blocks) {
    if (blocks.size() != weights.blockCount()) {
      throw new IllegalArgumentException("one feature block per weight block is required");
    }
    double[][] u = new double[blocks.size()][];
    for (int k = 0; k < blocks.size(); k++) {
      if (!blocks.get(k).columnNames().equals(featureNames.get(k))) {
        throw new IllegalArgumentException("block " + k + " has other columns than in training");
      }
      u[k] = blocks.get(k).times(weights.blockView(k));
    }
    return LogisticMath.sumScores(u, weights.intercept());
  }

  /** Probabilities {@code σ(z)} of every row. */
  public double[] probabilities(List<FeatureMatrix> blocks) {
    double[] z = scores(blocks);
    for (int i = 0; i < z.length; i++) {
      z[i] = LogisticMath.sigmoid(z[i]);
    }
    return z;
  }

  /** The bank's model file content: block 0's weights, the intercept, and the bank's transform. */
  public PartyModel bankModel(FeatureTransform transform) {
    requireTransform(0, transform);
    return PartyModel.bank(transform, weights.block(0), weights.intercept());
  }

  /** Partner {@code k}'s (k ≥ 1) model file content: its block's weights and its transform. */
  public PartyModel partnerModel(int k, FeatureTransform transform) {
    if (k < 1 || k >= weights.blockCount()) {
      throw new IllegalArgumentException("partner blocks are 1.." + (weights.blockCount() - 1));
    }
    requireTransform(k, transform);
    return PartyModel.partner(transform, weights.block(k));
  }

  private void requireTransform(int k, FeatureTransform transform) {
    if (!transform.outputColumns().equals(featureNames.get(k))) {
      throw new IllegalArgumentException("the transform does not produce block " + k + "'s columns");
    }
  }

  @Override
  public String toString() {
    return "LogisticRegressionModel[" + featureNames.size() + " blocks]";
  }
}
