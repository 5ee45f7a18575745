/**
 * Oblivious transfer: base OTs from a prime-order group ({@link io.jointly.ot.BaseOt},
 * Chou–Orlandi with transcript-bound keys, over ristretto255), the semi-honest IKNP extension,
 * which turns κ = 128 base OTs into any number of OTs at the cost of symmetric cryptography ({@link
 * io.jointly.ot.IknpSender}, {@link io.jointly.ot.IknpReceiver}), and the fixed-key-AES hashes that turn its rows into OT messages
 * and pads ({@link io.jointly.ot.CorrelationRobustHash}). Building blocks, not protocols: they
 * compute and encode, the caller sends (over its own rounds) and runs the base OTs.
 *
 * <h2>The extension</h2>
 *
 * Ishai, Kilian, Nissim, Petrank, "Extending Oblivious Transfers Efficiently", CRYPTO 2003, §3 (the
 * semi-honest protocol). κ base OTs run once with the roles reversed: the extension receiver is
 * their sender, of seed pairs {@code (k_j^0, k_j^1)} ({@link
 * io.jointly.ot.IknpReceiver#baseOtMessage}); the extension sender is their receiver, choosing with
 * the bits of a secret {@code s ∈ {0,1}^κ} ({@link io.jointly.ot.IknpSender#baseOtChoice}) and
 * learning {@code k_j^{s_j}} ({@link io.jointly.ot.IknpSender#baseOtResult}). Any 1-out-of-2 OT of
 * 16-byte strings secure against the same adversary will do: {@link io.jointly.ot.BaseOt} is one
 * (random OT: the extension receiver uses its two random keys as the seed pair), federated-lr uses
 * Paillier.
 * Then, per batch of m OTs with the receiver's choice bits {@code c}: the receiver expands {@code
 * T_j = G(k_j^0)} and sends {@code U_j = T_j ⊕ G(k_j^1) ⊕ c}; the sender computes {@code Q_j =
 * G(k_j^{s_j}) ⊕ s_j·U_j = T_j ⊕ s_j·c}. Transposed, row i of each side is a 128-bit block with
 *
 * <pre>
 *   q_i = t_i ⊕ c_i·s
 * </pre>
 *
 * — a correlated OT with the global correlation s, from which {@link
 * io.jointly.ot.CorrelationRobustHash#hash} makes random OTs ({@code H(i, q_i)}, {@code H(i, q_i ⊕
 * s)} at the sender, {@code H(i, t_i) = H(i, q_i ⊕ c_i·s)} at the receiver) and callers build
 * chosen-message or arithmetic correlated OTs (for instance Gilboa's products in {@code
 * federated-lr}'s secret-shared training). G is AES-128 in counter mode keyed by the seed, its
 * initial counter block the batch number followed by 64 zero bits.
 *
 * <h2>Batches</h2>
 *
 * One instance pair (one set of base OTs) serves any number of batches: each batch has a number,
 * which selects G's stream and should also be the hash tweak of its rows. Within an instance the
 * numbers must strictly increase ({@link io.jointly.ot.IknpReceiver#extend} and {@link
 * io.jointly.ot.IknpSender#extend} refuse otherwise): a repeated number would repeat the pads.
 * The receiver's message U of a batch of m OTs is {@code 128·⌈m/64⌉·8} bytes ({@link
 * io.jointly.ot.Iknp#messageLength}), the κ columns in order, each big-endian; the sender refuses
 * any other length with a {@link io.jointly.core.ProtocolAbortException}.
 *
 * <h2>Representation</h2>
 *
 * Bit vectors (choices) are {@code long[]} with bit i at {@code (v[i/64] >>> i%64) & 1}; a 128-bit
 * block (a row, s, a hash output) is a pair of longs with bit j at {@code (b[j/64] >>> j%64) & 1},
 * the word of bits 0–63 first; rows are {@code long[m][2]}, hash outputs flat {@code long[2m]}.
 * AES sees a block as the 16 big-endian bytes of that 128-bit integer.
 *
 * <h2>Security model (semi-honest)</h2>
 *
 * Against a semi-honest adversary, with G a PRG and H correlation robust (fixed-key AES as an
 * ideal permutation, per Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty Computation from
 * Fixed-Key Block Ciphers", IEEE S&amp;P 2020, §7), κ = 128 computational security:
 *
 * <ul>
 *   <li>The extension sender learns nothing about the choices c: every column of U it receives is
 *       padded by {@code G(k_j^{1−s_j})}, the output of the one seed of
 *       the pair it did not get.
 *   <li>The extension receiver receives nothing from the sender in the extension itself; its view
 *       (seeds, choices, rows t) is independent of s, and of each OT's other message {@code H(i,
 *       t_i ⊕ s)} it knows nothing without s.
 * </ul>
 *
 * The base OT ({@link io.jointly.ot.BaseOt}) is secure under CDH in ristretto255 with SHA-256 as a
 * random oracle; its class comment gives the protocol and the literature's fixes it includes.
 *
 * <p>Malicious parties are out of scope: a sender that deviates in the base OTs or a receiver that
 * sends an inconsistent U breaks the guarantees (KOS-style consistency checks are not
 * implemented). What a protocol built on these OTs reveals is that protocol's to state.
 *
 * <h2>Thread-safety</h2>
 *
 * {@link io.jointly.ot.IknpSender} and {@link io.jointly.ot.IknpReceiver} hold secrets (s, the
 * seeds) and a batch counter: confine each to one party's protocol thread, call {@code destroy()}
 * when done. The rows and hash outputs they return are secret arrays owned by the caller. {@link
 * io.jointly.ot.CorrelationRobustHash} and {@link io.jointly.ot.Iknp} are stateless and thread-safe.
 * {@link io.jointly.ot.BaseOt}'s parties hold scalars and keys and are confined to one thread.
 */
package io.jointly.ot;
