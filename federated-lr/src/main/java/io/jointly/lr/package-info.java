/**
 * Vertically federated logistic regression between a bank (the active party: labels, its own
 * features, the intercept) and partners (passive parties: their own features for the same
 * PSI-aligned customers, in the same row order) — the plaintext foundation the federated protocol
 * is built on.
 *
 * <p>The pieces, in the order of a campaign:
 *
 * <ol>
 *   <li>{@link io.jointly.lr.RawTable}: a party's raw columns (the CLI reads CSV into it);
 *   <li>{@link io.jointly.lr.FeatureTransform} (with {@link io.jointly.lr.TransformSpec} and the
 *       stored {@link io.jointly.lr.ColumnTransform} records): standardisation, one-hot encoding
 *       and imputation, fitted by each party on its own training rows, producing a {@link
 *       io.jointly.lr.FeatureMatrix};
 *   <li>{@link io.jointly.lr.Binning} and {@link io.jointly.lr.InformationValue}: weight of
 *       evidence and information value per feature from per-bin counts, with min-bin-size
 *       suppression;
 *   <li>{@link io.jointly.lr.Split}, {@link io.jointly.lr.BatchPlan}, {@link
 *       io.jointly.lr.EarlyStopper}: the deterministic, seed-driven schedule both parties follow;
 *   <li>{@link io.jointly.lr.LogisticRegression} with {@link
 *       io.jointly.lr.LogisticRegressionParameters}: the centralised trainer over feature blocks
 *       (the reference and the bank-only model), built from the per-step functions of {@link
 *       io.jointly.lr.LogisticMath} that the federated trainer reuses;
 *   <li>{@link io.jointly.lr.BinaryMetrics} and {@link io.jointly.lr.ModelComparison}: AUC, KS,
 *       log-loss, gains and lift by decile, joint versus bank-only;
 *   <li>{@link io.jointly.lr.PartyModel}: what each party stores — its own weights and transform.
 * </ol>
 *
 * <p>Security model (semi-honest parties). Everything in this package is local computation; what
 * crosses between parties is decided by the federated protocol built on it. By design of the
 * split: feature statistics (means, standard deviations, category levels, bin edges) never leave
 * their owner; labels, class weights, residuals before encryption, validation losses and all
 * metrics stay at the bank; the batch schedule and the split are derived from a public seed (a
 * stratified split depends on labels, so the bank sends its row sets, which reveal nothing about a
 * row's label beyond the per-class counts); early stopping tells partners two bits per evaluation
 * (new best, stop); the bank learns per-bin label counts of a partner feature, never bin edges or
 * row membership, and bins below the minimum size are withheld; a partner's model holds only its
 * own weights and transform, nothing derived from labels except those weights. The seed and
 * weights are not secrets of the kind {@code io.jointly.core.SecretAccess} guards; nothing here
 * logs, and error messages name rows and columns, never cell values.
 *
 * <p>Thread-safety: value types, transforms, matrices, plans and models are immutable and
 * thread-safe; {@link io.jointly.lr.EarlyStopper} is a per-run state machine for one thread;
 * {@link io.jointly.lr.LogisticRegression#fit} runs on the calling thread.
 */
package io.jointly.lr;
