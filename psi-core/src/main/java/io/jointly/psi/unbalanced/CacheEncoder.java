package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.Oprf;
import io.jointly.oprf.OprfKey;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.unbalanced.internal.CacheWriter;
import io.jointly.psi.unbalanced.internal.Items;
import io.jointly.psi.unbalanced.internal.PairSort;
import io.jointly.psi.unbalanced.internal.Parallel;
import io.jointly.psi.unbalanced.internal.PartitionSpill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The offline phase of unbalanced PSI: the server evaluates its own OPRF ({@link Oprf#evaluate},
 * RFC 9497 §3.3.1) on every item of its set and writes the truncated outputs as a cache file
 * ({@link OprfCache}) that clients download once.
 *
 * <p>Streamed and bounded: rows are read in batches of 8,192 from an {@link IdentifierSource};
 * each batch is evaluated in chunks on the executor while the next batch is read and normalised;
 * outputs go to 256 partition files in a work directory by their top 8 bits (an external bucket
 * sort), and each partition is then sorted in memory on its own and appended to the cache. Memory
 * is a few batches plus one partition ({@code 16 · n / 256} bytes), whatever the set size; the
 * work directory needs {@code 16 · n} bytes for the run and is emptied afterwards. The cache is
 * written beside its target and moved into place only when complete, so a failed run leaves no
 * partial cache behind.
 *
 * <p>Identifiers are normalised exactly as ECDH PSI does; rows whose identifier fails the profile
 * fail the run or are skipped ({@link CacheSpec#invalidIds()}); repeated identifiers are kept once
 * (so are two items whose outputs agree on every stored bit, which happens with probability below
 * 2^−40 for the whole set at full capacity) and counted.
 *
 * <p>Thread-safety: an instance is immutable; each {@link #encode} call uses its own work files.
 */
public final class CacheEncoder {
  /** Rows per batch. */
  static final int BATCH = 8192;

  /** Progress of an encoding. */
  @FunctionalInterface
  public interface Listener {
    /** The rows up to {@code rows} have been evaluated (called with 0 when the run starts). */
    void onRows(long rows);

    /** Reports nothing. */
    Listener NONE = rows -> {};
  }

  /**
   * What an encoding produced.
   *
   * @param header the new cache's header (count = the server's distinct items)
   * @param rows rows read
   * @param invalidRowsSkipped rows skipped because their identifier failed the profile
   * @param duplicates rows whose identifier repeated an earlier one (kept once)
   * @param fileBytes the cache file's size
   * @param elapsed wall time
   */
  public record Result(
      CacheHeader header, long rows, long invalidRowsSkipped, long duplicates, long fileBytes, Duration elapsed) {}

  private final Oprf oprf;
  private final Executor executor;
  private final int parallelism;
  private final Path workDir;
  private final Listener listener;
  private final SecureRandom random;

  /**
   * @param executor runs the evaluations; never the common pool
   * @param parallelism chunks per batch are {@code 4 · parallelism} (usually the executor's threads)
   * @param workDir where the run's partition files go (an existing directory)
   */
  public CacheEncoder(Executor executor, int parallelism, Path workDir) {
    this(Oprf.RISTRETTO255_SHA512, executor, parallelism, workDir, Listener.NONE, new SecureRandom());
  }

  private CacheEncoder(
      Oprf oprf, Executor executor, int parallelism, Path workDir, Listener listener, SecureRandom random) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.oprf = Objects.requireNonNull(oprf);
    this.executor = Objects.requireNonNull(executor);
    this.parallelism = parallelism;
    this.workDir = Objects.requireNonNull(workDir);
    this.listener = Objects.requireNonNull(listener);
    this.random = Objects.requireNonNull(random);
  }

  /** The same encoder reporting progress to {@code listener}. */
  public CacheEncoder withListener(Listener l) {
    return new CacheEncoder(oprf, executor, parallelism, workDir, l, random);
  }

  /**
   * Encodes the set read from {@code source} under {@code key} into a new cache (version 0, a
   * fresh lineage) at {@code out}.
   *
   * @throws InputException {@code INVALID_IDENTIFIER} naming the first invalid row (under {@link
   *     InvalidIdPolicy#FAIL}), {@code INVALID_INPUT} if a row has the wrong number of key values
   *     or the set exceeds the capacity; nothing is written then
   * @throws IOException if the work directory or the target cannot be written
   */
  public Result encode(OprfKey key, CacheSpec spec, IdentifierSource source, Path out)
      throws InputException, IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(spec, "spec");
    long start = System.nanoTime();
    Files.createDirectories(workDir);
    Path dir = Files.createTempDirectory(workDir, "oprf-encode-");
    Path tmp = out.resolveSibling(out.getFileName() + ".partial");
    try (PartitionSpill spill = new PartitionSpill(dir, 8)) {
      long rows = 0;
      long invalid = 0;
      CompletableFuture<long[]> pending = null;
      int pendingCount = 0;
      long pendingRows = 0;
      listener.onRows(0);
      while (true) {
        byte[][] items = new byte[BATCH][];
        int n = 0;
        List<String> row;
        while (n < BATCH && (row = source.next()) != null) {
          rows++;
          if (row.size() != spec.keyColumns()) {
            throw new InputException(
                InputException.Kind.INVALID_INPUT,
                rows,
                "row has " + row.size() + " key values, expected " + spec.keyColumns());
          }
          byte[] item = Items.encode(row, spec.profile());
          if (item == null) {
            if (spec.invalidIds() == InvalidIdPolicy.FAIL) {
              throw new InputException(
                  InputException.Kind.INVALID_IDENTIFIER,
                  rows,
                  "identifier is not a valid " + spec.profile().displayName() + " value");
            }
            invalid++;
            continue;
          }
          if (item.length > Oprf.MAX_INPUT_LENGTH) {
            throw new InputException(
                InputException.Kind.INVALID_IDENTIFIER, rows, "identifier is longer than 65535 bytes");
          }
          items[n++] = item;
        }
        if (pending != null) {
          spill.add(join(pending), pendingCount);
          listener.onRows(pendingRows);
        }
        if (n == 0) {
          break;
        }
        pending = evaluate(key, items, n);
        pendingCount = n;
        pendingRows = rows;
      }
      listener.onRows(rows);
      spill.seal();
      CacheLayout layout =
          spec.capacityLog2() > 0 ? CacheLayout.forCapacityLog2(spec.capacityLog2()) : CacheLayout.forItems(spill.count());
      byte[] lineage = new byte[CacheHeader.LINEAGE_LENGTH];
      random.nextBytes(lineage);
      Instant now = Instant.now();
      CacheHeader provisional =
          new CacheHeader(
              oprf.suite(), spec.profile(), spec.keyColumns(), layout, spec.serverName(), key.keyId(),
              Bytes.wrap(lineage), 0, 0, now);
      CacheHeader header;
      long duplicates;
      try (CacheWriter writer = new CacheWriter(tmp, provisional)) {
        for (int p = 0; p < spill.partitions(); p++) {
          long[] pairs = spill.read(p);
          int m = pairs.length / 2;
          PairSort.sort(pairs, m);
          for (int i = 0; i < m; i++) {
            int bucket = layout.bucketOf(pairs[2 * i]);
            long remainder = layout.remainderOf(pairs[2 * i], pairs[2 * i + 1]);
            if (writer.count() == layout.capacity() && !writer.isRepeat(bucket, remainder)) {
              throw new InputException(
                  InputException.Kind.INVALID_INPUT,
                  -1,
                  "the set has more than " + layout.capacity() + " distinct items, the cache's capacity");
            }
            writer.add(bucket, remainder);
          }
        }
        duplicates = writer.duplicates();
        header = provisional.withVersion(0, writer.count(), now);
        writer.finish(header);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Result(
          header, rows, invalid, duplicates, Files.size(out), Duration.ofNanos(System.nanoTime() - start));
    } finally {
      Files.deleteIfExists(tmp);
      deleteTree(dir);
    }
  }

  /**
   * The truncation pairs (first 128 bits of each output) of {@code n} items, evaluated in chunks
   * on the executor.
   */
  CompletableFuture<long[]> evaluate(OprfKey key, byte[][] items, int n) {
    long[] pairs = new long[2 * n];
    return Parallel.forChunks(
            n,
            parallelism,
            executor,
            (s, c) -> {
              for (int i = s; i < s + c; i++) {
                Parallel.pairOf(oprf.evaluate(key, items[i]).toByteArray(), pairs, i);
              }
            })
        .thenApply(v -> pairs);
  }

  static long[] join(CompletableFuture<long[]> f) throws InputException {
    try {
      return Parallel.join(f);
    } catch (ProtocolAbortException e) {
      throw new IllegalStateException("a local evaluation cannot fail as a protocol", e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
