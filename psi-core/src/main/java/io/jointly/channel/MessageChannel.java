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
 * <h2>Liveness: a time-out bounds a peer's silence, not its work</h2>
 *
 * A party that computes for an hour between two messages is alive; one whose process died, whose
 * host vanished or that waits for this party while this party waits for it is not going to send
 * anything. Each channel therefore tracks <em>signs of work</em> from its peer:
 *
 * <ul>
 *   <li>every message that arrives;
 *   <li>while no message arrives, the channel's own evidence that the peer is alive and not merely
 *       waiting for this party: the gRPC transport sends heartbeat frames from a timer whenever
 *       its outbound direction has been idle (independently of the protocol thread, which may be
 *       busy computing), each saying whether the sender is itself waiting; the in-memory pair
 *       looks at the peer's end directly (see {@link InMemoryChannel}).
 * </ul>
 *
 * A peer is <em>waiting for this party</em> while a {@code receive} is blocked on its end, no
 * {@code send} is in progress there, and every message this party sent has reached it. Such a
 * peer shows life but no work: two parties that wait for each other (a message lost to a fault, a
 * protocol error) will never make progress, so they count as silent. Protocols send and receive a
 * channel's messages on one thread (the house style's one blocking thread per party), so a party
 * blocked in {@code receive} has no other work pending for that peer.
 *
 * <h2>Contract (every implementation passes the channel contract test)</h2>
 *
 * <ul>
 *   <li>{@link #send} delivers the payload to the peer under the key, or throws. It may block for
 *       flow control (bounded in-flight messages) while the peer does not take messages; a peer
 *       that is alive but busy and not reading keeps it waiting. It fails with {@link
 *       ChannelException} {@code TIMEOUT} only when the peer has given no sign of life for the
 *       channel's own send time-out, and at once when the connection is lost or closed.
 *   <li>{@link #receive} waits for the message with exactly that key. It throws {@link
 *       ChannelException} {@code TIMEOUT} when the peer has given no sign of work for {@code
 *       timeout}, measured from the later of the call and the last sign (so a dead, frozen or
 *       unreachable peer is noticed within about {@code timeout} whatever it was doing, while a
 *       busy one is waited for); {@code IO} or {@code CLOSED} at once when the connection is lost
 *       or the peer closed. Messages with other keys that arrive meanwhile are kept for a later
 *       {@code receive}, up to the channel's bounded capacity; if that capacity is full of other
 *       keys, nothing more can arrive and the wait ends at once with {@link ProtocolAbortException}
 *       {@code UNEXPECTED_MESSAGE}.
 *   <li>A key that arrives a second time (duplicate or replay, including after it was received)
 *       poisons the channel: that and every later {@code receive} throws {@link
 *       ProtocolAbortException} with reason {@code REPLAYED_MESSAGE}.
 *   <li>Payloads larger than the channel's maximum message size are refused by the receiver with
 *       {@code MALFORMED_MESSAGE}.
 *   <li>{@link #close} is idempotent and never throws. After it, {@code send} throws {@link
 *       ChannelException} ({@code CLOSED}) and {@code receive} returns messages that had already
 *       arrived and otherwise throws {@code CLOSED}; the peer sees the same once it has consumed
 *       what was sent before the close.
 *   <li>Signs of life (heartbeats) are not messages: they are never delivered, counted by {@link
 *       CountingChannel} or digested by {@link TranscriptChannel}.
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

  /**
   * Receives the payload sent by the peer under {@code key}, waiting as long as the peer gives
   * signs of work and at most {@code timeout} after the last one (see the class comment).
   */
  Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException;

  /** Closes the channel (both directions). Idempotent; never throws. */
  @Override
  void close();
}
