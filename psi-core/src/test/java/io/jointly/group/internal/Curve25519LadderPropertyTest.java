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
import net.jqwik.api.constraints.Size;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * {@link Curve25519Ladder} against Bouncy Castle's X25519 for random scalars and u-coordinates
 * (any 32 bytes: bit 255 set, non-canonical values and twist points included), and its fused step
 * helpers against BigInteger arithmetic at the limb bounds they document.
 */
class Curve25519LadderPropertyTest {
  private static final BigInteger P = Field25519.P;
  private static final long REDUCED_MAX = (1L << 51) + (1L << 16) - 1;

  @Property(tries = 300)
  void scalarMult_randomInputs_matchesBouncyCastle(
      @ForAll @Size(32) byte[] k, @ForAll @Size(32) byte[] u) {
    byte[] expected = new byte[32];
    X25519.scalarMult(k, 0, u, 0, expected, 0);
    byte[] out = new byte[32];
    boolean nonZero = Curve25519Ladder.scalarMult(k, u, out);
    assertThat(out).isEqualTo(expected);
    assertThat(nonZero).isEqualTo(new BigInteger(1, expected).signum() != 0);
  }

  @Example
  void scalarMult_edgeCoordinates_matchesBouncyCastle() {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) 0xA5);
    BigInteger two255 = BigInteger.ONE.shiftLeft(255);
    for (BigInteger v :
        new BigInteger[] {
          BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(9), P.subtract(BigInteger.ONE), P,
          P.add(BigInteger.ONE), two255.subtract(BigInteger.ONE), two255.add(BigInteger.TEN),
          BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)
        }) {
      byte[] u = littleEndian(v);
      byte[] expected = new byte[32];
      X25519.scalarMult(k, 0, u, 0, expected, 0);
      byte[] out = new byte[32];
      Curve25519Ladder.scalarMult(k, u, out);
      assertThat(out).as("u = %s", v).isEqualTo(expected);
    }
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

  @Property(tries = 300)
  void eAndF_reducedInputs_matchBigIntegerWithLimbsBelow2To53(
      @ForAll("reducedLimbs") long[] aa, @ForAll("reducedLimbs") long[] bb) {
    long[] e = Field25519.create();
    long[] f = Field25519.create();
    Curve25519Ladder.eAndF(aa, bb, e, f);
    BigInteger a = Field25519PropertyTest.valueOf(aa);
    BigInteger eValue = a.subtract(Field25519PropertyTest.valueOf(bb));
    assertThat(Field25519PropertyTest.valueOf(e).mod(P)).isEqualTo(eValue.mod(P));
    assertThat(Field25519PropertyTest.valueOf(f).mod(P))
        .isEqualTo(a.add(BigInteger.valueOf(121665).multiply(eValue)).mod(P));
    assertBelow2To53(e);
    assertBelow2To53(f);
  }

  @Example
  void eAndF_extremeLimbs_stayBelow2To53() {
    long[] max = {REDUCED_MAX, REDUCED_MAX, REDUCED_MAX, REDUCED_MAX, REDUCED_MAX};
    long[] e = Field25519.create();
    long[] f = Field25519.create();
    Curve25519Ladder.eAndF(max, Field25519.create(), e, f); // largest E, and AA at its bound
    assertBelow2To53(e);
    assertBelow2To53(f);
    BigInteger a = Field25519PropertyTest.valueOf(max);
    assertThat(Field25519PropertyTest.valueOf(f).mod(P))
        .isEqualTo(a.multiply(BigInteger.valueOf(121666)).mod(P));
  }

  @Property(tries = 300)
  void head_reducedInputs_swapsAndCombinesAsSpecified(
      @ForAll("reducedLimbs") long[] x2,
      @ForAll("reducedLimbs") long[] z2,
      @ForAll("reducedLimbs") long[] x3,
      @ForAll("reducedLimbs") long[] z3,
      @ForAll boolean swap) {
    long[] a = Field25519.create();
    long[] b = Field25519.create();
    long[] c = Field25519.create();
    long[] d = Field25519.create();
    Curve25519Ladder.head(x2, z2, x3, z3, swap ? 1 : 0, a, b, c, d);
    BigInteger p2 = Field25519PropertyTest.valueOf(swap ? x3 : x2);
    BigInteger q2 = Field25519PropertyTest.valueOf(swap ? z3 : z2);
    BigInteger p3 = Field25519PropertyTest.valueOf(swap ? x2 : x3);
    BigInteger q3 = Field25519PropertyTest.valueOf(swap ? z2 : z3);
    assertThat(Field25519PropertyTest.valueOf(a).mod(P)).isEqualTo(p2.add(q2).mod(P));
    assertThat(Field25519PropertyTest.valueOf(b).mod(P)).isEqualTo(p2.subtract(q2).mod(P));
    assertThat(Field25519PropertyTest.valueOf(c).mod(P)).isEqualTo(p3.add(q3).mod(P));
    assertThat(Field25519PropertyTest.valueOf(d).mod(P)).isEqualTo(p3.subtract(q3).mod(P));
    for (long[] v : new long[][] {a, b, c, d}) {
      assertBelow2To53(v);
    }
  }

  private static void assertBelow2To53(long[] v) {
    for (long limb : v) {
      assertThat(limb).isBetween(0L, (1L << 53) - 1);
    }
  }

  private static byte[] littleEndian(BigInteger v) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }
}
