package io.jointly.transport.ic.internal;

/**
 * Message keys of the white-box transport (spec §3.2, §3.3): the standard's logical keys and the
 * reference's (yacl's) sequence suffix and control keys.
 *
 * <ul>
 *   <li>connect: {@code connect_{rank}}, sent once each way before anything else;
 *   <li>P2P: {@code {channel}:P2P-{n}:{src}->{dst}}, one counter per (channel, source,
 *       destination), starting at 1 (the reference and transport.rst; PPCA's example starts at 0);
 *       main channel {@code root}, the first sub-channel {@code root-0};
 *   <li>on the wire, yacl appends {@code "\x01\x02" + decimal(seq)} (seq from 1, per peer, over all
 *       channels; {@code "0"} for the connect message); a receiver splits at the first {@code
 *       "\x01\x02"}, and no suffix means seq 0;
 *   <li>control messages: {@code "ACK\x01\x02"} (value: the decimal seq acknowledged) and {@code
 *       "FIN\x01\x02"} (value: the decimal number of seq-carrying messages the sender sent).
 * </ul>
 */
public final class IcKeys {
  private IcKeys() {}

  /** The separator between a logical key and its sequence number. */
  public static final String SEQ_SEPARATOR = "\u0001\u0002";

  public static final String ACK = "ACK" + SEQ_SEPARATOR;

  public static final String FIN = "FIN" + SEQ_SEPARATOR;

  /** The main channel. */
  public static final String ROOT = "root";

  /** The first sub-channel ({@code Spawn()} of root), where the second stage travels. */
  public static final String ROOT_0 = "root-0";

  /** {@code connect_{rank}}. */
  public static String connect(int rank) {
    return "connect_" + rank;
  }

  /** {@code {channel}:P2P-{counter}:{src}->{dst}}. */
  public static String p2p(String channel, long counter, int src, int dst) {
    return channel + ":P2P-" + counter + ":" + src + "->" + dst;
  }

  /** A logical key with yacl's sequence suffix. */
  public static String withSeq(String logical, long seq) {
    return logical + SEQ_SEPARATOR + seq;
  }

  /**
   * A wire key split at its first separator: the logical key and the sequence number (0 without a
   * suffix), or null if the suffix is not a decimal number.
   */
  public static Split split(String wireKey) {
    int at = wireKey.indexOf(SEQ_SEPARATOR);
    if (at < 0) {
      return new Split(wireKey, 0);
    }
    String digits = wireKey.substring(at + SEQ_SEPARATOR.length());
    long seq = parseDecimal(digits);
    return seq < 0 ? null : new Split(wireKey.substring(0, at), seq);
  }

  /** A non-negative decimal number of at most 18 digits, or -1. */
  public static long parseDecimal(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * A wire key's parts.
   *
   * @param logical the key without suffix
   * @param seq the sequence number; 0 if none
   */
  public record Split(String logical, long seq) {}
}
