package io.jointly.channel;

import java.nio.charset.StandardCharsets;

/**
 * The address of one message within a session: which protocol, which round (the round enum's
 * explicit wire code, never its ordinal) and which message of the round (batches of a streamed
 * round are numbered from 0). Sender and receiver are fixed by the channel the message travels on,
 * the session by the channel's session id.
 *
 * <p>Within one session and direction every key is used at most once: a key seen twice is a
 * replay, and the receiving channel aborts.
 *
 * @param protocol a short lower-case name such as {@code ecdh-psi} (1–32 of {@code [a-z0-9-]})
 * @param round the round's wire code, 0–65535
 * @param sequence the message number within the round, ≥ 0
 */
public record RoundKey(String protocol, int round, int sequence) {

  /** Maximum length of {@link #protocol()}. */
  public static final int MAX_PROTOCOL_LENGTH = 32;

  public RoundKey {
    if (protocol == null
        || protocol.isEmpty()
        || protocol.length() > MAX_PROTOCOL_LENGTH
        || !protocol.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      throw new IllegalArgumentException("protocol must be 1-32 of [a-z0-9-]");
    }
    if (round < 0 || round > 0xFFFF) {
      throw new IllegalArgumentException("round out of range: " + round);
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
    }
  }

  /** Key of the single message of a round. */
  public static RoundKey of(String protocol, int round) {
    return new RoundKey(protocol, round, 0);
  }

  /** The same round, message {@code seq}. */
  public RoundKey withSequence(int seq) {
    return new RoundKey(protocol, round, seq);
  }

  /**
   * Bytes this key takes in a frame header: protocol (length-prefixed), round (2) and sequence
   * (4). Used by {@link CountingChannel} to count framing honestly on channels without a wire.
   */
  public int encodedLength() {
    return 1 + protocol.getBytes(StandardCharsets.US_ASCII).length + 2 + 4;
  }

  @Override
  public String toString() {
    return protocol + "/" + round + "#" + sequence;
  }
}
