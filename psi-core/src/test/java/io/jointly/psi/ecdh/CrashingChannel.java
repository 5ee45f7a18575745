package io.jointly.psi.ecdh;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel whose party "dies" at its {@code crashAt}-th send or receive (counting from 0): the
 * operation throws as a lost connection does, and the test harness then closes the peer's end, as
 * the operating system does for a killed process.
 */
final class CrashingChannel implements MessageChannel {
  private final MessageChannel inner;
  private final int crashAt;
  private final AtomicInteger operations = new AtomicInteger();

  CrashingChannel(MessageChannel inner, int crashAt) {
    this.inner = inner;
    this.crashAt = crashAt;
  }

  private void tick() throws ChannelException {
    if (operations.getAndIncrement() == crashAt) {
      inner.close();
      throw new ChannelException(ChannelException.Kind.IO, "simulated crash");
    }
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
    tick();
    inner.send(key, payload);
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    tick();
    return inner.receive(key, timeout);
  }

  @Override
  public void close() {
    inner.close();
  }
}
