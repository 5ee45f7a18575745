package io.jointly.core;

import java.util.Objects;

/**
 * This party's own input or local run state cannot be used: an identifier that fails its
 * normalisation profile, duplicates under the {@code reject} policy, a source that cannot be read,
 * a work directory that cannot be written, or a checkpoint that does not belong to this run. The
 * message names the row (1-based), the file or the rule, never a value.
 */
public final class InputException extends JointlyException {

  /** The kinds of input problem. */
  public enum Kind {
    /** An identifier does not satisfy its normalisation profile. */
    INVALID_IDENTIFIER,
    /** The same (normalised) identifier occurs more than once and duplicates are rejected. */
    DUPLICATE_IDENTIFIER,
    /** The input as a whole is unusable (for example too large for the protocol). */
    INVALID_INPUT,
    /**
     * The source of rows could not be read (a malformed file, a line that is not UTF-8, a missing
     * column); the {@linkplain #detail() detail} is the source's own message (file, line, column).
     */
    MALFORMED_INPUT,
    /** The work directory cannot be used: not writable, full, or a work file was damaged. */
    WORK_DIR,
    /**
     * A checkpoint cannot be used: there is none to resume, it belongs to another session, input or
     * parameters, it was altered, or the key it was sealed with is not the one given.
     */
    CHECKPOINT,
    /**
     * A file this party keeps (a cache, a delta, a sealed key, a ledger) is malformed, truncated or
     * altered: the message names the file and what is wrong with it.
     */
    MALFORMED_FILE,
    /**
     * A file is well formed but does not fit: a cache or delta of another server, key or encoding,
     * a delta that does not follow the cache's version, a cache older than the server's set.
     */
    CACHE_MISMATCH
  }

  private final Kind kind;
  private final long row;
  private final String detail;

  public InputException(Kind kind, long row, String message) {
    super(kind + (row >= 0 ? " at row " + row : "") + ": " + message);
    this.kind = Objects.requireNonNull(kind);
    this.row = row;
    this.detail = message;
  }

  public InputException(Kind kind, long row, String message, Throwable cause) {
    super(kind + (row >= 0 ? " at row " + row : "") + ": " + message, cause);
    this.kind = Objects.requireNonNull(kind);
    this.row = row;
    this.detail = message;
  }

  /** The message as given, without the kind and row prefix of {@link #getMessage()}. */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }

  /** The 1-based row number the problem was found at, or -1 if it concerns no single row. */
  public long row() {
    return row;
  }
}
