package io.jointly.bench.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * THE BASELINE, NOT JOINTLY'S ENGINE: Paillier written from the textbook with {@link BigInteger},
 * measured beside {@code io.jointly.paillier} in the same runs. Encryption {@code c = g^m·rⁿ mod n²}
 * by two full {@code modPow}s (g = n + 1 but used as a generic base), decryption {@code L(c^λ mod
 * n²)·μ mod n}, addition {@code a·b mod n²} with {@link BigInteger#mod}, scalar multiplication
 * {@code c^k mod n²} by {@code modPow}, a negative scalar as the exponent {@code n − |k|}.
 */
final class TextbookPaillier {
  final BigInteger n;
  final BigInteger nSquared;
  final BigInteger g;
  final BigInteger lambda;
  final BigInteger mu;

  TextbookPaillier(BigInteger p, BigInteger q) {
    n = p.multiply(q);
    nSquared = n.multiply(n);
    g = n.add(BigInteger.ONE);
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger qm1 = q.subtract(BigInteger.ONE);
    lambda = pm1.multiply(qm1).divide(pm1.gcd(qm1));
    mu = l(g.modPow(lambda, nSquared)).modInverse(n);
  }

  /** Key generation: two {@code probablePrime}s of half the size, until n has the full size. */
  static TextbookPaillier generate(int bits, SecureRandom random) {
    while (true) {
      BigInteger p = BigInteger.probablePrime(bits / 2, random);
      BigInteger q = BigInteger.probablePrime(bits / 2, random);
      if (!p.equals(q) && p.multiply(q).bitLength() == bits) {
        return new TextbookPaillier(p, q);
      }
    }
  }

  BigInteger encrypt(BigInteger m, SecureRandom random) {
    BigInteger r;
    do {
      r = new BigInteger(n.bitLength(), random);
    } while (r.signum() == 0 || r.compareTo(n) >= 0);
    return g.modPow(m, nSquared).multiply(r.modPow(n, nSquared)).mod(nSquared);
  }

  BigInteger decrypt(BigInteger c) {
    return l(c.modPow(lambda, nSquared)).multiply(mu).mod(n);
  }

  BigInteger add(BigInteger a, BigInteger b) {
    return a.multiply(b).mod(nSquared);
  }

  BigInteger multiply(BigInteger c, long k) {
    BigInteger e = k >= 0 ? BigInteger.valueOf(k) : n.subtract(BigInteger.valueOf(k).abs());
    return c.modPow(e, nSquared);
  }

  private BigInteger l(BigInteger x) {
    return x.subtract(BigInteger.ONE).divide(n);
  }
}
