package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Multiplication and inversion modulo ℓ ({@link Scalar25519#multiply}, {@link
 * Scalar25519#invert}, {@link Scalar25519#invertAll}) against {@link BigInteger}, over random
 * scalars and the edges of [1, ℓ).
 */
class Scalar25519PropertyTest {
  private static final BigInteger L = Scalar25519.ORDER;

  @Provide
  Arbitrary<BigInteger> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ONE, L.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(L.subtract(BigInteger.valueOf(64)), L.subtract(BigInteger.ONE)),
        Arbitraries.of(
            BigInteger.ONE,
            BigInteger.TWO,
            BigInteger.ONE.shiftLeft(252),
            BigInteger.ONE.shiftLeft(252).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(29).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(232)));
  }

  static byte[] encode(BigInteger v) {
    byte[] out = new byte[32];
    byte[] be = v.toByteArray();
    for (int i = 0; i < be.length && i < 32; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  @Property(tries = 300)
  void limbs_roundTrip(@ForAll("scalars") BigInteger a) {
    assertThat(Scalar25519.toBytes(Scalar25519.fromBytes(encode(a)))).isEqualTo(encode(a));
  }

  @Property(tries = 300)
  void multiply_matchesBigInteger(@ForAll("scalars") BigInteger a, @ForAll("scalars") BigInteger b) {
    byte[] r = Scalar25519.multiply(encode(a), encode(b));
    assertThat(Scalar25519.toBigInteger(r)).isEqualTo(a.multiply(b).mod(L));
    assertThat(Scalar25519.isCanonical(r)).isEqualTo(1);
  }

  @Property(tries = 200)
  void invert_matchesModInverse(@ForAll("scalars") BigInteger a) {
    byte[] r = Scalar25519.invert(encode(a));
    assertThat(Scalar25519.toBigInteger(r)).isEqualTo(a.modInverse(L));
  }

  @Property(tries = 50)
  void invertAll_matchesOneByOne(@ForAll @Size(min = 1, max = 12) List<@net.jqwik.api.From("scalars") BigInteger> values) {
    byte[][] in = values.stream().map(Scalar25519PropertyTest::encode).toArray(byte[][]::new);
    byte[][] out = Scalar25519.invertAll(in);
    for (int i = 0; i < in.length; i++) {
      assertThat(Scalar25519.toBigInteger(out[i])).isEqualTo(values.get(i).modInverse(L));
    }
  }

  @Example
  void invert_zero_isZero() {
    assertThat(Scalar25519.invert(new byte[32])).isEqualTo(new byte[32]);
  }

  @Example
  void invertAll_empty_isEmpty() {
    assertThat(Scalar25519.invertAll(new byte[0][])).isEmpty();
  }
}
