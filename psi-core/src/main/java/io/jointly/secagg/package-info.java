/**
 * Secure aggregation: several clients (bank branches, partners) send vectors of figures to a
 * server that learns their sum and nothing else — {@link io.jointly.secagg.SecureAggregationServer}
 * and {@link io.jointly.secagg.SecureAggregationClient} (one entry type per role), {@link
 * io.jointly.secagg.SecureAggregationParameters}, {@link io.jointly.secagg.SecureAggregationResult}.
 *
 * <h2>Protocol</h2>
 *
 * Bonawitz, Ivanov, Kreuter, Marcedone, McMahan, Patel, Ramage, Segal and Seth, "Practical Secure
 * Aggregation for Privacy-Preserving Machine Learning", CCS 2017 (the protocol figure of its full version), in its
 * honest-but-curious variant (no signatures, no consistency-check round): pairwise X25519 key
 * agreement, masks expanded from 256-bit seeds by AES-256-CTR, double masking (a self mask b_u
 * and pairwise masks), Shamir shares of b_u and of the mask secret key s_u^SK sent client to client
 * under AES-256-GCM through the server, so the server can remove the masks of clients that drop
 * out at any phase. With the sparse graph option of Bell, Bonawitz, Gascón, Lepoint and Raykova,
 * "Secure Single-Server Aggregation with (Poly)Logarithmic Overhead", CCS 2020, each client pairs
 * with and shares to only its neighbours in a random graph, so a client's work grows with
 * log n instead of n.
 *
 * <p>Values are {@link io.jointly.core.FixedPoint} encodings summed in Z_2^64; the parameters
 * check from the declared bound {@code maxAbs} and number of clients that the sum cannot wrap.
 *
 * <h2>Security model</h2>
 *
 * Honest-but-curious: the server and the clients follow the protocol but try to learn from what
 * they see. Clients are authenticated by the transport (mutual TLS: a client's name is its
 * certificate identity), which is why the protocol needs no signatures of its own; the channels
 * give confidentiality and integrity against the network. What each party learns:
 *
 * <table>
 *   <caption>What each party learns</caption>
 *   <tr><th>party</th><th>learns</th></tr>
 *   <tr><td>server</td><td>the sum over the clients it names as included (at least {@code
 *       minClients}); which clients joined and which dropped out in which phase; the vector
 *       length and the agreed layout (e.g. row keys and column names, which the output shows
 *       anyway)</td></tr>
 *   <tr><td>client</td><td>nothing about other clients' inputs; the roster, its neighbours'
 *       public keys, which of its neighbours dropped out, and the list of included clients</td></tr>
 * </table>
 *
 * <p><b>Threshold.</b> A client's secrets are shared among its holders (itself and its d
 * neighbours) with threshold t = ⌊(d + 1)/2⌋ + 1, a strict majority. With the complete graph
 * (d = n − 1) this is Bonawitz et al.'s honest-but-curious setting with t &gt; n/2: the server
 * together with fewer than t clients learns nothing beyond the sum of the honest survivors'
 * inputs (the paper's honest-but-curious security theorem), and since an honest server asks for either b_u or s_u^SK of a
 * client but never both, no single input is exposed by a dropout. {@code minClients} must be at
 * least t, and a run aborts cleanly ({@code POLICY_REFUSED}) as soon as fewer than {@code
 * minClients} clients survive any phase or fewer than t holders of a needed secret answer.
 *
 * <p><b>Sparse graph caveat.</b> The sparse option uses a k-regular Harary graph over a random
 * ordering of the clients drawn from a public seed the server picks, with k = 2⌈log2 n⌉ by
 * default (12 for 50 clients, 16 for 200). Bell et al. prove their guarantees for a random
 * (Erdős–Rényi) graph with a degree derived from the tolerated fractions of corrupt and dropped
 * clients; this graph family and the default degree are practical choices, not the paper's
 * bounds. Consequences: a coalition of the server with t of a client's k neighbours learns that
 * client's input; dropouts are tolerated per neighbourhood (at most d + 1 − t holders of any
 * needed secret may be lost), so a run can abort with fewer total dropouts than under the
 * complete graph; and a server that chose the seed maliciously could place colluding clients
 * around a victim, which the honest-but-curious model excludes. Use the complete graph where the
 * guarantee must be exact; {@link io.jointly.secagg.SecureAggregationParameters.Graph#AUTO} does
 * so up to 64 clients.
 *
 * <p>Out of scope: malicious clients (a client can add any value within the encoding to the sum),
 * a malicious server (it could, for example, claim different dropout sets to different clients;
 * Bonawitz et al.'s consistency round and signatures address that), and differential privacy of
 * the released sum. Error messages name clients, rounds and sizes, never values, keys or masks.
 *
 * <p>Thread-safety: parameters, results, server and client objects are immutable; each {@code
 * run} blocks its calling thread (the server also uses its executor).
 */
package io.jointly.secagg;
