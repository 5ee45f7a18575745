/**
 * Vertically federated logistic regression between a bank (the active party: labels, its own
 * features, the intercept) and partners (passive parties: their own features for the same
 * PSI-aligned customers) — the public API: one entry type per role, {@link
 * io.jointly.lr.VerticalLrBank} and {@link io.jointly.lr.VerticalLrPartner} (training and
 * scoring), {@link io.jointly.lr.VerticalLrParameters} with {@link io.jointly.lr.TrainingMode},
 * and the results {@link io.jointly.lr.BankTrainingResult}, {@link
 * io.jointly.lr.PartnerTrainingResult}, {@link io.jointly.lr.ScoringResult}.
 *
 * <p>The entry types run the session both modes share — alignment of the PSI result, the
 * handshake, information value, the holdout evaluation and scoring (documented round by round on
 * {@link io.jointly.lr.VerticalLrBank}) — and hand training to the mode both parties selected. The
 * packages below, from the wire up to the plaintext foundation:
 *
 * <table>
 *   <caption>Packages of federated-lr</caption>
 *   <tr><th>package</th><th>holds</th></tr>
 *   <tr><td>{@link io.jointly.lr.secretshared}</td><td>the secret-shared mode (the default):
 *       {@link io.jointly.lr.secretshared.SecretSharedLr}, an engine on aligned rows that keeps
 *       every intermediate value in additive shares; its rounds, wire format and arithmetic</td></tr>
 *   <tr><td>{@link io.jointly.lr.aggregated}</td><td>the aggregated-scores mode: the partners'
 *       summed scores in, their Paillier-encrypted gradients out, by gradient descent or
 *       L-BFGS</td></tr>
 *   <tr><td>{@link io.jointly.lr.internal}</td><td>the session's wire format and helpers the
 *       protocol packages share (not API)</td></tr>
 *   <tr><td>{@link io.jointly.lr.training}</td><td>the centralised reference trainer, its
 *       parameters, the deterministic schedule, models, histories and the training
 *       listener</td></tr>
 *   <tr><td>{@link io.jointly.lr.metrics}</td><td>AUC, KS, lift; binning, weight of evidence and
 *       information value</td></tr>
 *   <tr><td>{@link io.jointly.lr.features}</td><td>raw tables, feature transforms, encoded
 *       matrices</td></tr>
 * </table>
 *
 * <p><b>What each party learns</b> (semi-honest). The bank: which customers each partner shares,
 * each partner's encoded feature count and column names, the partners' summed partial scores of
 * the holdout (and scored) customers — with one partner, that partner's scores — and, with
 * information value on, responders per partner bin of at least the minimum size; in the
 * aggregated-scores mode also the summed partner scores of every training step (the leakage that
 * names it, which both parties must select explicitly), in the secret-shared mode nothing during
 * training but, if every party agreed, one loss per epoch. A partner: which of its customers are
 * aligned and their split, the schedule; in the aggregated-scores mode its own gradient per step and
 * two control bits per epoch; never labels, residuals, the bank's features or the other partners'
 * scores. Each party keeps its own weights. Details per mode: {@link io.jointly.lr.aggregated},
 * {@link io.jointly.lr.secretshared.SecretSharedLr}.
 *
 * <p>Thread-safety: the entry types and parameters are immutable; a run blocks its calling thread
 * and uses the given executor; results are immutable values.
 */
package io.jointly.lr;
