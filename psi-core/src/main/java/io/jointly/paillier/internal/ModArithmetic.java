package io.jointly.paillier.internal;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Multiplication modulo a fixed odd modulus (in Paillier, {@code n²}) with Barrett reduction
 * (Menezes, van Oorschot, Vanstone, <i>Handbook of Applied Cryptography</i>, Algorithm 14.42).
 *
 * <p>Why not {@code a.multiply(b).mod(m)}: on JDK 17 {@link BigInteger#mod} of an 8,192-bit
 * product by a 4,096-bit modulus runs Burnikel–Ziegler division, which costs several times the
 * multiplication; Barrett replaces it by two multiplications (both on the JDK's intrinsic
 * schoolbook kernels under Karatsuba) and a shift. Single exponentiations still use {@link
 * BigInteger#modPow}, whose Montgomery kernel is a HotSpot intrinsic and beats anything written in
 * Java here; this class is for the many independent multiplications of multi-exponentiation,
 * fixed-base tables and online encryption.
 *
 * <p>Not constant-time (nor is {@link BigInteger}); used on public values and on fresh randomness
 * only. Immutable and thread-safe.
 */
public final class ModArithmetic {
  private final BigInteger modulus;
  private final int k;
  private final BigInteger mu;

  /**
   * @param modulus an odd modulus of at least 3 bits
   */
  public ModArithmetic(BigInteger modulus) {
    this.modulus = Objects.requireNonNull(modulus, "modulus");
    if (modulus.signum() <= 0 || modulus.bitLength() < 3 || !modulus.testBit(0)) {
      throw new IllegalArgumentException("modulus must be odd and at least 5");
    }
    this.k = modulus.bitLength();
    this.mu = BigInteger.ONE.shiftLeft(2 * k).divide(modulus);
  }

  public BigInteger modulus() {
    return modulus;
  }

  /** {@code x mod m} for {@code 0 ≤ x < 2^(2k)}, k the modulus' bit length (any product of two residues). */
  public BigInteger reduce(BigInteger x) {
    if (x.signum() < 0 || x.bitLength() > 2 * k) {
      throw new IllegalArgumentException("Barrett reduction needs 0 <= x < 2^(2k)");
    }
    if (x.bitLength() < k) {
      return x;
    }
    BigInteger q = x.shiftRight(k - 1).multiply(mu).shiftRight(k + 1);
    BigInteger r = x.subtract(q.multiply(modulus));
    // HAC 14.42 note (ii): at most two subtractions are needed.
    while (r.compareTo(modulus) >= 0) {
      r = r.subtract(modulus);
    }
    return r;
  }

  /** {@code a·b mod m} for residues {@code a, b} in [0, m). */
  public BigInteger multiply(BigInteger a, BigInteger b) {
    return reduce(a.multiply(b));
  }

  /** {@code a² mod m} for a residue {@code a} in [0, m). */
  public BigInteger square(BigInteger a) {
    return reduce(a.multiply(a));
  }
}
