package io.jointly.channel;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory channel pair: both parties in one JVM, for tests, benchmarks and the
 * in-process demo. It keeps the full {@link MessageChannel} contract, including flow control: at
 * most {@code capacity} messages wait in a receiver's mailbox, and {@code send} blocks (up to the
 * send time-out) while it is full.
 *
 * <p>Thread-safe.
 */
public final class InMemoryChannel implements MessageChannel {

  /** Default number of messages that may wait unreceived in one direction. */
  public static final int DEFAULT_CAPACITY = 16;

  /** Default largest payload accepted (64 MiB). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

  /** Default time a {@code send} may block on a full mailbox. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofMinutes(2);

  private final String sessionId;
  private final String self;
  private final String peer;
  private final Mailbox inbox;
  private final Mailbox outbox;
  private final Duration sendTimeout;

  private InMemoryChannel(
      String sessionId, String self, String peer, Mailbox inbox, Mailbox outbox, Duration sendTimeout) {
    this.sessionId = sessionId;
    this.self = self;
    this.peer = peer;
    this.inbox = inbox;
    this.outbox = outbox;
    this.sendTimeout = sendTimeout;
  }

  /** A connected pair with default capacity, message size limit and send time-out. */
  public static ChannelPair pair(String sessionId, String first, String second) {
    return pair(sessionId, first, second, DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_SEND_TIMEOUT);
  }

  /** A connected pair. */
  public static ChannelPair pair(
      String sessionId,
      String first,
      String second,
      int capacity,
      int maxMessageBytes,
      Duration sendTimeout) {
    Objects.requireNonNull(sessionId);
    if (first.equals(second)) {
      throw new IllegalArgumentException("the two parties need distinct names");
    }
    if (capacity < 1 || maxMessageBytes < 1) {
      throw new IllegalArgumentException("capacity and maxMessageBytes must be positive");
    }
    Mailbox toFirst = new Mailbox(capacity, maxMessageBytes);
    Mailbox toSecond = new Mailbox(capacity, maxMessageBytes);
    return new ChannelPair(
        new InMemoryChannel(sessionId, first, second, toFirst, toSecond, sendTimeout),
        new InMemoryChannel(sessionId, second, first, toSecond, toFirst, sendTimeout));
  }

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
    Objects.requireNonNull(key);
    Objects.requireNonNull(payload);
    outbox.put(key, payload, sendTimeout);
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Objects.requireNonNull(key);
    return inbox.take(key, timeout);
  }

  @Override
  public void close() {
    inbox.close();
    outbox.close();
  }

  /** The messages addressed to one party. */
  private static final class Mailbox {
    private final int capacity;
    private final int maxMessageBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<RoundKey, Bytes> pending = new HashMap<>();
    private final Set<RoundKey> seen = new HashSet<>();
    private ProtocolAbortException poison;
    private boolean closed;

    Mailbox(int capacity, int maxMessageBytes) {
      this.capacity = capacity;
      this.maxMessageBytes = maxMessageBytes;
    }

    void put(RoundKey key, Bytes payload, Duration timeout) throws ChannelException {
      lock.lock();
      try {
        long nanos = timeout.toNanos();
        while (!closed && pending.size() >= capacity) {
          if (nanos <= 0) {
            throw new ChannelException(
                ChannelException.Kind.TIMEOUT, "peer did not consume messages within " + timeout);
          }
          nanos = changed.awaitNanos(nanos);
        }
        if (closed) {
          throw new ChannelException(ChannelException.Kind.CLOSED, "channel is closed");
        }
        if (poison != null) {
          return; // the receiver has already aborted; further messages are dropped
        }
        if (payload.length() > maxMessageBytes) {
          poison =
              new ProtocolAbortException(
                  ProtocolAbortException.Reason.MALFORMED_MESSAGE,
                  "message " + key + " of " + payload.length() + " bytes exceeds the limit of "
                      + maxMessageBytes);
        } else if (!seen.add(key)) {
          poison =
              new ProtocolAbortException(
                  ProtocolAbortException.Reason.REPLAYED_MESSAGE,
                  "message " + key + " arrived more than once");
        } else {
          pending.put(key, payload);
        }
        changed.signalAll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while sending");
      } finally {
        lock.unlock();
      }
    }

    Bytes take(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
      lock.lock();
      try {
        long nanos = timeout.toNanos();
        while (true) {
          if (poison != null) {
            throw poison;
          }
          Bytes payload = pending.remove(key);
          if (payload != null) {
            changed.signalAll();
            return payload;
          }
          if (closed) {
            throw new ChannelException(
                ChannelException.Kind.CLOSED, "channel closed while waiting for " + key);
          }
          if (nanos <= 0) {
            throw new ChannelException(
                ChannelException.Kind.TIMEOUT, "no message " + key + " within " + timeout);
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

    void close() {
      lock.lock();
      try {
        closed = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

}
