package io.jointly.channel;

import static io.jointly.core.ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Decorator keeping SHA-256 digests of every message sent and received (key and payload, each
 * length-prefixed). At the end of a run each party sends the digest of what it sent; the peer
 * compares it with the digest of what it received, so any message altered, dropped, added or
 * replayed in transit ends the run with {@code TRANSCRIPT_MISMATCH} instead of a wrong answer
 * ({@link #confirm}). Every protocol whose answer depends on its messages ends with it.
 *
 * <p>Thread-safe: one thread may send while another receives (each direction's digest is updated
 * under its own lock, in the order the messages pass the inner channel). The run agreement of
 * {@code io.jointly.compliance} digests a whole run through it, whatever threads its protocol uses.
 */
public final class TranscriptChannel implements MessageChannel {
  private final MessageChannel inner;
  private final MessageDigest sent = sha256();
  private final MessageDigest received = sha256();

  public TranscriptChannel(MessageChannel inner) {
    this.inner = inner;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * Absorbs one message into a transcript digest: the key (protocol length-prefixed, round,
   * sequence) and the payload (length-prefixed). Shared with protocols that keep their own
   * transcript (for example one that must survive a resume).
   */
  public static void absorb(MessageDigest d, RoundKey key, Bytes payload) {
    byte[] p = key.protocol().getBytes(StandardCharsets.US_ASCII);
    d.update((byte) p.length);
    d.update(p);
    update32(d, key.round());
    update32(d, key.sequence());
    update32(d, payload.length());
    d.update(payload.toByteArray());
  }

  private static void update32(MessageDigest d, int v) {
    d.update((byte) (v >>> 24));
    d.update((byte) (v >>> 16));
    d.update((byte) (v >>> 8));
    d.update((byte) v);
  }

  private static final int DIGEST_LENGTH = 32;

  /**
   * Both parties send the digests of what they sent and what they received (under {@code key},
   * outside the transcript); each checks both against its own, so that an alteration in either
   * direction aborts both parties, not only the receiver.
   *
   * @throws ProtocolAbortException {@code TRANSCRIPT_MISMATCH} if the transcripts differ, or
   *     {@code MALFORMED_MESSAGE} if the peer's confirmation has the wrong length
   */
  public void confirm(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    byte[] sentNow = sentDigest();
    byte[] receivedNow = receivedDigest();
    byte[] mine = new byte[2 * DIGEST_LENGTH];
    System.arraycopy(sentNow, 0, mine, 0, DIGEST_LENGTH);
    System.arraycopy(receivedNow, 0, mine, DIGEST_LENGTH, DIGEST_LENGTH);
    inner.send(key, Bytes.wrap(mine));
    Bytes theirs = inner.receive(key, timeout);
    Abort.unlessWellFormed(
        theirs.length() == 2 * DIGEST_LENGTH,
        "CONFIRM has " + theirs.length() + " bytes, expected " + 2 * DIGEST_LENGTH);
    byte[] t = theirs.toByteArray();
    boolean theySentWhatIReceived =
        MessageDigest.isEqual(Arrays.copyOfRange(t, 0, DIGEST_LENGTH), receivedNow);
    boolean theyReceivedWhatISent =
        MessageDigest.isEqual(Arrays.copyOfRange(t, DIGEST_LENGTH, 2 * DIGEST_LENGTH), sentNow);
    Abort.unless(
        theySentWhatIReceived,
        TRANSCRIPT_MISMATCH,
        "the messages this party received differ from those the peer sent");
    Abort.unless(
        theyReceivedWhatISent,
        TRANSCRIPT_MISMATCH,
        "the messages the peer received differ from those this party sent");
  }

  /** The digest of everything sent so far (the running digest continues). */
  public byte[] sentDigest() {
    return snapshot(sent);
  }

  /** The digest of everything received so far (the running digest continues). */
  public byte[] receivedDigest() {
    return snapshot(received);
  }

  private static byte[] snapshot(MessageDigest d) {
    synchronized (d) {
      try {
        return ((MessageDigest) d.clone()).digest();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digest must be cloneable", e);
      }
    }
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
    synchronized (sent) {
      inner.send(key, payload);
      absorb(sent, key, payload);
    }
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    Bytes payload = inner.receive(key, timeout);
    synchronized (received) {
      absorb(received, key, payload);
    }
    return payload;
  }

  @Override
  public void close() {
    inner.close();
  }
}
