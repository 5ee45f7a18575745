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
import io.jointly.transport.internal.proto.Heartbeat;
import io.jointly.transport.internal.proto.Hello;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * <h2>Liveness</h2>
 *
 * Each hello says how soon its sender wants a sign of life ({@code max_silence_millis}, from
 * {@link TransportOptions#peerTimeout()}). Once established, a timer (not the protocol thread,
 * which may be busy computing for an hour) sends a heartbeat whenever this end has sent no frame
 * for {@link #heartbeatIntervalMillis a sixth of the peer's request} (at most 1 s); the heartbeat
 * says how many envelopes this end has received and whether it is waiting (a {@code receive}
 * blocked, no {@code send} in progress). Heartbeats are skipped while the stream is not ready, so
 * they never queue behind flow control, and they are not messages: outside the frame numbering,
 * never delivered, counted in {@link #livenessStats()} and not in {@link #wireStats()}.
 *
 * <p>Every frame from the peer is a sign of life; envelopes, and heartbeats of a peer that is not
 * waiting for this end with every envelope received, are signs of work. {@code receive} fails with
 * {@code TIMEOUT} once no sign of work came for its time-out (from the later of the call and the
 * last sign); a blocked {@code send} once no sign of life came for {@code peerTimeout}. gRPC
 * keep-alive stays underneath as the connection-level backstop.
 *
 * <h2>Failure</h2>
 *
 * A refused frame poisons the channel: every later {@code receive} throws the same {@link
 * ProtocolAbortException}. If the stream ends abnormally (peer gone, connection lost, keep-alive
 * unanswered), messages that had fully arrived can still be received, and every other {@code
 * receive} or {@code send} throws a {@link ChannelException}.
 *
 * <p>Locking: all state, and every call on the outbound observer, is under {@code lock}; {@code
 * sendLock} keeps the chunks of one message together. gRPC callbacks and the heartbeat timer never
 * wait for {@code sendLock}, so a sender blocked on readiness cannot stall the callback that would
 * wake it.
 */
public final class StreamChannel implements TransportChannel {
  private static final Logger LOG = LoggerFactory.getLogger(StreamChannel.class);
  /** Frames requested from gRPC ahead of delivery while there is room (keeps the pipe full). */
  static final int REQUEST_WINDOW = 4;

  /** Heartbeats go out at this fraction of the silence the peer tolerates... */
  static final int HEARTBEATS_PER_SILENCE = 6;

  /** ...but at least this often... */
  static final long MAX_HEARTBEAT_INTERVAL_MILLIS = 1000;

  /** ...and never more often than this, whatever the peer asks for. */
  static final long MIN_HEARTBEAT_INTERVAL_MILLIS = 20;

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
  private volatile List<X509Certificate> peerCertificates = List.of();
  private final String remote;
  private final TransportOptions options;
  private final Runnable onClose;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock sendLock = new ReentrantLock();

  // All guarded by lock.
  private CallStreamObserver<Frame> out;
  private long peerMaxSilence; // the peer's max_silence_millis, once known
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
  private long heartbeatBytesSent;
  private long heartbeatBytesReceived;
  private long heartbeatsSent;
  private long heartbeatsReceived;
  // Liveness, all guarded by lock.
  private final List<RoundKey> awaited = new ArrayList<>(); // one entry per blocked receiver
  private int sendersActive;
  private long lastFrameSent; // nanoTime of this end's last frame
  private long lastLife; // nanoTime of the peer's last frame
  private long lastWork; // nanoTime of the peer's last sign of work
  private boolean peerWaiting; // its last heartbeat: waiting for us, with everything we sent
  private ScheduledFuture<?> heartbeat;

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
    long now = System.nanoTime();
    this.lastFrameSent = now;
    this.lastLife = now;
    this.lastWork = now;
  }

  /**
   * How often this end sends a heartbeat to a peer that tolerates {@code peerMaxSilenceMillis} of
   * silence: a sixth of it, within 20 ms – 1 s. Checked at that rate, the gap between two frames
   * stays below a third of the peer's bound plus scheduling delays.
   */
  static long heartbeatIntervalMillis(long peerMaxSilenceMillis) {
    return Math.max(
        MIN_HEARTBEAT_INTERVAL_MILLIS,
        Math.min(MAX_HEARTBEAT_INTERVAL_MILLIS, peerMaxSilenceMillis / HEARTBEATS_PER_SILENCE));
  }

  /** The silence this party tolerates, as announced in its hello (uint32 milliseconds, ≥ 1). */
  static int maxSilenceMillis(TransportOptions options) {
    return (int) Math.max(1, Math.min(0xFFFF_FFFFL, options.peerTimeout().toMillis()));
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
   * the caller then sends the answering hello with {@link #sendHello()}, which starts the
   * heartbeats the peer asked for in its hello.
   *
   * @param peerMaxSilenceMillis the peer's {@code max_silence_millis} (unsigned, not 0)
   */
  public void attachServerCall(CallStreamObserver<Frame> call, int peerMaxSilenceMillis) {
    lock.lock();
    try {
      out = call;
      established = true;
      outstandingRequests = 0; // the hello that was requested has been delivered
      peerMaxSilence = Integer.toUnsignedLong(peerMaxSilenceMillis);
      lastLife = lastWork = System.nanoTime();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves this (listening) channel to a newer call of the same peer, if no envelope has moved in
   * either direction yet: the peer gave up on the older call (its side timed out or broke before
   * it saw this party's hello) and connected again. The older call is cancelled, or its failure, if
   * it already failed, is forgotten; the application's channel object stays the same, so a channel
   * already handed out keeps working. The caller then sends the answering hello again with {@link
   * #sendHello()}.
   *
   * @return {@code false} (nothing changed) if envelopes have moved, the channel is closed on
   *     either side or poisoned: the session is under way or over and cannot move
   */
  public boolean reattachServerCall(CallStreamObserver<Frame> call, int peerMaxSilenceMillis) {
    lock.lock();
    try {
      if (side != Side.LISTENING
          || nextInboundFrame != 0
          || nextOutboundFrame != 0
          || partialKey != null
          || localClosed
          || peerClosed
          || poison != null) {
        return false;
      }
      CallStreamObserver<Frame> old = out;
      boolean oldEnded = callEnded;
      stopHeartbeats();
      out = call;
      callEnded = false;
      callError = null;
      failure = null;
      outboundDone = false;
      outstandingRequests = 0;
      peerMaxSilence = Integer.toUnsignedLong(peerMaxSilenceMillis);
      lastLife = lastWork = System.nanoTime();
      peerWaiting = false;
      if (old != null && !oldEnded) {
        try {
          old.onError(
              Status.ABORTED
                  .withDescription("replaced by a newer connection of the same party")
                  .asRuntimeException());
        } catch (RuntimeException e) {
          LOG.debug("replaced stream to {} had already ended", peer);
        }
      }
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends this party's hello, then (on the listening side) starts reading and sending heartbeats.
   */
  public void sendHello() {
    Frame hello =
        Frame.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Wire.PROTOCOL_VERSION)
                    .setSessionId(sessionId)
                    .setSender(self)
                    .setReceiver(peer)
                    .setMaxSilenceMillis(maxSilenceMillis(options)))
            .build();
    lock.lock();
    try {
      if (outboundDone || callEnded) {
        return;
      }
      out.onNext(hello);
      bytesSent += Wire.wireBytes(hello);
      lastFrameSent = System.nanoTime();
      if (side == Side.LISTENING) {
        startHeartbeats();
      }
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
      stopHeartbeats();
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
  public List<X509Certificate> peerCertificates() {
    return peerCertificates;
  }

  /** Records the chain the peer authenticated with (by the registry or the connector). */
  void authenticatedPeer(List<X509Certificate> chain) {
    peerCertificates = List.copyOf(chain);
  }

  @Override
  public void send(RoundKey key, Bytes payload) throws ChannelException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payload, "payload");
    long start = System.nanoTime();
    lock.lock();
    try {
      sendersActive++; // this end is at work, not waiting, from now until the send returns
    } finally {
      lock.unlock();
    }
    try {
      try {
        sendLock.lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while sending");
      }
      try {
        sendChunks(key, payload, start);
      } finally {
        sendLock.unlock();
      }
    } finally {
      lock.lock();
      try {
        sendersActive--;
      } finally {
        lock.unlock();
      }
    }
  }

  private void sendChunks(RoundKey key, Bytes payload, long start) throws ChannelException {
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
        awaitWritable(start, key);
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
        lastFrameSent = System.nanoTime();
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
  }

  /**
   * Under lock: waits until the stream takes data. A peer that does not read but shows life
   * (heartbeats: it is busy) keeps this waiting; one silent for {@code peerTimeout} ends it.
   */
  private void awaitWritable(long start, RoundKey key) throws ChannelException {
    long bound = options.peerTimeout().toNanos();
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
        long now = System.nanoTime();
        long deadline = later(start, lastLife) + bound;
        if (now - deadline >= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT,
              peer
                  + " took no data and gave no sign of life for "
                  + options.peerTimeout()
                  + " while "
                  + key
                  + " was sent");
        }
        changed.awaitNanos(deadline - now);
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
    long start = System.nanoTime();
    lock.lock();
    awaited.add(key);
    try {
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
        if (!room() && partialKey == null && !holdsAnyAwaited()) {
          throw new ProtocolAbortException(
              ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
              pending.size()
                  + " messages ("
                  + pendingBytes
                  + " bytes) from "
                  + peer
                  + " wait unreceived, the channel's limit, and none is "
                  + key
                  + ": the peer sent too far ahead");
        }
        long now = System.nanoTime();
        long deadline = later(start, lastWork) + timeout.toNanos();
        if (now - deadline >= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT,
              peerWaiting
                  ? "no message "
                      + key
                      + " from "
                      + peer
                      + ": both parties have waited for each other for "
                      + timeout
                  : "no message "
                      + key
                      + " and no sign of life from "
                      + peer
                      + " for "
                      + timeout
                      + " (gone, stopped or unreachable)");
        }
        changed.awaitNanos(deadline - now);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(
          ChannelException.Kind.INTERRUPTED, "interrupted while waiting for " + key);
    } finally {
      awaited.remove(key);
      lock.unlock();
    }
  }

  private static long later(long a, long b) {
    return a - b >= 0 ? a : b;
  }

  private boolean holdsAnyAwaited() {
    for (RoundKey k : awaited) {
      if (pending.containsKey(k)) {
        return true;
      }
    }
    return false;
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
  public ChannelStats livenessStats() {
    lock.lock();
    try {
      return new ChannelStats(
          heartbeatBytesSent, heartbeatBytesReceived, heartbeatsSent, heartbeatsReceived);
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
      stopHeartbeats();
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

  /**
   * Waits up to {@code grace} for the listening side to end the call after this side's half-close,
   * but not for a peer that has given no sign of life for {@code peerTimeout}: a stopped or
   * vanished peer will not end it, and the party (say, one exiting after a time-out) should not
   * wait for nothing.
   */
  private void awaitCallEnd(Duration grace) {
    lock.lock();
    try {
      long end = System.nanoTime() + grace.toNanos();
      long silence = options.peerTimeout().toNanos();
      while (!callEnded) {
        long now = System.nanoTime();
        long giveUp = Math.min(end - now, lastLife + silence - now);
        if (giveUp <= 0) {
          break;
        }
        changed.awaitNanos(giveUp);
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

  /** A frame arrived on {@code from} (listening side): ignored unless it is the current call. */
  public void onFrame(CallStreamObserver<Frame> from, Frame frame) {
    ifCurrent(from, () -> onFrame(frame));
  }

  /** {@code from} ended normally (listening side): ignored unless it is the current call. */
  public void onPeerCompleted(CallStreamObserver<Frame> from) {
    ifCurrent(from, this::onPeerCompleted);
  }

  /** {@code from} failed (listening side): ignored unless it is the current call. */
  public void onCallFailed(CallStreamObserver<Frame> from, Throwable t) {
    ifCurrent(from, () -> onCallFailed(t));
  }

  /** Runs {@code callback} under the lock if {@code from} is the call this channel runs on. */
  private void ifCurrent(CallStreamObserver<Frame> from, Runnable callback) {
    lock.lock();
    try {
      if (from == out) {
        callback.run(); // a replaced call's late callbacks must not touch the session
      }
    } finally {
      lock.unlock();
    }
  }

  /** A frame arrived. */
  public void onFrame(Frame frame) {
    lock.lock();
    try {
      long wire = Wire.wireBytes(frame);
      if (outstandingRequests > 0) {
        outstandingRequests--;
      }
      if (!established) {
        bytesReceived += wire;
        acceptHello(frame);
        return;
      }
      long now = System.nanoTime();
      lastLife = now;
      if (frame.getBodyCase() == Frame.BodyCase.HEARTBEAT) {
        heartbeatsReceived++;
        heartbeatBytesReceived += wire;
      } else {
        bytesReceived += wire;
      }
      if (localClosed || poison != null) {
        maybeRequest(); // drain and discard, so the peer is not left blocked on flow control
        return;
      }
      try {
        switch (frame.getBodyCase()) {
          case ENVELOPE -> {
            lastWork = now;
            peerWaiting = false;
            acceptEnvelope(frame.getEnvelope());
          }
          case HEARTBEAT -> acceptHeartbeat(frame.getHeartbeat(), now);
          case HELLO ->
              throw new ProtocolAbortException(
                  ProtocolAbortException.Reason.UNEXPECTED_MESSAGE, "a second hello from " + peer);
          default ->
              throw new ProtocolAbortException(
                  ProtocolAbortException.Reason.MALFORMED_MESSAGE, "a frame of unknown kind from " + peer);
        }
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

  /** Under lock: a sign of life, and of work unless the peer waits for us with all we sent. */
  private void acceptHeartbeat(Heartbeat h, long now) throws ProtocolAbortException {
    long got = h.getEnvelopesReceived();
    Abort.unlessWellFormed(
        Long.compareUnsigned(got, nextOutboundFrame) <= 0,
        "a heartbeat acknowledges " + Long.toUnsignedString(got) + " envelopes, more than the "
            + nextOutboundFrame + " sent");
    peerWaiting = h.getWaiting() && got == nextOutboundFrame;
    if (!peerWaiting) {
      lastWork = now;
    }
  }

  /** The peer ended its direction of the stream normally. */
  public void onPeerCompleted() {
    lock.lock();
    try {
      peerClosed = true;
      stopHeartbeats();
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
      stopHeartbeats();
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
    } else if (h.getMaxSilenceMillis() == 0) {
      why = "the listening party did not say how soon it wants a sign of life";
    }
    if (why != null) {
      handshakeRefusal =
          new ProtocolAbortException(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, why);
      cancelCall("handshake refused");
    } else {
      established = true;
      peerMaxSilence = Integer.toUnsignedLong(h.getMaxSilenceMillis());
      lastLife = lastWork = System.nanoTime();
      startHeartbeats();
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
    if (out == null || !established || callEnded || outstandingRequests >= REQUEST_WINDOW) {
      return;
    }
    if (partialKey != null || room() || poison != null || localClosed) {
      outstandingRequests++;
      out.request(1);
    }
  }

  /** Whether fewer messages and bytes wait unreceived than the channel's limits. */
  private boolean room() {
    return pending.size() < options.inboundCapacity() && pendingBytes < options.inboundBufferBytes();
  }

  // ---------------------------------------------------------------------------------------------
  // Heartbeats

  /** Under lock: starts the timer that keeps the peer informed while this end sends nothing. */
  private void startHeartbeats() {
    if (heartbeat != null || outboundDone || callEnded || localClosed) {
      return;
    }
    heartbeat = Timers.every(this::beat, heartbeatIntervalMillis(peerMaxSilence));
  }

  /** Under lock. */
  private void stopHeartbeats() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
  }

  /** From the timer: a heartbeat if this end has sent nothing for an interval. */
  private void beat() {
    lock.lock();
    try {
      if (outboundDone || callEnded || localClosed) {
        stopHeartbeats();
        return;
      }
      long interval = TimeUnit.MILLISECONDS.toNanos(heartbeatIntervalMillis(peerMaxSilence));
      long now = System.nanoTime();
      if (now - lastFrameSent < interval || !out.isReady()) {
        return; // data went out recently, or flow control holds the stream: nothing to add
      }
      Frame frame =
          Frame.newBuilder()
              .setHeartbeat(
                  Heartbeat.newBuilder()
                      .setEnvelopesReceived(nextInboundFrame)
                      .setWaiting(!awaited.isEmpty() && sendersActive == 0))
              .build();
      try {
        out.onNext(frame);
      } catch (RuntimeException e) {
        LOG.debug("heartbeat to {} not sent: the call ended", peer);
        stopHeartbeats();
        return;
      }
      lastFrameSent = now;
      heartbeatsSent++;
      heartbeatBytesSent += Wire.wireBytes(frame);
    } finally {
      lock.unlock();
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
