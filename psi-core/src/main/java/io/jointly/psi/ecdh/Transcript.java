package io.jointly.psi.ecdh;

import static io.jointly.core.ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The transcript check of {@link io.jointly.channel.TranscriptChannel}, in a form a checkpoint can
 * save: what was sent and what was received are each hashed in segments, and at every checkpoint
 * boundary a segment is folded into a chain, {@code chain = SHA-256(chain || SHA-256(segment))}.
 * Both parties fold at the same batch boundaries, so a resumed run continues from the chains saved
 * at the boundary it restarts from, and {@link #confirm} compares the final chains: any message
 * altered, dropped, added or replayed in transit, before or after a resume, aborts both parties.
 *
 * <p>Each message is absorbed as {@link TranscriptChannel#absorb} does. Not thread-safe: the protocol sends and receives on one thread.
 */
final class Transcript {
  static final int CHAIN_BYTES = 32;

  private final MessageChannel inner;
  private final MessageDigest sentSegment = sha256();
  private final MessageDigest receivedSegment = sha256();
  private byte[] sentChain;
  private byte[] receivedChain;

  Transcript(MessageChannel inner, byte[] sentChain, byte[] receivedChain) {
    this.inner = inner;
    this.sentChain = sentChain.clone();
    this.receivedChain = receivedChain.clone();
  }

  /** A transcript with empty chains (all zero). */
  static Transcript fresh(MessageChannel inner) {
    return new Transcript(inner, new byte[CHAIN_BYTES], new byte[CHAIN_BYTES]);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  void send(RoundKey key, Bytes payload) throws ChannelException {
    TranscriptChannel.absorb(sentSegment, key, payload);
    inner.send(key, payload);
  }

  Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    Bytes payload = inner.receive(key, timeout);
    TranscriptChannel.absorb(receivedSegment, key, payload);
    return payload;
  }

  /** Folds the current segments into the chains (at a checkpoint boundary). */
  void fold() {
    sentChain = fold(sentChain, sentSegment);
    receivedChain = fold(receivedChain, receivedSegment);
  }

  private static byte[] fold(byte[] chain, MessageDigest segment) {
    MessageDigest d = sha256();
    d.update(chain);
    d.update(segment.digest()); // also resets the segment
    return d.digest();
  }

  byte[] sentChain() {
    return sentChain.clone();
  }

  byte[] receivedChain() {
    return receivedChain.clone();
  }

  /**
   * Folds, sends this party's chains under {@code key} (outside the transcript) and checks the
   * peer's against its own, in both directions.
   *
   * @throws ProtocolAbortException {@code TRANSCRIPT_MISMATCH} if they differ, {@code
   *     MALFORMED_MESSAGE} if the peer's confirmation has the wrong length
   */
  void confirm(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    fold();
    byte[] mine = new byte[2 * CHAIN_BYTES];
    System.arraycopy(sentChain, 0, mine, 0, CHAIN_BYTES);
    System.arraycopy(receivedChain, 0, mine, CHAIN_BYTES, CHAIN_BYTES);
    inner.send(key, Bytes.wrap(mine));
    Bytes theirs = inner.receive(key, timeout);
    Abort.unlessWellFormed(
        theirs.length() == 2 * CHAIN_BYTES,
        "CONFIRM has " + theirs.length() + " bytes, expected " + 2 * CHAIN_BYTES);
    byte[] t = theirs.toByteArray();
    Abort.unless(
        MessageDigest.isEqual(Arrays.copyOfRange(t, 0, CHAIN_BYTES), receivedChain),
        TRANSCRIPT_MISMATCH,
        "the messages this party received differ from those the peer sent");
    Abort.unless(
        MessageDigest.isEqual(Arrays.copyOfRange(t, CHAIN_BYTES, 2 * CHAIN_BYTES), sentChain),
        TRANSCRIPT_MISMATCH,
        "the messages the peer received differ from those this party sent");
  }
}
