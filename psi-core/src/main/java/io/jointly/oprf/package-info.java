/**
 * The oblivious pseudorandom function of RFC 9497 (OPRF mode, {@code ristretto255-SHA512}): {@link
 * io.jointly.oprf.Oprf} (Blind, BlindEvaluate, Finalize and the server's direct Evaluate), the
 * server's {@link io.jointly.oprf.OprfKey} (GenerateKeyPair, DeriveKeyPair) and the client's
 * {@link io.jointly.oprf.OprfBlind}.
 *
 * <p>Security model (RFC 9497 §7, one-more gap Diffie–Hellman in ristretto255, hashes as random
 * oracles): a server that evaluates blinded elements learns nothing about the client's inputs,
 * only how many it evaluated; a client learns the PRF outputs of the inputs it had evaluated and
 * nothing else about the key — in particular it cannot compute the PRF of any further input
 * without another evaluation, which is what lets a server count and budget evaluations. Mode 0 is
 * not verifiable: the client cannot tell whether the server used the key it claims. Every
 * received element is validated (canonical, in the group, not the identity) before use; inputs
 * that are too long or hash to the identity are refused. Keys and blinds are secrets: redacted,
 * exported only with a {@link io.jointly.core.SecretAccess} token.
 *
 * <p>Thread-safety: {@code Oprf} is immutable; keys and blinds are safe to share until destroyed.
 */
package io.jointly.oprf;
