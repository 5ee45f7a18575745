package io.jointly.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.jointly.channel.ChannelStats;
import io.jointly.channel.RoundKey;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.TransportChannel;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.internal.proto.Envelope;
import io.jointly.transport.internal.proto.Frame;
import io.jointly.transport.internal.proto.Hello;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.jointly.channel.MessageChannel} over one gRPC bidirectional stream, either end.
 *
 * <h2>Outbound</h2>
 *
 * A message becomes one or more envelopes of at most {@code chunkBytes} payload. Before each
 * envelope, {@code send} waits (up to the send time-out) until the stream {@linkplain
 * CallStreamObserver#isReady() is ready}, so at most about one on-ready threshold of data is queued
 * per stream: no unbounded buffering when the peer is slow.
 *
 * <h2>Inbound</h2>
 *
 * Automatic inbound flow control is off: the channel requests frames from gRPC a few at a time
 * ({@value #REQUEST_WINDOW} ahead), and only while fewer than {@code inboundCapacity} messages and
 * {@code inboundBufferBytes} bytes wait unreceived (or a message is half reassembled). When it stops requesting, gRPC stops reading and
 * HTTP/2 flow control stops the sender. Every envelope is checked against the session, the two
 * party names, the protocol version and the expected frame number; a message longer than {@code
 * maxMessageBytes} is refused from its first chunk on, before any of it is buffered.
 *
 * <h2>Failure</h2>
 *
 * A refused frame poisons the channel: every later {@code receive} throws the same {@link
 * ProtocolAbortException}. If the stream ends abnormally (peer gone, connection lost, keep-alive
 * unanswered), messages that had fully arrived can still be received, and every other {@code
 * receive} or {@code send} throws a {@link ChannelException}.
 *
 * <p>Locking: all state, and every call on the outbound observer, is under {@code lock}; {@code
 * sendLock} keeps the chunks of one message together. gRPC callbacks never wait for {@code
 * sendLock}, so a sender blocked on readiness cannot stall the callback that would wake it.
 */
public final class StreamChannel implements TransportChannel {
  private static final Logger LOG = LoggerFactory.getLogger(StreamChannel.class);
  /** Frames requested from gRPC ahead of delivery while there is room (keeps the pipe full). */
  static final int REQUEST_WINDOW = 4;

  /** Which end of the gRPC call this channel is. */
  public enum Side {
    /** The client: it sent the first hello. */
    CONNECTING,
    /** The server: it answered the hello. */
    LISTENING
  }

  /** How the connecting side's handshake ended. */
  public sealed interface Handshake {
    /** The listening party answered with a matching hello. */
    record Established() implements Handshake {}

    /** The listening party answered with something this party refuses. */
    record Refused(ProtocolAbortException reason) implements Handshake {}

    /** The call ended before the answer (the raw gRPC failure, for classification). */
    record CallFailed(Throwable cause) implements Handshake {}

    /** No answer before the deadline. */
    record TimedOut() implements Handshake {}
  }

  private final Side side;
  private final String sessionId;
  private final String self;
  private final String peer;
  private final String remote;
  private final TransportOptions options;
  private final Runnable onClose;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock sendLock = new ReentrantLock();

  // All guarded by lock.
  private CallStreamObserver<Frame> out;
  private boolean established;
  private ProtocolAbortException handshakeRefusal;
  private boolean localClosed;
  private boolean outboundDone;
  private boolean peerClosed;
  private boolean callEnded;
  private Throwable callError;
  private ChannelException failure;
  private ProtocolAbortException poison;
  private final Map<RoundKey, Bytes> pending = new HashMap<>();
  private final Set<RoundKey> seen = new HashSet<>();
  private long pendingBytes;
  private int outstandingRequests;
  private long nextInboundFrame;
  private long nextOutboundFrame;
  private RoundKey partialKey;
  private byte[] partial;
  private int partialFilled;
  private long bytesSent;
  private long bytesReceived;
  private long messagesSent;
  private long messagesReceived;

  /**
   * @param side which end of the call
   * @param sessionId the session both ends agreed on
   * @param self this party
   * @param peer the other party
   * @param remote the peer's address, for messages
   * @param options limits and time-outs
   * @param onClose run once at the end of {@link #close()} to release the connection
   */
  public StreamChannel(
      Side side,
      String sessionId,
      String self,
      String peer,
      String remote,
      TransportOptions options,
      Runnable onClose) {
    this.side = Objects.requireNonNull(side);
    this.sessionId = Names.session(sessionId);
    this.self = Names.party(self);
    this.peer = Names.party(peer);
    this.remote = Objects.requireNonNull(remote);
    this.options = Objects.requireNonNull(options);
    this.onClose = Objects.requireNonNull(onClose);
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up

  /**
   * The observer for a client call: {@code beforeStart} turns automatic inbound flow control off
   * (one frame requested: the peer's hello) and attaches the call as this channel's outbound side.
   */
  public ClientResponseObserver<Frame, Frame> clientObserver() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Frame> call) {
        call.disableAutoRequestWithInitial(1);
        call.setOnReadyHandler(StreamChannel.this::onReady);
        lock.lock();
        try {
          out = call;
          outstandingRequests = 1;
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void onNext(Frame frame) {
        onFrame(frame);
      }

      @Override
      public void onError(Throwable t) {
        onCallFailed(t);
      }

      @Override
      public void onCompleted() {
        onPeerCompleted();
      }
    };
  }

  /**
   * Attaches the server side of a call whose hello was accepted: the channel is established, and
   * the caller then sends the answering hello with {@link #sendHello()}.
   */
  public void attachServerCall(CallStreamObserver<Frame> call) {
    lock.lock();
    try {
      out = call;
      established = true;
      outstandingRequests = 0; // the hello that was requested has been delivered
    } finally {
      lock.unlock();
    }
  }

  /** Sends this party's hello, then (on the listening side) starts reading. */
  public void sendHello() {
    Frame hello =
        Frame.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Wire.PROTOCOL_VERSION)
                    .setSessionId(sessionId)
                    .setSender(self)
                    .setReceiver(peer))
            .build();
    lock.lock();
    try {
      if (outboundDone || callEnded) {
        return;
      }
      out.onNext(hello);
      bytesSent += Wire.wireBytes(hello);
      maybeRequest();
    } catch (RuntimeException e) {
      LOG.debug("hello to {} not sent: the call already ended", peer);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the listening party's hello arrives (connecting side). */
  public Handshake awaitEstablished(long deadlineNanos) throws ChannelException {
    lock.lock();
    try {
      while (true) {
        if (established) {
          return new Handshake.Established();
        }
        if (handshakeRefusal != null) {
          return new Handshake.Refused(handshakeRefusal);
        }
        if (callEnded) {
          return new Handshake.CallFailed(
              callError != null ? callError : Status.UNAVAILABLE.asRuntimeException());
        }
        long nanos = deadlineNanos - System.nanoTime();
        if (nanos <= 0) {
          return new Handshake.TimedOut();
        }
        changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while connecting");
    } finally {
      lock.unlock();
    }
  }

  /** Cuts the call without the graceful close (a failed handshake). */
  public void abort(String why) {
    lock.lock();
    try {
      localClosed = true;
      cancelCall(why);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // MessageChannel

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public void send(RoundKey key, Bytes payload) throws ChannelException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payload, "payload");
    long deadline = System.nanoTime() + options.sendTimeout().toNanos();
    try {
      sendLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while sending");
    }
    try {
      byte[] data = payload.toByteArray(); // our private copy: chunks wrap it without copying
      int total = data.length;
      Envelope.Builder envelope =
          Envelope.newBuilder()
              .setProtocolVersion(Wire.PROTOCOL_VERSION)
              .setSessionId(sessionId)
              .setSender(self)
              .setReceiver(peer)
              .setProtocol(key.protocol())
              .setRound(key.round())
              .setSequence(key.sequence())
              .setMessageLength(total);
      int offset = 0;
      do {
        int n = Math.min(options.chunkBytes(), total - offset);
        envelope.setChunkOffset(offset).setPayload(UnsafeByteOperations.unsafeWrap(data, offset, n));
        lock.lock();
        try {
          awaitWritable(deadline, key);
          Frame frame =
              Frame.newBuilder().setEnvelope(envelope.setFrameNumber(nextOutboundFrame)).build();
          try {
            out.onNext(frame);
          } catch (RuntimeException e) {
            throw new ChannelException(
                ChannelException.Kind.CLOSED, "the stream to " + peer + " ended while sending " + key);
          }
          nextOutboundFrame++;
          bytesSent += Wire.wireBytes(frame);
        } finally {
          lock.unlock();
        }
        offset += n;
      } while (offset < total);
      lock.lock();
      try {
        messagesSent++;
      } finally {
        lock.unlock();
      }
    } finally {
      sendLock.unlock();
    }
  }

  private void awaitWritable(long deadline, RoundKey key) throws ChannelException {
    try {
      while (true) {
        if (localClosed) {
          throw new ChannelException(ChannelException.Kind.CLOSED, "channel is closed");
        }
        if (failure != null) {
          throw copy(failure);
        }
        if (peerClosed || outboundDone || callEnded) {
          throw new ChannelException(
              ChannelException.Kind.CLOSED, peer + " closed the channel before " + key + " was sent");
        }
        if (out.isReady()) {
          return;
        }
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT,
              peer + " did not take data within " + options.sendTimeout() + " while " + key + " was sent");
        }
        changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while sending " + key);
    }
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timeout, "timeout");
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (true) {
        if (poison != null) {
          throw poison;
        }
        Bytes payload = pending.remove(key);
        if (payload != null) {
          pendingBytes -= payload.length();
          messagesReceived++;
          maybeRequest();
          return payload;
        }
        if (localClosed) {
          throw new ChannelException(
              ChannelException.Kind.CLOSED, "channel closed while waiting for " + key);
        }
        if (failure != null) {
          throw copy(failure);
        }
        if (peerClosed) {
          throw new ChannelException(
              ChannelException.Kind.CLOSED, peer + " closed the channel while " + key + " was awaited");
        }
        if (nanos <= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT, "no message " + key + " from " + peer + " within " + timeout);
        }
        nanos = changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(
          ChannelException.Kind.INTERRUPTED, "interrupted while waiting for " + key);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ChannelStats wireStats() {
    lock.lock();
    try {
      return new ChannelStats(bytesSent, bytesReceived, messagesSent, messagesReceived);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (localClosed) {
        return;
      }
      localClosed = true;
      finishOutbound();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      if (side == Side.CONNECTING) {
        awaitCallEnd(options.closeGrace());
      }
    } finally {
      onClose.run();
    }
  }

  private void awaitCallEnd(Duration grace) {
    lock.lock();
    try {
      long nanos = grace.toNanos();
      while (!callEnded && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      if (!callEnded) {
        cancelCall("closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelCall("closed");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "StreamChannel[" + sessionId + ", " + self + " <-> " + peer + " at " + remote + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // gRPC callbacks (serialized per call by gRPC)

  /** The outbound side became ready: wake senders. */
  public void onReady() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A frame arrived. */
  public void onFrame(Frame frame) {
    lock.lock();
    try {
      bytesReceived += Wire.wireBytes(frame);
      if (outstandingRequests > 0) {
        outstandingRequests--;
      }
      if (!established) {
        acceptHello(frame);
        return;
      }
      if (localClosed || poison != null) {
        maybeRequest(); // drain and discard, so the peer is not left blocked on flow control
        return;
      }
      try {
        Abort.unless(
            frame.getBodyCase() == Frame.BodyCase.ENVELOPE,
            ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
            "a second hello from " + peer);
        acceptEnvelope(frame.getEnvelope());
      } catch (ProtocolAbortException e) {
        poison = e;
        partial = null;
        partialKey = null;
        LOG.warn("session {}: refused a frame from {}: {}", sessionId, peer, e.getMessage());
        changed.signalAll();
      }
      maybeRequest();
    } finally {
      lock.unlock();
    }
  }

  /** The peer ended its direction of the stream normally. */
  public void onPeerCompleted() {
    lock.lock();
    try {
      peerClosed = true;
      if (side == Side.LISTENING) {
        finishOutbound(); // ends the call: both directions are done
      } else {
        callEnded = true; // the server's completion ends the call
        outboundDone = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The call ended abnormally: cancelled, connection lost, or refused. */
  public void onCallFailed(Throwable t) {
    lock.lock();
    try {
      if (callEnded && callError != null) {
        return;
      }
      boolean wasEnded = callEnded;
      callEnded = true;
      outboundDone = true;
      callError = t;
      if (!wasEnded && !localClosed && !peerClosed && established && failure == null) {
        if (Failures.code(t) == Status.Code.RESOURCE_EXHAUSTED && poison == null) {
          poison =
              new ProtocolAbortException(
                  ProtocolAbortException.Reason.MALFORMED_MESSAGE,
                  "a frame on the stream with " + peer + " exceeded the transport's frame size limit");
        }
        failure = Failures.connectionLost(peer + " at " + remote, t);
        LOG.info("session {}: {}", sessionId, failure.getMessage());
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound, under lock

  private void acceptHello(Frame frame) {
    Hello h = frame.getHello();
    String why = null;
    if (frame.getBodyCase() != Frame.BodyCase.HELLO) {
      why = "the listening party did not answer with a hello";
    } else if (h.getProtocolVersion() != Wire.PROTOCOL_VERSION) {
      why =
          "the listening party speaks transport protocol version "
              + Integer.toUnsignedString(h.getProtocolVersion())
              + ", this party "
              + Wire.PROTOCOL_VERSION;
    } else if (!sessionId.equals(h.getSessionId())
        || !peer.equals(h.getSender())
        || !self.equals(h.getReceiver())) {
      why = "the listening party answered for another session or party";
    }
    if (why != null) {
      handshakeRefusal =
          new ProtocolAbortException(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, why);
      cancelCall("handshake refused");
    } else {
      established = true;
      maybeRequest();
    }
    changed.signalAll();
  }

  private void acceptEnvelope(Envelope e) throws ProtocolAbortException {
    Abort.unlessWellFormed(
        e.getProtocolVersion() == Wire.PROTOCOL_VERSION,
        "frame of transport protocol version " + Integer.toUnsignedString(e.getProtocolVersion()));
    Abort.unless(
        sessionId.equals(e.getSessionId()),
        ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
        "a frame of another session arrived in session " + sessionId);
    Abort.unless(
        peer.equals(e.getSender()) && self.equals(e.getReceiver()),
        ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
        "a frame between other parties arrived on the channel " + peer + " -> " + self);
    long number = e.getFrameNumber();
    if (number != nextInboundFrame) {
      throw new ProtocolAbortException(
          Long.compareUnsigned(number, nextInboundFrame) < 0
              ? ProtocolAbortException.Reason.REPLAYED_MESSAGE
              : ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
          "frame number "
              + Long.toUnsignedString(number)
              + " where "
              + nextInboundFrame
              + " was expected (replayed or injected frame)");
    }
    nextInboundFrame++;
    RoundKey key;
    try {
      key = new RoundKey(e.getProtocol(), e.getRound(), e.getSequence());
    } catch (IllegalArgumentException x) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "a frame with an invalid round key");
    }
    long total = Integer.toUnsignedLong(e.getMessageLength());
    Abort.unlessWellFormed(
        total <= options.maxMessageBytes(),
        "message " + key + " of " + total + " bytes exceeds the limit of " + options.maxMessageBytes());
    long offset = Integer.toUnsignedLong(e.getChunkOffset());
    ByteString chunk = e.getPayload();
    if (partialKey == null) {
      Abort.unlessWellFormed(offset == 0, "message " + key + " does not start at offset 0");
      if (chunk.size() == total) {
        complete(key, Bytes.wrap(chunk.toByteArray()));
        return;
      }
      Abort.unlessWellFormed(
          chunk.size() > 0 && chunk.size() < total,
          "first chunk of message " + key + " is inconsistent with its length " + total);
      partialKey = key;
      partial = new byte[(int) total];
      chunk.copyTo(partial, 0);
      partialFilled = chunk.size();
      return;
    }
    Abort.unlessWellFormed(
        key.equals(partialKey)
            && total == partial.length
            && offset == partialFilled
            && chunk.size() > 0
            && partialFilled + (long) chunk.size() <= total,
        "chunk of message " + key + " does not continue message " + partialKey);
    chunk.copyTo(partial, partialFilled);
    partialFilled += chunk.size();
    if (partialFilled == partial.length) {
      byte[] done = partial;
      partial = null;
      partialKey = null;
      complete(key, Bytes.wrap(done));
    }
  }

  private void complete(RoundKey key, Bytes payload) throws ProtocolAbortException {
    Abort.unless(
        seen.add(key),
        ProtocolAbortException.Reason.REPLAYED_MESSAGE,
        "message " + key + " arrived more than once");
    pending.put(key, payload);
    pendingBytes += payload.length();
    changed.signalAll();
  }

  private void maybeRequest() {
    if (out == null || callEnded || outstandingRequests >= REQUEST_WINDOW) {
      return;
    }
    boolean room =
        partialKey != null
            || (pending.size() < options.inboundCapacity()
                && pendingBytes < options.inboundBufferBytes());
    if (room || poison != null || localClosed) {
      outstandingRequests++;
      out.request(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound control, under lock

  private void finishOutbound() {
    if (out == null || outboundDone || callEnded) {
      outboundDone = true;
      return;
    }
    outboundDone = true;
    try {
      out.onCompleted();
    } catch (RuntimeException e) {
      LOG.debug("stream to {} already ended", peer);
    }
    if (side == Side.LISTENING) {
      callEnded = true; // the server's completion ends the call
    }
  }

  private void cancelCall(String why) {
    if (out == null || callEnded) {
      return;
    }
    outboundDone = true;
    try {
      if (out instanceof ClientCallStreamObserver<Frame> client) {
        client.cancel(why, null);
      } else {
        out.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
        callEnded = true;
      }
    } catch (RuntimeException e) {
      LOG.debug("stream to {} already ended", peer);
    }
  }

  private static ChannelException copy(ChannelException e) {
    // a fresh exception per throw, so the stack trace shows the caller that saw it
    String m = e.getMessage();
    String prefix = e.kind() + ": ";
    return new ChannelException(e.kind(), m.startsWith(prefix) ? m.substring(prefix.length()) : m);
  }
}
