package io.jointly.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FixedPointPropertyTest {
  private static final BigInteger N = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

  @Property
  void encode_thenDecode_isWithinHalfResolution(
      @ForAll @DoubleRange(min = -1e9, max = 1e9) double x, @ForAll @IntRange(min = 0, max = 30) int f) {
    FixedPoint fp = new FixedPoint(f);
    assertThat(Math.abs(fp.decode(fp.encode(x)) - x)).isLessThanOrEqualTo(fp.resolution() / 2);
    assertThat(fp.decode(fp.encode(x, N), N)).isEqualTo(fp.decode(fp.encode(x)));
  }

  @Property
  void sumModulo2To64_decodesToPlainSum(
      @ForAll @Size(min = 1, max = 50) java.util.List<@DoubleRange(min = -1e6, max = 1e6) Double> xs) {
    FixedPoint fp = FixedPoint.DEFAULT;
    long ring = 0;
    long exact = 0;
    for (double x : xs) {
      ring += fp.encode(x); // wraps in Z_2^64 like secure aggregation
      exact = Math.addExact(exact, fp.encode(x));
    }
    assertThat(ring).isEqualTo(exact);
    double plain = xs.stream().mapToDouble(Double::doubleValue).sum();
    assertThat(Math.abs(fp.decode(ring) - plain)).isLessThan(xs.size() * fp.resolution() + 1e-6);
  }

  @Property
  void sumModuloN_ofNegativeValues_liftsToSignedSum(
      @ForAll @Size(min = 1, max = 50) java.util.List<@DoubleRange(min = -1e6, max = 1e6) Double> xs) {
    FixedPoint fp = FixedPoint.DEFAULT;
    BigInteger acc = BigInteger.ZERO;
    long exact = 0;
    for (double x : xs) {
      acc = acc.add(fp.encode(x, N)).mod(N);
      exact += fp.encode(x);
    }
    assertThat(FixedPoint.lift(acc, N)).isEqualTo(BigInteger.valueOf(exact));
  }

  @Property
  void products_decodeWithSummedFractionalBits(
      @ForAll @DoubleRange(min = -1e3, max = 1e3) double a, @ForAll @DoubleRange(min = -1e3, max = 1e3) double b) {
    FixedPoint fp = FixedPoint.DEFAULT;
    BigInteger product = BigInteger.valueOf(fp.encode(a)).multiply(BigInteger.valueOf(fp.encode(b)));
    double decoded = fp.times(fp).decode(product.mod(N), N);
    assertThat(decoded).isCloseTo(a * b, org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void encode_rejectsNonFiniteAndOverflow_withoutEchoingTheValue() {
    FixedPoint fp = new FixedPoint(24);
    assertThatThrownBy(() -> fp.encode(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fp.encode(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fp.encode(123456789012345.0))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageNotContaining("123456789012345");
    assertThat(fp.encode(fp.maxAbs())).isEqualTo(1L << 62);
    assertThat(fp.encode(-fp.maxAbs())).isEqualTo(-(1L << 62));
  }

  @Test
  void encodeModulo_rejectsValuesThatWouldWrap() {
    BigInteger small = BigInteger.valueOf(1001);
    FixedPoint fp = new FixedPoint(0);
    assertThat(fp.encode(500, small)).isEqualTo(BigInteger.valueOf(500));
    assertThat(fp.encode(-500, small)).isEqualTo(BigInteger.valueOf(501));
    assertThat(fp.decode(BigInteger.valueOf(501), small)).isEqualTo(-500);
    assertThatThrownBy(() -> fp.encode(501, small)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void lift_rejectsResiduesOutsideTheRange() {
    assertThatThrownBy(() -> FixedPoint.lift(N, N)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FixedPoint.lift(BigInteger.valueOf(-1), N))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bitsFor_andAdditionsWithin_matchHandComputedBounds() {
    FixedPoint fp = new FixedPoint(16);
    // |x| ≤ 1 → ≤ 2^16 + 1 → 17 bits of magnitude; 1024 additions → 10 bits; sign → 1.
    assertThat(fp.bitsFor(1.0, 1024)).isEqualTo(17 + 10 + 1);
    assertThat(fp.bitsFor(1.0, 1)).isEqualTo(17 + 0 + 1);
    // Z_2^64: 2^63 − 1 room, 2^16 per value → 2^47 − 1 values.
    assertThat(fp.additionsWithin(1.0, 64)).isEqualTo((1L << 47) - 1);
    assertThat(new FixedPoint(62).additionsWithin(4.0, 64)).isZero();
  }

  @Test
  void constructor_rejectsOutOfRangeBits() {
    assertThatThrownBy(() -> new FixedPoint(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FixedPoint(63)).isInstanceOf(IllegalArgumentException.class);
    assertThat(FixedPoint.DEFAULT.times(FixedPoint.DEFAULT).fractionalBits()).isEqualTo(48);
  }
}
