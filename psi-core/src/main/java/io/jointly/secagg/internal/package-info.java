/**
 * Primitives of secure aggregation, not API: Shamir sharing over GF(2^256 + 297), the AES-256-CTR
 * mask generator, the neighbour graph, and X25519 / HKDF / AES-GCM for pairwise keys and
 * encrypted shares. The protocol in {@link io.jointly.secagg} is their only user.
 *
 * <p>Security model: these classes hold and compute on secrets (seeds, scalars, shares) and never
 * log or print them; error messages name sizes and rounds only. Timing: the X25519 ladder is
 * constant-time (see {@code X25519Group}); AES uses the JCE's AES-NI intrinsics where present;
 * Shamir's {@code BigInteger} arithmetic is not constant-time.
 *
 * <p>Thread-safety: every class is stateless and thread-safe except {@link
 * io.jointly.secagg.internal.MaskPrg.Stream}, which one thread uses at a time.
 */
package io.jointly.secagg.internal;
