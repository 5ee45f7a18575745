package io.jointly.lr.features;

/** How a raw column is encoded by {@link FeatureTransform}. */
public enum ColumnKind {
  /** Standardised number; missing cells imputed with the training mean. */
  NUMERIC,
  /** One-hot over the levels seen in training. */
  CATEGORICAL
}
