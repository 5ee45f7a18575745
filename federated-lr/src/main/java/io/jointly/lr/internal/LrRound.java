package io.jointly.lr.internal;

import io.jointly.channel.RoundKey;

/**
 * Rounds of the {@code vertical-lr} protocol after PSI, with explicit wire codes: the session both
 * modes share (ALIGN, HELLO, KEYS, LABELS and IV_SUMS for information value, SCORES of the
 * evaluation and of scoring, CONFIRM) and the aggregated-scores mode's training rounds (FEATURES,
 * SCORES per step, GRADIENT, CONTROL, GRAM, DIRECTION, LINE_SEARCH; {@link io.jointly.lr.aggregated}),
 * in one enum so that no two share a code. The secret-shared engine has its own protocol ({@code
 * ss-lr}).
 */
public enum LrRound {
  /** Bank → partner: the aligned rows (peer positions) and their split. */
  ALIGN(1),
  /** Both: mode and shapes; the bank adds its Paillier key and the training schedule. */
  HELLO(2),
  /**
   * Partner → bank: fixed-point partial scores for a batch, an evaluation set or (L-BFGS) a
   * line-search trial, masked.
   */
  SCORES(3),
  /** Partner → bank: its training rows' packed feature scalars, encrypted under its own key, in batches. */
  FEATURES(4),
  /** Bank → partner: the batch's packed gradient {@code [[X_k[B]ᵀ·d]]}, re-randomised. */
  GRADIENT(5),
  /** Bank → partner: after each epoch, "best so far" and "stop". */
  CONTROL(7),
  /** Both: transcript confirmation. */
  CONFIRM(8),
  /** Bank → partner: Paillier-encrypted labels of the training rows (information value). */
  LABELS(9),
  /** Partner → bank: per feature, bin sizes and the packed encrypted positive counts per bin. */
  IV_SUMS(10),
  /** Bank → partner: its index, every partner's mask key and a context, for pairwise masks. */
  KEYS(11),
  /**
   * Partner → bank (L-BFGS): the masked fixed-point Gram matrix of its blocks of the gradient and
   * the correction pairs, once per iteration.
   */
  GRAM(12),
  /** Bank → partner (L-BFGS): the iteration's decision and direction coefficients. */
  DIRECTION(13),
  /** Bank → partner (L-BFGS): whether a line-search trial step is accepted. */
  LINE_SEARCH(14);

  public static final String PROTOCOL = "vertical-lr";

  private final int wireCode;

  LrRound(int wireCode) {
    this.wireCode = wireCode;
  }

  /** The round's code in its round keys: part of the wire format. */
  public int wireCode() {
    return wireCode;
  }

  /** This round's key for message {@code sequence}. */
  public RoundKey key(int sequence) {
    return new RoundKey(PROTOCOL, wireCode, sequence);
  }
}
