package io.jointly.psi.ecdh;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;

/**
 * The pure round functions of ECDH PSI, over flat byte arrays (one element after another), free of
 * channels and threads so that known-answer and property tests can call them directly.
 */
final class PsiMath {
  private PsiMath() {}

  /** Statistical security of the truncated comparison: false-match probability ≤ 2^-40. */
  static final int STATISTICAL_BITS = 40;

  /**
   * Bytes of a second-pass value that keep false matches negligible: with {@code n_a·n_b} pairs
   * compared, a false match has probability ≤ n_a·n_b·2^-(bits) where {@code bits} = 8·t − 1 (the
   * last byte of every suite's encoding may carry a fixed top bit, so one bit is not counted). The
   * result is the least t with 8t − 1 ≥ 40 + ⌈log2(n_a·n_b)⌉, at most the element length.
   */
  static int truncationBytes(long sizeA, long sizeB, int elementLength) {
    long pairs = Math.max(1, sizeA) * Math.max(1, sizeB);
    int log2 = 64 - Long.numberOfLeadingZeros(pairs - 1); // ⌈log2(pairs)⌉
    int bits = STATISTICAL_BITS + log2 + 1;
    return Math.min(elementLength, (bits + 7) / 8);
  }

  /** First pass over own items: {@code out[i] = encode(k·H(items[from+i]))}, for i in [0, count). */
  static void blind(EcdhGroup group, GroupScalar k, byte[][] items, int from, int count, byte[] out, int outOffset) {
    int len = group.elementLength();
    for (int i = 0; i < count; i++) {
      byte[] e = group.hashAndMultiply(k, items[from + i]);
      System.arraycopy(e, 0, out, outOffset + i * len, len);
    }
  }

  /**
   * Second pass over the peer's elements: {@code out[i] = last t bytes of encode(k·in[i])}. Every
   * element is validated by the group.
   */
  static void reblindTruncated(
      EcdhGroup group, GroupScalar k, byte[] in, int from, int count, int t, byte[] out)
      throws ProtocolAbortException {
    int len = group.elementLength();
    byte[] element = new byte[len];
    for (int i = from; i < from + count; i++) {
      System.arraycopy(in, i * len, element, 0, len);
      byte[] e = group.multiply(k, element);
      System.arraycopy(e, len - t, out, i * t, t);
    }
  }

  /**
   * For each value {@code values[p]} the peer returned for the item this party sent at position p
   * (item {@code order[p]}), records the peer's send position of the matching element (its
   * insertion index in {@code peer}) in {@code peerPosition[order[p]]}, or -1 if there is none.
   * Returns the number of matches.
   */
  static int match(byte[] values, int[] order, int t, TruncatedSet peer, int[] peerPosition) {
    int matches = 0;
    for (int p = 0; p < order.length; p++) {
      int at = peer.indexOf(values, p * t);
      peerPosition[order[p]] = at;
      if (at >= 0) {
        matches++;
      }
    }
    return matches;
  }
}
