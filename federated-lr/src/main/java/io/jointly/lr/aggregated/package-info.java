/**
 * The aggregated-scores mode ({@link io.jointly.lr.TrainingMode#AGGREGATED_SCORES}) of vertical
 * logistic regression: its training rounds, their wire format beyond the session's and their
 * arithmetic. Run by {@link io.jointly.lr.VerticalLrBank} and {@link io.jointly.lr.VerticalLrPartner}
 * between the session's handshake (and information value) and its holdout evaluation, one entry
 * type per role: {@link io.jointly.lr.aggregated.AggregatedScoresBank}, {@link
 * io.jointly.lr.aggregated.AggregatedScoresPartner}.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>{@code FEATURES}, once: each partner encrypts its training rows' integer feature scalars
 *       under its own Paillier key (sent in HELLO), packed many to a plaintext ({@code
 *       GradientPacking}).
 *   <li>Mini-batch gradient descent ({@code BankGradientDescent}, {@code PartnerGradientDescent}),
 *       per mini-batch B of the public {@link io.jointly.lr.training.BatchPlan}: {@code SCORES} —
 *       each partner sends {@code u = X_k[B]·w_k} in fixed point under its pairwise mask; the bank
 *       sums them, computes {@code z = X_b[B]·w_b + Σu + b} and the residuals {@code d = s·(σ(z) −
 *       y)/|B|}; {@code GRADIENT} — for each packed group it computes {@code Π_{i∈B} [[P_i]]^(d_i)
 *       = [[X_k[B]ᵀ·d]]} by multi-exponentiation, re-randomises it with full randomness and sends
 *       it; the partner decrypts, reads the gradient entries and takes a proximal gradient step.
 *       The bank steps its own weights in the clear. After each epoch the partners send their
 *       scores of the training and validation rows; the bank records the objective and validation
 *       loss and sends {@code CONTROL} ("best so far", "stop", for early stopping).
 *   <li>Or full-batch L-BFGS, L2 only ({@code BankLbfgs}, {@code PartnerLbfgs}). The two-loop
 *       recursion reads the gradient and the correction pairs only through inner products, so it
 *       runs at the bank on coefficients over their Gram matrix ({@code BlockLbfgs}). Per
 *       iteration: each partner sends the masked Gram matrix of its blocks ({@code GRAM}, 32
 *       fractional bits); the bank adds its own, decides whether last iteration's pair is stored,
 *       runs the recursion and sends the coefficients ({@code DIRECTION}); each party forms its
 *       block of the direction; per backtracking trial each partner sends its masked training
 *       scores and squared weight norm at the trial point ({@code SCORES}) and the bank answers
 *       with the Armijo verdict ({@code LINE_SEARCH}); at the accepted point each partner gets its
 *       encrypted gradient over all training rows ({@code GRADIENT}), sends its validation scores,
 *       and the bank sends {@code CONTROL}.
 * </ol>
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * The bank: per training step and evaluation, the sum over partners of their partial scores
 * {@code X_k·w_k} of the rows concerned — with one partner, that partner's scores (the leakage that
 * names this mode, which both parties must select explicitly). The partners' features reach it only
 * under their own keys, and it never decrypts anything of a partner's. A partner: per step its own
 * gradient {@code X_k[B]ᵀ·d} — a sum over the batch, as in every gradient-descent protocol — and
 * two control bits per epoch; no label, residual or bank feature. L-BFGS adds: the bank learns per
 * iteration the partners' summed Gram matrix (inner products among their gradient, step and
 * gradient-change blocks; at most {@code (2m+1)²} scalars, m the memory) and per trial their summed
 * squared weight norms; a partner learns the direction coefficients (at most {@code 2m+1} scalars
 * from the joint Gram matrix) and the line-search verdicts, and its gradient is over all training
 * rows. L1 (OWL-QN) is refused with L-BFGS: its orthant projection would make the Armijo decrease
 * a per-party quantity, one more exchange per trial.
 *
 * <h2>Precision</h2>
 *
 * Scores travel with {@link io.jointly.lr.VerticalLrParameters#scoreBits} fractional bits,
 * residuals with {@link io.jointly.lr.VerticalLrParameters#residualBits}, a partner's features as
 * integer scalars with {@link io.jointly.lr.VerticalLrParameters#featureBits}; the packing bounds
 * are in {@code GradientPacking}.
 *
 * <p>Thread-safety: the entry types are immutable; a run blocks its calling thread and uses the
 * given executor for encryption and multi-exponentiation. {@link
 * io.jointly.lr.aggregated.AggregatedScoresBank.Partner} holds an encryptor and is confined to one
 * run.
 */
package io.jointly.lr.aggregated;
