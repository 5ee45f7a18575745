package io.jointly.channel;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.Objects;

/**
 * Decorator that injects one fault into the messages this party sends, for tests that drive a
 * protocol through a misbehaving network or peer. The fault hits the {@code n}-th message sent
 * (0-based) whose round key matches the filter. Every protocol must end with a typed exception on
 * both sides (or, for faults a reliable channel tolerates such as reordering, the correct result),
 * never a hang or a wrong answer.
 *
 * <p>Thread-safe for the protocols' use: one sending thread.
 */
public final class FaultInjectingChannel implements MessageChannel {

  /** The faults. */
  public enum Fault {
    /** The message is silently not sent. */
    DROP,
    /** The message is sent twice. */
    DUPLICATE,
    /** The message is held back and sent after the next one. */
    REORDER,
    /** The payload loses its last byte (or becomes empty). */
    TRUNCATE,
    /** One byte in the middle of the payload is flipped. */
    CORRUPT,
    /** The message is sent late, after {@link #delay}. */
    DELAY,
    /** The channel is closed instead of sending the message. */
    CLOSE,
    /** The message is sent again later, under the same key, after the next message. */
    REPLAY
  }

  private final MessageChannel inner;
  private final Fault fault;
  private final String protocol;
  private final int round;
  private final int index;
  private final Duration delay;
  private int matched;
  private RoundKey heldKey;
  private Bytes heldPayload;
  private boolean replayPending;

  /**
   * @param inner the channel to decorate
   * @param fault the fault to inject
   * @param round only messages of this round wire code count, or -1 for every message
   * @param index which matching message (0-based) gets the fault
   * @param delay the delay for {@link Fault#DELAY}
   */
  public FaultInjectingChannel(
      MessageChannel inner, Fault fault, int round, int index, Duration delay) {
    this(inner, fault, null, round, index, delay);
  }

  /**
   * As {@link #FaultInjectingChannel(MessageChannel, Fault, int, int, Duration)}, counting only
   * messages of {@code protocol} (for protocols that run another one first on the same channel).
   */
  public FaultInjectingChannel(
      MessageChannel inner, Fault fault, String protocol, int round, int index, Duration delay) {
    this.inner = Objects.requireNonNull(inner);
    this.fault = Objects.requireNonNull(fault);
    this.protocol = protocol;
    this.round = round;
    this.index = index;
    this.delay = delay;
  }

  /** A fault on the {@code index}-th message of any round, with a 2-second delay for DELAY. */
  public FaultInjectingChannel(MessageChannel inner, Fault fault, int index) {
    this(inner, fault, -1, index, Duration.ofSeconds(2));
  }

  @Override
  public String sessionId() {
    return inner.sessionId();
  }

  @Override
  public String self() {
    return inner.self();
  }

  @Override
  public String peer() {
    return inner.peer();
  }

  /** Whether the fault has been injected (a matching message was sent). */
  public synchronized boolean triggered() {
    return matched > index;
  }

  @Override
  public synchronized void send(RoundKey key, Bytes payload) throws ChannelException {
    boolean hit =
        (protocol == null || protocol.equals(key.protocol()))
            && (round < 0 || key.round() == round)
            && matched++ == index;
    if (!hit) {
      inner.send(key, payload);
      flushHeld();
      return;
    }
    switch (fault) {
      case DROP -> {}
      case DUPLICATE -> {
        inner.send(key, payload);
        inner.send(key, payload);
      }
      case REORDER -> {
        heldKey = key;
        heldPayload = payload;
      }
      case REPLAY -> {
        inner.send(key, payload);
        heldKey = key;
        heldPayload = payload;
        replayPending = true;
      }
      case TRUNCATE -> inner.send(key, payload.slice(0, Math.max(0, payload.length() - 1)));
      case CORRUPT -> {
        byte[] b = payload.toByteArray();
        if (b.length > 0) {
          b[b.length / 2] ^= 0x5A;
        }
        inner.send(key, Bytes.wrap(b));
      }
      case DELAY -> {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted");
        }
        inner.send(key, payload);
      }
      case CLOSE -> {
        inner.close();
        throw new ChannelException(ChannelException.Kind.CLOSED, "channel closed by fault");
      }
    }
  }

  private void flushHeld() throws ChannelException {
    if (heldKey != null && (replayPending || fault == Fault.REORDER)) {
      RoundKey k = heldKey;
      Bytes p = heldPayload;
      heldKey = null;
      heldPayload = null;
      replayPending = false;
      inner.send(k, p);
    }
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    synchronized (this) {
      // a held message must not wait forever if this party now only receives
      flushHeld();
    }
    return inner.receive(key, timeout);
  }

  @Override
  public void close() {
    inner.close();
  }
}
