package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.psi.unbalanced.internal.CacheFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A client's copy of the server's encoded set: the truncated OPRF outputs of every item, bucketed
 * and sorted ({@link CacheLayout}), read from a cache file by memory mapping, so opening costs one
 * pass over the file and a lookup a few memory reads, whatever the size.
 *
 * <p>Opening checks the whole file: its header, its length, its SHA-256 digest, the bucket table
 * (monotone, ending at the entry count) and the order of the entries; anything else is an {@link
 * InputException} of kind {@code MALFORMED_FILE} that names the file. Whether the cache belongs to
 * the server a client talks to is checked by the protocols against {@link #header()}.
 *
 * <p>What the cache reveals to its holder: the server's set size ({@link CacheHeader#count()}) and
 * nothing else. Each entry is a truncation of {@code F(skS, x)}, a pseudo-random function of the
 * item under a key the client does not have, so without an evaluation by the server the client can
 * neither recover an item nor test a guess (it could only test a guess by spending an evaluation,
 * which the server counts and budgets).
 *
 * <p>Thread-safe: immutable after opening; lookups from many threads are fine.
 */
public final class OprfCache implements AutoCloseable {
  private static final int SEGMENT_BYTES = 1 << 30;

  private final Path file;
  private final CacheHeader header;
  private final CacheLayout layout;
  private final FileChannel channel;
  private final ByteBuffer table;
  private final ByteBuffer[] segments;
  private final long entriesPerSegment;

  private OprfCache(Path file, CacheHeader header, FileChannel channel, long tableOffset) throws IOException {
    this.file = file;
    this.header = header;
    this.layout = header.layout();
    this.channel = channel;
    this.table = channel.map(FileChannel.MapMode.READ_ONLY, tableOffset, layout.tableBytes());
    int r = layout.remainderBytes();
    this.entriesPerSegment = SEGMENT_BYTES / r;
    long entries = header.count();
    int n = (int) ((entries + entriesPerSegment - 1) / entriesPerSegment);
    this.segments = new ByteBuffer[n];
    long base = tableOffset + layout.tableBytes();
    for (int i = 0; i < n; i++) {
      long first = i * entriesPerSegment;
      long size = Math.min(entriesPerSegment, entries - first) * r;
      MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, base + first * r, size);
      segments[i] = m;
    }
  }

  /**
   * Opens and checks a cache file.
   *
   * @throws InputException {@code MALFORMED_FILE} if the file is not a complete, intact cache file
   * @throws IOException if it cannot be read
   */
  public static OprfCache open(Path file) throws InputException, IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such cache file");
    }
    CacheHeader header;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 4096))) {
      header = CacheFiles.readHeader(in, CacheFiles.CACHE_MAGIC, file, "cache");
    }
    CacheLayout layout = header.layout();
    long headerLength = CacheFiles.headerLength(header);
    long expected =
        headerLength + layout.tableBytes() + header.count() * layout.remainderBytes() + CacheFiles.DIGEST_LENGTH;
    long size = Files.size(file);
    if (size != expected) {
      throw CacheFiles.malformed(
          file, "has " + size + " bytes, its header announces " + expected + " (truncated or padded)");
    }
    CacheFiles.verifyDigest(file, "cache");
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      OprfCache cache = new OprfCache(file, header, ch, headerLength);
      cache.checkStructure();
      return cache;
    } catch (InputException | IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Table monotone from 0 to the count; entries strictly increasing within each bucket. */
  private void checkStructure() throws InputException {
    long previous = tableAt(0);
    if (previous != 0) {
      throw CacheFiles.malformed(file, "has a bucket table that does not start at 0");
    }
    for (int b = 0; b < layout.buckets(); b++) {
      long end = tableAt(b + 1);
      if (end < previous || end > header.count()) {
        throw CacheFiles.malformed(file, "has a bucket table that is not monotone");
      }
      for (long i = previous + 1; i < end; i++) {
        if (Long.compareUnsigned(remainderAt(i - 1), remainderAt(i)) >= 0) {
          throw CacheFiles.malformed(file, "has entries out of order in bucket " + b);
        }
      }
      previous = end;
    }
    if (previous != header.count()) {
      throw CacheFiles.malformed(file, "has a bucket table that does not end at its entry count");
    }
  }

  public CacheHeader header() {
    return header;
  }

  public Path file() {
    return file;
  }

  /** The number of entries: the server's set size. */
  public long size() {
    return header.count();
  }

  /**
   * Whether the server's set holds the item whose OPRF output this is (false positives with
   * probability at most 2^−40 per call, {@link CacheLayout}).
   *
   * @param output the 64-byte output of {@code Finalize}
   */
  public boolean containsOutput(Bytes output) {
    if (output.length() < 16) {
      throw new IllegalArgumentException("an OPRF output has at least 16 bytes");
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (output.get(i) & 0xFF);
      lo = (lo << 8) | (output.get(8 + i) & 0xFF);
    }
    return contains(hi, lo);
  }

  /** Whether the entry of the output starting with the 128 bits {@code hi, lo} is present. */
  boolean contains(long hi, long lo) {
    return containsEntry(layout.bucketOf(hi), layout.remainderOf(hi, lo));
  }

  /** Whether the entry (bucket, remainder) is present: a binary search within the bucket. */
  boolean containsEntry(int bucket, long remainder) {
    long from = tableAt(bucket);
    long to = tableAt(bucket + 1) - 1;
    while (from <= to) {
      long mid = (from + to) >>> 1;
      int c = Long.compareUnsigned(remainderAt(mid), remainder);
      if (c == 0) {
        return true;
      }
      if (c < 0) {
        from = mid + 1;
      } else {
        to = mid - 1;
      }
    }
    return false;
  }

  long tableAt(int bucket) {
    return Integer.toUnsignedLong(table.getInt(4 * bucket));
  }

  long remainderAt(long index) {
    ByteBuffer s = segments[(int) (index / entriesPerSegment)];
    int r = layout.remainderBytes();
    int at = (int) (index % entriesPerSegment) * r;
    long v = 0;
    for (int i = 0; i < r; i++) {
      v = (v << 8) | (s.get(at + i) & 0xFF);
    }
    return v;
  }

  /** Closes the file (the mapping is released by the garbage collector). Idempotent. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was written; a failing close of a read-only file loses nothing
    }
  }

  @Override
  public String toString() {
    return "OprfCache[" + header.describe() + ", " + header.count() + " entries]";
  }
}
