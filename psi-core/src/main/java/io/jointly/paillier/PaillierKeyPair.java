package io.jointly.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A Paillier key pair. {@link #generate} draws two primes of {@code modulusBits/2} bits each with
 * the top two bits set (so n has exactly {@code modulusBits} bits), probable primes with error
 * below 2^−100 ({@link BigInteger#nextProbablePrime}), distinct and at least {@code 2^(|n|/2 − 100)}
 * apart (so Fermat factoring does not apply, as FIPS 186-5 §A.1.3 requires of RSA primes), with
 * {@code gcd(n, (p−1)(q−1)) = 1}; the generator is {@code g = n + 1}.
 *
 * <p>{@code toString} is redacted through the secret key's. Immutable and thread-safe.
 */
public final class PaillierKeyPair {
  private final PaillierSecretKey secretKey;

  private PaillierKeyPair(PaillierSecretKey secretKey) {
    this.secretKey = secretKey;
  }

  /** Wraps an existing secret key. */
  public static PaillierKeyPair of(PaillierSecretKey secretKey) {
    return new PaillierKeyPair(Objects.requireNonNull(secretKey, "secretKey"));
  }

  /** Generates a key pair of {@code params.modulusBits()} bits. Takes about a second at 2,048. */
  public static PaillierKeyPair generate(PaillierParameters params, SecureRandom random) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(random, "random");
    int half = params.modulusBits() / 2;
    while (true) {
      BigInteger p = prime(half, random);
      BigInteger q = prime(half, random);
      try {
        return new PaillierKeyPair(
            PaillierSecretKey.fromGeneratedPrimes(p, q, params.modulusBits()));
      } catch (IllegalArgumentException tooCloseOrDegenerate) {
        // Probability about 2^−98 for independent uniform primes: draw again.
      }
    }
  }

  /**
   * The first probable prime at or above a uniform {@code bits}-bit number with its top two bits
   * set ({@link BigInteger#nextProbablePrime}: sieve, then Miller–Rabin and Lucas, error below
   * 2^−100). Not exactly uniform over primes (a prime after a long gap is likelier), as with the
   * incremental search of most RSA key generators; that bias is not known to help factoring.
   */
  private static BigInteger prime(int bits, SecureRandom random) {
    while (true) {
      BigInteger start = new BigInteger(bits, random).setBit(bits - 1).setBit(bits - 2);
      BigInteger p = start.nextProbablePrime();
      if (p.bitLength() == bits) {
        return p;
      }
    }
  }

  public PaillierPublicKey publicKey() {
    return secretKey.publicKey();
  }

  public PaillierSecretKey secretKey() {
    return secretKey;
  }

  @Override
  public String toString() {
    return "PaillierKeyPair[" + secretKey + "]";
  }
}
