package io.jointly.transport.ic.internal;

import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one party has received from its peer, by logical key (spec §3.3–3.4): messages wait here
 * until the protocol asks for their key, in whatever order they arrived. It also holds the
 * control state of the reference's channel layer: the sequence numbers received (for the FIN gap
 * check), the ACKs received for this party's own messages, and the peer's FIN count.
 *
 * <p>Duplicates: a repeated (key, seq &gt; 0) is a retry and is dropped, as the reference drops it;
 * the same logical key with another seq &gt; 0 is the reference's fatal "same key" bug, and poisons
 * the mailbox ({@code REPLAYED_MESSAGE}); a key without a sequence number that arrives again is
 * dropped if it was already taken or carries the same bytes, and poisons the mailbox otherwise.
 * Once poisoned (a protocol violation), every waiting and later {@link #take} fails; once closed
 * (a channel failure), messages that had arrived can still be taken. Thread-safe.
 */
public final class Mailbox {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Entry> waiting = new HashMap<>();
  private final Map<String, Long> seen = new HashMap<>();
  private final BitSet receivedSeqs = new BitSet();
  private final BitSet acks = new BitSet();
  private long peerFin = -1;
  private JointlyException failure;

  /** A received message: its bytes and sequence number (0 if it had none). */
  public record Entry(byte[] value, long seq) {}

  /**
   * Stores a normal message. Returns true if it is new, false if it was a dropped duplicate.
   */
  public boolean put(String logical, long seq, byte[] value) {
    lock.lock();
    try {
      if (failure != null) {
        return false;
      }
      if (seq > 0) {
        if (seq > Integer.MAX_VALUE) {
          fail(new ProtocolAbortException(Reason.MALFORMED_MESSAGE, "sequence number " + seq + " out of range"));
          return false;
        }
        if (receivedSeqs.get((int) seq)) {
          return false; // a retry of a message already here
        }
        receivedSeqs.set((int) seq);
      }
      Long earlier = seen.get(logical);
      if (earlier != null) {
        Entry pending = waiting.get(logical);
        boolean sameRetry =
            seq == 0 && earlier == 0 && (pending == null || Arrays.equals(pending.value, value));
        if (!sameRetry) {
          fail(
              new ProtocolAbortException(
                  Reason.REPLAYED_MESSAGE,
                  "key " + printable(logical) + " arrived twice (sequence " + earlier + ", then " + seq + ")"));
        }
        return false;
      }
      seen.put(logical, seq);
      waiting.put(logical, new Entry(value, seq));
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Records an ACK for this party's message {@code seq}. */
  public void ack(long seq) {
    lock.lock();
    try {
      if (seq < 1 || seq > Integer.MAX_VALUE) {
        fail(new ProtocolAbortException(Reason.MALFORMED_MESSAGE, "ACK of sequence number " + seq));
        return;
      }
      acks.set((int) seq);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Records the peer's FIN (the first one counts). */
  public void fin(long count) {
    lock.lock();
    try {
      if (count < 0 || count > Integer.MAX_VALUE) {
        fail(new ProtocolAbortException(Reason.MALFORMED_MESSAGE, "FIN with count " + count));
        return;
      }
      if (peerFin < 0) {
        peerFin = count;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fails every waiting and later {@link #take} with {@code e} (the first failure wins). */
  public void fail(JointlyException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the message with this logical key and removes it.
   *
   * @throws ChannelException {@code TIMEOUT} after {@code timeout}, {@code INTERRUPTED} if
   *     interrupted, or the failure the mailbox was closed with
   * @throws ProtocolAbortException if the mailbox was poisoned
   */
  public Entry take(String logical, Duration timeout, String what)
      throws ChannelException, ProtocolAbortException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        if (failure instanceof ProtocolAbortException) {
          rethrowFailure(); // the peer broke the protocol: nothing it sent is used any more
        }
        Entry e = waiting.remove(logical);
        if (e != null) {
          return e;
        }
        rethrowFailure();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT, "no " + what + " from the peer within " + timeout);
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted waiting for " + what);
    } finally {
      lock.unlock();
    }
  }

  /** The sequence numbers of messages received but not taken (to ACK them all at the end). */
  public long[] untakenSeqs() {
    lock.lock();
    try {
      return waiting.values().stream().mapToLong(Entry::seq).filter(s -> s > 0).toArray();
    } finally {
      lock.unlock();
    }
  }

  /** How many distinct ACKs arrived. */
  public int ackCount() {
    lock.lock();
    try {
      return acks.cardinality();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until at least {@code count} distinct ACKs arrived. */
  public void awaitAcks(long count, Duration timeout, String what)
      throws ChannelException, ProtocolAbortException {
    awaitCondition(() -> acks.cardinality() >= count, timeout, what);
  }

  /** Waits for the peer's FIN and returns its count. */
  public long awaitFin(Duration timeout) throws ChannelException, ProtocolAbortException {
    awaitCondition(() -> peerFin >= 0, timeout, "FIN");
    lock.lock();
    try {
      return peerFin;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until messages with sequence numbers 1..{@code n} all arrived. */
  public void awaitSeqs(long n, Duration timeout) throws ChannelException, ProtocolAbortException {
    awaitCondition(
        () -> n == 0 || (receivedSeqs.nextClearBit(1) > n), timeout, "messages 1.." + n + " the peer's FIN announced");
  }

  private void awaitCondition(java.util.function.BooleanSupplier ok, Duration timeout, String what)
      throws ChannelException, ProtocolAbortException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!ok.getAsBoolean()) {
        rethrowFailure();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ChannelException(
              ChannelException.Kind.TIMEOUT, "no " + what + " from the peer within " + timeout);
        }
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted waiting for " + what);
    } finally {
      lock.unlock();
    }
  }

  private void rethrowFailure() throws ChannelException, ProtocolAbortException {
    if (failure instanceof ProtocolAbortException p) {
      throw new ProtocolAbortException(p.reason(), stripReason(p), p);
    }
    if (failure instanceof ChannelException c) {
      throw new ChannelException(c.kind(), stripKind(c), c);
    }
    if (failure != null) {
      throw new ChannelException(ChannelException.Kind.IO, failure.getMessage(), failure);
    }
  }

  private static String stripReason(ProtocolAbortException p) {
    return p.getMessage().substring(p.reason().toString().length() + 2);
  }

  private static String stripKind(ChannelException c) {
    return c.getMessage().substring(c.kind().toString().length() + 2);
  }

  /** A key for messages: control bytes shown as \xNN. */
  static String printable(String key) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < key.length() && i < 120; i++) {
      char c = key.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format("\\x%02x", (int) c & 0xFF));
      }
    }
    return b.toString();
  }
}
