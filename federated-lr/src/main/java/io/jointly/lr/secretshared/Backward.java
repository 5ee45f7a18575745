package io.jointly.lr.secretshared;

import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierEncryptor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * BACKWARD: the update ({@code BACKWARD}). Each party, for the peer's block, multi-exponentiates the
 * peer's row groups of B by its negated residual shares, adds {@code K·⟨w_peer⟩_me + m} ({@code K =
 * (1 − ηλ₂)} in fixed point, 1 for the intercept), re-randomises with full randomness and sends it;
 * the key holder opens, adds {@code K·⟨w⟩_own − X_ownᵀ·⟨d'⟩_own} and shifts: new shares of {@code w
 * ← (1 − ηλ₂)·w − η·Xᵀd}, the masker keeps {@code −⌊m/2^t'⌋} (so weight shares are fresh each step
 * and never grow).
 */
final class Backward {
  private static final int LIMB = 62;
  private static final BigInteger LIMB_MASK = BigInteger.ONE.shiftLeft(LIMB).subtract(BigInteger.ONE);
  private static final BigInteger LIMB_SHIFT = BigInteger.ONE.shiftLeft(LIMB);

  private Backward() {}

  /** Fresh shares of both blocks' updated weights. */
  static void update(Session s, int[] rows, BigInteger[] d, double eta, int step) throws JointlyException {
    int per = s.layout.columnsPerPlaintext();
    int width = s.layout.backwardSlotBits();
    double l2 = s.lr.l2();
    boolean bankIntercept = s.lr.intercept();
    // As masker of the peer's block.
    int peerGroups = s.layout.rowGroups(s.pPeer);
    BigInteger[] negD = new BigInteger[d.length];
    for (int i = 0; i < d.length; i++) {
      negD[i] = d[i].negate();
    }
    BigInteger[] newPeer = new BigInteger[s.pPeer];
    List<Supplier<Ciphertext>> jobs = new ArrayList<>(peerGroups);
    for (int h = 0; h < peerGroups; h++) {
      int c0 = h * per;
      int cn = Math.min(per, s.pPeer - c0);
      BigInteger[] slots = new BigInteger[cn];
      for (int j = 0; j < cn; j++) {
        int col = c0 + j;
        boolean penalised = !(s.role == Role.PARTNER && bankIntercept && col == s.pPeer - 1);
        BigInteger m = SharesMath.mask(s.layout.backwardMaskBits(), s.random);
        slots[j] = decay(eta, l2, penalised).multiply(s.wPeer[col]).add(m);
        newPeer[col] = SharesMath.floorShift(m, SharesLayout.T_BACKWARD).negate();
      }
      List<Ciphertext> bases = new ArrayList<>(rows.length);
      for (int r : rows) {
        bases.add(s.peerRows[r][h]);
      }
      BigInteger plain = SharesMath.pack(slots, width).mod(s.peerKey.n());
      jobs.add(() -> s.peerEnc.rerandomize(s.peerEnc.addPlaintext(multiExp(s.peerEnc, bases, negD), plain)));
    }
    if (peerGroups > 0) {
      s.tx.send(SecretSharedRound.BACKWARD.key(step), s.peerKey.encodeAll(s.parallel(jobs)));
    }
    // As key holder of this party's block.
    int ownGroups = s.layout.rowGroups(s.pOwn);
    List<BigInteger> opened =
        ownGroups == 0
            ? List.of()
            : s.open(s.keys.publicKey().decodeAll(s.tx.receive(SecretSharedRound.BACKWARD.key(step), s.timeout), ownGroups));
    BigInteger[] newOwn = new BigInteger[s.pOwn];
    for (int h = 0; h < ownGroups; h++) {
      int c0 = h * per;
      int cn = Math.min(per, s.pOwn - c0);
      BigInteger[] slots = unpack(opened.get(h), cn, width, "BACKWARD");
      for (int j = 0; j < cn; j++) {
        int col = c0 + j;
        boolean penalised = !(s.role == Role.BANK && bankIntercept && col == s.pOwn - 1);
        BigInteger local = decay(eta, l2, penalised).multiply(s.wOwn[col]);
        for (int i = 0; i < rows.length; i++) {
          local = local.subtract(BigInteger.valueOf(s.x[rows[i]][col]).multiply(d[i]));
        }
        newOwn[col] = SharesMath.floorShift(slots[j].add(local), SharesLayout.T_BACKWARD);
      }
    }
    s.wOwn = newOwn;
    s.wPeer = newPeer;
  }

  /** {@code K = round((1 − ηλ₂)·2^T_BACKWARD)}, or {@code 2^T_BACKWARD} for an unpenalised column. */
  static BigInteger decay(double eta, double l2, boolean penalised) {
    double k = penalised ? 1 - eta * l2 : 1;
    return BigInteger.valueOf(Math.round(Math.scalb(k, SharesLayout.T_BACKWARD)));
  }

  /**
   * {@code [[Σ_i k_i·x_i]]} for signed scalars of any size: base-2^62 limbs, one
   * multi-exponentiation each, combined by Horner's rule.
   */
  static Ciphertext multiExp(PaillierEncryptor enc, List<Ciphertext> bases, BigInteger[] k) {
    int bits = 1;
    for (BigInteger v : k) {
      bits = Math.max(bits, v.bitLength() + 1);
    }
    int limbs = (bits + LIMB - 1) / LIMB;
    Ciphertext acc = null;
    for (int l = limbs - 1; l >= 0; l--) {
      long[] limb = new long[k.length];
      for (int i = 0; i < k.length; i++) {
        BigInteger shifted = k[i].shiftRight(LIMB * l);
        limb[i] = l == limbs - 1 ? shifted.longValueExact() : shifted.and(LIMB_MASK).longValue();
      }
      Ciphertext part = enc.multiExp(bases, limb);
      acc = acc == null ? part : enc.add(enc.multiply(acc, LIMB_SHIFT), part);
    }
    return acc;
  }

  private static BigInteger[] unpack(BigInteger value, int count, int width, String round) throws ProtocolAbortException {
    try {
      return SharesMath.unpack(value, count, width);
    } catch (ArithmeticException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, round + " is out of range");
    }
  }
}
