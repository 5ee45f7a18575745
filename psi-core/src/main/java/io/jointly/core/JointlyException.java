package io.jointly.core;

/**
 * The one checked base of every failure a Jointly protocol run can end with.
 *
 * <p>Three kinds, so that callers (and the CLI's exit codes) can tell them apart:
 *
 * <ul>
 *   <li>{@link ProtocolAbortException}: the peer sent something invalid or incompatible (wrong
 *       size, count, round, encoding, handshake parameters), or a privacy guardrail refused to run;
 *   <li>{@link ChannelException}: the message channel failed (I/O, time-out, peer gone, closed);
 *   <li>{@link InputException}: this party's own input is unusable (an invalid identifier,
 *       duplicates under the {@code reject} policy).
 * </ul>
 *
 * <p>Messages never contain customer identifiers, feature values, keys or masks: they name rows,
 * rounds, sizes and parameters only.
 */
public abstract sealed class JointlyException extends Exception
    permits ProtocolAbortException, ChannelException, InputException {

  protected JointlyException(String message) {
    super(message);
  }

  protected JointlyException(String message, Throwable cause) {
    super(message, cause);
  }
}
