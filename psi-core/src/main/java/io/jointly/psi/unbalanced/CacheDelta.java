package io.jointly.psi.unbalanced;

import io.jointly.core.InputException;
import io.jointly.psi.unbalanced.internal.CacheFiles;
import io.jointly.psi.unbalanced.internal.CacheWriter;
import io.jointly.psi.unbalanced.internal.PairSort;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * An incremental update of a cache: the entries of the items the server added to and removed from
 * its set between version {@code v} and {@code v + 1}, so clients download the change rather than
 * the whole set again. A delta names its cache's encoding (server, key id, lineage, layout) and
 * the version it applies to; {@link #apply} refuses a delta for another encoding or one that does
 * not follow the cache's version ({@code CACHE_MISMATCH}), and a malformed delta file is refused
 * when read ({@code MALFORMED_FILE}).
 *
 * <p>What a delta reveals, beyond the new set size: how many items were added and removed, and to
 * a client that holds the OPRF output of an item (from an earlier evaluation), whether that item
 * joined or left — which the client could learn by asking again; rotating the key ends it.
 *
 * <p>At most {@link #MAX_ENTRIES} added and removed entries per delta (about 1 GiB of memory to
 * build); larger changes are a new full encoding. Immutable and thread-safe.
 */
public final class CacheDelta {
  /** The largest number of entries (added plus removed) in one delta: 2^26. */
  public static final int MAX_ENTRIES = 1 << 26;

  private final CacheHeader target;
  private final long fromVersion;
  /** Sorted, distinct (bucket, remainder) pairs. */
  private final long[] adds;

  private final long[] removes;

  private CacheDelta(CacheHeader target, long fromVersion, long[] adds, long[] removes) {
    this.target = target;
    this.fromVersion = fromVersion;
    this.adds = adds;
    this.removes = removes;
  }

  /** The header of the cache this delta produces (its version, count and encoding). */
  public CacheHeader target() {
    return target;
  }

  /** The cache version this delta applies to: {@code target().version() − 1}. */
  public long fromVersion() {
    return fromVersion;
  }

  /** Entries added. */
  public long added() {
    return adds.length / 2;
  }

  /** Entries removed. */
  public long removed() {
    return removes.length / 2;
  }

  /**
   * What {@link #create} did with the requested changes.
   *
   * @param delta the delta (may add and remove nothing)
   * @param alreadyPresent requested additions already in the set (ignored)
   * @param notPresent requested removals not in the set (ignored)
   */
  public record Created(CacheDelta delta, long alreadyPresent, long notPresent) {}

  /**
   * The delta that adds and removes the entries of the given outputs (pairs of their first 128
   * bits, as {@link OprfCache} truncates them) to and from {@code current}. Additions already
   * present and removals absent are ignored and counted.
   *
   * @throws InputException {@code INVALID_INPUT} if an entry is both added and removed, the change
   *     exceeds {@link #MAX_ENTRIES}, or the result would exceed the cache's capacity
   */
  static Created create(OprfCache current, long[] addPairs, int addCount, long[] removePairs, int removeCount)
      throws InputException {
    CacheHeader h = current.header();
    CacheLayout layout = h.layout();
    if ((long) addCount + removeCount > MAX_ENTRIES) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "a delta holds at most " + MAX_ENTRIES + " changes; encode anew");
    }
    long[] a = entries(layout, addPairs, addCount);
    long[] r = entries(layout, removePairs, removeCount);
    // An entry both added and removed is ambiguous: refuse it rather than guess the order.
    for (int i = 0, j = 0; i < a.length && j < r.length; ) {
      int c = compare(a, i, r, j);
      if (c == 0) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, "an identifier is both added and removed in one update");
      }
      if (c < 0) {
        i += 2;
      } else {
        j += 2;
      }
    }
    long[] keptAdds = filter(current, a, false);
    long[] keptRemoves = filter(current, r, true);
    long newCount = h.count() + keptAdds.length / 2 - keptRemoves.length / 2;
    if (newCount > layout.capacity()) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT,
          -1,
          "the set would grow to " + newCount + " items, beyond the cache's capacity of " + layout.capacity()
              + "; encode anew with a larger capacity");
    }
    CacheHeader target = h.withVersion(h.version() + 1, newCount, Instant.now());
    return new Created(
        new CacheDelta(target, h.version(), keptAdds, keptRemoves),
        (a.length - keptAdds.length) / 2,
        (r.length - keptRemoves.length) / 2);
  }

  /** Sorted distinct (bucket, remainder) pairs of the outputs' truncations. */
  private static long[] entries(CacheLayout layout, long[] pairs, int n) {
    long[] e = new long[2 * n];
    for (int i = 0; i < n; i++) {
      e[2 * i] = layout.bucketOf(pairs[2 * i]);
      e[2 * i + 1] = layout.remainderOf(pairs[2 * i], pairs[2 * i + 1]);
    }
    PairSort.sort(e, n);
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m == 0 || e[2 * m - 2] != e[2 * i] || e[2 * m - 1] != e[2 * i + 1]) {
        e[2 * m] = e[2 * i];
        e[2 * m + 1] = e[2 * i + 1];
        m++;
      }
    }
    return java.util.Arrays.copyOf(e, 2 * m);
  }

  /** The entries of {@code e} that are ({@code present}) or are not in the cache. */
  private static long[] filter(OprfCache cache, long[] e, boolean present) {
    long[] out = new long[e.length];
    int m = 0;
    for (int i = 0; i < e.length; i += 2) {
      if (cache.containsEntry((int) e[i], e[i + 1]) == present) {
        out[m++] = e[i];
        out[m++] = e[i + 1];
      }
    }
    return java.util.Arrays.copyOf(out, m);
  }

  private static int compare(long[] a, int i, long[] b, int j) {
    int c = Long.compare(a[i], b[j]);
    return c != 0 ? c : Long.compareUnsigned(a[i + 1], b[j + 1]);
  }

  /** Writes the delta file (beside {@code file}, then moved into place). */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    int r = target.layout().remainderBytes();
    try {
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.write(CacheFiles.encodeHeader(CacheFiles.DELTA_MAGIC, target));
        out.writeLong(fromVersion);
        out.writeLong(adds.length / 2);
        out.writeLong(removes.length / 2);
        byte[] entry = new byte[4 + r];
        for (long[] list : new long[][] {adds, removes}) {
          for (int i = 0; i < list.length; i += 2) {
            CacheFiles.writeUnsigned(entry, 0, list[i], 4);
            CacheFiles.writeUnsigned(entry, 4, list[i + 1], r);
            out.write(entry);
          }
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        CacheFiles.appendDigest(ch);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads and checks a delta file: header, digest, sizes and order of both lists.
   *
   * @throws InputException {@code MALFORMED_FILE} naming the file if it is not an intact delta
   */
  public static CacheDelta read(Path file) throws InputException, IOException {
    Objects.requireNonNull(file, "file");
    CacheFiles.verifyDigest(file, "delta");
    long size = Files.size(file);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      CacheHeader target = CacheFiles.readHeader(in, CacheFiles.DELTA_MAGIC, file, "delta");
      long from = in.readLong();
      long addCount = in.readLong();
      long removeCount = in.readLong();
      if (target.version() < 1 || from != target.version() - 1) {
        throw CacheFiles.malformed(file, "does not lead from one version to the next");
      }
      if (addCount < 0 || removeCount < 0 || addCount + removeCount > MAX_ENTRIES) {
        throw CacheFiles.malformed(file, "announces " + addCount + " additions and " + removeCount + " removals");
      }
      int r = target.layout().remainderBytes();
      long expected =
          CacheFiles.headerLength(target) + 24 + (addCount + removeCount) * (4 + r) + CacheFiles.DIGEST_LENGTH;
      if (size != expected) {
        throw CacheFiles.malformed(file, "has " + size + " bytes, its header announces " + expected);
      }
      long[] adds = readEntries(in, (int) addCount, r, target.layout(), file);
      long[] removes = readEntries(in, (int) removeCount, r, target.layout(), file);
      return new CacheDelta(target, from, adds, removes);
    } catch (EOFException e) {
      throw CacheFiles.malformed(file, "is truncated");
    }
  }

  private static long[] readEntries(DataInputStream in, int n, int r, CacheLayout layout, Path file)
      throws IOException, InputException {
    long[] e = new long[2 * n];
    for (int i = 0; i < n; i++) {
      e[2 * i] = CacheFiles.readUnsigned(in, 4);
      e[2 * i + 1] = CacheFiles.readUnsigned(in, r);
      if (e[2 * i] >= layout.buckets()) {
        throw CacheFiles.malformed(file, "names a bucket outside its layout");
      }
      if (i > 0 && compare(e, 2 * i - 2, e, 2 * i) >= 0) {
        throw CacheFiles.malformed(file, "lists entries out of order");
      }
    }
    return e;
  }

  /**
   * Applies this delta to {@code cache}, writing version {@code v + 1} to {@code out} (beside it,
   * then moved into place), and returns its header.
   *
   * @throws InputException {@code CACHE_MISMATCH} if the delta is of another server, key,
   *     encoding or layout, does not follow the cache's version, removes an entry the cache lacks,
   *     adds one it has, or does not arrive at its announced count
   */
  public CacheHeader apply(OprfCache cache, Path out) throws InputException, IOException {
    CacheHeader h = cache.header();
    if (!h.sameEncodingAs(target)) {
      throw mismatch("is for " + target.describe() + ", the cache is " + h.describe());
    }
    if (h.version() != fromVersion) {
      throw mismatch(
          "applies to version " + fromVersion + " but the cache is at version " + h.version()
              + (h.version() < fromVersion ? ": apply the deltas before it first" : ": it is already applied"));
    }
    CacheLayout layout = h.layout();
    Path tmp = out.resolveSibling(out.getFileName() + ".partial");
    try {
      try (CacheWriter w = new CacheWriter(tmp, target.withVersion(target.version(), 0, target.created()))) {
        int ai = 0;
        int ri = 0;
        for (int b = 0; b < layout.buckets(); b++) {
          long end = cache.tableAt(b + 1);
          for (long i = cache.tableAt(b); i < end; i++) {
            long rem = cache.remainderAt(i);
            while (ai < adds.length && before(adds, ai, b, rem)) {
              add(w, adds, ai);
              ai += 2;
            }
            if (ai < adds.length && adds[ai] == b && adds[ai + 1] == rem) {
              throw mismatch("adds an entry the cache already holds");
            }
            if (ri < removes.length && before(removes, ri, b, rem)) {
              throw mismatch("removes an entry the cache does not hold");
            }
            if (ri < removes.length && removes[ri] == b && removes[ri + 1] == rem) {
              ri += 2;
              continue;
            }
            w.add(b, rem);
          }
          while (ai < adds.length && adds[ai] == b) {
            add(w, adds, ai);
            ai += 2;
          }
          if (ri < removes.length && removes[ri] == b) {
            throw mismatch("removes an entry the cache does not hold");
          }
        }
        if (w.count() != target.count()) {
          throw mismatch("arrives at " + w.count() + " entries, not the announced " + target.count());
        }
        w.finish(target);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean before(long[] e, int i, int bucket, long rem) {
    return e[i] < bucket || (e[i] == bucket && Long.compareUnsigned(e[i + 1], rem) < 0);
  }

  private static void add(CacheWriter w, long[] e, int i) throws IOException, InputException {
    if (w.count() == w.capacity()) {
      throw mismatch("grows the cache beyond its capacity");
    }
    w.add((int) e[i], e[i + 1]);
  }

  private static InputException mismatch(String what) {
    return new InputException(InputException.Kind.CACHE_MISMATCH, -1, "the delta " + what);
  }

  @Override
  public String toString() {
    return "CacheDelta[" + target.describe() + ", from " + fromVersion + ", +" + added() + " -" + removed() + "]";
  }
}
