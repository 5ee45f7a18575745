package io.jointly.channel;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;

/**
 * A reliable, ordered, authenticated point-to-point message channel between two parties of one
 * session, with messages addressed by {@link RoundKey}. Every Jointly protocol runs over this
 * interface; the in-memory pair ({@link InMemoryChannel}) and the gRPC transport implement it.
 *
 * <h2>Contract (every implementation passes the channel contract test)</h2>
 *
 * <ul>
 *   <li>{@link #send} delivers the payload to the peer under the key, or throws. It may block for
 *       flow control (bounded in-flight messages) up to the channel's own send time-out.
 *   <li>{@link #receive} waits for the message with exactly that key, up to the time-out. Messages
 *       with other keys that arrive meanwhile are kept for a later {@code receive}, up to the
 *       channel's bounded capacity.
 *   <li>A key that arrives a second time (duplicate or replay, including after it was received)
 *       poisons the channel: that and every later {@code receive} throws {@link
 *       ProtocolAbortException} with reason {@code REPLAYED_MESSAGE}.
 *   <li>Payloads larger than the channel's maximum message size are refused by the receiver with
 *       {@code MALFORMED_MESSAGE}.
 *   <li>{@link #close} is idempotent and never throws. After it, {@code send} throws {@link
 *       ChannelException} ({@code CLOSED}) and {@code receive} returns messages that had already
 *       arrived and otherwise throws {@code CLOSED}; the peer sees the same once it has consumed
 *       what was sent before the close.
 * </ul>
 *
 * <p>Thread-safety: {@code send} and {@code receive} may be called from different threads; one
 * thread may send while another receives. Protocols use one receiving thread per channel.
 */
public interface MessageChannel extends AutoCloseable {

  /** The session this channel belongs to (both ends agree on it). */
  String sessionId();

  /** This party's name. */
  String self();

  /** The peer's name. */
  String peer();

  /** Sends {@code payload} to the peer under {@code key}. */
  void send(RoundKey key, Bytes payload) throws ChannelException;

  /** Receives the payload sent by the peer under {@code key}, waiting at most {@code timeout}. */
  Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException;

  /** Closes the channel (both directions). Idempotent; never throws. */
  @Override
  void close();
}
