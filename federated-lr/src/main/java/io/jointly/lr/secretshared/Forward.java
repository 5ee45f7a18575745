package io.jointly.lr.secretshared;

import io.jointly.core.JointlyException;
import io.jointly.ot.IknpReceiver;

/**
 * FORWARD: this party's shares of the batch's scores ({@code FORWARD_CHOICES}, {@code
 * FORWARD_PADS}). For each party's block, the peer, as OT receiver, chooses with the bits of its
 * weight shares modulo 2^{@link SharesLayout#forwardRingBits}; the owner, as sender, correlates each
 * OT with the vector {@code (X[r,j]·2^t)_{r∈B}}: shares of {@code X·⟨w⟩_peer} modulo 2^64 ({@link
 * SharesOt#correlateVectors}), to which the owner adds {@code X·⟨w⟩_own}; each party shifts its share
 * by {@link SharesLayout#T_FORWARD} and keeps it modulo the period ({@link #residues}).
 */
final class Forward {
  private Forward() {}

  /**
   * This party's raw shares of the batch's scores modulo 2^64 (at scale {@code F_X + F_W}); {@link
   * #residues} turns a sum of them into shares modulo the period. A block of no columns (the bank's,
   * in sessions other than 0) has no OTs and no messages.
   */
  static long[] scores(Session s, int[] rows, int step) throws JointlyException {
    int b = rows.length;
    int ring = s.layout.forwardRingBits();
    long batchId = 2L * step;
    // As receiver for the peer's block: choose with the bits of this party's shares of its weights.
    int mR = s.pPeer * ring;
    long[] choices = new long[(mR + 63) >>> 6];
    for (int j = 0; j < s.pPeer; j++) {
      long w = s.wPeer[j].longValue();
      for (int t = 0; t < ring; t++) {
        if (((w >>> t) & 1) != 0) {
          int idx = j * ring + t;
          choices[idx >>> 6] |= 1L << (idx & 63);
        }
      }
    }
    long[][] tRows = new long[0][];
    if (mR > 0) {
      IknpReceiver.Extension ext = s.otReceiver.extend(batchId, choices, mR);
      tRows = ext.rows();
      s.tx.send(SecretSharedRound.FORWARD_CHOICES.key(step), ext.message());
    }
    // As sender for this party's block: correlate with its feature columns.
    int mS = s.pOwn * ring;
    long[] keep = new long[mS * b];
    if (mS > 0) {
      long[][] q = s.otSender.extend(batchId, s.tx.receive(SecretSharedRound.FORWARD_CHOICES.key(step), s.timeout), mS);
      long[] delta = new long[mS * b];
      for (int j = 0; j < s.pOwn; j++) {
        for (int t = 0; t < ring; t++) {
          int base = (j * ring + t) * b;
          for (int i = 0; i < b; i++) {
            delta[base + i] = s.x[rows[i]][j] << t;
          }
        }
      }
      s.tx.send(SecretSharedRound.FORWARD_PADS.key(step), SecretSharedWire.longs(SharesOt.correlateVectors(s.otSender, batchId, q, delta, mS, b, keep)));
    }
    long[] got = new long[0];
    if (mR > 0) {
      long[] tau = SecretSharedWire.longs(s.tx.receive(SecretSharedRound.FORWARD_PADS.key(step), s.timeout), mR * b, "FORWARD_PADS");
      got = SharesOt.receiveVectors(batchId, tRows, choices, tau, mR, b);
    }
    long[] z = new long[b];
    for (int i = 0; i < b; i++) {
      long acc = 0;
      long[] xr = s.x[rows[i]];
      for (int j = 0; j < s.pOwn; j++) {
        acc += xr[j] * s.wOwn[j].longValue();
      }
      for (int o = 0; o < mR; o++) {
        acc += got[o * b + i];
      }
      for (int o = 0; o < mS; o++) {
        acc -= keep[o * b + i];
      }
      z[i] = acc;
    }
    return z;
  }

  /** Shares modulo the period ({@link SharesLayout#scoreResidueBits} bits at scale F_Z) from raw shares. */
  static long[] residues(SharesLayout layout, long[] acc) {
    long residueMask = (1L << layout.scoreResidueBits()) - 1;
    long[] z = new long[acc.length];
    for (int i = 0; i < acc.length; i++) {
      z[i] = (acc[i] >>> SharesLayout.T_FORWARD) & residueMask;
    }
    return z;
  }
}
