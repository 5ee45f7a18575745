package io.jointly.lr.training;

import io.jointly.core.InputException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one party stores after training: its own weights, its own feature transform, its role and a
 * format version — nothing about the other parties. The partner's model has no intercept and no
 * field derived from labels (the intercept, fitted to the labels, is the bank's); its weights are
 * over its own encoded columns only.
 *
 * <p>Scoring a customer is {@code σ(Σ_parties partialScore + intercept)}: each party computes its
 * {@link #partialScores} locally, and the bank adds them up.
 *
 * <p>For files: write {@link #formatVersion()}, {@link #role()}, {@link #transform()}{@code
 * .columns()}, {@link #weights()} and (bank) {@link #intercept()}; read back with {@link #restore}.
 * Immutable.
 */
public final class PartyModel {
  /** The current format version; {@link #restore} accepts only this one. */
  public static final int FORMAT_VERSION = 1;

  /** Which side of the training a model belongs to. */
  public enum Role {
    /** The active party: labels, its own features, the intercept. */
    BANK,
    /** A passive party: its own features only. */
    PARTNER
  }

  private final Role role;
  private final FeatureTransform transform;
  private final double[] weights;
  private final double intercept;

  private PartyModel(Role role, FeatureTransform transform, double[] weights, double intercept) {
    this.role = Objects.requireNonNull(role, "role");
    this.transform = Objects.requireNonNull(transform, "transform");
    this.weights = weights.clone();
    this.intercept = intercept;
    if (weights.length != transform.outputColumns().size()) {
      throw new IllegalArgumentException(
          weights.length + " weights for " + transform.outputColumns().size() + " encoded columns");
    }
    for (double w : weights) {
      if (!Double.isFinite(w)) {
        throw new IllegalArgumentException("weights must be finite");
      }
    }
    if (!Double.isFinite(intercept)) {
      throw new IllegalArgumentException("intercept must be finite");
    }
  }

  /** The bank's model: its weights (one per encoded column of {@code transform}) and intercept. */
  public static PartyModel bank(FeatureTransform transform, double[] weights, double intercept) {
    return new PartyModel(Role.BANK, transform, weights, intercept);
  }

  /** A partner's model: its weights only. */
  public static PartyModel partner(FeatureTransform transform, double[] weights) {
    return new PartyModel(Role.PARTNER, transform, weights, 0);
  }

  /**
   * Rebuilds a stored model.
   *
   * @param intercept present for a bank model, absent for a partner model
   * @throws IllegalArgumentException on another format version, or an intercept that does not fit
   *     the role
   */
  public static PartyModel restore(
      int formatVersion,
      Role role,
      FeatureTransform transform,
      double[] weights,
      OptionalDouble intercept) {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "model format version " + formatVersion + " is not supported (expected "
              + FORMAT_VERSION + ")");
    }
    if ((role == Role.BANK) != intercept.isPresent()) {
      throw new IllegalArgumentException(
          "a bank model has an intercept and a partner model has none");
    }
    return new PartyModel(role, transform, weights, intercept.orElse(0));
  }

  public int formatVersion() {
    return FORMAT_VERSION;
  }

  public Role role() {
    return role;
  }

  public FeatureTransform transform() {
    return transform;
  }

  /** A copy of the weights, one per {@code transform().outputColumns()} entry. */
  public double[] weights() {
    return weights.clone();
  }

  /** The intercept for the bank, empty for a partner. */
  public OptionalDouble intercept() {
    return role == Role.BANK ? OptionalDouble.of(intercept) : OptionalDouble.empty();
  }

  /** This party's share of the scores, {@code X·w}, for already encoded rows. */
  public double[] partialScores(FeatureMatrix encoded) {
    if (!encoded.columnNames().equals(transform.outputColumns())) {
      throw new IllegalArgumentException("the matrix was not encoded by this model's transform");
    }
    return encoded.times(weights);
  }

  /** This party's share of the scores for raw rows: transform, then {@code X·w}. */
  public double[] partialScores(RawTable rows) throws InputException {
    return partialScores(transform.apply(rows));
  }

  /**
   * The bank's probabilities {@code σ(own + Σ partners + intercept)}, given the partners' partial
   * scores for the same rows, added in party order after the bank's own.
   */
  public double[] probabilities(FeatureMatrix encoded, double[]... partnerScores) {
    if (role != Role.BANK) {
      throw new IllegalStateException("only the bank's model turns scores into probabilities");
    }
    double[][] u = new double[partnerScores.length + 1][];
    u[0] = partialScores(encoded);
    System.arraycopy(partnerScores, 0, u, 1, partnerScores.length);
    double[] z = LogisticMath.sumScores(u, intercept);
    for (int i = 0; i < z.length; i++) {
      z[i] = LogisticMath.sigmoid(z[i]);
    }
    return z;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartyModel m
        && m.role == role
        && m.transform.equals(transform)
        && Arrays.equals(m.weights, weights)
        && Double.compare(m.intercept, intercept) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, transform, Arrays.hashCode(weights), intercept);
  }

  @Override
  public String toString() {
    return "PartyModel[" + role + ", " + weights.length + " weights]";
  }
}
