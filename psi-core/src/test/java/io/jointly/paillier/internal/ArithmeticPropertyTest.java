package io.jointly.paillier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.paillier.internal.SquareModulus.Digits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Barrett, base-n and fixed-base arithmetic and the signed-digit multi-exponentiation against
 * {@link BigInteger}'s own {@code mod}/{@code modPow}, on random odd moduli of random sizes
 * (including small ones, where the corner cases are dense). Seeded randomness: reproducible.
 */
class ArithmeticPropertyTest {

  private static BigInteger oddModulus(Random r, int bits) {
    return new BigInteger(bits, r).setBit(bits - 1).setBit(0);
  }

  private static BigInteger unitBelow(Random r, BigInteger n, BigInteger m) {
    while (true) {
      BigInteger x = new BigInteger(m.bitLength(), r).mod(m);
      if (x.signum() > 0 && x.gcd(n).equals(BigInteger.ONE)) {
        return x;
      }
    }
  }

  @Property(tries = 300)
  void barrettAndBaseN_multiply_matchModOfProduct(
      @ForAll @IntRange(min = 3, max = 1100) int bits, @ForAll long seed) {
    Random r = new Random(seed);
    BigInteger n = oddModulus(r, bits);
    BigInteger n2 = n.multiply(n);
    ModArithmetic barrett = new ModArithmetic(n2);
    SquareModulus sm = new SquareModulus(n);
    for (int i = 0; i < 5; i++) {
      BigInteger a = new BigInteger(n2.bitLength(), r).mod(n2);
      BigInteger b = i == 0 ? n2.subtract(BigInteger.ONE) : new BigInteger(n2.bitLength(), r).mod(n2);
      BigInteger expected = a.multiply(b).mod(n2);
      assertThat(barrett.multiply(a, b)).isEqualTo(expected);
      assertThat(sm.join(sm.multiply(sm.split(a), sm.split(b)))).isEqualTo(expected);
      assertThat(sm.join(sm.square(sm.split(a)))).isEqualTo(a.multiply(a).mod(n2));
      Digits d = sm.split(a);
      assertThat(d.hi()).isLessThan(n);
      assertThat(d.lo()).isLessThan(n);
      BigInteger m = new BigInteger(n.bitLength(), r).mod(n);
      BigInteger expectedEnc = m.multiply(n).add(BigInteger.ONE).multiply(b).mod(n2);
      assertThat(sm.encrypt(m, b, b.mod(n))).isEqualTo(expectedEnc);
    }
  }

  @Property(tries = 200)
  void inverse_henselLifted_matchesModInverse(
      @ForAll @IntRange(min = 3, max = 1100) int bits, @ForAll long seed) {
    Random r = new Random(seed);
    BigInteger n = oddModulus(r, bits);
    BigInteger n2 = n.multiply(n);
    SquareModulus sm = new SquareModulus(n);
    BigInteger c = unitBelow(r, n, n2);
    assertThat(sm.inverse(c)).isEqualTo(c.modInverse(n2));
    assertThat(sm.inverse(BigInteger.ONE)).isEqualTo(BigInteger.ONE);
    assertThat(sm.inverse(n2.subtract(BigInteger.ONE))).isEqualTo(n2.subtract(BigInteger.ONE));
  }

  @Property(tries = 60)
  void fixedBaseTable_pow_matchesModPow(
      @ForAll @IntRange(min = 8, max = 600) int bits,
      @ForAll @IntRange(min = 1, max = 300) int exponentBits,
      @ForAll long seed) {
    Random r = new Random(seed);
    BigInteger n = oddModulus(r, bits);
    BigInteger n2 = n.multiply(n);
    BigInteger h = unitBelow(r, n, n2);
    FixedBaseTable table = new FixedBaseTable(new ModArithmetic(n2), h, exponentBits);
    for (int i = 0; i < 4; i++) {
      BigInteger a = i == 0 ? BigInteger.ZERO : i == 1 ? BigInteger.ONE.shiftLeft(exponentBits).subtract(BigInteger.ONE) : new BigInteger(exponentBits, r);
      assertThat(table.pow(a)).isEqualTo(h.modPow(a, n2));
    }
  }

  @Property(tries = 60)
  void multiExp_signedExponents_matchesProductOfModPows(
      @ForAll @IntRange(min = 8, max = 700) int bits,
      @ForAll @Size(max = 120) List<@LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) Long> ks,
      @ForAll @IntRange(min = 0, max = 3) int scalarWidth,
      @ForAll long seed) {
    Random r = new Random(seed);
    BigInteger n = oddModulus(r, bits);
    BigInteger n2 = n.multiply(n);
    SquareModulus sm = new SquareModulus(n);
    List<BigInteger> bases = new ArrayList<>();
    long[] k = new long[ks.size()];
    BigInteger expected = BigInteger.ONE;
    int shift = new int[] {0, 32, 48, 60}[scalarWidth]; // 64-, 32-, 16- and 4-bit scalars
    for (int i = 0; i < k.length; i++) {
      BigInteger b = unitBelow(r, n, n2);
      bases.add(b);
      k[i] = ks.get(i) >> shift;
      BigInteger e = BigInteger.valueOf(k[i]);
      BigInteger term = e.signum() >= 0 ? b.modPow(e, n2) : b.modInverse(n2).modPow(e.negate(), n2);
      expected = expected.multiply(term).mod(n2);
    }
    assertThat(MultiExp.multiExp(sm, bases, k, 0, k.length)).isEqualTo(expected);
  }

  @Property(tries = 200)
  void recode_signedDigits_reconstructExponent(
      @ForAll long e, @ForAll @IntRange(min = 2, max = 20) int c) {
    int bits = 64 - Long.numberOfLeadingZeros(MultiExp.magnitude(e));
    int windows = (bits + 1 + c - 1) / c;
    int[][] digits = MultiExp.recode(new long[] {e}, 0, 1, c, Math.max(windows, 1));
    BigInteger sum = BigInteger.ZERO;
    for (int w = digits.length - 1; w >= 0; w--) {
      int d = digits[w][0];
      assertThat(Math.abs(d)).isLessThanOrEqualTo(1 << (c - 1));
      sum = sum.shiftLeft(c).add(BigInteger.valueOf(d));
    }
    assertThat(sum).isEqualTo(BigInteger.valueOf(e));
  }
}
