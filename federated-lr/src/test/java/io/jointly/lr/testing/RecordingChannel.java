package io.jointly.lr.testing;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records every message a party receives (round key and payload). */
public final class RecordingChannel implements MessageChannel {
  private final MessageChannel inner;
  public final List<RoundKey> keys = Collections.synchronizedList(new ArrayList<>());
  public final List<Bytes> payloads = Collections.synchronizedList(new ArrayList<>());

  public RecordingChannel(MessageChannel inner) {
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
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Bytes p = inner.receive(key, timeout);
    keys.add(key);
    payloads.add(p);
    return p;
  }

  @Override
  public void close() {
    inner.close();
  }
}
