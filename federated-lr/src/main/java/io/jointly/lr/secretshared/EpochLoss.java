package io.jointly.lr.secretshared;

import io.jointly.core.JointlyException;

/**
 * LOSS: the per-epoch training loss on shares, if both parties agreed ({@link
 * SecretSharedLrParameters#epochLoss}; see {@link SecretSharedLr}, "Per-epoch loss"). Each OT of
 * the sigmoid carries a second correlation {@code U'·2^t} modulo 2^64 with the bank's loss terms
 * ({@link SharesLoss#bankTerms}), under pads from the same extension rows hashed with their own
 * tweak ({@link #tweak}); each party adds its per-row shares into one 64-bit word, and at the end
 * of the epoch the partner sends its word ({@code LOSS}) and the bank opens the epoch's loss.
 */
final class EpochLoss {
  private EpochLoss() {}

  /**
   * The bank's second correlation on the sigmoid's OTs, for the loss: {@code Δ' = U'·2^t} with
   * {@code U' = s·(loss terms)} at {@code lossBits} fractional bits, modulo 2^64, under pads with
   * their own tweak ({@link #tweak}); adds this party's share of the batch's loss (its local {@code
   * s·a₀} term, minus the offset and its pads) to {@code lossShare}.
   */
  static long[] bankCorrelations(Session s, int[] rows, long[] z, long[][] q, int step) {
    int b = rows.length;
    int terms = 2 * s.sigmoid.terms();
    int m = b * s.layout.otsPerRow();
    long[] delta = new long[m];
    long share = 0;
    for (int i = 0; i < b; i++) {
      double weight = s.rowWeights[rows[i]];
      double[] u = s.loss.bankTerms(s.sigmoid.angle(z[i]), s.labels[rows[i]]);
      long uSum = 0;
      for (int k = 0; k < terms; k++) {
        long uk = Math.round(Math.scalb(weight * u[k], s.lossBits));
        uSum += uk;
        for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
          delta[(i * terms + k) * SharesLayout.CHOICE_BITS + t] = uk << t;
        }
      }
      share += Math.round(Math.scalb(weight * s.loss.constant(), s.lossBits + SharesLayout.F_V)) - (uSum << SharesLayout.F_V);
    }
    long[] keep = new long[m];
    long[] tau = SharesOt.correlateVectors(s.otSender, tweak(step), q, delta, m, 1, keep);
    for (long k : keep) {
      share -= k;
    }
    s.lossShare += share;
    return tau;
  }

  /**
   * The hash tweak of the loss pads of a step: distinct from every extension batch number, so the
   * loss pads are independent of the sigmoid's (the sigmoid's τ = p⁰ + Δ − p¹ tells a receiver with
   * c = 0 much of p¹, which must not also determine the loss pad).
   */
  static long tweak(int step) {
    return (1L << 62) | (2L * step + 1);
  }

  /** Bank, at the end of epoch e: partner 0's LOSS share in, the epoch's loss opened. */
  static void open(Session s, int e) throws JointlyException {
    long[] peer = SecretSharedWire.longs(s.tx.receive(SecretSharedRound.LOSS.key(e), s.timeout), 1, "LOSS");
    long total = s.lossShare + peer[0];
    s.lossShare = 0;
    s.epochLosses.add(Math.scalb((double) total, -(s.lossBits + SharesLayout.F_V)) / s.lossWeight);
  }

  /** Partner 0, at the end of epoch e: its LOSS share out. */
  static void send(Session s, int e) throws JointlyException {
    s.tx.send(SecretSharedRound.LOSS.key(e), SecretSharedWire.longs(new long[] {s.lossShare}));
    s.lossShare = 0;
  }
}
