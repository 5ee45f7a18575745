package io.jointly.channel;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decorator that counts the bytes and messages passing through a channel. A message counts as its
 * payload plus a frame header: 4 bytes of length and the {@link RoundKey#encodedLength() encoded
 * key}; the gRPC transport's real envelopes are of the same order.
 *
 * <p>Thread-safe.
 */
public final class CountingChannel implements MessageChannel {
  /** Length prefix of a frame. */
  static final int FRAME_LENGTH_BYTES = 4;

  private final MessageChannel inner;
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();

  public CountingChannel(MessageChannel inner) {
    this.inner = inner;
  }

  /** The bytes a message of this key and payload counts for. */
  public static long frameBytes(RoundKey key, Bytes payload) {
    return (long) FRAME_LENGTH_BYTES + key.encodedLength() + payload.length();
  }

  /** The counts so far. */
  public ChannelStats stats() {
    return new ChannelStats(
        bytesSent.get(), bytesReceived.get(), messagesSent.get(), messagesReceived.get());
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

  @Override
  public void send(RoundKey key, Bytes payload) throws ChannelException {
    inner.send(key, payload);
    bytesSent.addAndGet(frameBytes(key, payload));
    messagesSent.incrementAndGet();
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Bytes payload = inner.receive(key, timeout);
    bytesReceived.addAndGet(frameBytes(key, payload));
    messagesReceived.incrementAndGet();
    return payload;
  }

  @Override
  public void close() {
    inner.close();
  }
}
