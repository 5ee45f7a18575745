/**
 * ECDH private set intersection between a bank and a partner: {@link io.jointly.psi.ecdh.EcdhPsi}
 * (one entry type for both roles), {@link io.jointly.psi.ecdh.EcdhPsiParameters} (presets per
 * suite), over the PSI pipeline ({@link io.jointly.psi.pipeline}): streamed from any row source,
 * within a memory budget, on every core, checkpointed and resumable.
 *
 * <p>Two forms of one run: {@code run(PsiInput, channel)} for sets whose row indexes fit in memory
 * (statistics and LR alignment use it; it returns rows and the {@link io.jointly.psi.PsiAlignment}),
 * and {@code run(PreparedInput, ChannelOpener, SharedRowSink)}, the streaming form the CLI uses. The
 * first is a thin wrapper over the second's code path.
 *
 * <p>Security model (semi-honest parties; DDH in the group; hash-to-group as a random oracle):
 *
 * <table>
 *   <caption>What each party learns</caption>
 *   <tr><th>reveal mode</th><th>bank learns</th><th>partner learns</th></tr>
 *   <tr><td>{@code bank} (default)</td><td>which of its rows are shared; partner set size</td>
 *       <td>bank set size</td></tr>
 *   <tr><td>{@code both}</td><td>which of its rows are shared; partner set size</td>
 *       <td>which of its rows are shared; bank set size</td></tr>
 *   <tr><td>{@code count}</td><td>the number of shared identifiers; partner set size</td>
 *       <td>bank set size</td></tr>
 * </table>
 *
 * <p>The streaming design adds nothing to this: items are sent in an order fixed by a keyed hash
 * under a fresh secret key (as good as a random shuffle); in {@code count} mode the partner returns
 * the values sorted by value, which reveals only their multiset, as a shuffle does; sort runs and
 * join partitions stay local. A resumed run tells the peer that this party restarted and up to
 * which checkpoint boundary it had progressed (the peer resumes with it).
 *
 * <p>Guardrail: a party refuses to run against a peer set smaller than its configured minimum
 * (default 100), so that a handful of probe identifiers cannot test whether someone is a customer.
 * The minimum is exchanged in the handshake and both sides refuse alike. A peer who brings a large
 * set of guessed identifiers still learns which of its guesses are shared in {@code both} mode:
 * that is inherent in PSI and must be governed by contract and by choosing the reveal mode.
 *
 * <p>Every received element is validated; wrong sizes, counts, rounds or invalid elements abort with
 * {@link io.jointly.core.ProtocolAbortException}; a transcript confirmation (chained across
 * checkpoint boundaries, so it survives a resume) catches any message altered in transit. Error
 * messages name rows, rounds and sizes, never values.
 *
 * <p>Resume: both parties restart with {@code resume}; the party whose peer died sees its channel
 * fail (exit 4 in the CLI), keeps its checkpoint and is restarted too. They agree, in the handshake,
 * on the last checkpoint boundary both reached and continue from it with their original scalars, so
 * the messages and the result are those of an uninterrupted run. A party whose transcripts were
 * already confirmed resumes its local matching without the peer. One window cannot be recovered:
 * a party that dies between the two parties' confirmations, after its peer finished, must start
 * again with its peer.
 *
 * <p>Thread-safety: parameters, results and {@code EcdhPsi} are immutable; one {@code EcdhPsi} may
 * run several sessions at once, one calling thread and one work directory each.
 */
package io.jointly.psi.ecdh;
