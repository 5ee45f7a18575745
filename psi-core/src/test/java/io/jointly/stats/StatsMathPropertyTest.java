package io.jointly.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.FixedPoint;
import io.jointly.core.ProtocolAbortException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StatsMathPropertyTest {
  private static final ColumnLayout LAYOUT =
      new ColumnLayout(
          List.of(new ColumnLayout.NumericColumn("spend", 1000), new ColumnLayout.NumericColumn("orders", 50)),
          List.of(new ColumnLayout.CategoricalColumn("category", List.of("a", "b", "c"))));

  @Property(tries = 200)
  void packedSumsPlusMasks_unpackToSlotwiseSums(
      @ForAll @IntRange(min = 1, max = 3000) int items, @ForAll @IntRange(min = 0, max = 24) int f, @ForAll long seed) {
    Random rnd = new Random(seed);
    SlotPlan plan = SlotPlan.of(LAYOUT, new FixedPoint(f), items, 2048);
    int slots = plan.slots();
    BigInteger[] sum = new BigInteger[slots];
    java.util.Arrays.fill(sum, BigInteger.ZERO);
    BigInteger[] packedSums = new BigInteger[plan.plaintexts()];
    java.util.Arrays.fill(packedSums, BigInteger.ZERO);
    int n = 1 + rnd.nextInt(items);
    for (int i = 0; i < n; i++) {
      // Worst-case slot values: each at its maximum 2M (or 1).
      BigInteger[] v = new BigInteger[slots];
      for (int s = 0; s < slots; s++) {
        BigInteger max = plan.offsets()[s].signum() > 0 ? plan.offsets()[s].shiftLeft(1) : BigInteger.ONE;
        v[s] = rnd.nextBoolean() ? max : new BigInteger(max.bitLength(), rnd).min(max);
        sum[s] = sum[s].add(v[s]);
      }
      BigInteger[] packed = StatsMath.pack(v, plan.width(), plan.perPlaintext());
      for (int j = 0; j < packed.length; j++) {
        packedSums[j] = packedSums[j].add(packed[j]);
      }
    }
    BigInteger[] masks = StatsMath.masks(slots, plan.sumBits(), new SecureRandom());
    BigInteger[] packedMasks = StatsMath.pack(masks, plan.width(), plan.perPlaintext());
    BigInteger n2048 = BigInteger.ONE.shiftLeft(2047);
    for (int j = 0; j < packedSums.length; j++) {
      packedSums[j] = packedSums[j].add(packedMasks[j]);
      assertThat(packedSums[j]).isLessThan(n2048); // stays below any 2048-bit modulus
    }
    BigInteger[] opened = StatsMath.unpack(packedSums, slots, plan.width(), plan.perPlaintext());
    for (int s = 0; s < slots; s++) {
      assertThat(opened[s].subtract(masks[s])).isEqualTo(sum[s]);
    }
  }

  @Test
  void vector_clipsNumericValues_andCountsMissingAndOtherLevels() {
    FixedPoint fp = new FixedPoint(8);
    PartnerColumns cols =
        PartnerColumns.of(
            List.of(new PartnerColumns.Numeric("spend", 10, new double[] {12.5, Double.NaN, -3.25})),
            List.of(new PartnerColumns.Categorical("category", List.of("a", "b"), java.util.Arrays.asList("b", null, "zzz"))));
    BigInteger[] offsets = StatsMath.offsets(cols.layout(), fp);
    assertThat(offsets[0]).isEqualTo(BigInteger.valueOf(2560));
    assertThat(StatsMath.vector(cols, 0, fp, offsets))
        .containsExactly(BigInteger.valueOf(5120), BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE, BigInteger.ZERO);
    assertThat(StatsMath.vector(cols, 1, fp, offsets))
        .containsExactly(BigInteger.valueOf(2560), BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE);
    assertThat(StatsMath.vector(cols, 2, fp, offsets))
        .containsExactly(BigInteger.valueOf(2560 - 832), BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE);
  }

  @Test
  void decodeSigned_rejectsTruncatedOversizeAndTrailing() throws Exception {
    BigInteger[][] v = {{BigInteger.valueOf(-5), BigInteger.ONE.shiftLeft(100)}};
    var encoded = StatsMath.encodeSigned(v);
    assertThat(StatsMath.decodeSigned(encoded, 1, 2, 20)).isDeepEqualTo(v);
    assertThatThrownBy(() -> StatsMath.decodeSigned(encoded.slice(0, encoded.length() - 1), 1, 2, 20))
        .isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> StatsMath.decodeSigned(encoded, 1, 2, 8)).isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> StatsMath.decodeSigned(encoded, 1, 1, 20)).isInstanceOf(ProtocolAbortException.class);
  }

  @Test
  void discreteLaplace_isCentredWithTheStatedScale() throws Exception {
    SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
    seeded.setSeed(42);
    Noise noise = Noise.discreteLaplace(0.5);
    int n = 20000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double x = noise.sample(BigInteger.TEN, seeded).doubleValue();
      sum += x;
      sumSq += x * x;
    }
    // Two-sided geometric with a = e^{-ε/Δ}: variance 2a / (1 − a)^2.
    double a = Math.exp(-0.5 / 10);
    double variance = 2 * a / ((1 - a) * (1 - a));
    assertThat(sum / n).isBetween(-1.0, 1.0);
    assertThat(sumSq / n).isBetween(variance * 0.9, variance * 1.1);
    assertThat(Noise.none().sample(BigInteger.TEN, seeded)).isZero();
    assertThat(Noise.parse("laplace:0.5")).isEqualTo(noise);
    assertThat(Noise.parse("none")).isEqualTo(Noise.none());
    assertThat(noise.totalEpsilon(6)).isEqualTo(3.0);
  }
}
