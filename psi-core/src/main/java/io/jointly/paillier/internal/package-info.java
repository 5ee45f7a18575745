/**
 * Arithmetic behind {@link io.jointly.paillier}: Barrett multiplication modulo {@code n²}, Pippenger
 * multi-exponentiation, fixed-base tables for DJN randomness, and the randomness pool. Not an API:
 * public only so the public package and the benchmarks can reach it.
 *
 * <p>Security model: none of these classes holds secret keys; they process public values and fresh
 * encryption randomness, which the pool hands out once each. Not constant-time.
 *
 * <p>Thread-safety: {@link io.jointly.paillier.internal.ModArithmetic} and {@link
 * io.jointly.paillier.internal.FixedBaseTable} are immutable; {@link
 * io.jointly.paillier.internal.RandomnessPool} is thread-safe; {@link
 * io.jointly.paillier.internal.MultiExp} is stateless.
 */
package io.jointly.paillier.internal;
