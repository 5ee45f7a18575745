/**
 * Federated statistics over the intersection of a bank and a partner: for each of the bank's
 * segments (lifecycle stage, AUM tier, ...), the number of shared customers and the sums, means and
 * histograms of the partner's columns over them, without the bank seeing any customer's partner
 * values. {@link io.jointly.stats.StatisticsBank} and {@link io.jointly.stats.StatisticsPartner}
 * are the two roles; {@link io.jointly.stats.StatisticsBank} documents the protocol (ECDH PSI in
 * bank mode, then Paillier-encrypted per-customer vectors summed under encryption, masked, and
 * opened by the partner, after Private Join and Compute).
 *
 * <p>Security model (semi-honest): the bank learns which of its customers are shared, the partner's
 * set size, the partner's column names, clipping bounds and category levels, and per segment of at
 * least the minimum cell size (default 20) the aggregates of the partner's columns (with calibrated
 * noise if configured, {@link io.jointly.stats.Noise}); the partner learns the bank's set size and
 * the number of the bank's segments. Small cells are suppressed before decryption, so their sums
 * are never computed in the clear by anyone.
 *
 * <p>Thread-safety: the entry types and value types are immutable; a run blocks its calling thread.
 */
package io.jointly.stats;
