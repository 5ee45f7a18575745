package io.jointly.psi.unbalanced.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The external bucket sort's first pass: 128-bit values appended to one of {@code 2^bits} files in
 * a work directory by their top bits, so that each file can later be sorted in memory on its own
 * and the files read in order give the whole set in order. Memory is one write buffer per file,
 * whatever the number of values. Not thread-safe.
 */
public final class PartitionSpill implements Closeable {
  private final Path dir;
  private final int bits;
  private final DataOutputStream[] outs;
  private final long[] counts;
  private long total;

  /** Creates {@code 2^bits} empty partition files in {@code dir} (an existing directory). */
  public PartitionSpill(Path dir, int bits) throws IOException {
    if (bits < 0 || bits > 12) {
      throw new IllegalArgumentException("partition bits must be 0..12");
    }
    this.dir = dir;
    this.bits = bits;
    int n = 1 << bits;
    this.outs = new DataOutputStream[n];
    this.counts = new long[n];
    boolean ok = false;
    try {
      for (int i = 0; i < n; i++) {
        outs[i] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(i)), 1 << 14));
      }
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  private Path file(int partition) {
    return dir.resolve(String.format("part-%04d.bin", partition));
  }

  public int partitions() {
    return outs.length;
  }

  /** Values added so far. */
  public long count() {
    return total;
  }

  /** Appends the {@code n} pairs {@code (hi, lo)} of {@code pairs}. */
  public void add(long[] pairs, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      long hi = pairs[2 * i];
      int p = bits == 0 ? 0 : (int) (hi >>> (64 - bits));
      outs[p].writeLong(hi);
      outs[p].writeLong(pairs[2 * i + 1]);
      counts[p]++;
    }
    total += n;
  }

  /** Closes the writers (once) so that partitions can be read. */
  public void seal() throws IOException {
    for (DataOutputStream o : outs) {
      if (o != null) {
        o.close();
      }
    }
  }

  /** The pairs of one partition, in the order they were added; call {@link #seal()} first. */
  public long[] read(int partition) throws IOException {
    long n = counts[partition];
    if (2 * n > Integer.MAX_VALUE - 8) {
      throw new IOException("partition " + partition + " holds too many values to sort in memory");
    }
    long[] pairs = new long[(int) (2 * n)];
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file(partition)), 1 << 16))) {
      for (int i = 0; i < pairs.length; i++) {
        pairs[i] = in.readLong();
      }
    } catch (EOFException e) {
      throw new IOException("partition file " + partition + " of the work directory was truncated", e);
    }
    Files.deleteIfExists(file(partition));
    return pairs;
  }

  /** Closes every writer and deletes the partition files. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (int i = 0; i < outs.length; i++) {
      try {
        if (outs[i] != null) {
          outs[i].close();
        }
        Files.deleteIfExists(file(i));
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
