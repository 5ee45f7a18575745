package io.jointly.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Federated statistics against the plain grouped computation over the joined rows: every released
 * figure equals it (within the fixed-point resolution), every cell below the minimum is suppressed.
 */
class StatisticsPropertyTest {

  @Property(tries = 4)
  void run_randomData_equalsPlainGroupedComputation(
      @ForAll @IntRange(min = 0, max = 160) int shared,
      @ForAll @IntRange(min = 0, max = 60) int bankOnly,
      @ForAll @IntRange(min = 0, max = 60) int partnerOnly,
      @ForAll @IntRange(min = 1, max = 25) int minCell,
      @ForAll long seed) {
    StatsFixture f = new StatsFixture(seed, shared, bankOnly, partnerOnly);
    StatisticsParameters params = StatsFixture.params(minCell);
    var o = f.run(params, params, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    SegmentTable table = o.first().value();
    StatisticsPartner.Result partner = o.second().value();
    Map<List<String>, StatsFixture.Expected> expected = f.expected();

    assertThat(table.segments()).hasSize(expected.size());
    assertThat(partner.segments()).isEqualTo(expected.size());
    assertThat(partner.psi().sharedRows()).isEmpty();
    assertThat(partner.psi().intersectionSize()).isEmpty();
    double tolerance = Math.scalb(1.0, -16) * (shared + 1);
    for (SegmentTable.Segment s : table.segments()) {
      StatsFixture.Expected e = expected.get(s.key());
      assertThat(e).as("segment %s", s.key()).isNotNull();
      if (e.count < minCell) {
        assertThat(s.suppressed()).isTrue();
        assertThat(s.numeric()).isEmpty();
        assertThat(s.categorical()).isEmpty();
        continue;
      }
      assertThat(s.count()).hasValue(e.count);
      SegmentTable.NumericCell spend = s.numeric().get(0);
      if (e.spendPresent < minCell) {
        assertThat(spend.sum()).isEmpty();
      } else {
        assertThat(spend.present()).hasValue(e.spendPresent);
        assertThat(spend.sum().getAsDouble()).isCloseTo(e.spendSum, within(tolerance));
        assertThat(spend.mean().getAsDouble()).isCloseTo(e.spendSum / e.spendPresent, within(tolerance));
      }
      SegmentTable.NumericCell orders = s.numeric().get(1);
      assertThat(orders.present()).hasValue(e.ordersPresent);
      assertThat(orders.sum().getAsDouble()).isCloseTo(e.ordersSum, within(tolerance));
      Map<String, OptionalLong> levels = s.categorical().get(0).counts();
      assertThat(levels.keySet()).containsExactly("books", "electronics", "travel", PartnerColumns.OTHER);
      levels.forEach(
          (level, count) -> {
            long want = e.levels.getOrDefault(level, 0L);
            if (want < minCell) {
              assertThat(count).as(level).isEmpty();
            } else {
              assertThat(count).as(level).hasValue(want);
            }
          });
    }
  }

  @org.junit.jupiter.api.Test
  void run_listeners_seeEveryValueVectorOnBothSides() {
    StatsFixture f = new StatsFixture(12, 120, 30, 25);
    java.util.List<long[]> bank = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<long[]> partner = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.bankListener =
        new StatisticsListener() {
          @Override
          public void onValues(long done, long total) {
            bank.add(new long[] {done, total});
          }
        };
    f.partnerListener =
        new StatisticsListener() {
          @Override
          public void onValues(long done, long total) {
            partner.add(new long[] {done, total});
          }
        };
    StatisticsParameters params = StatsFixture.params(5);
    var o = f.run(params, params, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    long sent = o.second().value().psi().alignment().sentCount();
    for (java.util.List<long[]> calls : java.util.List.of(bank, partner)) {
      assertThat(calls).hasSize((int) ((sent + 36) / 37)); // batches of 37
      assertThat(calls.get(calls.size() - 1)).containsExactly(sent, sent);
      for (int i = 1; i < calls.size(); i++) {
        assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void run_withLaplaceNoise_releasesFiguresNearTheExactOnes() {
    StatsFixture f = new StatsFixture(11, 150, 20, 20);
    StatisticsParameters params = StatsFixture.params(5).withNoise(Noise.discreteLaplace(1.0));
    var o = f.run(params, params, UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.firstFailure()).isNull();
    SegmentTable table = o.first().value();
    assertThat(table.totalEpsilon()).isEqualTo(1.0 * (1 + 2 * 2 + 4));
    Map<List<String>, StatsFixture.Expected> expected = f.expected();
    int differing = 0;
    for (SegmentTable.Segment s : table.segments()) {
      StatsFixture.Expected e = expected.get(s.key());
      if (s.suppressed()) {
        continue;
      }
      // Scale Δ/ε: 1 for counts, the bound for sums; 40 scales is a 2e-18 tail.
      assertThat((double) s.count().getAsLong()).isCloseTo(e.count, within(40.0));
      double orders = s.numeric().get(1).sum().getAsDouble();
      assertThat(orders).isCloseTo(e.ordersSum, within(40.0 * StatsFixture.ORDERS_BOUND));
      if (orders != e.ordersSum) {
        differing++;
      }
    }
    assertThat(differing).as("noise was added").isPositive();
  }
}
