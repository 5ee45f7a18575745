package io.jointly.lr.secretshared;

import io.jointly.channel.RoundKey;

/** Rounds of secret-shared vertical logistic regression ({@link SecretSharedLr}), with explicit wire codes. */
enum SecretSharedRound {
  /** Both: version, role, shapes, schedule digest and a fresh Paillier public key. */
  HELLO(1),
  /** Both: this party's 128 base-OT choice bits (as extension sender), encrypted under its own key. */
  BASE_OT(2),
  /** Both: per base OT of the peer, the chosen seed, re-randomised. */
  BASE_OT_REPLY(3),
  /** Both, per step: the OT-extension matrix U for the scores of the peer's columns. */
  FORWARD_CHOICES(4),
  /** Both: the sender's feature rows, packed a group of columns to a plaintext, encrypted under its key. */
  ROWS(5),
  /** Both, per step: the vector OT corrections τ for the scores of this party's columns. */
  FORWARD_PADS(6),
  /** Partner → bank, per step: the OT-extension matrix U for the sigmoid. */
  SIGMOID_CHOICES(7),
  /** Bank → partner, per step: the correlated-OT corrections τ of the sigmoid. */
  SIGMOID_PADS(8),
  /** Both, per step: the masked packed weight updates, under the receiver's key. */
  BACKWARD(9),
  /** Both, at the end: the shares the peer needs to open its weights. */
  REVEAL(10),
  /** Both: transcript confirmation. */
  CONFIRM(11),
  /** Partner → bank, with several partners: its public key for pairwise masks among the partners. */
  MASK_KEY(12),
  /** Bank → partner, with several partners: its index, every partner's mask key, a fresh context. */
  KEYS(13),
  /** Partner k ≥ 1 → bank, per step: its raw score shares under the zero-sum partner masks. */
  SCORE_RELAY(14),
  /** Bank → partner 0, per step: the sum of the SCORE_RELAY vectors. */
  SCORE_GATHER(15),
  /** Partner 0 → bank → partner k ≥ 1, per step: partner 0's residual shares under their pairwise pad. */
  RESIDUAL_RELAY(16),
  /** Partner (0) → bank, per epoch, if both agreed: its share of the epoch's summed loss modulo 2^64. */
  LOSS(17);

  static final String PROTOCOL = SecretSharedLr.PROTOCOL;

  final int wireCode;

  SecretSharedRound(int wireCode) {
    this.wireCode = wireCode;
  }

  RoundKey key(int sequence) {
    return new RoundKey(PROTOCOL, wireCode, sequence);
  }
}
