/**
 * Unbalanced PSI and single-identifier membership checks from a cached OPRF (RFC 9497, {@code
 * ristretto255-SHA512}, OPRF mode): the server (the partner, with the large set) encodes its set
 * once under its OPRF key; clients (the bank) download the encoding, a compact {@link
 * io.jointly.psi.unbalanced.OprfCache}, and then learn whether their own identifiers are in the
 * set by having them evaluated obliviously, at a cost in proportion to what they ask.
 *
 * <ul>
 *   <li>Offline, server: {@link io.jointly.psi.unbalanced.CacheEncoder} (streamed, external bucket
 *       sort, explicit executor), {@link io.jointly.psi.unbalanced.OprfServerStore} (sealed key,
 *       current cache, deltas, key rotation), {@link io.jointly.psi.unbalanced.KeySealing}, {@link
 *       io.jointly.psi.unbalanced.CacheDelta}.
 *   <li>Online, server: {@link io.jointly.psi.unbalanced.OprfServer} (one session: batch,
 *       membership or download), within {@link io.jointly.psi.unbalanced.QueryBudgets} counted by
 *       {@link io.jointly.psi.unbalanced.BudgetLedger}; parameters {@link
 *       io.jointly.psi.unbalanced.OprfServerParameters}.
 *   <li>Online, client: {@link io.jointly.psi.unbalanced.UnbalancedPsiClient} (its whole set,
 *       {@link io.jointly.psi.unbalanced.UnbalancedPsiResult}), {@link
 *       io.jointly.psi.unbalanced.MembershipClient} (one identifier at a time), {@link
 *       io.jointly.psi.unbalanced.CacheFetch}; parameters {@link
 *       io.jointly.psi.unbalanced.UnbalancedPsiParameters}.
 * </ul>
 *
 * <h2>Security model (semi-honest parties; one-more gap Diffie–Hellman in ristretto255; hashes as
 * random oracles; RFC 9497 §7)</h2>
 *
 * <table>
 *   <caption>What each party learns</caption>
 *   <tr><th>step</th><th>client (bank) learns</th><th>server (partner) learns</th></tr>
 *   <tr><td>cache download, full</td><td>the server's set size</td>
 *       <td>that the client downloaded</td></tr>
 *   <tr><td>cache download, delta</td><td>the new set size; how many items were added and removed;
 *       for items whose output it already holds, whether they joined or left</td>
 *       <td>that the client downloaded</td></tr>
 *   <tr><td>batch run</td><td>which of its items are in the server's set</td>
 *       <td>the client's set size (its name and purpose; counted against its budget)</td></tr>
 *   <tr><td>membership check</td><td>whether the one identifier is in the server's set</td>
 *       <td>that one check was made (client, purpose, time)</td></tr>
 * </table>
 *
 * <p>The cache holds the first {@code p + 8r} bits of {@code F(skS, x)} for the server's items
 * ({@link io.jointly.psi.unbalanced.CacheLayout}): pseudo-random without {@code skS}, so it reveals
 * the set size and nothing else, and it cannot be searched offline: a client can test an
 * identifier only by having the server evaluate it. A query's false-positive probability is at most
 * 2^−40.
 *
 * <p><b>Guessing.</b> A client that spends its budget on guesses (identifiers it does not hold as
 * customers) learns, for each guess, whether it is in the server's set — exactly one membership
 * bit per evaluation, and nothing about identifiers it did not have evaluated, because it cannot
 * compute the PRF itself (from q evaluations it cannot produce a (q+1)-th output). So a daily
 * budget of B evaluations for a purpose bounds what guessing reveals to B memberships a day: an
 * exhaustive sweep of the ~1.6·10^9 mainland mobile numbers at B = 10,000 would take over 400
 * years, and every evaluation is counted in the server's log under the client's certificate name.
 * Batch runs draw on the same budgets (per purpose), so a "campaign list" of guesses costs as many
 * evaluations as it has entries. Outputs a client obtained stay valid while the key does: it can
 * re-check those same identifiers against later cache versions without asking again; rotating the
 * key ({@link io.jointly.psi.unbalanced.OprfServerStore#encode} with {@code rotateKey}) ends that.
 *
 * <p>Mode 0 is not verifiable: a server that evaluates under another key makes lookups miss (false
 * negatives, never false positives); this does not claim malicious security. Every received element
 * is validated (non-canonical, invalid and identity elements abort with {@code INVALID_ELEMENT});
 * batch runs and downloads end with transcript confirmation, membership answers carry the session's
 * running digest. Errors name rows, files, rounds, sizes and purposes, never identifiers or PRF
 * outputs.
 *
 * <p>Thread-safety: parameters, results, caches, deltas, {@code OprfServer} and the clients of a
 * batch run are immutable or safe to share; {@code MembershipClient} serialises its checks;
 * {@code BudgetLedger} and {@code OprfServerStore} are thread-safe.
 */
package io.jointly.psi.unbalanced;
