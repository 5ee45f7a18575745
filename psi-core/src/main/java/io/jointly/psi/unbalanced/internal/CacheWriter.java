package io.jointly.psi.unbalanced.internal;

import io.jointly.psi.unbalanced.CacheHeader;
import io.jointly.psi.unbalanced.CacheLayout;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a cache file ({@link CacheFiles}) from entries given in increasing order: the entries
 * stream to disk as they come, the bucket table is counted in memory ({@code 4 · 2^p} bytes) and
 * written with the final header at the end, then the digest is appended. Entries equal to the
 * previous one are dropped (a repeated item, or two items whose outputs agree on every stored bit)
 * and counted. Not thread-safe.
 */
public final class CacheWriter implements Closeable {
  private final FileChannel channel;
  private final OutputStream out;
  private final CacheLayout layout;
  private final int headerLength;
  private final String serverName;
  private final long[] bucketCounts;
  private final byte[] entry;
  private long count;
  private long duplicates;
  private int lastBucket = -1;
  private long lastRemainder;
  private boolean finished;

  /**
   * Opens {@code file} (created or truncated) for a cache of {@code provisional}'s server and
   * layout; its version and count are set by {@link #finish}.
   */
  public CacheWriter(Path file, CacheHeader provisional) throws IOException {
    this.layout = provisional.layout();
    this.headerLength = CacheFiles.headerLength(provisional);
    this.serverName = provisional.serverName();
    this.bucketCounts = new long[layout.buckets()];
    this.entry = new byte[layout.remainderBytes()];
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE, StandardOpenOption.READ);
    channel.position(headerLength + layout.tableBytes());
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  /**
   * Adds an entry; entries must come in non-decreasing (bucket, unsigned remainder) order.
   *
   * @return false if it equals the previous entry (dropped)
   * @throws IllegalArgumentException if the order is violated or the capacity exceeded
   */
  public boolean add(int bucket, long remainder) throws IOException {
    if (bucket < lastBucket
        || (bucket == lastBucket && Long.compareUnsigned(remainder, lastRemainder) < 0)) {
      throw new IllegalArgumentException("cache entries out of order");
    }
    if (bucket == lastBucket && remainder == lastRemainder) {
      duplicates++;
      return false;
    }
    if (count == layout.capacity()) {
      throw new IllegalArgumentException("more entries than the capacity of " + layout.capacity());
    }
    lastBucket = bucket;
    lastRemainder = remainder;
    CacheFiles.writeUnsigned(entry, 0, remainder, entry.length);
    out.write(entry);
    bucketCounts[bucket]++;
    count++;
    return true;
  }

  /** Whether (bucket, remainder) equals the last entry added (and would be dropped). */
  public boolean isRepeat(int bucket, long remainder) {
    return bucket == lastBucket && remainder == lastRemainder;
  }

  /** The layout's capacity. */
  public long capacity() {
    return layout.capacity();
  }

  /** Entries written so far. */
  public long count() {
    return count;
  }

  /** Entries dropped as equal to their predecessor. */
  public long duplicates() {
    return duplicates;
  }

  /**
   * Writes the header and table, appends the digest and forces the file to disk. {@code header}
   * must have this writer's server name, layout and {@link #count()}.
   */
  public void finish(CacheHeader header) throws IOException {
    if (header.count() != count || !header.layout().equals(layout) || !header.serverName().equals(serverName)) {
      throw new IllegalArgumentException("final header does not match the entries written");
    }
    out.flush();
    ByteBuffer head = ByteBuffer.wrap(CacheFiles.encodeHeader(CacheFiles.CACHE_MAGIC, header));
    writeFully(head, 0);
    ByteBuffer table = ByteBuffer.allocate(1 << 16);
    long position = headerLength;
    long cumulative = 0;
    table.putInt(0);
    for (int b = 0; b < bucketCounts.length; b++) {
      cumulative += bucketCounts[b];
      if (!table.hasRemaining()) {
        table.flip();
        position += writeFully(table, position);
        table.clear();
      }
      table.putInt((int) cumulative);
    }
    table.flip();
    writeFully(table, position);
    CacheFiles.appendDigest(channel);
    finished = true;
  }

  private int writeFully(ByteBuffer b, long position) throws IOException {
    int n = b.remaining();
    while (b.hasRemaining()) {
      channel.write(b, position + (n - b.remaining()));
    }
    return n;
  }

  /** Closes the file; a writer closed before {@link #finish} leaves an unusable file behind. */
  @Override
  public void close() throws IOException {
    try {
      if (!finished) {
        out.flush();
      }
    } finally {
      channel.close();
    }
  }
}
