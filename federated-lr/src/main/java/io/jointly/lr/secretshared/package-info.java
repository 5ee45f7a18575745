/**
 * The secret-shared mode ({@link io.jointly.lr.TrainingMode#SECRET_SHARED}, the default) of
 * vertical logistic regression: an engine that trains on already aligned rows with every weight,
 * score, sigmoid value, residual and gradient kept as additive shares between the bank and each
 * partner, and opens only the final weights — {@link io.jointly.lr.secretshared.SecretSharedLr}
 * (the protocol, round by round, and the entry points {@code bank(...)} and {@code partner(...)}),
 * {@link io.jointly.lr.secretshared.SecretSharedLrParameters}, {@link
 * io.jointly.lr.secretshared.SecretSharedResult}. {@link io.jointly.lr.VerticalLrBank} and {@link
 * io.jointly.lr.VerticalLrPartner} run it inside their session; it is also usable on its own.
 *
 * <p>The rounds, one class each, in the order of a run: {@code SecretSharedHello}, {@code BaseOts}
 * (Paillier base OTs for two IKNP extension instances of {@link io.jointly.ot}), {@code
 * EncryptedRows}, then per step {@code Forward} (scores), {@code Residuals} (the sigmoid), {@code
 * Backward} (the update), per epoch {@code EpochLoss}, and {@code Reveal}; {@code PartnerRelay} for
 * several partners; {@code Session} holds one party's state with one peer. The arithmetic, free of
 * channels: {@code SharesLayout} (every scale, bound and slot width), {@code SharesMath} (integer
 * shares, masks, packing), {@code SharesSigmoid} and {@code SharesLoss} (the Fourier series),
 * {@code SharesOt} (Gilboa's correlated OTs on the extension's rows); the wire: {@code
 * SecretSharedRound}, {@code SecretSharedWire}.
 *
 * <p>Security model (semi-honest, non-colluding): each party learns the other's numbers of rows and
 * columns, the schedule and the sigmoid, and at the end its own weights (the bank also the
 * partner's if both set {@code revealAllToBank}, and one loss per epoch if both set {@code
 * epochLoss}); everything else it receives is a ciphertext under the other's key, an OT matrix
 * padded by a PRG, OT corrections uniform modulo 2^64 or with 40 bits of statistical slack, or an
 * opened slot masked with 40 bits of slack (details: {@link
 * io.jointly.lr.secretshared.SecretSharedLr}). Secrets (Paillier secret keys, OT seeds, shares)
 * never leave a party's session in plain form and are never logged.
 *
 * <p>Thread-safety: the entry points block the calling thread and run encryption, decryption and
 * multi-exponentiation on the given executor; a session's state is confined to that thread.
 * Parameters, results, layouts and series are immutable.
 */
package io.jointly.lr.secretshared;
