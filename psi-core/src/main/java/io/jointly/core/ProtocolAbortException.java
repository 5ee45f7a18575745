package io.jointly.core;

import java.util.Objects;

/**
 * The peer sent something this party refuses: the protocol is aborted and no result is returned.
 *
 * <p>The {@link Reason} says what kind of violation it was; the message says where (round,
 * sizes), never what data the message carried.
 */
public final class ProtocolAbortException extends JointlyException {

  /** The kinds of protocol violation. */
  public enum Reason {
    /** The handshake parameters of the two parties disagree (version, suite, profile, mode...). */
    HANDSHAKE_MISMATCH,
    /** A privacy guardrail refused to run (for example a peer set below the configured minimum). */
    POLICY_REFUSED,
    /**
     * The peer refused to evaluate more: this party's query budget (per day and purpose) is spent.
     */
    BUDGET_EXHAUSTED,
    /** A message had the wrong length, count or layout. */
    MALFORMED_MESSAGE,
    /** A received group element was non-canonical, not on the curve, or the identity. */
    INVALID_ELEMENT,
    /** A message arrived for a round key that was already received, or twice. */
    REPLAYED_MESSAGE,
    /** A message arrived that the protocol did not expect at this point. */
    UNEXPECTED_MESSAGE,
    /** The transcripts the two parties saw differ: a message was altered in transit. */
    TRANSCRIPT_MISMATCH,
    /** The peer reported that it aborted. */
    PEER_ABORTED
  }

  private final Reason reason;

  public ProtocolAbortException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason);
  }

  public ProtocolAbortException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
