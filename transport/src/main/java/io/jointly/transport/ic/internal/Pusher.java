package io.jointly.transport.ic.internal;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.transport.ic.IcTransportOptions;
import io.jointly.transport.ic.internal.proto.ChunkInfo;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.TransType;
import io.jointly.transport.internal.Failures;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This party's side of {@code ReceiverService.Push} towards the peer (spec §3.3, §3.5–3.7): keys
 * with the reference's sequence suffix (or plain), MONO or CHUNKED pushes, a deadline and retries
 * per push (retries reuse the key and sequence number, so the peer drops what it already has),
 * the ACK window, and a separate single thread for control messages (ACK, FIN) so that
 * acknowledging never waits for the protocol. A push the peer answers with an error code is fatal
 * and is not retried, as in the reference. Thread-safe.
 */
public final class Pusher {
  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);

  private final ManagedChannel channel;
  private final ReceiverServiceGrpc.ReceiverServiceBlockingStub stub;
  private final int selfRank;
  private final IcTransportOptions options;
  private final Mailbox mailbox;
  private final String peer;
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong messagesSent = new AtomicLong();
  private final ExecutorService control;

  public Pusher(ManagedChannel channel, int selfRank, IcTransportOptions options, Mailbox mailbox, String peer) {
    this.channel = channel;
    this.stub = ReceiverServiceGrpc.newBlockingStub(channel);
    this.selfRank = selfRank;
    this.options = options;
    this.mailbox = mailbox;
    this.peer = peer;
    this.control =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ic-control-rank" + selfRank);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Pushes a normal message: with the next sequence number if keys are sequenced (after waiting for
   * the ACK window, up to {@code windowTimeout}).
   */
  public void send(String logical, byte[] value, Duration windowTimeout)
      throws ChannelException, ProtocolAbortException {
    String key = logical;
    if (options.keys() == IcTransportOptions.Keys.SEQUENCED) {
      long s = seq.incrementAndGet();
      key = IcKeys.withSeq(logical, s);
      if (options.ackWindow() > 0 && s > options.ackWindow()) {
        mailbox.awaitAcks(s - options.ackWindow(), windowTimeout, "ACKs for this party's message " + (s - options.ackWindow()));
      }
    }
    pushValue(key, value, options.pushRetries());
  }

  /**
   * Pushes {@code connect_{rank}} once. Returns null if the peer took it, or what went wrong if the
   * peer is not reachable (yet): the connect phase tries again.
   *
   * @throws ChannelException if trying again cannot help: TLS refused, not an interconnection
   *     endpoint, interrupted
   * @throws ProtocolAbortException if the peer answered with an error code
   */
  public String tryConnect(String logical) throws ChannelException, ProtocolAbortException {
    String key = options.keys() == IcTransportOptions.Keys.SEQUENCED ? IcKeys.withSeq(logical, 0) : logical;
    try {
      pushValue(key, new byte[0], -1);
      return null;
    } catch (Transient t) {
      return t.getMessage();
    }
  }

  /** A push failure that a later attempt may not have (connect phase only). */
  private static final class Transient extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Transient(String message) {
      super(message, null, false, false);
    }
  }

  /** Queues an ACK of the peer's message {@code s}; a failure fails the mailbox. */
  public void ack(long s) {
    control(IcKeys.ACK, Long.toString(s));
  }

  /** Queues this party's FIN with its count of sequenced messages. */
  public void fin() {
    control(IcKeys.FIN, Long.toString(sequencedSent()));
  }

  /** Waits until every queued control message is pushed (or failed). */
  public void drainControl(Duration timeout) throws ChannelException {
    Future<?> f = control.submit(() -> {});
    try {
      f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted flushing ACKs");
    } catch (Exception e) {
      throw new ChannelException(ChannelException.Kind.TIMEOUT, "could not push ACK/FIN to " + peer + " within " + timeout);
    }
  }

  /** Sequenced messages pushed so far (0 with plain keys). */
  public long sequencedSent() {
    return seq.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  public long messagesSent() {
    return messagesSent.get();
  }

  private void control(String key, String value) {
    control.execute(
        () -> {
          try {
            pushValue(key, value.getBytes(java.nio.charset.StandardCharsets.US_ASCII), options.pushRetries());
          } catch (JointlyException e) {
            mailbox.fail(e);
          }
        });
  }

  private void pushValue(String key, byte[] value, int retries) throws ChannelException, ProtocolAbortException {
    messagesSent.incrementAndGet();
    int chunk = options.chunkBytes();
    if (value.length <= chunk) {
      push(PushRequest.newBuilder().setSenderRank(selfRank).setKey(key).setValue(ByteString.copyFrom(value)).build(), retries);
      return;
    }
    for (int off = 0; off < value.length; off += chunk) {
      int len = Math.min(chunk, value.length - off);
      push(
          PushRequest.newBuilder()
              .setSenderRank(selfRank)
              .setKey(key)
              .setValue(ByteString.copyFrom(value, off, len))
              .setTransType(TransType.CHUNKED)
              .setChunkInfo(ChunkInfo.newBuilder().setMessageLength(value.length).setChunkOffset(off))
              .build(),
          retries);
    }
  }

  /** Pushes {@code req}, retrying {@code retries} times; -1: once, transient failures as {@link Transient}. */
  private void push(PushRequest req, int retries) throws ChannelException, ProtocolAbortException {
    String what = Mailbox.printable(req.getKey());
    for (int attempt = 0; ; attempt++) {
      PushResponse rsp;
      try {
        rsp = stub.withDeadlineAfter(options.pushTimeout().toNanos(), TimeUnit.NANOSECONDS).push(req);
      } catch (StatusRuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted pushing " + what);
        }
        Status.Code code = e.getStatus().getCode();
        boolean fatal =
            Failures.isTlsRefusal(e)
                || code == Status.Code.UNIMPLEMENTED
                || code == Status.Code.UNAUTHENTICATED
                || code == Status.Code.PERMISSION_DENIED;
        if (fatal) {
          throw pushFailure(e, what, code, true);
        }
        if (attempt >= retries) {
          if (retries < 0) {
            throw new Transient(Failures.describe(e)); // the connect phase: tried once
          }
          throw pushFailure(e, what, code, false);
        }
        Duration pause = options.retryPause(attempt);
        LOG.debug("push of {} to {} failed ({}), retry {} in {}", what, peer, Failures.describe(e), attempt + 1, pause);
        sleep(pause);
        continue;
      }
      bytesSent.addAndGet(req.getSerializedSize());
      int err = rsp.getHeader().getErrorCode();
      if (err != 0) {
        throw new ProtocolAbortException(
            Reason.PEER_ABORTED,
            peer + " refused the push of " + what + ": " + IcHandshake.errorName(err) + " (" + err + "): "
                + printableText(rsp.getHeader().getErrorMsg()));
      }
      return;
    }
  }

  private ChannelException pushFailure(StatusRuntimeException e, String what, Status.Code code, boolean fatal) {
    if (Failures.isTlsRefusal(e)) {
      return new ChannelException(
          ChannelException.Kind.IO, "TLS with " + peer + " failed pushing " + what + ": " + Failures.describe(e));
    }
    if (code == Status.Code.UNIMPLEMENTED) {
      return new ChannelException(
          ChannelException.Kind.IO,
          peer + " does not serve org.interconnection.link.ReceiverService/Push (is it an interconnection endpoint?)");
    }
    ChannelException.Kind kind =
        code == Status.Code.DEADLINE_EXCEEDED ? ChannelException.Kind.TIMEOUT : ChannelException.Kind.IO;
    return new ChannelException(
        kind, "push of " + what + " to " + peer + " failed" + (fatal ? "" : " after retries") + ": " + Failures.describe(e));
  }

  private static void sleep(Duration d) throws ChannelException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted between push retries");
    }
  }

  private static String printableText(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }

  /** Stops the control thread and the client channel. */
  public void shutdown() {
    control.shutdownNow();
    channel.shutdownNow();
  }
}
