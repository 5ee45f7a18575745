/**
 * Implementation of the cache files of {@link io.jointly.psi.unbalanced}: the binary layout and
 * its checks ({@code CacheFiles}), the streaming writer ({@code CacheWriter}), the external bucket
 * sort's partition files ({@code PartitionSpill}) and in-memory sort ({@code PairSort}), item
 * normalisation shared with ECDH PSI ({@code Items}) and chunked work on an explicit executor
 * ({@code Parallel}). Not a public API.
 *
 * <p>Security model: everything here handles public data or PRF outputs of the server's own items
 * (never keys); files are checked in full before use and written beside their name, then renamed.
 *
 * <p>Thread-safety: writers and spills belong to one thread; the rest is stateless.
 */
package io.jointly.psi.unbalanced.internal;
