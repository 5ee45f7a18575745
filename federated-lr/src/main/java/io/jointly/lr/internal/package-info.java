/**
 * Implementation details of {@link io.jointly.lr} that its protocol packages share — not API, may
 * change without notice: the wire format of the {@code vertical-lr} session ({@link
 * io.jointly.lr.internal.LrRound}: every round of that protocol, the session's and the
 * aggregated-scores mode's, with unique wire codes; {@link io.jointly.lr.internal.LrHello}; {@link
 * io.jointly.lr.internal.LrWire}, whose KEYS payload the secret-shared engine's partner relay reuses),
 * the partners' masked score vectors and their sum at the bank ({@link
 * io.jointly.lr.internal.MaskedScores}), and per-row selection ({@link io.jointly.lr.internal.Rows}).
 *
 * <p>Security model: codecs and sums only. A masked vector reveals to the bank the sum over the
 * partners (zero-sum pairwise masks, {@link io.jointly.secagg.PairwiseMasks}) and nothing of a
 * single partner's share when there are several; every decoded length, count and flag is checked
 * with {@link io.jointly.core.Abort} before use.
 *
 * <p>Thread-safety: stateless functions and immutable records, thread-safe.
 */
package io.jointly.lr.internal;
