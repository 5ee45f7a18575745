package io.jointly.psi.ic;

import io.jointly.channel.ChannelStats;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two ends of an in-memory {@link IcLink}: values pass through unbounded queues, one per stage and
 * direction, plus the two handshake messages. {@link #close()} on either end makes every waiting
 * and later receive at both ends fail with {@code CLOSED}. Tests only.
 */
final class InMemoryIcLink implements IcLink {
  private static final Object CLOSED = new Object();

  private final Map<IcStage, BlockingQueue<Object>> in;
  private final Map<IcStage, BlockingQueue<Object>> out;
  private final BlockingQueue<Object> handshakeIn;
  private final BlockingQueue<Object> handshakeOut;
  private final AtomicBoolean closed;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  private InMemoryIcLink(
      Map<IcStage, BlockingQueue<Object>> in,
      Map<IcStage, BlockingQueue<Object>> out,
      BlockingQueue<Object> handshakeIn,
      BlockingQueue<Object> handshakeOut,
      AtomicBoolean closed) {
    this.in = in;
    this.out = out;
    this.handshakeIn = handshakeIn;
    this.handshakeOut = handshakeOut;
    this.closed = closed;
  }

  /** Ends for rank 0 ({@code [0]}) and rank 1 ({@code [1]}). */
  static InMemoryIcLink[] pair() {
    Map<IcStage, BlockingQueue<Object>> zeroToOne = queues();
    Map<IcStage, BlockingQueue<Object>> oneToZero = queues();
    BlockingQueue<Object> h01 = new LinkedBlockingQueue<>();
    BlockingQueue<Object> h10 = new LinkedBlockingQueue<>();
    AtomicBoolean closed = new AtomicBoolean();
    return new InMemoryIcLink[] {
      new InMemoryIcLink(oneToZero, zeroToOne, h10, h01, closed),
      new InMemoryIcLink(zeroToOne, oneToZero, h01, h10, closed)
    };
  }

  private static Map<IcStage, BlockingQueue<Object>> queues() {
    Map<IcStage, BlockingQueue<Object>> m = new EnumMap<>(IcStage.class);
    for (IcStage s : IcStage.values()) {
      m.put(s, new LinkedBlockingQueue<>());
    }
    return m;
  }

  /** Closes both ends. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      for (BlockingQueue<Object> q : in.values()) {
        q.add(CLOSED);
      }
      for (BlockingQueue<Object> q : out.values()) {
        q.add(CLOSED);
      }
      handshakeIn.add(CLOSED);
      handshakeOut.add(CLOSED);
    }
  }

  @Override
  public void sendRequest(IcHandshake.Request request) throws ChannelException {
    put(handshakeOut, request);
  }

  @Override
  public IcHandshake.Response receiveResponse(Duration timeout) throws ChannelException {
    return (IcHandshake.Response) take(handshakeIn, timeout);
  }

  @Override
  public IcHandshake.Request receiveRequest(Duration timeout) throws ChannelException {
    return (IcHandshake.Request) take(handshakeIn, timeout);
  }

  @Override
  public void sendResponse(IcHandshake.Response response) throws ChannelException {
    put(handshakeOut, response);
  }

  @Override
  public void send(IcStage stage, CipherBatch batch) throws ChannelException {
    put(out.get(stage), batch);
  }

  @Override
  public CipherBatch receive(IcStage stage, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    return (CipherBatch) take(in.get(stage), timeout);
  }

  @Override
  public ChannelStats stats() {
    return new ChannelStats(0, 0, sent.get(), received.get());
  }

  private void put(BlockingQueue<Object> q, Object value) throws ChannelException {
    if (closed.get()) {
      throw new ChannelException(ChannelException.Kind.CLOSED, "in-memory link closed");
    }
    q.add(value);
    sent.incrementAndGet();
  }

  private Object take(BlockingQueue<Object> q, Duration timeout) throws ChannelException {
    try {
      Object v = q.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (v == null) {
        throw new ChannelException(ChannelException.Kind.TIMEOUT, "nothing within " + timeout);
      }
      if (v == CLOSED) {
        q.add(CLOSED);
        throw new ChannelException(ChannelException.Kind.CLOSED, "in-memory link closed");
      }
      received.incrementAndGet();
      return v;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted");
    }
  }
}
