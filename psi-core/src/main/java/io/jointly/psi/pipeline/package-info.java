/**
 * The PSI pipeline: how a party's rows become the items a protocol consumes, within a memory budget
 * whatever the set sizes, and how a long run survives the death of its process. Every PSI protocol
 * of Jointly runs over it; ECDH PSI ({@link io.jointly.psi.ecdh.EcdhPsi}) is the first.
 *
 * <pre>
 *  RowSource ──▶ PreparedInput ──▶ protocol (batches over a MessageChannel) ──▶ SharedRowSink
 *  (file, JDBC,   (normalised,      consumes items in position order,            (increasing
 *   Kafka, Spark)  de-duplicated,    produces per-position values; joins          row numbers)
 *                  keyed-hash order) them locally, maps positions to rows
 * </pre>
 *
 * <h2>The plug-in points</h2>
 *
 * <ul>
 *   <li>{@link io.jointly.psi.pipeline.RowSource} / {@link io.jointly.psi.pipeline.RowReader}: one
 *       pass over the key columns of the rows; {@link io.jointly.psi.pipeline.RowSources} adapts
 *       in-memory columns and any {@code Iterable} of key tuples (a JDBC result, a Kafka topic, a
 *       Spark partition). The CLI's CSV reader is one.
 *   <li>{@link io.jointly.psi.pipeline.PreparedInput}: the prepared-item stream — distinct items
 *       in a pseudo-random send order with the rows of each; a protocol reads it through its
 *       {@link io.jointly.psi.pipeline.internal.RunContext} (items in position order, rows per
 *       position, the work directory, the memory budget, the checkpoint store).
 *   <li>{@link io.jointly.psi.pipeline.SharedRowSink}: where the shared rows go, in increasing
 *       order, once the run has matched; the caller publishes them only after the run returns.
 *   <li>{@link io.jointly.psi.pipeline.ChannelOpener}: the connection, opened after preparation
 *       (bad input fails first) and not at all when a resumed run has only local work left.
 *   <li>{@link io.jointly.psi.pipeline.PipelineOptions}: the memory budget, the work directory,
 *       the {@link io.jointly.psi.pipeline.CheckpointKey} and {@code resume}.
 *   <li>Progress goes to {@link io.jointly.psi.PsiListener} ({@code onInputRead} during
 *       preparation, then the protocol's stages).
 * </ul>
 *
 * <h2>Memory model</h2>
 *
 * What a run keeps in memory is bounded by its budget (default 256 MiB), not by the sets: sorts and
 * joins take at most 35 % of it each (two at a time at most), data kept for later (prepared items,
 * values received) up to 25 % before it moves to the work directory, batches and buffers the rest.
 * Sorting is external (sorted runs merged 64 at a time), the join of received values is a hash join
 * partitioned by a hash of the (uniform) values when the peer's values exceed its share. On disk a
 * run needs about, per row of its input, 24 bytes while sorting plus 10 to 40 bytes for the
 * prepared items and rows, and per item of either set the truncated values (6–12 bytes each); the
 * README gives the figures measured at 2^24.
 *
 * <h2>Security model</h2>
 *
 * <ul>
 *   <li>Send order: items are ordered by {@code HMAC-SHA256(r, item)} with a key {@code r} fresh
 *       per run and never stored; a protocol that sends in position order reveals nothing about row
 *       order (as a uniformly random shuffle would not). Duplicates are found as equal tags side by
 *       side after the sort, with no set of identifiers in memory.
 *   <li>Local structures — sort runs, join partitions (and so their sizes) — never leave the party:
 *       the pipeline reveals nothing to the peer beyond what the protocol does.
 *   <li>The work directory holds only sealed files (AES-256-GCM per 64 KiB block, under a key fresh
 *       per run; the nonce carries a file id, a resume epoch and the block index, so no nonce repeats
 *       even when a resumed run rewrites blocks; the file name is authenticated, so files cannot be
 *       swapped; a reader expects an exact length, so truncation is caught). Someone who can read
 *       the disk learns the sizes of the files, so roughly the set sizes, and nothing else.
 *   <li>The checkpoint (the protocol's secret scalar, the work files' key, progress) is sealed with
 *       AES-256-GCM under a key derived by PBKDF2-HMAC-SHA256 from the operator's {@link
 *       io.jointly.psi.pipeline.CheckpointKey} (a key or passphrase file, or — in the CLI — the
 *       party's TLS private key). It binds the protocol, role, parameters and the input's digest; a
 *       checkpoint of another input, other parameters, another key, or an altered one is refused
 *       with an {@link io.jointly.core.InputException} of kind {@code CHECKPOINT}, never reused.
 *   <li>A run that succeeds deletes its work directory; one that fails before it agreed a run with
 *       the peer deletes it too; one that fails after (a lost connection, a killed peer, a full
 *       disk) keeps it for {@code resume}, and says so ({@link
 *       io.jointly.psi.pipeline.PreparedInput#keptForResume()}).
 * </ul>
 *
 * <p>Thread-safety: options, keys and sources are immutable or stateless; a {@code PreparedInput}
 * belongs to one run on one calling thread, which uses the caller's executor for parallel work
 * (never the common pool).
 */
package io.jointly.psi.pipeline;
