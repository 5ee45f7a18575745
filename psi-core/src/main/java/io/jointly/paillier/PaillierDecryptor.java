package io.jointly.paillier;

import io.jointly.core.FixedPoint;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Decryption with the secret key, by Chinese remaindering over {@code p²} and {@code q²} (Paillier
 * 1999, §7): two exponentiations with half-size exponents modulo half-size moduli instead of one
 * {@code c^λ mod n²}, about four times less work.
 *
 * <p>Only the key holder runs this; what it learns is exactly the plaintexts of the ciphertexts it
 * decrypts (for homomorphic results: the result, not the operands). Thread-safe.
 */
public final class PaillierDecryptor {
  private final PaillierSecretKey secretKey;
  private final PaillierPublicKey publicKey;

  public PaillierDecryptor(PaillierSecretKey secretKey) {
    this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    this.publicKey = secretKey.publicKey();
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  /** The plaintext residue in [0, n). */
  public BigInteger decrypt(Ciphertext c) {
    return secretKey.decrypt(publicKey.checkRange(c));
  }

  /** The plaintext lifted to the centred interval (−n/2, n/2]: the signed value. */
  public BigInteger decryptSigned(Ciphertext c) {
    return FixedPoint.lift(decrypt(c), publicKey.n());
  }

  /**
   * The signed plaintext as a {@code long}.
   *
   * @throws ArithmeticException if the signed value does not fit a {@code long}
   */
  public long decryptLong(Ciphertext c) {
    return decryptSigned(c).longValueExact();
  }

  /** The signed plaintext decoded with {@code codec}. */
  public double decrypt(Ciphertext c, FixedPoint codec) {
    return codec.decode(decryptSigned(c));
  }

  @Override
  public String toString() {
    return "PaillierDecryptor[" + publicKey.modulusBits() + " bits]";
  }
}
