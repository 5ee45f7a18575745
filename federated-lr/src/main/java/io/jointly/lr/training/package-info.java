/**
 * Logistic regression in the clear: the centralised reference trainer and everything the federated
 * trainers share with it.
 *
 * <ul>
 *   <li>{@link io.jointly.lr.training.LogisticRegression}: the centralised trainer over feature
 *       blocks (block 0 = the bank's): mini-batch proximal GD, or L-BFGS (two-loop recursion,
 *       Armijo backtracking) / OWL-QN when L1 &gt; 0 — the reference the protocols are tested
 *       against, and the bank-only model the evaluation compares with; {@link
 *       io.jointly.lr.training.LogisticRegressionParameters} (with {@link
 *       io.jointly.lr.training.Optimizer}, {@link io.jointly.lr.training.ClassWeights}, {@link
 *       io.jointly.lr.training.EarlyStopping}), one record for every trainer.
 *   <li>{@link io.jointly.lr.training.LogisticMath}: the per-step pure functions the federated
 *       trainers reuse (partial-score sums, sigmoid, residuals, loss, L2, proximal step).
 *   <li>{@link io.jointly.lr.training.Split}, {@link io.jointly.lr.training.BatchPlan}, {@link
 *       io.jointly.lr.training.EarlyStopper}, {@link io.jointly.lr.training.DeterministicStream}:
 *       the deterministic schedule both parties follow from a public seed (SHA-256 in counter
 *       mode, documented so another implementation can reproduce it).
 *   <li>{@link io.jointly.lr.training.LogisticRegressionModel}, {@link
 *       io.jointly.lr.training.Weights}, {@link io.jointly.lr.training.TrainingHistory}: a trained
 *       model, its per-epoch objective and validation loss, stop reason and best step; {@link
 *       io.jointly.lr.training.PartyModel}: what one party stores — its own weights and transform.
 *   <li>{@link io.jointly.lr.training.TrainingListener}: progress of any training run, for progress
 *       bars (counts only, never data).
 * </ul>
 *
 * <p>Security model: local computation only, no channel and no key. Of what the federated trainers
 * reuse from here: the batch schedule and the split are derived from a public seed (a stratified
 * split depends on labels, so the bank sends its row sets, which reveal nothing about a row's
 * label beyond the per-class counts); early stopping tells partners two bits per evaluation (new
 * best, stop); a partner's {@link io.jointly.lr.training.PartyModel} holds only its own weights
 * and transform, nothing derived from labels except those weights. The seed and weights are not
 * secrets of the kind {@code io.jointly.core.SecretAccess} guards; nothing here logs.
 *
 * <p>Thread-safety: parameters, plans, splits, models and histories are immutable and thread-safe;
 * {@link io.jointly.lr.training.EarlyStopper} is a per-run state machine for one thread; {@link
 * io.jointly.lr.training.LogisticRegression#fit} runs on the calling thread.
 */
package io.jointly.lr.training;
