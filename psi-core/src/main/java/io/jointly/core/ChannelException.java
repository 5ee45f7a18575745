package io.jointly.core;

import java.util.Objects;

/** The message channel failed: I/O error, time-out, the peer went away, or it was closed. */
public final class ChannelException extends JointlyException {

  /** The kinds of channel failure. */
  public enum Kind {
    /** No message arrived (or could be sent) within the time-out. */
    TIMEOUT,
    /** The channel was closed, by this party or by the peer. */
    CLOSED,
    /** An I/O or transport error. */
    IO,
    /** The thread was interrupted while waiting. */
    INTERRUPTED
  }

  private final Kind kind;

  public ChannelException(Kind kind, String message) {
    super(kind + ": " + message);
    this.kind = Objects.requireNonNull(kind);
  }

  public ChannelException(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = Objects.requireNonNull(kind);
  }

  public Kind kind() {
    return kind;
  }
}
