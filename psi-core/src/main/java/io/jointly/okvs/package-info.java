/**
 * Oblivious key-value stores: {@link io.jointly.okvs.Okvs}, the binary OKVS of Raghuraman and
 * Rindal (CCS 2022) with binary dense columns and clustering, shaped by {@link
 * io.jointly.okvs.OkvsParameters} for an encoding failure probability of at most 2^-λ.
 *
 * <p>Security model: an encoding is a deterministic function of the keys, values and public seed,
 * with free entries zero; it is not meant to be seen by anyone but its encoder (VOLE PSI masks it).
 * The failure probability is the only statistical parameter, and a failure only costs a retry with a
 * new seed (which reveals at most that the first seed failed: probability ≤ 2^-λ).
 *
 * <p>Thread-safety: {@code OkvsParameters} is immutable; an {@code Okvs} is confined to one thread.
 */
package io.jointly.okvs;
