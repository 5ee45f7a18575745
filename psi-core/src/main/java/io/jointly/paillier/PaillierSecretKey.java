package io.jointly.paillier;

import io.jointly.core.SecretAccess;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A Paillier secret key: the primes {@code p, q} of {@code n = p·q} and the precomputations for
 * decryption by Chinese remaindering over {@code p²} and {@code q²} (Paillier 1999, §7, "Decryption
 * using Chinese-remaindering").
 *
 * <p>Secret material: {@code toString} is redacted, there is no {@code equals}, no serialisation;
 * the primes leave only through a {@link SecretAccess} token. Created by {@link
 * PaillierKeyPair#generate} or, for known-answer tests and keys held elsewhere, {@link
 * #fromPrimes}. Immutable and thread-safe.
 */
public final class PaillierSecretKey {
  private final PaillierPublicKey publicKey;
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger pSquared;
  private final BigInteger qSquared;
  private final BigInteger pMinus1;
  private final BigInteger qMinus1;
  private final BigInteger hp; // L_p(g^(p−1) mod p²)^−1 mod p
  private final BigInteger hq;
  private final BigInteger qInvModP;
  private final BigInteger q2InvModP2; // for CRT recombination mod n²

  private PaillierSecretKey(BigInteger p, BigInteger q, int modulusBits) {
    this.p = p;
    this.q = q;
    BigInteger n = p.multiply(q);
    this.publicKey = new PaillierPublicKey(n, modulusBits);
    this.pSquared = p.multiply(p);
    this.qSquared = q.multiply(q);
    this.pMinus1 = p.subtract(BigInteger.ONE);
    this.qMinus1 = q.subtract(BigInteger.ONE);
    BigInteger g = n.add(BigInteger.ONE);
    this.hp = lp(g.modPow(pMinus1, pSquared), p).modInverse(p);
    this.hq = lp(g.modPow(qMinus1, qSquared), q).modInverse(q);
    this.qInvModP = q.modInverse(p);
    this.q2InvModP2 = qSquared.modInverse(pSquared);
  }

  /**
   * A secret key from given primes, after the checks key generation guarantees.
   *
   * @param params the modulus size n must have
   * @throws IllegalArgumentException unless p and q are distinct probable primes (error below
   *     2^−100) of {@code modulusBits/2} bits each, n = p·q has exactly {@code modulusBits} bits,
   *     {@code |p − q| ≥ 2^(modulusBits/2 − 100)} and {@code gcd(n, (p−1)(q−1)) = 1}
   */
  public static PaillierSecretKey fromPrimes(
      BigInteger p, BigInteger q, PaillierParameters params, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    check(p, q, params.modulusBits(), true);
    return new PaillierSecretKey(p, q, params.modulusBits());
  }

  /** Key generation's path: primality already established by the generator. */
  static PaillierSecretKey fromGeneratedPrimes(BigInteger p, BigInteger q, int modulusBits) {
    check(p, q, modulusBits, false);
    return new PaillierSecretKey(p, q, modulusBits);
  }

  /** The checks on a prime pair; messages name the rule, never the values. */
  static void check(BigInteger p, BigInteger q, int modulusBits, boolean testPrimality) {
    Objects.requireNonNull(p, "p");
    Objects.requireNonNull(q, "q");
    int half = modulusBits / 2;
    if (p.bitLength() != half || q.bitLength() != half) {
      throw new IllegalArgumentException("p and q must each have modulusBits/2 bits");
    }
    if (p.multiply(q).bitLength() != modulusBits) {
      throw new IllegalArgumentException("n = p·q must have exactly modulusBits bits");
    }
    if (p.subtract(q).abs().bitLength() <= half - 100) {
      throw new IllegalArgumentException("p and q are too close (|p − q| < 2^(|n|/2 − 100))");
    }
    if (testPrimality && (!p.isProbablePrime(100) || !q.isProbablePrime(100))) {
      throw new IllegalArgumentException("p and q must be prime");
    }
    BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
    if (!p.multiply(q).gcd(phi).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("gcd(n, φ(n)) must be 1");
    }
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  /** The prime p. Each call site handles a raw secret: review it. */
  public BigInteger p(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return p;
  }

  /** The prime q. Each call site handles a raw secret: review it. */
  public BigInteger q(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return q;
  }

  /**
   * CRT decryption: {@code m_p = L_p(c^(p−1) mod p²)·h_p mod p}, likewise {@code m_q}, and {@code m
   * = m_q + q·((m_p − m_q)·q⁻¹ mod p)}. Two half-size exponentiations by half-size exponents.
   */
  BigInteger decrypt(BigInteger c) {
    BigInteger mp = lp(c.mod(pSquared).modPow(pMinus1, pSquared), p).multiply(hp).mod(p);
    BigInteger mq = lp(c.mod(qSquared).modPow(qMinus1, qSquared), q).multiply(hq).mod(q);
    return mq.add(q.multiply(mp.subtract(mq).multiply(qInvModP).mod(p)));
  }

  /**
   * A uniform n-th residue mod n², for the key holder's own encryptions: {@code x_p^p mod p²} and
   * {@code x_q^q mod q²} for uniform units {@code x_p, x_q}, joined by Garner's recombination.
   * Same distribution as {@code rⁿ mod n²} for a uniform {@code r ∈ Z*ₙ} — both are uniform in the
   * subgroup of n-th residues, which mod p² is the subgroup of order p − 1, the image of {@code x ↦
   * x^p} — at about a quarter of the cost: two |n|/2-bit exponents modulo |n|-bit moduli instead of
   * one |n|-bit exponent modulo n².
   */
  BigInteger randomNthResidue(SecureRandom random) {
    BigInteger a = unit(p, pSquared, random).modPow(p, pSquared);
    BigInteger b = unit(q, qSquared, random).modPow(q, qSquared);
    BigInteger t = a.subtract(b).multiply(q2InvModP2).mod(pSquared);
    return b.add(qSquared.multiply(t));
  }

  private static BigInteger unit(BigInteger prime, BigInteger modulus, SecureRandom random) {
    while (true) {
      BigInteger x = new BigInteger(modulus.bitLength() + 64, random).mod(modulus);
      if (x.signum() > 0 && x.mod(prime).signum() != 0) {
        return x;
      }
    }
  }

  private static BigInteger lp(BigInteger x, BigInteger prime) {
    return x.subtract(BigInteger.ONE).divide(prime);
  }

  @Override
  public String toString() {
    return "PaillierSecretKey[" + publicKey.modulusBits() + " bits, redacted]";
  }
}
