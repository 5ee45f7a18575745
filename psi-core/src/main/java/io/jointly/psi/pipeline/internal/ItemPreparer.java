package io.jointly.psi.pipeline.internal;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.ItemEncoder;
import io.jointly.psi.pipeline.IdentifierSettings;
import io.jointly.psi.pipeline.RowReader;
import io.jointly.psi.pipeline.RowSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a party's rows into its {@link PreparedSet}, in one pass over the source and bounded
 * memory:
 *
 * <ol>
 *   <li>read rows in chunks; on the executor, normalise each row's key columns by the profile,
 *       encode them ({@link ItemEncoder}) and tag the item with {@code HMAC-SHA256(r, item)}
 *       truncated to 16 bytes, {@code r} a key fresh per run and never stored;
 *   <li>sort the records {@code (tag, row, item)} externally by tag and row;
 *   <li>walk the sorted records: equal tags are the same item (a different item with the same
 *       128-bit tag has probability below 2^-60 even for 10^9 items), so duplicates sit side by side
 *       and are merged or rejected without a set in memory; each distinct item gets the next
 *       position.
 * </ol>
 *
 * Positions therefore follow the tags: a uniformly random-looking order that depends on neither
 * the rows' order nor anything the peer knows, which is what lets a protocol send items in
 * position order (the "fresh random key" order). Invalid identifiers are reported at their first
 * row in file order; under the {@code reject} policy, the duplicate reported is the first repeated
 * row in file order and the row it repeats, as before this pipeline.
 */
public final class ItemPreparer {
  /** File names of the prepared set in the work directory. */
  public static final String ITEMS = "items";

  public static final String ROWS = "rows";

  static final int TAG = 16;
  static final int KEY = TAG + 8;
  static final int CHUNK_ROWS = 4096;

  /** Longest encoded item. */
  public static final int MAX_ITEM_BYTES = ExternalSorter.MAX_RECORD - KEY;

  private ItemPreparer() {}

  /** Progress of the read pass. */
  public interface Progress {
    void rows(long rows, long bytesRead, long bytesTotal);
  }

  /** The prepared set and the digest of the input it came from. */
  public record Result(PreparedSet set, Bytes inputDigest) {}

  /** One chunk of rows, and what the workers made of it. */
  private static final class Chunk {
    final long firstRow;
    final String[][] keys;
    int count;
    byte[] records; // [u16 len][tag16 row8 item]...
    int recordBytes;
    long invalid;
    long firstInvalidRow = -1;
    long tooLongRow = -1;

    Chunk(long firstRow, int columns) {
      this.firstRow = firstRow;
      this.keys = new String[CHUNK_ROWS][columns];
    }
  }

  /**
   * Prepares the rows of {@code source}.
   *
   * @param memoryFirst keep the prepared set in memory while the budget allows (false: on disk,
   *     for a checkpointing run)
   * @throws InputException naming the first bad row (never its value), or a malformed source
   */
  public static Result prepare(
      RowSource source,
      IdentifierSettings settings,
      WorkDir dir,
      MemoryBudget budget,
      boolean memoryFirst,
      Executor executor,
      int parallelism,
      SecureRandom random,
      Progress progress)
      throws InputException, IOException {
    byte[] hmacKey = new byte[32];
    random.nextBytes(hmacKey);
    int columns = settings.keyColumns();
    MessageDigest digest = sha256();
    long rows = 0;
    long invalid = 0;
    Optional<Bytes> readerDigest;
    try (ExternalSorter sorter =
            new ExternalSorter("prepare", dir, budget, 0, KEY, budget.workArea(), executor, parallelism);
        RowReader reader = source.open()) {
      ArrayDeque<CompletableFuture<Chunk>> inFlight = new ArrayDeque<>();
      int window = Math.max(2, parallelism + 1);
      boolean more = true;
      long lastProgress = 0;
      while (more || !inFlight.isEmpty()) {
        while (more && inFlight.size() < window) {
          Chunk c = new Chunk(rows, columns);
          while (c.count < CHUNK_ROWS) {
            String[] k = c.keys[c.count];
            Arrays.fill(k, null);
            if (!reader.next(k)) {
              more = false;
              break;
            }
            absorb(digest, k);
            c.count++;
          }
          rows += c.count;
          if (c.count > 0) {
            inFlight.add(CompletableFuture.supplyAsync(() -> work(c, settings, hmacKey), executor));
          }
          if (rows - lastProgress >= 65536 || !more) {
            progress.rows(rows, reader.bytesRead(), source.sizeBytes());
            lastProgress = rows;
          }
        }
        if (inFlight.isEmpty()) {
          break;
        }
        Chunk done = Futures.join(inFlight.poll());
        if (done.firstInvalidRow >= 0 && settings.invalidIds() == InvalidIdPolicy.FAIL) {
          for (CompletableFuture<Chunk> f : inFlight) {
            f.cancel(false);
          }
          throw new InputException(
              InputException.Kind.INVALID_IDENTIFIER,
              done.firstInvalidRow + 1,
              "identifier is not a valid " + settings.profile().displayName() + " value");
        }
        if (done.tooLongRow >= 0) {
          throw new InputException(
              InputException.Kind.INVALID_INPUT,
              done.tooLongRow + 1,
              "identifier is longer than " + MAX_ITEM_BYTES + " bytes once encoded");
        }
        invalid += done.invalid;
        byte[] r = done.records;
        int at = 0;
        while (at < done.recordBytes) {
          int len = ((r[at] & 0xFF) << 8) | (r[at + 1] & 0xFF);
          sorter.add(r, at + 2, len);
          at += 2 + len;
        }
      }
      readerDigest = reader.contentDigest();
      Arrays.fill(hmacKey, (byte) 0);
      Bytes inputDigest = readerDigest.orElseGet(() -> Bytes.wrap(digest.digest()));
      PreparedSet set = dedup(sorter, settings, dir, budget, memoryFirst, rows, invalid);
      return new Result(set, inputDigest);
    } finally {
      Arrays.fill(hmacKey, (byte) 0);
    }
  }

  /**
   * Reads {@code source} again and digests its key values as {@link #prepare} does; for a resumed
   * run whose source has no {@linkplain RowSource#contentDigest() content digest}.
   */
  public static Bytes digest(RowSource source, int columns) throws InputException {
    MessageDigest digest = sha256();
    try (RowReader reader = source.open()) {
      String[] k = new String[columns];
      while (true) {
        Arrays.fill(k, null);
        if (!reader.next(k)) {
          break;
        }
        absorb(digest, k);
      }
      Optional<Bytes> d = reader.contentDigest();
      return d.orElseGet(() -> Bytes.wrap(digest.digest()));
    }
  }

  private static void absorb(MessageDigest d, String[] keys) {
    for (String k : keys) {
      if (k == null) {
        d.update(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        continue;
      }
      byte[] b = k.getBytes(StandardCharsets.UTF_8);
      d.update((byte) (b.length >>> 24));
      d.update((byte) (b.length >>> 16));
      d.update((byte) (b.length >>> 8));
      d.update((byte) b.length);
      d.update(b);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Normalises, encodes and tags one chunk (on the executor). */
  private static Chunk work(Chunk c, IdentifierSettings settings, byte[] hmacKey) {
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is required of every Java platform", e);
    }
    IdentifierProfile profile = settings.profile();
    int columns = settings.keyColumns();
    byte[] out = new byte[c.count * 64];
    int fill = 0;
    String[] parts = new String[columns];
    for (int i = 0; i < c.count; i++) {
      long row = c.firstRow + i;
      byte[] item = encode(c.keys[i], profile, parts);
      c.keys[i] = null;
      if (item == null) {
        c.invalid++;
        if (c.firstInvalidRow < 0) {
          c.firstInvalidRow = row;
        }
        continue;
      }
      if (item.length > MAX_ITEM_BYTES) {
        if (c.tooLongRow < 0) {
          c.tooLongRow = row;
        }
        continue;
      }
      int len = KEY + item.length;
      if (fill + 2 + len > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, fill + 2 + len));
      }
      out[fill] = (byte) (len >>> 8);
      out[fill + 1] = (byte) len;
      byte[] tag = mac.doFinal(item);
      System.arraycopy(tag, 0, out, fill + 2, TAG);
      for (int b = 0; b < 8; b++) {
        out[fill + 2 + TAG + b] = (byte) (row >>> (56 - 8 * b));
      }
      System.arraycopy(item, 0, out, fill + 2 + KEY, item.length);
      fill += 2 + len;
    }
    c.records = out;
    c.recordBytes = fill;
    return c;
  }

  private static byte[] encode(String[] keys, IdentifierProfile profile, String[] parts) {
    if (keys.length == 1) {
      return profile.normalize(keys[0]).map(ItemEncoder::encode).orElse(null);
    }
    for (int i = 0; i < keys.length; i++) {
      Optional<String> v = profile.normalize(keys[i]);
      if (v.isEmpty()) {
        return null;
      }
      parts[i] = v.get();
    }
    return ItemEncoder.encode(List.of(parts));
  }

  /** Walks the sorted records, merging or rejecting duplicates, and writes the prepared set. */
  private static PreparedSet dedup(
      ExternalSorter sorter,
      IdentifierSettings settings,
      WorkDir dir,
      MemoryBudget budget,
      boolean memoryFirst,
      long rows,
      long invalid)
      throws IOException, InputException {
    Spill items = Spill.create(dir, ITEMS, budget, memoryFirst);
    Spill rowSpill = Spill.create(dir, ROWS, budget, memoryFirst);
    boolean ok = false;
    try {
      byte[] previous = new byte[TAG];
      boolean any = false;
      long distinct = 0;
      long duplicates = 0;
      long groupFirst = -1;
      int groupSize = 0;
      long firstRepeat = Long.MAX_VALUE; // the earliest second row of any repeated item
      long firstRepeatOf = -1;
      byte[] row8 = new byte[8];
      byte[] len2 = new byte[2];
      try (RecordCursor c = sorter.sorted()) {
        while (c.next()) {
          byte[] b = c.buffer();
          int o = c.offset();
          long row = HashJoin.getLong(b, o + TAG);
          boolean same = any && Arrays.equals(previous, 0, TAG, b, o, o + TAG);
          if (same) {
            duplicates++;
            groupSize++;
            if (groupSize == 2 && row < firstRepeat) {
              firstRepeat = row;
              firstRepeatOf = groupFirst;
            }
            putLong(row8, row | PreparedSet.SAME_ITEM);
            rowSpill.write(row8, 0, 8);
            continue;
          }
          any = true;
          System.arraycopy(b, o, previous, 0, TAG);
          groupFirst = row;
          groupSize = 1;
          distinct++;
          int itemLen = c.length() - KEY;
          len2[0] = (byte) (itemLen >>> 8);
          len2[1] = (byte) itemLen;
          items.write(len2, 0, 2);
          items.write(b, o + KEY, itemLen);
          putLong(row8, row);
          rowSpill.write(row8, 0, 8);
        }
      }
      if (settings.duplicates() == DuplicatePolicy.REJECT && duplicates > 0) {
        throw new InputException(
            InputException.Kind.DUPLICATE_IDENTIFIER, firstRepeat + 1, "identifier repeats row " + (firstRepeatOf + 1));
      }
      items.finish();
      rowSpill.finish();
      ok = true;
      return new PreparedSet(items, rowSpill, rows, distinct, invalid, duplicates);
    } finally {
      if (!ok) {
        items.delete();
        rowSpill.delete();
      }
    }
  }

  static void putLong(byte[] b, long v) {
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
  }
}
