package io.jointly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.AuditTrail;
import io.jointly.compliance.PolicyReference;
import io.jointly.compliance.Receipt;
import io.jointly.compliance.SigningIdentity;
import io.jointly.compliance.Usage;
import io.jointly.compliance.UsageMeter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A party's audit log: a file of one JSON line per run ({@link ReceiptJson.AuditLine}), each an
 * {@link AuditRecord} that carries the digest of the one before and the keeper's seal. It is the
 * {@link AuditTrail} the run agreement records receipts in and the {@link UsageMeter} a policy's
 * limits count from, so limits hold across restarts.
 *
 * <p>Opening the log locks it for this process until {@link #close} (a second run that names the
 * same log fails at once: two runs checking limits at the same time could both pass them) and
 * checks the chain of what is there: a log whose chain is broken is not appended to. Each line is
 * written whole and forced to disk before the run's result is used.
 *
 * <p>Thread-safe: appends are serialised.
 */
final class AuditLog implements AuditTrail, UsageMeter, AutoCloseable {
  private final Path file;
  private final String owner;
  private final Optional<SigningIdentity> keeper;
  private final FileChannel channel;
  private final FileLock lock;
  private final List<AuditRecord> records;

  private AuditLog(
      Path file, String owner, Optional<SigningIdentity> keeper, FileChannel channel, FileLock lock, List<AuditRecord> records) {
    this.file = file;
    this.owner = owner;
    this.keeper = keeper;
    this.channel = channel;
    this.lock = lock;
    this.records = records;
  }

  /**
   * Opens (creating if needed) and locks the log of {@code owner}, who seals new entries with
   * {@code keeper} when it has a certificate.
   *
   * @throws CliException (input) if the log is in use, unreadable or its chain is broken
   */
  static AuditLog open(Path file, String owner, Optional<SigningIdentity> keeper) throws CliException {
    FileChannel ch = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw CliException.input("--audit-log " + file + " is in use by another jointly run; runs that share a log take turns");
      }
      List<AuditRecord> records = new ArrayList<>();
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        AuditRecord r = parse(lines.get(i), i + 1, file);
        long expected = records.size() + 1L;
        if (r.sequence() != expected
            || !r.previous().equals(records.isEmpty() ? AuditRecord.GENESIS : records.get(records.size() - 1).digest())) {
          throw CliException.input(
              "--audit-log " + file + ": line " + (i + 1) + ": does not follow the line before; the log was changed"
                  + " (jointly audit verify " + file + " --ca CA says more); nothing is appended to a broken log");
        }
        records.add(r);
      }
      AuditLog log = new AuditLog(file, owner, keeper, ch, lock, records);
      ch = null;
      return log;
    } catch (IOException e) {
      throw CliException.input("--audit-log " + file + ": " + e.getMessage());
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // already failing
        }
      }
    }
  }

  /**
   * The lines of a log, each decoded as strict UTF-8: a line that is not, or a last line without
   * its newline (a write cut short), is named by its number.
   *
   * @throws CliException (input) naming the file and the line
   */
  static List<String> lines(Path file) throws CliException {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.input(file + ": cannot read it (" + e.getMessage() + ")");
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(utf8(all, start, i, lines.size() + 1, file));
        start = i + 1;
      }
    }
    if (start < all.length) {
      throw CliException.input(file + ": line " + (lines.size() + 1) + ": no newline at its end (a write was cut short?)");
    }
    return lines;
  }

  private static String utf8(byte[] all, int from, int to, int number, Path file) throws CliException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(all, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw CliException.input(file + ": line " + number + ": not UTF-8 text");
    }
  }

  /**
   * One line as a record, checked to be in the one form this tool writes.
   *
   * @throws CliException (input) naming the line
   */
  static AuditRecord parse(String line, int number, Path file) throws CliException {
    try {
      ReceiptJson.AuditLine json = Json.LINE.readValue(line, ReceiptJson.AuditLine.class);
      AuditRecord record = json.toRecord();
      if (!format(record).equals(line)) {
        throw new IllegalArgumentException("the line is not in the form jointly writes (a byte was changed)");
      }
      return record;
    } catch (JsonProcessingException e) {
      throw CliException.input(file + ": line " + number + ": not an audit entry: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.input(file + ": line " + number + ": " + e.getMessage());
    }
  }

  /** The line of {@code record}. */
  static String format(AuditRecord record) {
    try {
      return Json.LINE.writeValueAsString(ReceiptJson.AuditLine.of(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit line cannot be written", e);
    }
  }

  /** The entries so far. */
  synchronized List<AuditRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public synchronized void record(Receipt receipt, Optional<PolicyReference> policy) {
    AuditRecord next =
        AuditRecord.next(
            records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1)), owner, policy, receipt, keeper);
    byte[] line = (format(next) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      channel.position(channel.size());
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
    }
    records.add(next);
  }

  @Override
  public synchronized Usage usage(String peer, Instant since) {
    return Usage.of(records.stream().map(AuditRecord::receipt).toList(), owner, peer, since);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
