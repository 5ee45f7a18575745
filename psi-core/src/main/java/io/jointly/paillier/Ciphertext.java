package io.jointly.paillier;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A Paillier ciphertext: a residue {@code c} in {@code Z*_{n²}}. A value type (equal values are
 * equal ciphertexts). Ciphertexts are public, but {@code toString} prints the size only.
 *
 * <p>The constructor checks only that {@code c > 0}; ciphertexts received from a peer must be
 * decoded with {@link PaillierPublicKey#decodeCiphertext}, which checks {@code 0 < c < n²} and
 * {@code gcd(c, n) = 1}.
 *
 * @param value the residue
 */
public record Ciphertext(BigInteger value) {
  public Ciphertext {
    Objects.requireNonNull(value, "value");
    if (value.signum() <= 0) {
      throw new IllegalArgumentException("a ciphertext is a positive residue");
    }
  }

  @Override
  public String toString() {
    return "Ciphertext[" + value.bitLength() + " bits]";
  }
}
