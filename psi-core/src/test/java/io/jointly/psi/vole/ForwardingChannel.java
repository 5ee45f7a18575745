package io.jointly.psi.vole;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;

/** A channel that forwards everything; tests override what they tamper with. */
class ForwardingChannel implements MessageChannel {
  private final MessageChannel inner;

  ForwardingChannel(MessageChannel inner) {
    this.inner = inner;
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
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    return inner.receive(key, timeout);
  }

  @Override
  public void close() {
    inner.close();
  }
}
