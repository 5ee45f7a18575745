package io.jointly.lr.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.psi.RowIndexes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Split, BatchPlan and EarlyStopper: the deterministic schedule both parties follow. */
class ScheduleTest {

  @Property
  void stratified_anyLabels_partitionsRowsAndKeepsClassShares(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int n) {
    Random rnd = new Random(seed);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextInt(10) == 0 ? 1 : 0;
    }
    Split s = Split.stratified(y, 0.2, 0.1, seed);
    Set<Integer> seen = new HashSet<>();
    for (RowIndexes part : new RowIndexes[] {s.train(), s.validation(), s.holdout()}) {
      for (int r : part.toArray()) {
        assertThat(seen.add(r)).isTrue();
      }
    }
    assertThat(seen).hasSize(n);
    long pos = Arrays.stream(y).filter(v -> v == 1).count();
    long holdPos = Arrays.stream(s.holdout().toArray()).filter(r -> y[r] == 1).count();
    assertThat(holdPos).isEqualTo(Math.round(0.1 * pos));
    assertThat(Split.stratified(y, 0.2, 0.1, seed)).isEqualTo(s);
  }

  @Test
  void random_needsNoLabels_andIsDeterministic() {
    Split a = Split.random(1000, 0.25, 0.25, 4);
    assertThat(a).isEqualTo(Split.random(1000, 0.25, 0.25, 4)).isNotEqualTo(Split.random(1000, 0.25, 0.25, 5));
    assertThat(a.holdout().size()).isEqualTo(250);
    assertThat(a.validation().size()).isEqualTo(250);
    assertThatThrownBy(() -> Split.random(10, 0.5, 0.5, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void batchPlan_everyEpoch_coversTrainingRowsOnceInBatchesOfTheSize(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 64) int batch,
      @ForAll @IntRange(min = 0, max = 5) int epoch) {
    int[] rows = new int[n];
    Arrays.setAll(rows, i -> 3 * i + 1);
    BatchPlan plan = BatchPlan.of(seed, RowIndexes.of(rows), batch);
    int[][] batches = plan.epoch(epoch);
    assertThat(batches.length).isEqualTo(plan.batchesPerEpoch());
    int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted().toArray();
    assertThat(all).isEqualTo(rows);
    for (int b = 0; b < batches.length - 1; b++) {
      assertThat(batches[b]).hasSize(batch);
    }
    assertThat(BatchPlan.of(seed, RowIndexes.of(rows), batch).epoch(epoch)).isEqualTo(batches);
  }

  @Test
  void batchPlan_epochsDiffer_andFullBatchIsInRowOrder() {
    int[] rows = new int[200];
    Arrays.setAll(rows, i -> i);
    BatchPlan plan = BatchPlan.of(8, RowIndexes.of(rows), 50);
    assertThat(plan.epoch(0)[0]).isNotEqualTo(plan.epoch(1)[0]);
    assertThat(BatchPlan.of(8, RowIndexes.of(rows), 500).epoch(3)[0]).isEqualTo(rows);
  }

  @Test
  void earlyStopper_patienceAndTolerance_decideBestAndStop() {
    EarlyStopper s = new EarlyStopper(EarlyStopping.of(2, 0.01));
    assertThat(s.observe(1.0)).isTrue();
    assertThat(s.observe(0.995)).isFalse(); // within tolerance: not an improvement
    assertThat(s.shouldStop()).isFalse();
    assertThat(s.observe(0.9)).isTrue();
    assertThat(s.observe(0.95)).isFalse();
    assertThat(s.observe(0.89)).isFalse();
    assertThat(s.shouldStop()).isTrue();
    assertThat(s.bestEvaluation()).isEqualTo(2);
    assertThat(s.bestLoss()).isEqualTo(0.9);
    EarlyStopper off = new EarlyStopper(EarlyStopping.DISABLED);
    off.observe(1);
    off.observe(2);
    off.observe(3);
    assertThat(off.shouldStop()).isFalse();
  }
}
