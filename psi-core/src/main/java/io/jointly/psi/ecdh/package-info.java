/**
 * ECDH private set intersection between a bank and a partner: {@link io.jointly.psi.ecdh.EcdhPsi} (one
 * entry type for both roles), {@link io.jointly.psi.ecdh.EcdhPsiParameters} (presets per suite), {@link
 * io.jointly.psi.PsiResult}, and identifier normalisation ({@link
 * io.jointly.psi.IdentifierProfile}, {@link io.jointly.psi.ItemEncoder}).
 *
 * <p>The library speaks in-memory types: the caller reads its own rows, hands the key columns in as
 * a {@link io.jointly.psi.PsiInput}, and gets back {@link io.jointly.psi.RowIndexes} into those
 * rows, so nothing is copied and files stay the caller's business.
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
 * <p>Guardrail: a party refuses to run against a peer set smaller than its configured minimum
 * (default 100), so that a handful of probe identifiers cannot test whether someone is a customer.
 * The minimum is exchanged in the handshake and both sides refuse alike. A peer who brings a large
 * set of guessed identifiers still learns which of its guesses are shared in {@code both} mode:
 * that is inherent in PSI and must be governed by contract and by choosing the reveal mode.
 *
 * <p>Every received element is validated; wrong sizes, counts, rounds or invalid elements abort with
 * {@link io.jointly.core.ProtocolAbortException}; a transcript confirmation at the end catches any
 * message altered in transit. Error messages name rows, rounds and sizes, never values.
 *
 * <p>Thread-safety: parameters, results and {@code EcdhPsi} are immutable; one {@code EcdhPsi} may
 * run several sessions at once, one calling thread each.
 */
package io.jointly.psi.ecdh;
