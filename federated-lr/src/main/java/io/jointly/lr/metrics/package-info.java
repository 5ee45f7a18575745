/**
 * How good a model or a feature is. Models: {@link io.jointly.lr.metrics.BinaryMetrics} (AUC by
 * average ranks, KS, clipped log-loss, deciles with gains and lift, ties spread evenly) and {@link
 * io.jointly.lr.metrics.ModelComparison} (the joint model against the bank-only model). Features:
 * {@link io.jointly.lr.metrics.Binning} (quantile or categorical bins, small bins merged or
 * suppressed — flagged, never dropped) and {@link io.jointly.lr.metrics.InformationValue} (weight
 * of evidence and information value from per-bin counts, smoothing α = 0.5 on every kept bin), one
 * {@link io.jointly.lr.metrics.FeatureInformationValue} per column.
 *
 * <p>Security model: local computation only, no channel and no key. The bank computes the metrics
 * on its holdout; labels and metrics stay at the bank. Binning runs at the party that owns the
 * column, which releases per-bin row counts (never bin edges or row membership) and withholds bins
 * below the minimum size; the federated exchange of per-bin responder counts is the session's
 * ({@code io.jointly.lr.InformationValueExchange}).
 *
 * <p>Thread-safety: immutable values and stateless functions, thread-safe.
 */
package io.jointly.lr.metrics;
