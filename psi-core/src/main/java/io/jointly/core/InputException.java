package io.jointly.core;

import java.util.Objects;

/**
 * This party's own input cannot be used: an identifier that fails its normalisation profile, or
 * duplicates under the {@code reject} policy. The message names the row (1-based) and the rule,
 * never the value.
 */
public final class InputException extends JointlyException {

  /** The kinds of input problem. */
  public enum Kind {
    /** An identifier does not satisfy its normalisation profile. */
    INVALID_IDENTIFIER,
    /** The same (normalised) identifier occurs more than once and duplicates are rejected. */
    DUPLICATE_IDENTIFIER,
    /** The input as a whole is unusable (for example too large for the protocol). */
    INVALID_INPUT
  }

  private final Kind kind;
  private final long row;

  public InputException(Kind kind, long row, String message) {
    super(kind + (row >= 0 ? " at row " + row : "") + ": " + message);
    this.kind = Objects.requireNonNull(kind);
    this.row = row;
  }

  public Kind kind() {
    return kind;
  }

  /** The 1-based row number the problem was found at, or -1 if it concerns no single row. */
  public long row() {
    return row;
  }
}
