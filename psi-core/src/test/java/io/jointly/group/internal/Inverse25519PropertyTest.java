package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Inverse25519} (the Bernstein–Yang inversion of the X25519 ladder) against {@link
 * BigInteger#modInverse} and the Fermat chain {@link Field25519#invert}, over random values, edge
 * values and reduced limb vectors at their bounds.
 */
class Inverse25519PropertyTest {
  private static final BigInteger P = Field25519.P;
  private static final long REDUCED_MAX = (1L << 51) + (1L << 16) - 1;

  @Provide
  Arbitrary<BigInteger> values() {
    BigInteger two255 = BigInteger.ONE.shiftLeft(255);
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, P.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(P.subtract(BigInteger.valueOf(64)), P),
        Arbitraries.of(
            BigInteger.ONE,
            BigInteger.TWO,
            BigInteger.valueOf(9),
            BigInteger.valueOf(19),
            BigInteger.ONE.shiftLeft(254),
            two255.subtract(BigInteger.ONE),
            P.subtract(BigInteger.ONE).shiftRight(1)));
  }

  /** Limb vectors of reduced elements (limbs below 2^51 + 2^16), with the extremes. */
  @Provide
  Arbitrary<long[]> reducedLimbs() {
    Arbitrary<Long> limb =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, REDUCED_MAX),
            Arbitraries.of(0L, 1L, Field25519.MASK51, REDUCED_MAX));
    return Combinators.combine(limb, limb, limb, limb, limb)
        .as((a, b, c, d, e) -> new long[] {a, b, c, d, e});
  }

  @Property(tries = 500)
  void invert_values_matchesModInverse(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Inverse25519.invert(Field25519.fromBigInteger(a), r);
    BigInteger x = a.mod(P);
    BigInteger expected = x.signum() == 0 ? BigInteger.ZERO : x.modInverse(P);
    assertThat(Field25519.toBigInteger(r)).isEqualTo(expected);
    assertReduced(r);
  }

  @Property(tries = 300)
  void invert_reducedLimbs_matchesFermatChain(@ForAll("reducedLimbs") long[] a) {
    long[] expected = Field25519.create();
    Field25519.invert(a, expected);
    long[] r = a.clone();
    Inverse25519.invert(r, r); // output aliases the input
    assertThat(Field25519.toBigInteger(r)).isEqualTo(Field25519.toBigInteger(expected));
    assertReduced(r);
  }

  @Example
  void invert_zeroAndMultiplesOfP_giveZero() {
    long[] r = Field25519.create();
    Inverse25519.invert(Field25519.create(), r);
    assertThat(Field25519.toBigInteger(r)).isZero();
    // p itself in limbs (2^51 − 19, 2^51 − 1, ...): not canonical, still zero mod p.
    long[] p = {Field25519.MASK51 - 18, Field25519.MASK51, Field25519.MASK51, Field25519.MASK51,
        Field25519.MASK51};
    Inverse25519.invert(p, r);
    assertThat(Field25519.toBigInteger(r)).isZero();
  }

  @Example
  void invert_allLimbsAtTheirBound_matchesModInverse() {
    long[] a = {REDUCED_MAX, REDUCED_MAX, REDUCED_MAX, REDUCED_MAX, REDUCED_MAX};
    long[] r = Field25519.create();
    Inverse25519.invert(a, r);
    BigInteger x = Field25519PropertyTest.valueOf(a).mod(P);
    assertThat(Field25519.toBigInteger(r)).isEqualTo(x.modInverse(P));
  }

  private static void assertReduced(long[] r) {
    for (long limb : r) {
      assertThat(limb).isBetween(0L, (1L << 51) + (1L << 16));
    }
  }
}
