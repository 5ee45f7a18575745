package io.jointly.paillier;

import io.jointly.core.SecretAccess;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * One 2,048-bit key pair per test JVM (key generation takes about a second), plus the plain
 * λ/μ decryption of the textbook, as the reference the CRT decryption is compared with.
 */
final class TestKeys {
  private TestKeys() {}

  private static final class Holder {
    static final PaillierKeyPair KEY_2048 =
        PaillierKeyPair.generate(PaillierParameters.PAILLIER_2048, new SecureRandom());
  }

  static PaillierKeyPair key2048() {
    return Holder.KEY_2048;
  }

  /** Textbook decryption: {@code L(c^λ mod n²)·μ mod n}, λ = lcm(p−1, q−1), μ = L(g^λ)⁻¹ mod n. */
  static BigInteger textbookDecrypt(PaillierSecretKey sk, BigInteger c) {
    BigInteger p = sk.p(SecretAccess.insecure());
    BigInteger q = sk.q(SecretAccess.insecure());
    BigInteger n = p.multiply(q);
    BigInteger n2 = n.multiply(n);
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger qm1 = q.subtract(BigInteger.ONE);
    BigInteger lambda = pm1.multiply(qm1).divide(pm1.gcd(qm1));
    BigInteger mu = l(n.add(BigInteger.ONE).modPow(lambda, n2), n).modInverse(n);
    return l(c.modPow(lambda, n2), n).multiply(mu).mod(n);
  }

  private static BigInteger l(BigInteger x, BigInteger n) {
    return x.subtract(BigInteger.ONE).divide(n);
  }
}
