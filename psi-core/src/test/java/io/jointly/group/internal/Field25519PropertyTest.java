package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * {@link Field25519} against {@link BigInteger} arithmetic mod p, over random values below 2^255
 * (canonical or not), edge values, and limb vectors at the documented input bounds.
 */
class Field25519PropertyTest {
  private static final BigInteger P = Field25519.P;
  private static final BigInteger TWO_255 = BigInteger.ONE.shiftLeft(255);

  /** Values in [0, 2^255) (including the non-canonical p..2^255 − 1) and edge values. */
  @Provide
  Arbitrary<BigInteger> values() {
    BigInteger two51 = BigInteger.ONE.shiftLeft(51);
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, TWO_255.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers()
            .between(P.subtract(BigInteger.valueOf(64)), TWO_255.subtract(BigInteger.ONE)),
        Arbitraries.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.TWO,
            BigInteger.valueOf(19),
            two51.subtract(BigInteger.ONE),
            two51,
            P.subtract(BigInteger.TWO),
            P.subtract(BigInteger.ONE),
            P,
            P.add(BigInteger.ONE),
            TWO_255.subtract(BigInteger.ONE),
            P.subtract(BigInteger.ONE).shiftRight(1),
            P.add(BigInteger.ONE).shiftRight(1)));
  }

  /** Limb vectors with every limb in [0, 2^53): the largest inputs mul and square accept. */
  @Provide
  Arbitrary<long[]> looseLimbs() {
    return limbs(1L << 53);
  }

  /** Limb vectors with every limb in [0, 2^54): the largest inputs sub accepts. */
  @Provide
  Arbitrary<long[]> subLimbs() {
    return limbs(1L << 54);
  }

  /** Limb vectors with every limb in [0, 2^62): the largest inputs canonical/encode accept. */
  @Provide
  Arbitrary<long[]> wideLimbs() {
    return limbs(1L << 62);
  }

  private static Arbitrary<long[]> limbs(long bound) {
    Arbitrary<Long> limb =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, bound - 1),
            Arbitraries.of(0L, bound - 1, Field25519.MASK51));
    return Combinators.combine(limb, limb, limb, limb, limb)
        .as((a, b, c, d, e) -> new long[] {a, b, c, d, e});
  }

  /** The limbs of v < 2^255 without reducing modulo p. */
  static long[] limbsOf(BigInteger v) {
    long[] r = new long[5];
    for (int i = 0; i < 5; i++) {
      r[i] = v.shiftRight(51 * i).longValue() & Field25519.MASK51;
    }
    return r;
  }

  /** The integer a limb vector stands for, not reduced. */
  static BigInteger valueOf(long[] a) {
    BigInteger x = BigInteger.ZERO;
    for (int i = 4; i >= 0; i--) {
      x = x.shiftLeft(51).add(BigInteger.valueOf(a[i]));
    }
    return x;
  }

  private static BigInteger mod(BigInteger x) {
    return x.mod(P);
  }

  private static BigInteger value(long[] a) {
    return Field25519.toBigInteger(a);
  }

  @Property
  void mul_values_matchesBigInteger(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    long[] r = Field25519.create();
    Field25519.mul(limbsOf(a), limbsOf(b), r);
    assertThat(value(r)).isEqualTo(mod(a.multiply(b)));
    assertReduced(r);
  }

  @Property
  void mul_looseLimbs_matchesBigInteger(
      @ForAll("looseLimbs") long[] a, @ForAll("looseLimbs") long[] b) {
    long[] r = Field25519.create();
    Field25519.mul(a, b, r);
    assertThat(value(r)).isEqualTo(mod(valueOf(a).multiply(valueOf(b))));
    assertReduced(r);
  }

  @Property
  void mul_outputAliasesInput_matchesBigInteger(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    long[] x = limbsOf(a);
    Field25519.mul(x, limbsOf(b), x);
    assertThat(value(x)).isEqualTo(mod(a.multiply(b)));
  }

  @Property
  void square_values_matchesBigInteger(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Field25519.square(limbsOf(a), r);
    assertThat(value(r)).isEqualTo(mod(a.multiply(a)));
    assertReduced(r);
  }

  @Property
  void square_looseLimbs_matchesBigInteger(@ForAll("looseLimbs") long[] a) {
    long[] r = Field25519.create();
    Field25519.square(a, r);
    BigInteger v = valueOf(a);
    assertThat(value(r)).isEqualTo(mod(v.multiply(v)));
    assertReduced(r);
  }

  @Property(tries = 200)
  void squareN_values_matchesRepeatedSquaring(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Field25519.squareN(limbsOf(a), 7, r);
    assertThat(value(r)).isEqualTo(a.modPow(BigInteger.valueOf(128), P));
  }

  /**
   * mul and square against BigInteger on limb vectors built from the extreme limb values {0, 1,
   * 2^51 − 1, 2^52, 2^53 − 1}: every such vector squared, and multiplied by the all-(2^53 − 1)
   * vector from either side. The largest inputs are where the double-precision estimate of each
   * column (see Field25519.mul) has its largest error.
   */
  @Example
  void mulAndSquare_extremeLimbs_matchBigInteger() {
    long[] extremes = {0, 1, Field25519.MASK51, 1L << 52, (1L << 53) - 1};
    long[] max = {(1L << 53) - 1, (1L << 53) - 1, (1L << 53) - 1, (1L << 53) - 1, (1L << 53) - 1};
    BigInteger maxValue = valueOf(max);
    long[] r = Field25519.create();
    for (int code = 0; code < 3125; code++) {
      long[] a = new long[5];
      for (int i = 0, c = code; i < 5; i++, c /= 5) {
        a[i] = extremes[c % 5];
      }
      BigInteger v = valueOf(a);
      Field25519.square(a, r);
      assertThat(value(r)).as("square %s", v).isEqualTo(mod(v.multiply(v)));
      assertReduced(r);
      Field25519.mul(a, max, r);
      assertThat(value(r)).as("mul %s", v).isEqualTo(mod(v.multiply(maxValue)));
      assertReduced(r);
      Field25519.mul(max, a, r);
      assertThat(value(r)).as("mul %s", v).isEqualTo(mod(maxValue.multiply(v)));
      assertReduced(r);
    }
  }

  @Property
  void add_values_matchesBigInteger(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    long[] r = Field25519.create();
    Field25519.add(limbsOf(a), limbsOf(b), r);
    assertThat(value(r)).isEqualTo(mod(a.add(b)));
  }

  @Property
  void mulOfSums_reducedInputs_matchesBigInteger(
      @ForAll("values") BigInteger a,
      @ForAll("values") BigInteger b,
      @ForAll("values") BigInteger c,
      @ForAll("values") BigInteger d) {
    // Sums of two reduced elements are valid mul inputs (limbs below 2^53).
    long[] s = Field25519.create();
    long[] t = Field25519.create();
    long[] r = Field25519.create();
    Field25519.add(limbsOf(a), limbsOf(b), s);
    Field25519.add(limbsOf(c), limbsOf(d), t);
    Field25519.mul(s, t, r);
    assertThat(value(r)).isEqualTo(mod(a.add(b).multiply(c.add(d))));
  }

  @Property
  void sub_values_matchesBigInteger(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    long[] r = Field25519.create();
    Field25519.sub(limbsOf(a), limbsOf(b), r);
    assertThat(value(r)).isEqualTo(mod(a.subtract(b)));
    assertReduced(r);
  }

  @Property
  void sub_looseLimbs_matchesBigInteger(
      @ForAll("subLimbs") long[] a, @ForAll("subLimbs") long[] b) {
    long[] r = Field25519.create();
    Field25519.sub(a, b, r);
    assertThat(value(r)).isEqualTo(mod(valueOf(a).subtract(valueOf(b))));
    assertReduced(r);
  }

  /** Limb vectors with every limb in [0, 2^51 + 2^16): the bounds of a reduced element. */
  @Provide
  Arbitrary<long[]> reducedLimbs() {
    return limbs((1L << 51) + (1L << 16));
  }

  @Property
  void neg_values_matchesBigInteger(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Field25519.neg(limbsOf(a), r);
    assertThat(value(r)).isEqualTo(mod(a.negate()));
  }

  @Property(tries = 300)
  void invert_values_matchesModInverse(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Field25519.invert(limbsOf(a), r);
    BigInteger expected = mod(a).signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
    assertThat(value(r)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void pow22523_values_matchesModPow(@ForAll("values") BigInteger a) {
    long[] r = Field25519.create();
    Field25519.pow22523(limbsOf(a), r);
    BigInteger e = P.subtract(BigInteger.valueOf(5)).shiftRight(3);
    assertThat(value(r)).isEqualTo(a.modPow(e, P));
  }

  @Property
  void encode_values_isLittleEndianOfCanonicalValue(@ForAll("values") BigInteger a) {
    byte[] out = new byte[32];
    Field25519.encode(limbsOf(a), out, 0);
    assertThat(Scalar25519.toBigInteger(out)).isEqualTo(mod(a));
  }

  @Property
  void encode_wideLimbs_isLittleEndianOfCanonicalValue(@ForAll("wideLimbs") long[] a) {
    byte[] out = new byte[32];
    Field25519.encode(a, out, 0);
    assertThat(Scalar25519.toBigInteger(out)).isEqualTo(mod(valueOf(a)));
  }

  @Example
  void encode_edgeValues_areCanonical() {
    BigInteger[] edges = {
      BigInteger.ZERO,
      P.subtract(BigInteger.ONE),
      P,
      P.add(BigInteger.ONE),
      TWO_255.subtract(BigInteger.ONE)
    };
    BigInteger[] expected = {
      BigInteger.ZERO,
      P.subtract(BigInteger.ONE),
      BigInteger.ZERO,
      BigInteger.ONE,
      BigInteger.valueOf(18)
    };
    for (int i = 0; i < edges.length; i++) {
      byte[] out = new byte[32];
      Field25519.encode(limbsOf(edges[i]), out, 0);
      assertThat(Scalar25519.toBigInteger(out)).as("%s", edges[i]).isEqualTo(expected[i]);
    }
  }

  @Property
  void decode_randomBytes_flagsExactlyTheValuesBelowP(@ForAll @Size(32) byte[] bytes) {
    long[] r = Field25519.create();
    int canonical = Field25519.decode(bytes, 0, r);
    BigInteger v = Scalar25519.toBigInteger(bytes);
    assertThat(canonical).isEqualTo(v.compareTo(P) < 0 ? 1 : 0);
    assertThat(valueOf(r)).isEqualTo(v.mod(TWO_255));
  }

  @Property
  void decode_encodedValue_isCanonicalAndEqual(@ForAll("values") BigInteger a) {
    byte[] bytes = new byte[32];
    Field25519.encode(limbsOf(a), bytes, 0);
    long[] r = Field25519.create();
    assertThat(Field25519.decode(bytes, 0, r)).isEqualTo(1);
    assertThat(value(r)).isEqualTo(mod(a));
  }

  @Example
  void decode_edgeEncodings_flagNonCanonical() {
    BigInteger[] nonCanonical = {
      P,
      P.add(BigInteger.ONE),
      TWO_255.subtract(BigInteger.ONE),
      TWO_255,
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)
    };
    for (BigInteger v : nonCanonical) {
      assertThat(Field25519.decode(littleEndian32(v), 0, Field25519.create())).as("%s", v).isZero();
    }
    for (BigInteger v : new BigInteger[] {BigInteger.ZERO, P.subtract(BigInteger.ONE)}) {
      assertThat(Field25519.decode(littleEndian32(v), 0, Field25519.create()))
          .as("%s", v)
          .isEqualTo(1);
    }
  }

  @Property
  void isNegative_values_isParityOfCanonicalValue(@ForAll("values") BigInteger a) {
    assertThat(Field25519.isNegative(limbsOf(a))).isEqualTo(mod(a).testBit(0) ? 1 : 0);
  }

  @Property
  void isZeroAndEqual_values_matchBigInteger(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    assertThat(Field25519.isZero(limbsOf(a))).isEqualTo(mod(a).signum() == 0 ? 1 : 0);
    assertThat(Field25519.equal(limbsOf(a), limbsOf(b))).isEqualTo(mod(a).equals(mod(b)) ? 1 : 0);
    assertThat(Field25519.equal(limbsOf(a), limbsOf(mod(a)))).isEqualTo(1);
  }

  @Property
  void cmovCswapCneg_flag_selectAsSpecified(
      @ForAll("values") BigInteger a, @ForAll("values") BigInteger b) {
    for (int flag = 0; flag <= 1; flag++) {
      long[] r = limbsOf(a);
      Field25519.cmov(r, limbsOf(b), flag);
      assertThat(valueOf(r)).isEqualTo(flag == 1 ? b : a);
      long[] x = limbsOf(a);
      long[] y = limbsOf(b);
      Field25519.cswap(x, y, flag);
      assertThat(valueOf(x)).isEqualTo(flag == 1 ? b : a);
      assertThat(valueOf(y)).isEqualTo(flag == 1 ? a : b);
      long[] n = Field25519.create();
      Field25519.cneg(limbsOf(a), flag, n);
      assertThat(value(n)).isEqualTo(flag == 1 ? mod(a.negate()) : mod(a));
    }
  }

  @Property(tries = 300)
  void sqrtRatioM1_values_satisfiesRfc9496Definition(
      @ForAll("values") BigInteger u, @ForAll("values") BigInteger v) {
    long[] r = Field25519.create();
    int wasSquare = Field25519.sqrtRatioM1(limbsOf(u), limbsOf(v), r);
    BigInteger root = value(r);
    BigInteger uu = mod(u);
    BigInteger vv = mod(v);
    BigInteger sqrtM1 = value(Field25519.SQRT_M1);
    assertThat(root.testBit(0)).as("root is non-negative").isFalse();
    BigInteger check = vv.multiply(root).multiply(root).mod(P);
    if (uu.signum() == 0) {
      assertThat(wasSquare).isEqualTo(1);
      assertThat(root).isZero();
    } else if (vv.signum() == 0) {
      assertThat(wasSquare).isZero();
      assertThat(root).isZero();
    } else if (isSquare(uu.multiply(vv.modInverse(P)).mod(P))) {
      assertThat(wasSquare).isEqualTo(1);
      assertThat(check).isEqualTo(uu);
    } else {
      assertThat(wasSquare).isZero();
      assertThat(check).isEqualTo(sqrtM1.multiply(uu).mod(P));
    }
  }

  @Example
  void constants_satisfyTheirRfc9496Definitions() {
    BigInteger d = value(Edwards25519.D);
    BigInteger sqrtM1 = value(Field25519.SQRT_M1);
    BigInteger one = BigInteger.ONE;
    // d = -121665/121666 (RFC 7748 §4.1)
    assertThat(d)
        .isEqualTo(
            mod(BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P))));
    assertThat(value(Edwards25519.D2)).isEqualTo(mod(d.shiftLeft(1)));
    // SQRT_M1^2 = -1, and SQRT_M1 = 2^((p-1)/4)
    assertThat(mod(sqrtM1.multiply(sqrtM1))).isEqualTo(P.subtract(one));
    assertThat(sqrtM1).isEqualTo(BigInteger.TWO.modPow(P.subtract(one).shiftRight(2), P));
    // SQRT_AD_MINUS_ONE^2 = a*d - 1 with a = -1
    BigInteger sadm1 = value(Ristretto255.SQRT_AD_MINUS_ONE);
    assertThat(mod(sadm1.multiply(sadm1))).isEqualTo(mod(d.negate().subtract(one)));
    // INVSQRT_A_MINUS_D^2 * (a - d) = 1
    BigInteger isamd = value(Ristretto255.INVSQRT_A_MINUS_D);
    assertThat(mod(isamd.multiply(isamd).multiply(one.negate().subtract(d)))).isEqualTo(one);
    // ONE_MINUS_D_SQ = 1 - d^2; D_MINUS_ONE_SQ = (d - 1)^2
    assertThat(value(Ristretto255.ONE_MINUS_D_SQ)).isEqualTo(mod(one.subtract(d.multiply(d))));
    assertThat(value(Ristretto255.D_MINUS_ONE_SQ)).isEqualTo(mod(d.subtract(one).pow(2)));
  }

  private static boolean isSquare(BigInteger x) {
    return x.signum() == 0
        || x.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  private static byte[] littleEndian32(BigInteger v) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }

  /** Reduced output: every limb below 2^51 + 2^16 (the documented bound). */
  private static void assertReduced(long[] r) {
    for (long limb : r) {
      assertThat(limb).isBetween(0L, (1L << 51) + (1L << 16));
    }
  }
}
