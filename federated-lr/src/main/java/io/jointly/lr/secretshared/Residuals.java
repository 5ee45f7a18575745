package io.jointly.lr.secretshared;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.ot.IknpReceiver;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * SIGMOID: the scaled residuals' shares from the score shares ({@code SIGMOID_CHOICES}, {@code
 * SIGMOID_PADS}). With {@code θ_x = 2π·(⟨z⟩_x mod P)/P} (P the series' period) the bank computes
 * {@code u = η·s/|B|·(β_k sin kθ_b, β_k cos kθ_b)_k} ({@link SharesSigmoid#bankTerms}), the partner
 * {@code v = (cos kθ_p, sin kθ_p)_k} ({@link SharesSigmoid#partnerTerms}); one correlated OT per
 * bit of v ({@link SharesOt#correlate}, the partner choosing, the bank sending) gives integer shares
 * of {@code ⟨u, v⟩ = η·s·(σ̂(z) − 1/2)/|B|}; the bank adds {@code η·s·(1/2 − y)/|B|}: shares of the
 * scaled residual {@code d'}. With the per-epoch loss, the same OTs carry its second correlation
 * ({@link EpochLoss}).
 */
final class Residuals {
  private Residuals() {}

  /** The bank's residual shares: the OT sender, its correlations from {@code u}. */
  static BigInteger[] asSender(Session s, int[] rows, long[] z, double eta, int step) throws JointlyException {
    int b = rows.length;
    int terms = 2 * s.sigmoid.terms();
    int otsPerRow = s.layout.otsPerRow();
    int m = b * otsPerRow;
    long[][] q = s.otSender.extend(2L * step + 1, s.tx.receive(SecretSharedRound.SIGMOID_CHOICES.key(step), s.timeout), m);
    long[] delta = new long[m];
    long[][] coefficient = new long[b][terms];
    for (int i = 0; i < b; i++) {
      double scale = eta * s.rowWeights[rows[i]] / b;
      double[] terms1 = s.sigmoid.bankTerms(s.sigmoid.angle(z[i]));
      for (int k = 0; k < terms; k++) {
        long uk = Math.round(Math.scalb(scale * terms1[k], SharesLayout.F_U));
        coefficient[i][k] = uk;
        for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
          delta[(i * terms + k) * SharesLayout.CHOICE_BITS + t] = uk << t;
        }
      }
    }
    long[] keep = new long[2 * m];
    long[] tau = SharesOt.correlate(s.otSender, 2L * step + 1, q, delta, s.layout.padBits(), keep);
    if (s.loss == null) {
      s.tx.send(SecretSharedRound.SIGMOID_PADS.key(step), SecretSharedWire.pairs(tau));
    } else {
      s.tx.send(SecretSharedRound.SIGMOID_PADS.key(step), SecretSharedWire.concat(SecretSharedWire.pairs(tau), SecretSharedWire.longs(EpochLoss.bankCorrelations(s, rows, z, q, step))));
    }
    BigInteger[] d = new BigInteger[b];
    for (int i = 0; i < b; i++) {
      double scale = eta * s.rowWeights[rows[i]] / b;
      long local = Math.round(Math.scalb(scale * (0.5 - s.labels[rows[i]]), SharesLayout.F_D));
      long uSum = 0;
      for (int k = 0; k < terms; k++) {
        uSum += coefficient[i][k];
      }
      long[] acc = new long[2];
      for (int o = 0; o < otsPerRow; o++) {
        int at = i * otsPerRow + o;
        SharesOt.add(acc, 0, keep[2 * at], keep[2 * at + 1]);
      }
      d[i] = BigInteger.valueOf(local).subtract(BigInteger.valueOf(uSum).shiftLeft(SharesLayout.F_V)).subtract(SharesOt.toBigInteger(acc, 0));
    }
    return d;
  }

  /** The partner's residual shares: the OT receiver, its choices the bits of {@code v}. */
  static BigInteger[] asReceiver(Session s, int[] rows, long[] z, int step) throws JointlyException {
    int b = rows.length;
    int terms = 2 * s.sigmoid.terms();
    int otsPerRow = s.layout.otsPerRow();
    int m = b * otsPerRow;
    int words = (m + 63) >>> 6;
    long[] choices = new long[words];
    long offset = 1L << SharesLayout.F_V;
    for (int i = 0; i < b; i++) {
      double[] v = s.sigmoid.partnerTerms(s.sigmoid.angle(z[i]));
      for (int k = 0; k < terms; k++) {
        long shifted = Math.round(Math.scalb(v[k], SharesLayout.F_V)) + offset;
        for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
          if (((shifted >>> t) & 1) != 0) {
            int idx = (i * terms + k) * SharesLayout.CHOICE_BITS + t;
            choices[idx >>> 6] |= 1L << (idx & 63);
          }
        }
      }
    }
    IknpReceiver.Extension ext = s.otReceiver.extend(2L * step + 1, choices, m);
    long[][] tRows = ext.rows();
    s.tx.send(SecretSharedRound.SIGMOID_CHOICES.key(step), ext.message());
    Bytes pads = s.tx.receive(SecretSharedRound.SIGMOID_PADS.key(step), s.timeout);
    if (s.loss != null) {
      Abort.unlessWellFormed(pads.length() == 24L * m, "SIGMOID_PADS has the wrong length");
      byte[] all = pads.toByteArray();
      long[] lossTau = SecretSharedWire.longs(Bytes.wrap(Arrays.copyOfRange(all, 16 * m, 24 * m)), m, "SIGMOID_PADS");
      for (long g : SharesOt.receiveVectors(EpochLoss.tweak(step), tRows, choices, lossTau, m, 1)) {
        s.lossShare += g;
      }
      pads = Bytes.wrap(Arrays.copyOfRange(all, 0, 16 * m));
    }
    long[] tau = SecretSharedWire.pairs(pads, m, s.layout.padBits() + 2, "SIGMOID_PADS");
    long[] got = SharesOt.receive(2L * step + 1, tRows, choices, tau, s.layout.padBits());
    BigInteger[] d = new BigInteger[b];
    for (int i = 0; i < b; i++) {
      long[] acc = new long[2];
      for (int o = 0; o < otsPerRow; o++) {
        int at = i * otsPerRow + o;
        SharesOt.add(acc, 0, got[2 * at], got[2 * at + 1]);
      }
      d[i] = SharesOt.toBigInteger(acc, 0);
    }
    return d;
  }
}
