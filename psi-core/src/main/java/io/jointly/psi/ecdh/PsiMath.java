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
    long a = Math.max(1, sizeA);
    long b = Math.max(1, sizeB);
    int log2 = (64 - Long.numberOfLeadingZeros(a - 1)) + (64 - Long.numberOfLeadingZeros(b - 1));
    if (a <= (1L << 31) && b <= (1L << 31)) {
      log2 = 64 - Long.numberOfLeadingZeros(a * b - 1); // ⌈log2(pairs)⌉, exact
    }
    int bits = STATISTICAL_BITS + log2 + 1;
    return Math.min(elementLength, (bits + 7) / 8);
  }

  /**
   * First pass over own items: {@code out[outOffset + i·len] = encode(k·H(items[from+i]))}, for i
   * in [0, count).
   */
  static void blind(EcdhGroup group, GroupScalar k, byte[][] items, int from, int count, byte[] out, int outOffset) {
    int len = group.elementLength();
    for (int i = 0; i < count; i++) {
      byte[] e = group.hashAndMultiply(k, items[from + i]);
      System.arraycopy(e, 0, out, outOffset + i * len, len);
    }
  }

  /**
   * Second pass over the peer's elements {@code in[inOffset + i·len]}, i in [from, from+count):
   * {@code out[outOffset + i·t] = last t bytes of encode(k·in[i])}. Every element is validated by
   * the group.
   */
  static void reblindTruncated(
      EcdhGroup group, GroupScalar k, byte[] in, int inOffset, int from, int count, int t, byte[] out, int outOffset)
      throws ProtocolAbortException {
    int len = group.elementLength();
    byte[] element = new byte[len];
    for (int i = from; i < from + count; i++) {
      System.arraycopy(in, inOffset + i * len, element, 0, len);
      byte[] e = group.multiply(k, element);
      System.arraycopy(e, len - t, out, outOffset + i * t, t);
    }
  }
}
