package io.jointly.lr.metrics;

import java.util.Objects;

/**
 * The information value of one of a partner's columns, computed by the bank from per-bin positive
 * counts obtained under encryption (bin boundaries and labels stay with the partner).
 *
 * @param feature the partner's column name
 * @param value WOE per bin and the IV
 */
public record FeatureInformationValue(String feature, InformationValue value) {
  public FeatureInformationValue {
    Objects.requireNonNull(feature);
    Objects.requireNonNull(value);
  }
}
