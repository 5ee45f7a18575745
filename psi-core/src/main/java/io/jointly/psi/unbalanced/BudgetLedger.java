package io.jointly.psi.unbalanced;

import io.jointly.core.InputException;
import io.jointly.psi.unbalanced.internal.CacheFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The server's count of OPRF evaluations per client, purpose and day (UTC), enforcing {@link
 * QueryBudgets}: a charge that would take a client over its daily limit is refused whole and
 * charges nothing.
 *
 * <h2>Surviving a restart</h2>
 *
 * With a file, the ledger persists <em>reservations</em>: before it grants evaluations beyond what
 * is already reserved on disk, it reserves a block (a 64th of the daily limit, at least the charge)
 * and writes the file (to a temporary file, forced to disk, then renamed over the old one). So:
 *
 * <ul>
 *   <li>what was granted is always on disk before the server evaluates: a crash never gives a
 *       client more than its limit;
 *   <li>after a crash, the unused rest of the last block counts as spent (at most a 64th of the
 *       daily limit per client and purpose): conservative, never generous;
 *   <li>a clean {@link #close()} writes the exact counts;
 *   <li>the file is written about 64 times per client and purpose per day, not once per query.
 * </ul>
 *
 * The file is a short text file (day, then one line per client and purpose with its reserved count,
 * then a SHA-256 line over the rest). A file that does not parse, or whose digest differs, refuses
 * to open ({@code MALFORMED_FILE}) rather than starting everyone at zero. Counts of an earlier day
 * are dropped at the first charge of a new day. An exclusive lock on {@code FILE.lock} keeps two
 * server processes from sharing (and so doubling) one ledger.
 *
 * <p>Thread-safe: every operation holds the ledger's lock (a file write, when a block runs out,
 * holds it for one fsync).
 */
public final class BudgetLedger implements AutoCloseable {
  private static final String HEADER = "jointly-oprf-budget v1";

  /** Whether a charge was granted, and the client's standing afterwards. */
  public enum Outcome {
    /** Granted and counted. */
    GRANTED,
    /** Refused: it would exceed the daily limit; nothing counted. */
    EXHAUSTED,
    /** Refused: the purpose is not served to this client. */
    NOT_SERVED
  }

  /**
   * The result of a charge.
   *
   * @param outcome granted or why not
   * @param used evaluations counted today for this client and purpose (after the charge)
   * @param limit the daily limit (0 if not served)
   * @param resetsAt when the day's counts start again (next midnight UTC)
   */
  public record Charge(Outcome outcome, long used, long limit, Instant resetsAt) {
    public boolean granted() {
      return outcome == Outcome.GRANTED;
    }
  }

  private record Key(String client, Purpose purpose) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = client.compareTo(o.client);
      return c != 0 ? c : purpose.name().compareTo(o.purpose.name());
    }
  }

  private static final class Counter {
    long used;
    long reserved;
  }

  private final Path file; // null: in memory only
  private final QueryBudgets budgets;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Key, Counter> counters = new TreeMap<>();
  private LocalDate day;
  private boolean closed;

  private BudgetLedger(Path file, QueryBudgets budgets, Clock clock, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.budgets = Objects.requireNonNull(budgets);
    this.clock = Objects.requireNonNull(clock);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.day = today();
  }

  /** A ledger that forgets everything when the process ends (tests, one-shot runs). */
  public static BudgetLedger inMemory(QueryBudgets budgets, Clock clock) {
    return new BudgetLedger(null, budgets, clock, null, null);
  }

  /**
   * The ledger persisted in {@code file} (created if missing), locked for this process.
   *
   * @throws InputException {@code MALFORMED_FILE} if the file is damaged
   * @throws IOException if it cannot be read or is locked by another process
   */
  public static BudgetLedger open(Path file, QueryBudgets budgets, Clock clock) throws InputException, IOException {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IOException(file + " is in use by another server process");
    }
    BudgetLedger ledger = new BudgetLedger(file, budgets, clock, ch, l);
    try {
      if (Files.exists(file)) {
        ledger.load();
      }
      return ledger;
    } catch (InputException | IOException | RuntimeException e) {
      ledger.releaseLock();
      throw e;
    }
  }

  /**
   * Charges {@code count} evaluations to {@code client} for {@code purpose}, all or nothing.
   *
   * @throws IOException if the reservation cannot be written (nothing is granted then)
   */
  public synchronized Charge charge(String client, Purpose purpose, long count) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    if (closed) {
      throw new IllegalStateException("the ledger is closed");
    }
    rollDay();
    OptionalLong limit = budgets.dailyLimit(client, purpose);
    Instant resets = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Key key = new Key(client, purpose);
    Counter c = counters.get(key);
    long used = c == null ? 0 : c.used;
    if (limit.isEmpty()) {
      return new Charge(Outcome.NOT_SERVED, used, 0, resets);
    }
    long max = limit.getAsLong();
    if (count > max - used) {
      return new Charge(Outcome.EXHAUSTED, used, max, resets);
    }
    if (c == null) {
      c = new Counter();
      counters.put(key, c);
    }
    if (file != null && c.used + count > c.reserved) {
      long block = Math.max(1, max / 64);
      long previous = c.reserved;
      c.reserved = Math.min(max, Math.max(c.used + count, c.used + block));
      try {
        write(false);
      } catch (IOException e) {
        c.reserved = previous;
        throw e;
      }
    }
    c.used += count;
    return new Charge(Outcome.GRANTED, c.used, max, resets);
  }

  /** Evaluations counted today for a client and purpose. */
  public synchronized long used(String client, Purpose purpose) {
    rollDay();
    Counter c = counters.get(new Key(client, purpose));
    return c == null ? 0 : c.used;
  }

  /** The budgets this ledger enforces. */
  public QueryBudgets budgets() {
    return budgets;
  }

  /** Writes the exact counts and releases the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (file != null) {
        write(true);
      }
    } finally {
      releaseLock();
    }
  }

  private void releaseLock() throws IOException {
    if (lock != null) {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private void rollDay() {
    LocalDate now = today();
    if (!now.equals(day)) {
      day = now;
      counters.clear();
    }
  }

  private void write(boolean exact) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n').append("day ").append(day).append('\n');
    for (Map.Entry<Key, Counter> e : counters.entrySet()) {
      long n = exact ? e.getValue().used : e.getValue().reserved;
      text.append(e.getKey().client()).append(' ').append(e.getKey().purpose().name()).append(' ').append(n).append('\n');
    }
    String body = text.toString();
    String all = body + "sha256 " + digest(body) + "\n";
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(all.getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path parent = file.toAbsolutePath().getParent();
    try (FileChannel d = FileChannel.open(parent, StandardOpenOption.READ)) {
      d.force(true); // the rename itself
    } catch (IOException e) {
      // not every platform can force a directory; the data file itself is forced above
    }
  }

  private void load() throws InputException, IOException {
    String all = Files.readString(file, StandardCharsets.US_ASCII);
    int sha = all.lastIndexOf("sha256 ");
    if (!all.startsWith(HEADER + "\n") || sha < 0 || !all.endsWith("\n")) {
      throw CacheFiles.malformed(file, "is not a budget ledger");
    }
    String body = all.substring(0, sha);
    if (!all.substring(sha + 7, all.length() - 1).equals(digest(body))) {
      throw CacheFiles.malformed(file, "fails its integrity check");
    }
    String[] lines = body.split("\n");
    if (lines.length < 2 || !lines[1].startsWith("day ")) {
      throw CacheFiles.malformed(file, "names no day");
    }
    LocalDate fileDay;
    try {
      fileDay = LocalDate.parse(lines[1].substring(4));
    } catch (java.time.format.DateTimeParseException e) {
      throw CacheFiles.malformed(file, "names an invalid day");
    }
    for (int i = 2; i < lines.length; i++) {
      String[] f = lines[i].split(" ");
      try {
        if (f.length != 3 || !CacheHeader.isPartyName(f[0])) {
          throw new IllegalArgumentException();
        }
        Counter c = new Counter();
        c.used = c.reserved = Long.parseLong(f[2]);
        if (c.used < 0) {
          throw new IllegalArgumentException();
        }
        counters.put(new Key(f[0], Purpose.of(f[1])), c);
      } catch (IllegalArgumentException e) {
        throw CacheFiles.malformed(file, "has a malformed line " + (i + 1));
      }
    }
    if (!fileDay.equals(day)) {
      counters.clear(); // another day: counts start again
    }
  }

  private static String digest(String body) {
    return HexFormat.of().formatHex(CacheFiles.sha256().digest(body.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public String toString() {
    return "BudgetLedger[" + (file == null ? "in memory" : file.toString()) + ", day " + day + "]";
  }
}
