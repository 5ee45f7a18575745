package io.jointly.lr.secretshared;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.internal.LrWire;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several partners (see {@link SecretSharedLr}, "Several partners"): the partners' pairwise masks
 * ({@code MASK_KEY}, {@code KEYS}: X25519 keys relayed by the bank, {@link PairwiseMasks}), and per
 * step {@code SCORE_RELAY}/{@code SCORE_GATHER} (partner k ≥ 1's score shares to partner 0 under
 * zero-sum masks, summed by the bank) and {@code RESIDUAL_RELAY} (partner 0's residual shares to
 * partner k ≥ 1 under their pairwise pad, through the bank). The bank's halves relay; the
 * partners' halves mask, gather and pad.
 */
final class PartnerRelay {
  private PartnerRelay() {}

  /** MASK_KEY from every partner, then KEYS to each: its index, every key, a fresh context. */
  static void relayMaskKeys(List<Session> runs, SecureRandom random) throws JointlyException {
    List<Bytes> keys = new ArrayList<>();
    for (Session r : runs) {
      Bytes k = r.tx.receive(SecretSharedRound.MASK_KEY.key(0), r.timeout);
      Abort.unlessWellFormed(k.length() == 32, "MASK_KEY has the wrong length");
      keys.add(k);
    }
    byte[] context = new byte[32];
    random.nextBytes(context);
    for (int k = 0; k < runs.size(); k++) {
      runs.get(k).tx.send(SecretSharedRound.KEYS.key(0), LrWire.keys(k, keys, Bytes.wrap(context)));
    }
  }

  /**
   * SCORE_RELAY from partners 1…K−1 (their raw score shares under zero-sum pairwise masks), summed
   * modulo 2^64 and sent to partner 0 as SCORE_GATHER: the masks of the others cancel against
   * partner 0's own, so it ends with the sum of every partner's share and the bank sees only
   * masked words.
   */
  static void relayScores(List<Session> runs, int b, int step) throws JointlyException {
    long[] sum = new long[b];
    for (int k = 1; k < runs.size(); k++) {
      Session r = runs.get(k);
      long[] v = SecretSharedWire.longs(r.tx.receive(SecretSharedRound.SCORE_RELAY.key(step), r.timeout), b, "SCORE_RELAY");
      for (int i = 0; i < b; i++) {
        sum[i] += v[i];
      }
    }
    runs.get(0).tx.send(SecretSharedRound.SCORE_GATHER.key(step), SecretSharedWire.longs(sum));
  }

  /**
   * RESIDUAL_RELAY from partner 0 — its residual shares, padded for each other partner — split and
   * forwarded: partner k gets partner 0's shares under their pairwise pad, so the bank and partner
   * k hold a two-party sharing of the residuals for k's update.
   */
  static void relayResiduals(List<Session> runs, int b, int step) throws JointlyException {
    int others = runs.size() - 1;
    Session lead = runs.get(0);
    byte[] all = lead.tx.receive(SecretSharedRound.RESIDUAL_RELAY.key(step), lead.timeout).toByteArray();
    Abort.unlessWellFormed(all.length == 16L * b * others, "RESIDUAL_RELAY has the wrong length");
    for (int k = 1; k <= others; k++) {
      runs.get(k).tx.send(
          SecretSharedRound.RESIDUAL_RELAY.key(step), Bytes.wrap(Arrays.copyOfRange(all, (k - 1) * 16 * b, k * 16 * b)));
    }
  }

  /** A partner among several: MASK_KEY out, KEYS in, pairwise seeds with the other partners. */
  static void agreeMasks(Session s) throws JointlyException {
    s.masks = PairwiseMasks.generate(s.random);
    s.tx.send(SecretSharedRound.MASK_KEY.key(0), s.masks.publicKey());
    LrWire.Keys k = LrWire.keys(s.tx.receive(SecretSharedRound.KEYS.key(0), s.timeout));
    Abort.unless(
        k.index() == s.index && k.maskKeys().size() == s.count,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "KEYS does not match the partner index and count of HELLO");
    s.masks.agree(k.index(), k.maskKeys(), k.context());
  }

  /**
   * The partner's residual shares for the batch: with one partner from the sigmoid directly;
   * among several, partner 0 gathers every partner's score share (SCORE_GATHER), runs the sigmoid
   * with the bank and sends its residual shares on, padded for each other partner
   * (RESIDUAL_RELAY); the others send their masked score shares (SCORE_RELAY) and receive partner
   * 0's residual shares as their own.
   */
  static BigInteger[] partnerResiduals(Session s, int[] rows, long[] acc, int step) throws JointlyException {
    int b = rows.length;
    if (s.count == 1) {
      return Residuals.asReceiver(s, rows, Forward.residues(s.layout, acc), step);
    }
    long scoreRound = 2L * step;
    long residualRound = 2L * step + 1;
    if (s.index > 0) {
      s.masks.mask(acc, scoreRound);
      s.tx.send(SecretSharedRound.SCORE_RELAY.key(step), SecretSharedWire.longs(acc));
      long[] words = SecretSharedWire.longs(s.tx.receive(SecretSharedRound.RESIDUAL_RELAY.key(step), s.timeout), 2 * b, "RESIDUAL_RELAY");
      s.masks.pad(words, 0, residualRound);
      BigInteger[] d = new BigInteger[b];
      for (int i = 0; i < b; i++) {
        d[i] = SharesOt.toBigInteger(words, i);
        Abort.unlessWellFormed(d[i].bitLength() <= s.layout.residualShareBits(), "RESIDUAL_RELAY carries a value out of range");
      }
      return d;
    }
    long[] others = SecretSharedWire.longs(s.tx.receive(SecretSharedRound.SCORE_GATHER.key(step), s.timeout), b, "SCORE_GATHER");
    s.masks.mask(acc, scoreRound);
    for (int i = 0; i < b; i++) {
      acc[i] += others[i];
    }
    BigInteger[] d = Residuals.asReceiver(s, rows, Forward.residues(s.layout, acc), step);
    long[] all = new long[2 * b * (s.count - 1)];
    for (int k = 1; k < s.count; k++) {
      long[] words = new long[2 * b];
      for (int i = 0; i < b; i++) {
        SharesOt.fromBigInteger(d[i], words, i);
      }
      s.masks.pad(words, k, residualRound);
      System.arraycopy(words, 0, all, 2 * b * (k - 1), 2 * b);
    }
    s.tx.send(SecretSharedRound.RESIDUAL_RELAY.key(step), SecretSharedWire.longs(all));
    return d;
  }
}
