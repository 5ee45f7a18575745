package io.jointly.paillier;

import java.util.Objects;

/**
 * Paillier parameters: the modulus size and how encryption randomness is drawn. Immutable; invalid
 * combinations are rejected at construction. Start from a preset.
 *
 * <h2>Randomness</h2>
 *
 * <ul>
 *   <li>{@link Randomness#FULL}: Paillier's scheme as published (P. Paillier, "Public-Key
 *       Cryptosystems Based on Composite Degree Residuosity Classes", EUROCRYPT 1999, §4): {@code
 *       rⁿ mod n²} for a uniform {@code r ∈ Z*ₙ}. Semantic security rests on the decisional
 *       composite residuosity (DCR) assumption alone. Each value costs one exponentiation by the
 *       full {@code n} modulo {@code n²}.
 *   <li>{@link Randomness#DJN_SHORT_EXPONENT}: the variant of I. Damgård, M. Jurik, J. B. Nielsen,
 *       "A generalization of Paillier's public-key system with applications to electronic voting",
 *       Int. J. Inf. Secur. 9 (2010), §4.2 (and Damgård–Jurik, PKC 2001): the encryptor fixes
 *       {@code h = −x² mod n} for a random {@code x ∈ Z*ₙ} and {@code hₛ = hⁿ mod n²}, and uses
 *       {@code hₛ^a mod n²} with a uniform exponent {@code a} of {@link #shortExponentBits()} =
 *       ⌈|n|/2⌉ bits, the length DJN propose. With a precomputed fixed-base table each value is
 *       about |n|/12 multiplications instead of a full exponentiation. <b>Assumption:</b> besides
 *       DCR, that {@code hₛ^a} with such a short {@code a} is indistinguishable from a random n-th
 *       residue for anyone who does not know the factorisation of n (DJN's argument reduces it to
 *       DCR plus the hardness of distinguishing short from full exponents in the group of squares
 *       mod n, whose order is unknown to that party). The key holder, who knows the factorisation,
 *       is not covered by this argument: where a ciphertext must hide its randomness from the key
 *       holder (re-randomising a result returned to it, "circuit privacy"), use {@code FULL}.
 * </ul>
 *
 * @param modulusBits the bit length of {@code n}: at least {@value #MIN_MODULUS_BITS}, at most
 *     {@value #MAX_MODULUS_BITS}, a multiple of 256
 * @param randomness how encryption randomness is drawn (a local choice: it does not change the
 *     ciphertext format, so parties need not agree on it)
 */
public record PaillierParameters(int modulusBits, Randomness randomness) {

  /** Smallest modulus accepted: 2,048 bits (about 112-bit security, NIST SP 800-57 Part 1). */
  public static final int MIN_MODULUS_BITS = 2048;

  /** Largest modulus accepted. */
  public static final int MAX_MODULUS_BITS = 8192;

  /** How encryption randomness is drawn. */
  public enum Randomness {
    /** {@code rⁿ mod n²} with uniform {@code r}: DCR only. */
    FULL,
    /** {@code hₛ^a mod n²} with a ⌈|n|/2⌉-bit exponent (DJN 2010): faster, extra assumption. */
    DJN_SHORT_EXPONENT
  }

  /** 2,048-bit n, full randomness: the default. */
  public static final PaillierParameters PAILLIER_2048 =
      new PaillierParameters(2048, Randomness.FULL);

  /** 3,072-bit n (about 128-bit security), full randomness. */
  public static final PaillierParameters PAILLIER_3072 =
      new PaillierParameters(3072, Randomness.FULL);

  /** 2,048-bit n with DJN short-exponent randomness. */
  public static final PaillierParameters PAILLIER_2048_DJN =
      new PaillierParameters(2048, Randomness.DJN_SHORT_EXPONENT);

  /** 3,072-bit n with DJN short-exponent randomness. */
  public static final PaillierParameters PAILLIER_3072_DJN =
      new PaillierParameters(3072, Randomness.DJN_SHORT_EXPONENT);

  public PaillierParameters {
    Objects.requireNonNull(randomness, "randomness");
    if (modulusBits < MIN_MODULUS_BITS
        || modulusBits > MAX_MODULUS_BITS
        || modulusBits % 256 != 0) {
      throw new IllegalArgumentException(
          "modulusBits must be a multiple of 256 in ["
              + MIN_MODULUS_BITS
              + ", "
              + MAX_MODULUS_BITS
              + "], got "
              + modulusBits);
    }
  }

  /** The same modulus size with another randomness mode. */
  public PaillierParameters withRandomness(Randomness r) {
    return new PaillierParameters(modulusBits, r);
  }

  /** The DJN exponent length: ⌈|n|/2⌉ bits (DJN 2010, §4.2). */
  public int shortExponentBits() {
    return (modulusBits + 1) / 2;
  }

  /** Bytes of an encoded public key (n, big-endian, fixed width). */
  public int publicKeyBytes() {
    return modulusBits / 8;
  }

  /** Bytes of an encoded ciphertext (a residue mod n², big-endian, fixed width). */
  public int ciphertextBytes() {
    return modulusBits / 4;
  }
}
