package io.jointly.core;

/**
 * Checks on received messages. Use these, never {@code assert}, to validate everything that comes
 * from a peer: assertions can be disabled, these cannot.
 */
public final class Abort {
  private Abort() {}

  /** Throws a {@link ProtocolAbortException} with the reason and message unless the condition holds. */
  public static void unless(boolean condition, ProtocolAbortException.Reason reason, String message)
      throws ProtocolAbortException {
    if (!condition) {
      throw new ProtocolAbortException(reason, message);
    }
  }

  /** {@link #unless} for a {@link ProtocolAbortException.Reason#MALFORMED_MESSAGE}. */
  public static void unlessWellFormed(boolean condition, String message)
      throws ProtocolAbortException {
    unless(condition, ProtocolAbortException.Reason.MALFORMED_MESSAGE, message);
  }
}
