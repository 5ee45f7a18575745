package io.jointly.channel;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory channel pair: both parties in one JVM, for tests, benchmarks and the
 * in-process demo. It keeps the full {@link MessageChannel} contract, including flow control: at
 * most {@code capacity} messages wait in a receiver's mailbox, and {@code send} blocks while it is
 * full.
 *
 * <h2>Signs of life in one JVM</h2>
 *
 * Both parties share the process, so a party cannot vanish or fall silent without its end being
 * closed (a party that fails closes it; {@link TwoPartyRun} closes both ends when either party
 * fails and at its hard time-out). The pair therefore looks at the peer's end directly: an open end
 * is alive, and it is at work unless it is <em>waiting</em> — a {@code receive} blocked on it and
 * no {@code send} in progress (every message sent has reached it at once). So:
 *
 * <ul>
 *   <li>{@code receive} waits for as long as the peer works, however long that is, and fails with
 *       {@code TIMEOUT} once the peer has been waiting for this party for {@code timeout} while
 *       this party waits for it (a lost message or a protocol error: neither would ever send);
 *   <li>{@code send} on a full mailbox waits until the peer takes a message or closes: a peer that
 *       does not take messages is either busy (alive) or waiting for a key the full mailbox does
 *       not hold, in which case its {@code receive} fails at once ({@code UNEXPECTED_MESSAGE}) and
 *       the party closes its end;
 *   <li>an end that nobody closes after its party stopped using it looks busy forever: close ends
 *       that are no longer used (as processes do when they exit).
 * </ul>
 *
 * <p>Thread-safe: both ends of a pair share one lock.
 */
public final class InMemoryChannel implements MessageChannel {

  /** Default number of messages that may wait unreceived in one direction. */
  public static final int DEFAULT_CAPACITY = 16;

  /** Default largest payload accepted (64 MiB). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

  private final String sessionId;
  private final String self;
  private final String peer;
  private final Link link;
  private final End mine;
  private final End theirs;

  private InMemoryChannel(
      String sessionId, String self, String peer, Link link, End mine, End theirs) {
    this.sessionId = sessionId;
    this.self = self;
    this.peer = peer;
    this.link = link;
    this.mine = mine;
    this.theirs = theirs;
  }

  /** A connected pair with default capacity and message size limit. */
  public static ChannelPair pair(String sessionId, String first, String second) {
    return pair(sessionId, first, second, DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * A connected pair.
   *
   * @param capacity messages that may wait unreceived in one direction before {@code send} blocks
   * @param maxMessageBytes the largest payload a receiver accepts
   */
  public static ChannelPair pair(
      String sessionId, String first, String second, int capacity, int maxMessageBytes) {
    Objects.requireNonNull(sessionId);
    if (first.equals(second)) {
      throw new IllegalArgumentException("the two parties need distinct names");
    }
    if (capacity < 1 || maxMessageBytes < 1) {
      throw new IllegalArgumentException("capacity and maxMessageBytes must be positive");
    }
    Link link = new Link(capacity, maxMessageBytes);
    End a = new End();
    End b = new End();
    return new ChannelPair(
        new InMemoryChannel(sessionId, first, second, link, a, b),
        new InMemoryChannel(sessionId, second, first, link, b, a));
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
    ReentrantLock lock = link.lock;
    lock.lock();
    try {
      mine.sending++;
      mine.stateChanged(System.nanoTime());
      link.changed.signalAll(); // this end is at work: a peer timing our silence re-reads it
      try {
        while (!mine.closed && !theirs.closed && theirs.pending.size() >= link.capacity) {
          link.changed.await();
        }
      } finally {
        mine.sending--;
        mine.stateChanged(System.nanoTime());
        link.changed.signalAll();
      }
      if (mine.closed) {
        throw new ChannelException(ChannelException.Kind.CLOSED, "channel is closed");
      }
      if (theirs.closed) {
        throw new ChannelException(
            ChannelException.Kind.CLOSED, peer + " closed the channel before " + key + " was sent");
      }
      theirs.deliver(key, payload, link.maxMessageBytes);
      link.changed.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while sending");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Objects.requireNonNull(key);
    Objects.requireNonNull(timeout);
    ReentrantLock lock = link.lock;
    lock.lock();
    long start = System.nanoTime();
    mine.awaited.add(key);
    mine.stateChanged(start);
    link.changed.signalAll();
    try {
      while (true) {
        if (mine.poison != null) {
          throw mine.poison;
        }
        Bytes payload = mine.pending.remove(key);
        if (payload != null) {
          link.changed.signalAll(); // room in the mailbox
          return payload;
        }
        if (mine.closed) {
          throw new ChannelException(
              ChannelException.Kind.CLOSED, "channel closed while waiting for " + key);
        }
        if (theirs.closed) {
          throw new ChannelException(
              ChannelException.Kind.CLOSED, peer + " closed the channel while " + key + " was awaited");
        }
        if (mine.pending.size() >= link.capacity && !mine.holdsAnyAwaited()) {
          throw new ProtocolAbortException(
              ProtocolAbortException.Reason.UNEXPECTED_MESSAGE,
              link.capacity
                  + " messages from "
                  + peer
                  + " wait unreceived and none is "
                  + key
                  + ": the peer sent too far ahead");
        }
        long now = System.nanoTime();
        long lastWork = theirs.waiting() ? theirs.waitingSince : now;
        long deadline = Math.max(start, lastWork) + timeout.toNanos();
        if (now - deadline >= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT,
              "no message "
                  + key
                  + " from "
                  + peer
                  + ": both parties have waited for each other for "
                  + timeout);
        }
        link.changed.awaitNanos(deadline - now);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(
          ChannelException.Kind.INTERRUPTED, "interrupted while waiting for " + key);
    } finally {
      mine.awaited.remove(key);
      mine.stateChanged(System.nanoTime());
      link.changed.signalAll();
      lock.unlock();
    }
  }

  @Override
  public void close() {
    link.lock.lock();
    try {
      mine.closed = true;
      link.changed.signalAll();
    } finally {
      link.lock.unlock();
    }
  }

  /** What both ends share: one lock, the limits. */
  private static final class Link {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final int capacity;
    final int maxMessageBytes;

    Link(int capacity, int maxMessageBytes) {
      this.capacity = capacity;
      this.maxMessageBytes = maxMessageBytes;
    }
  }

  /** One party's end: its mailbox and what it is doing. All guarded by the link's lock. */
  private static final class End {
    final Map<RoundKey, Bytes> pending = new HashMap<>();
    final Set<RoundKey> seen = new HashSet<>();
    /** The keys this end's blocked receivers wait for (one entry per receiver). */
    final List<RoundKey> awaited = new ArrayList<>();
    ProtocolAbortException poison;
    boolean closed;
    int sending;
    /** When this end last started waiting (valid while {@link #waiting()}). */
    long waitingSince;
    private boolean wasWaiting;

    boolean waiting() {
      return !awaited.isEmpty() && sending == 0;
    }

    /** Records when the end starts waiting; call after every change of awaited or sending. */
    void stateChanged(long now) {
      boolean w = waiting();
      if (w && !wasWaiting) {
        waitingSince = now;
      }
      wasWaiting = w;
    }

    boolean holdsAnyAwaited() {
      for (RoundKey k : awaited) {
        if (pending.containsKey(k)) {
          return true;
        }
      }
      return false;
    }

    void deliver(RoundKey key, Bytes payload, int maxMessageBytes) {
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
    }
  }
}
