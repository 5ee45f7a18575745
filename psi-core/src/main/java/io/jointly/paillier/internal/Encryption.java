package io.jointly.paillier.internal;

import java.math.BigInteger;

/**
 * The online step of Paillier encryption with {@code g = n + 1}: {@code (1 + m·n)·ρ mod n²} for a
 * precomputed n-th residue ρ. One 2,048×2,048-bit product and one Barrett multiplication mod n².
 * Exposed so the benchmarks time exactly the code encryption runs.
 */
public final class Encryption {
  private Encryption() {}

  /** {@code (1 + m·n)·ρ mod n²}, for {@code 0 ≤ m < n} and ρ a residue mod n². */
  public static BigInteger online(ModArithmetic arithModN2, BigInteger n, BigInteger m, BigInteger rho) {
    return arithModN2.multiply(m.multiply(n).add(BigInteger.ONE), rho);
  }
}
