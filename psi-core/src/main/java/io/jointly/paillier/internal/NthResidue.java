package io.jointly.paillier.internal;

import java.math.BigInteger;

/**
 * One value of encryption randomness: an n-th residue ρ mod n² and {@code ρ mod n}, which the
 * online step of encryption ({@link SquareModulus#encrypt}) needs and the offline phase computes.
 *
 * @param value ρ, in (0, n²)
 * @param modN ρ mod n
 */
public record NthResidue(BigInteger value, BigInteger modN) {
  /** ρ with its residue mod n. */
  public static NthResidue of(BigInteger rho, SquareModulus sm) {
    return new NthResidue(rho, sm.modN(rho));
  }

  /** Size only: fresh randomness must not be logged. */
  @Override
  public String toString() {
    return "NthResidue[" + value.bitLength() + " bits]";
  }
}
