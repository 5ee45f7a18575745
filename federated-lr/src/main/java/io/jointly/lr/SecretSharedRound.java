package io.jointly.lr;

import io.jointly.channel.RoundKey;

/** Rounds of secret-shared vertical logistic regression ({@link SecretSharedLr}), with explicit wire codes. */
enum SecretSharedRound {
  /** Both: version, role, shapes, schedule digest and a fresh Paillier public key. */
  HELLO(1),
  /** Bank → partner: the bank's 128 base-OT choice bits, encrypted under its own key. */
  BASE_OT(2),
  /** Partner → bank: per base OT, the chosen seed, re-randomised. */
  BASE_OT_REPLY(3),
  /** Both: the sender's feature columns, packed a group of rows to a plaintext, encrypted under its key. */
  COLUMNS(4),
  /** Both: the sender's feature rows, packed a group of columns to a plaintext, encrypted under its key. */
  ROWS(5),
  /** Both, per step: the masked packed cross scores, under the receiver's key. */
  FORWARD(6),
  /** Partner → bank, per step: the OT-extension matrix U. */
  OT_CHOICES(7),
  /** Bank → partner, per step: the correlated-OT corrections τ. */
  OT_PADS(8),
  /** Both, per step: the masked packed weight updates, under the receiver's key. */
  BACKWARD(9),
  /** Both, at the end: the shares the peer needs to open its weights. */
  REVEAL(10),
  /** Both: transcript confirmation. */
  CONFIRM(11);

  static final String PROTOCOL = "ss-lr";

  final int wireCode;

  SecretSharedRound(int wireCode) {
    this.wireCode = wireCode;
  }

  RoundKey key(int sequence) {
    return new RoundKey(PROTOCOL, wireCode, sequence);
  }
}
