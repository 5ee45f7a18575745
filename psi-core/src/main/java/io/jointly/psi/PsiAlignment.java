package io.jointly.psi;

import java.util.Arrays;

/**
 * How the items of one PSI run line up between the two parties' messages, for protocols that attach
 * per-item data to the run (federated statistics: the partner sends each item's values encrypted,
 * in the order it sent its blinded items, and the bank adds up the ones that match its rows).
 *
 * <p>Every party sends its blinded items in a fresh uniformly random order (a per-run permutation
 * from {@link java.security.SecureRandom}), so a send position says nothing about the sender's rows
 * or their order.
 *
 * <ul>
 *   <li><b>Sender view</b>, every party: {@link #rowAtSentPosition(int)} is the (first) input row of
 *       the item this party sent at that position.
 *   <li><b>Learner view</b>, a party that learns the intersection in {@link RevealMode#BANK} or
 *       {@link RevealMode#BOTH} mode: for each of its shared items, in increasing order of its first
 *       row, {@link #sharedRow(int)} and the position at which the peer sent the matching item,
 *       {@link #peerPosition(int)}. Empty for a party that does not learn it.
 * </ul>
 *
 * <p>Security: the sender view is this party's own secret permutation; the learner view adds
 * nothing to what {@link PsiResult#sharedRows()} reveals, because peer positions are uniformly
 * random. Immutable and thread-safe.
 */
public final class PsiAlignment {
  private final int[] sentRows;
  private final int[] sharedRows;
  private final int[] peerPositions;

  private PsiAlignment(int[] sentRows, int[] sharedRows, int[] peerPositions) {
    if (sharedRows.length != peerPositions.length) {
      throw new IllegalArgumentException("shared rows and peer positions differ in length");
    }
    this.sentRows = sentRows;
    this.sharedRows = sharedRows;
    this.peerPositions = peerPositions;
  }

  /**
   * The alignment of a run, for the protocol implementations: takes ownership of the arrays (not
   * copied; the caller must not change them afterwards).
   *
   * @param sentRows for each send position, the first input row of the item sent there
   * @param sharedRows the first rows of this party's shared items, increasing (empty if it does not
   *     learn them)
   * @param peerPositions for each shared row, the peer's send position of the matching item
   */
  public static PsiAlignment of(int[] sentRows, int[] sharedRows, int[] peerPositions) {
    return new PsiAlignment(sentRows, sharedRows, peerPositions);
  }

  /** Number of items this party sent (its de-duplicated set size). */
  public int sentCount() {
    return sentRows.length;
  }

  /** The first input row of the item this party sent at {@code position}. */
  public int rowAtSentPosition(int position) {
    return sentRows[position];
  }

  /** Number of shared items this party knows the peer position of (0 if it does not learn). */
  public int sharedCount() {
    return sharedRows.length;
  }

  /** The first input row of this party's {@code i}-th shared item, increasing in {@code i}. */
  public int sharedRow(int i) {
    return sharedRows[i];
  }

  /** The position at which the peer sent the item matching {@link #sharedRow(int) sharedRow(i)}. */
  public int peerPosition(int i) {
    return peerPositions[i];
  }

  @Override
  public String toString() {
    return "PsiAlignment[sent=" + sentRows.length + ", shared=" + sharedRows.length + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PsiAlignment a
        && Arrays.equals(sentRows, a.sentRows)
        && Arrays.equals(sharedRows, a.sharedRows)
        && Arrays.equals(peerPositions, a.peerPositions);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sentRows) * 31 + Arrays.hashCode(sharedRows);
  }
}
