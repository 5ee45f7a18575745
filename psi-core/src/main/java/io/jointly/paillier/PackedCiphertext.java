package io.jointly.paillier;

import java.util.Objects;

/**
 * A ciphertext holding {@code count} fixed-point slots of a {@link PackedEncoding}, with its
 * {@code weight}: how many fresh packed plaintexts (counting a scalar multiplication by k as |k|)
 * its slots are the sum of. The encoding refuses any operation that would take the weight past
 * its declared bound, so a slot can never overflow into its neighbour.
 *
 * @param ciphertext the ciphertext
 * @param count slots in use, ≥ 1
 * @param weight the weight, ≥ 1
 */
public record PackedCiphertext(Ciphertext ciphertext, int count, long weight) {
  public PackedCiphertext {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (count < 1) {
      throw new IllegalArgumentException("a packed ciphertext has at least one slot");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1");
    }
  }
}
