/**
 * Vector oblivious linear evaluation (VOLE) over GF(2^128): field arithmetic ({@link
 * io.jointly.vole.Gf128}, {@link io.jointly.vole.Gf128Multiplier}) and the silent subfield VOLE
 * generator ({@link io.jointly.vole.SilentVole}) from correlated OTs and dual LPN with the
 * expand-accumulate code ({@link io.jointly.vole.VoleParameters}).
 *
 * <p>Security model (semi-honest): the VOLE sender learns nothing about the receiver's vector A
 * beyond what dual LPN leaves (A is pseudorandom to it); the receiver learns nothing about Δ or B.
 * The parameters' derivation, with citations, is in {@link io.jointly.vole.VoleParameters}.
 *
 * <p>Thread-safety: {@code Gf128} is stateless; a {@code Gf128Multiplier} is immutable until
 * destroyed; VOLE parties are confined to one thread. Implementation details (GGM forest,
 * expand-accumulate code) live in {@code .internal}.
 */
package io.jointly.vole;
