package io.jointly.transport.ic.internal;

import io.grpc.stub.StreamObserver;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.ResponseHeader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * This party's {@code org.interconnection.link.ReceiverService} (spec §3.1, §3.5, §3.6), served
 * over gRPC and, by {@link BaiduStdHandler}, over brpc's baidu_std ({@link #handle}): takes
 * the peer's pushes into the {@link Mailbox}, reassembles CHUNKED values, records ACKs and FIN,
 * and acknowledges every sequenced message as it arrives (the reference acknowledges when its
 * algorithm reads a message; acknowledging on arrival never lets the peer's window wait on this
 * party's progress). Answers OK ({@code 0a00}) to every well-formed push, including keys not
 * expected yet; {@code UNEXPECTED_ERROR} for another sender rank; {@code INVALID_REQUEST} for an
 * unknown transfer type or a malformed key, chunk or control value, which also poisons the
 * mailbox. Thread-safe.
 */
public final class Receiver extends ReceiverServiceGrpc.ReceiverServiceImplBase {
  /** Chunked values that may be in reassembly at once. */
  static final int MAX_PARTIAL_MESSAGES = 16;

  private static final PushResponse OK =
      PushResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build();

  private final int selfRank;
  private final int peerRank;
  private final Mailbox mailbox;
  private final long maxMessageBytes;
  private final LongConsumer acker;
  private final Map<String, Partial> partial = new HashMap<>();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();

  public Receiver(int selfRank, int peerRank, Mailbox mailbox, long maxMessageBytes, LongConsumer acker) {
    this.selfRank = selfRank;
    this.peerRank = peerRank;
    this.mailbox = mailbox;
    this.maxMessageBytes = maxMessageBytes;
    this.acker = acker;
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  public long messagesReceived() {
    return messagesReceived.get();
  }

  /** A push over gRPC. */
  @Override
  public void push(PushRequest req, StreamObserver<PushResponse> out) {
    out.onNext(handle(req));
    out.onCompleted();
  }

  /**
   * Takes one push, whichever RPC protocol carried it (gRPC or brpc's baidu_std), and returns the
   * answer. Never blocks on the protocol: it stores, reassembles and queues an ACK.
   */
  public PushResponse handle(PushRequest req) {
    bytesReceived.addAndGet(req.getSerializedSize());
    if (req.getSenderRank() != peerRank) {
      return error(
          31100001,
          "dispatch error, key=" + Mailbox.printable(req.getKey()) + ", listener rank="
              + Long.toUnsignedString(req.getSenderRank()) + " not found");
    }
    return switch (req.getTransTypeValue()) {
      case 0 -> deliver(req.getKey(), req.getValue().toByteArray());
      case 1 -> chunk(req);
      default -> refuse("unknown trans_type " + req.getTransTypeValue());
    };
  }

  /**
   * A push that could not even be read (a malformed or oversized baidu_std frame, a request body
   * that is no {@code PushRequest}): the peer's message is lost, so the session fails now with
   * {@code MALFORMED_MESSAGE} rather than by a time-out later.
   */
  public void malformed(String why) {
    mailbox.fail(new ProtocolAbortException(Reason.MALFORMED_MESSAGE, "rank " + peerRank + " pushed a malformed message: " + why));
  }

  private PushResponse chunk(PushRequest req) {
    long length = req.getChunkInfo().getMessageLength();
    long offset = req.getChunkInfo().getChunkOffset();
    int len = req.getValue().size();
    String key = req.getKey();
    if (length < 1 || length > maxMessageBytes) {
      return refuse("chunked message_length " + Long.toUnsignedString(length) + " exceeds " + maxMessageBytes);
    }
    if (offset < 0 || len == 0 || offset + len > length) {
      return refuse("chunk at " + Long.toUnsignedString(offset) + " of " + len + " bytes beyond message_length " + length);
    }
    byte[] complete;
    synchronized (partial) {
      Partial p = partial.get(key);
      if (p == null) {
        if (partial.size() >= MAX_PARTIAL_MESSAGES) {
          return refuse("more than " + MAX_PARTIAL_MESSAGES + " chunked messages in reassembly");
        }
        p = new Partial(new byte[(int) length]);
        partial.put(key, p);
      }
      if (p.buffer.length != length) {
        return refuse("chunks of " + Mailbox.printable(key) + " announce different lengths");
      }
      Integer earlier = p.chunks.get(offset);
      if (earlier != null) {
        if (earlier != len) {
          return refuse("chunks of " + Mailbox.printable(key) + " at " + offset + " differ in length");
        }
        return OK; // a retried chunk
      }
      var before = p.chunks.floorEntry(offset);
      var after = p.chunks.ceilingEntry(offset);
      if ((before != null && before.getKey() + before.getValue() > offset)
          || (after != null && offset + len > after.getKey())) {
        return refuse("chunks of " + Mailbox.printable(key) + " overlap");
      }
      req.getValue().copyTo(p.buffer, (int) offset);
      p.chunks.put(offset, len);
      p.written += len;
      if (p.written < length) {
        return OK;
      }
      partial.remove(key);
      complete = p.buffer;
    }
    return deliver(key, complete);
  }

  private PushResponse deliver(String key, byte[] value) {
    if (key.equals(IcKeys.ACK) || key.equals(IcKeys.FIN)) {
      long n = IcKeys.parseDecimal(new String(value, StandardCharsets.US_ASCII));
      if (n < 0) {
        return refuse((key.equals(IcKeys.ACK) ? "ACK" : "FIN") + " value is not a decimal number");
      }
      if (key.equals(IcKeys.ACK)) {
        mailbox.ack(n);
      } else {
        mailbox.fin(n);
      }
      return OK;
    }
    IcKeys.Split split = IcKeys.split(key);
    if (split == null) {
      return refuse("key " + Mailbox.printable(key) + " has a malformed sequence suffix");
    }
    messagesReceived.incrementAndGet();
    if (mailbox.put(split.logical(), split.seq(), value) && split.seq() > 0) {
      acker.accept(split.seq());
    }
    return OK;
  }

  private PushResponse refuse(String why) {
    malformed(why);
    return error(IcHandshake.INVALID_REQUEST, why);
  }

  private static PushResponse error(int code, String message) {
    return PushResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setErrorCode(code).setErrorMsg(message))
        .build();
  }

  /** A chunked value in reassembly: its buffer and the chunks seen (offset → length). */
  private static final class Partial {
    final byte[] buffer;
    final TreeMap<Long, Integer> chunks = new TreeMap<>();
    long written;

    Partial(byte[] buffer) {
      this.buffer = buffer;
    }
  }

  @Override
  public String toString() {
    return "Receiver[rank " + selfRank + ", from rank " + peerRank + "]";
  }
}
