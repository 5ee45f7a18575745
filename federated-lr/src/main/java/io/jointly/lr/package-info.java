/**
 * Vertically federated logistic regression between a bank (the active party: labels, its own
 * features, the intercept) and partners (passive parties: their own features for the same
 * PSI-aligned customers): the federated protocol ({@link io.jointly.lr.VerticalLrBank}, {@link
 * io.jointly.lr.VerticalLrPartner}, {@link io.jointly.lr.VerticalLrParameters}, {@link
 * io.jointly.lr.TrainingMode}) and the plaintext foundation it is built on.
 *
 * <p>The protocol ({@link io.jointly.lr.TrainingMode#AGGREGATED_SCORES}, documented round by round
 * on {@link io.jointly.lr.VerticalLrBank}): after PSI in both mode, the bank aligns the shared
 * customers in a random order and splits them; each partner sends its training rows' features
 * once, packed and Paillier-encrypted under its own key; each step, partners send their partial
 * scores (summed under pairwise masks when there are several), and the bank returns to each its
 * packed encrypted gradient {@code [[X_kᵀ·d]]}, computed by multi-exponentiation with the residuals
 * as exponents and re-randomised; the partner decrypts it and steps. With full-batch L-BFGS
 * ({@link io.jointly.lr.Optimizer#LBFGS}, L2 only) the two-loop recursion runs at the bank on
 * coefficients over the summed, masked Gram matrix of the parties' gradient and correction-pair
 * blocks, each party forms its block of the direction, and the line search runs on masked trial
 * scores. Information value comes from encrypted labels summed per partner bin. Federated scoring sends partner scores for the shared customers to the bank.
 *
 * <p><b>What each party learns.</b> The bank: which customers each partner shares, each partner's
 * encoded feature count and column names, the summed partner partial scores of the rows of each
 * step and evaluation (with one partner: that partner's scores — the leakage this mode is named
 * for, which both parties must select explicitly), and responders per partner bin of at least the
 * minimum size; with L-BFGS also, per iteration, the summed partner Gram matrix of gradient, step
 * and gradient-change blocks and, per line-search trial, the summed squared partner weight norms.
 * A partner: which of its customers are aligned and their split, the schedule, two control bits
 * per epoch, its own gradient per step (with L-BFGS: the direction coefficients and the
 * line-search verdicts); never labels, residuals, the bank's features
 * or the other partners' scores. Each party keeps its own weights and sees its own gradient only; the bank never decrypts
 * anything of a partner's.
 *
 * <p>The secret-shared mode ({@link io.jointly.lr.TrainingMode#SECRET_SHARED}, the default of {@link
 * io.jointly.lr.VerticalLrParameters#DEFAULT}, one or more partners): the
 * same alignment, split (without validation rows), handshake, evaluation and scoring, with the
 * training itself run by the engine ({@link io.jointly.lr.SecretSharedLr}, {@link
 * io.jointly.lr.SecretSharedLrParameters}, {@link io.jointly.lr.SecretSharedResult}) on the
 * training rows. During training each party learns only its own final weights (and the bank, if
 * every party agreed, the training loss of each epoch: one number per epoch); the evaluation
 * then gives the bank the partner's partial scores of the holdout customers, and scoring those of
 * the scored customers, as in the other mode. The engine: two parties on already aligned rows keep
 * every weight, score, sigmoid value, residual and gradient as additive integer shares with 40
 * bits of statistical slack; cross products run on each party's features, packed and
 * Paillier-encrypted under its own key once, and come back masked into shares; the sigmoid is a
 * Fourier series ({@code SharesSigmoid}) evaluated on shares with correlated OTs ({@code SharesOt}) from IKNP
 * extension ({@link io.jointly.ot}); only the final weights are opened, each party its own (or, if both
 * agree, all to the bank). Bounds and scales: {@code SharesLayout}. The bank chooses the series
 * ({@link io.jointly.lr.VerticalLrParameters.SigmoidChoice}; by default from the scores of a model
 * on its own features, which it trains locally) and sends the choice in the handshake.
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
 * <p>Security model of the local pieces (semi-honest parties). By design of the split: feature statistics (means, standard deviations, category levels, bin edges) never leave
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
 * {@link io.jointly.lr.LogisticRegression#fit} runs on the calling thread; the protocol entry types
 * are immutable, and a run blocks its calling thread and uses the given executor.
 */
package io.jointly.lr;
