package io.jointly.psi.ic;

/**
 * The two data streams of interconnection ECDH-PSI, each a sequence of {@link CipherBatch}es with
 * indexes 0, 1, 2, ... ending in an empty batch. The transport puts the first on channel {@code
 * root} (after the handshake) and the second on the first sub-channel {@code root-0} (spec §5.5).
 */
public enum IcStage {
  /** First-stage ciphertexts {@code k_self·H(x)} of the sender's own items: type {@code "enc"}. */
  FIRST("enc"),
  /**
   * Second-stage values {@code k_self·(k_peer·H(y))} of the receiver's items, truncated, in the
   * order of the batch they answer: type {@code "dual.enc"}.
   */
  SECOND("dual.enc");

  private final String type;

  IcStage(String type) {
    this.type = type;
  }

  /** The {@code EcdhPsiCipherBatch.type} of this stage's batches. */
  public String type() {
    return type;
  }
}
