/**
 * VOLE PSI: private set intersection from an oblivious key-value store and subfield vector
 * oblivious linear evaluation — the semi-honest protocol of Raghuraman and Rindal, "Blazing Fast
 * PSI from Improved OKVS and Subfield VOLE", ACM CCS 2022 (RR22), Fig. 4, itself an improvement of
 * Rindal and Schoppmann, "VOLE-PSI: Fast OPRF and Circuit-PSI from Vector-OLE", EUROCRYPT 2021
 * (RS21). Entry point {@link io.jointly.psi.vole.VolePsi}, parameters {@link
 * io.jointly.psi.vole.VolePsiParameters}; inputs, results, listener and reports are those of every
 * Jointly PSI ({@link io.jointly.psi}). The bank is the receiver R (it learns the intersection), the
 * partner the sender S.
 *
 * <h2>Protocol</h2>
 *
 * Let R hold n_x items X and S hold n_y items Y, λ = 40 the statistical and κ = 128 the
 * computational security parameter, and {@code ℓ = λ + ⌈log2 n_x⌉ + ⌈log2 n_y⌉} bits rounded up to
 * bytes (80 at 2^20 × 2^20): OKVS values and outputs have ℓ bits (RR22 §4, "low communication
 * instantiation": the field B of values needs |B| ≥ 2^(λ + log2(n_x·n_y)); here B is the ℓ-bit
 * subspace of GF(2^128) of polynomials of degree below ℓ, which suffices because the OKVS is binary
 * and the VOLE's code is binary, so every vector stays in it).
 *
 * <ol>
 *   <li>{@code HELLO}: both send version, role, profile, key columns, reveal mode, λ, the VOLE
 *       parameters, the OKVS bin size, set size and minimum peer set size; both check agreement and
 *       the guardrail. Both derive the OKVS shape from n_x, λ and the bin size ({@link
 *       io.jointly.okvs.OkvsParameters}: m entries in bins of w = 3 sparse and a few dense
 *       columns) and cut it into VOLE chunks of whole bins, at most 2^19 entries each.
 *   <li>{@code SETUP}, R → S: a fresh 16-byte session seed s, a fresh 16-byte OKVS seed r and the
 *       first message {@code A = a·G} of 128 Chou–Orlandi base OTs over ristretto255 ({@link
 *       io.jointly.ot.BaseOt}). Both derive from s the item key {@code k(x) = SHA-256(DST ‖ s ‖
 *       x)[0..16)} and two fixed-key AES permutations π_v, π_o ({@code VolePsiMath}); r fixes each
 *       key's OKVS row, so each party groups its items by the chunk of their bin.
 *   <li>{@code BASE_OT}, S → R: {@code B_j = b_j·G + Δ_j·A}, S choosing with the bits of its IKNP
 *       secret Δ ∈ GF(2^128). {@code SEEDS}, R → S: R's IKNP seed pairs, each one-time-padded with
 *       the matching base-OT key; S keeps the seed of its choice. (Ishai, Kilian, Nissim, Petrank,
 *       CRYPTO 2003; {@link io.jointly.ot.IknpSender}.)
 *   <li>{@code EXTEND}, R → S, one per chunk, all at once: the IKNP matrix U for the correlated OTs
 *       the chunk consumes (R's choice bits: its GGM paths, and in the first chunk its base-VOLE
 *       noise values); both get correlated OTs {@code t_i = q_i + c_i·Δ}.
 *   <li>Then chunk by chunk, c = 0, 1, …:
 *       <ol>
 *         <li>{@code TREES}, S → R: the silent subfield VOLE of the chunk ({@link
 *             io.jointly.vole.SilentVole}): GGM tree messages and corrections; S gets B_c, R gets
 *             A_c (ℓ-bit, pseudorandom under dual LPN) and C_c with {@code C_c = B_c + A_c·Δ}, one
 *             entry per OKVS entry of the chunk, plus t reserved entries that are the next chunk's
 *             base VOLE (Ferret-style bootstrapping). S sends chunk c + 1's trees before it waits
 *             for chunk c's masked vector, so both parties work at once.
 *         <li>R encodes its items of the chunk's bins ({@link io.jointly.okvs.Okvs}, RR22 §2):
 *             {@code P_c} with {@code Decode(P, k(x)) = H^B(x) = trunc_ℓ(π_v(k(x)) ⊕ k(x))}.
 *             {@code MASKED}, R → S: {@code A'_c = A_c + P_c}, ℓ bits per entry, in frames. R then
 *             computes its items' values {@code H^o(Decode(C_c, k(x)))}.
 *         <li>S computes {@code B'_c = B_c + A'_c·Δ} (so {@code C_c = B'_c + P_c·Δ}) and, for
 *             each of its items y of the chunk's bins, {@code H^o(Decode(B'_c, k(y)) +
 *             Δ·H^B(y))} with {@code H^o(z) = trunc_ℓ(π_o(z) ⊕ z)}.
 *       </ol>
 *       The chunks' parts side by side are one OKVS over all of X and one VOLE of length m: the
 *       bins only decide which entries a key's row touches, and a bin's entries sit in one chunk.
 *   <li>{@code OUTPUTS}, S → R: S's values in a fresh random order of its items (not in bin order,
 *       which would tell R how many of S's items fall in each bin), in frames.
 *   <li>R computes {@code H^o(Decode(C, k(x)))} for its own items — equal to S's value exactly when
 *       x = y, since {@code Decode(C, x) = Decode(B', x) + Decode(P, x)·Δ} and {@code Decode(P, x) =
 *       H^B(x)} — and marks x shared iff its value is among S's; the position of the match is the
 *       peer position of the alignment ({@link io.jointly.psi.PsiAlignment}).
 *   <li>{@code MATCHES} ({@code both} mode), R → S: the matched positions of S's list, increasing,
 *       each with the position of R's item in a fresh random order of R's items; S learns which of
 *       its items are shared.
 *   <li>{@code CONFIRM}: both exchange the SHA-256 digests of everything they sent and received
 *       ({@link io.jointly.channel.TranscriptChannel}); any difference aborts both.
 * </ol>
 *
 * Messages never contain an item, a key or an OKVS value in the clear; error messages never contain
 * data values.
 *
 * <h2>What each party learns (semi-honest model)</h2>
 *
 * Both: the other's set size (deduplicated) and the agreed parameters. {@link
 * io.jointly.psi.RevealMode#BANK}: the bank learns which of its rows are shared (and, per shared
 * item, a position in the partner's random order); the partner learns nothing more. {@link
 * io.jointly.psi.RevealMode#BOTH}: each learns which of its rows are shared. The guarantees hold
 * under these assumptions (RR22 Theorem C.1 with the components below):
 *
 * <ul>
 *   <li>dual LPN with regular noise for the expand-accumulate code ({@link
 *       io.jointly.vole.VoleParameters}: expansion 5, expander weight 21, 1,434 noise entries, 128-bit
 *       security against linear tests with a conservative minimum-distance estimate), for every
 *       chunk — hides A, hence P, from the partner;
 *   <li>CDH in ristretto255 with SHA-256 as a random oracle for the base OTs; AES as a PRG for IKNP
 *       and GGM; fixed-key AES as an ideal permutation (Guo, Katz, Wang, Yu, IEEE S&amp;P 2020) for
 *       the correlation-robust hashes, and π_v, π_o and SHA-256 (the item keys) modelled as random
 *       oracles — hide Δ and every non-shared item from the bank;
 *   <li>a statistical failure probability of at most 2^-λ = 2^-40 overall: the OKVS encoding
 *       ({@link io.jointly.okvs.OkvsParameters}; a bin over capacity or an unsolvable system ends
 *       the run with an error, since the seed was sent before the chunk was encoded), a non-shared
 *       item colliding with the bank's values or outputs (ℓ bits for n_x·n_y pairs), and two own
 *       items colliding in their keys.
 * </ul>
 *
 * A malicious peer can at most abort or make the result wrong in ways the transcript check does not
 * catch (for example by lying about its set, or by sending a malformed VOLE); this protocol does
 * not claim malicious security (RR22's malicious variant is not implemented).
 *
 * <h2>{@code count} mode</h2>
 *
 * Not offered. Here the bank recomputes its own outputs and compares them one by one, so it learns
 * which items matched; learning only the count needs the comparisons to happen under encryption or
 * secret sharing — circuit PSI (RS21 §6, RR22 §4 "Circuit PSI": an oblivious programmable PRF whose
 * outputs are secret-shared, then an equality test and a sum in a two-party computation), which this
 * package does not implement. Use ECDH PSI for {@code count}.
 *
 * <h2>Costs (one party's set of n = 2^20 against 2^20, half shared)</h2>
 *
 * Bytes, framing excluded: MASKED {@code m·ℓ/8} with m ≈ 1.284·n (RR22's w = 3 OKVS with 16 bins
 * of 67,584 items and 46 + 3 dense columns), OUTPUTS {@code n_y·ℓ/8}, EXTEND 16 bytes per correlated
 * OT ({@code t·(d + ℓ)} in the first chunk, {@code t·d} in the others, d = ⌈log2 s⌉ the trees'
 * depth), TREES {@code t·(2d + 1)·16} per chunk, the base OTs about 8 KiB: about 27 bytes per item
 * of one set in total at ℓ = 80 (three chunks), against 37.5 for ECDH PSI (both directions). The
 * bench README records the measured figures.
 *
 * <h2>Streaming, memory and resume</h2>
 *
 * Input goes through the PSI pipeline ({@link io.jointly.psi.pipeline}) like ECDH PSI's: rows are
 * read once, normalised, de-duplicated and put in a keyed-hash order within the memory budget
 * ({@link io.jointly.psi.vole.VolePsi#prepare}), and the shared rows come back in increasing order
 * to a {@link io.jointly.psi.pipeline.SharedRowSink} or in memory. The protocol itself is not
 * out-of-core: the OKVS is one linear system over the bank's whole set (its bins are fixed by a seed
 * drawn in the run), so both parties load their distinct items into memory for the run (about 24
 * bytes plus the item's encoding each, and at the bank one VOLE chunk of 2^19 entries, about 64 MiB,
 * at a time); {@link io.jointly.psi.vole.VolePsiParameters#MAX_SET_SIZE} bounds it. The bins are
 * local to the run and never leave a party in a form that depends on their contents (the bank sends
 * the OKVS whole, the partner its values in a fresh random order), so the chunking reveals nothing
 * beyond the set sizes. A run keeps no protocol state on disk (it takes seconds where ECDH PSI
 * takes minutes): with a checkpoint key, the sealed prepared input of a killed run is reused by
 * {@link io.jointly.psi.pipeline.PipelineOptions#resume()}, and the protocol runs again from the
 * handshake with fresh seeds and a fresh Δ; a run that fails otherwise deletes its work directory.
 *
 * <p>Thread-safety: {@link io.jointly.psi.vole.VolePsi} and its parameters are immutable; a run is
 * confined to the calling thread plus the executor it was given.
 */
package io.jointly.psi.vole;
