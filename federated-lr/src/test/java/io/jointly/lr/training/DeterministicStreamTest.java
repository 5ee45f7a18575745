package io.jointly.lr.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeterministicStreamTest {

  /**
   * Expected values computed independently with Python's hashlib: {@code struct.unpack('>qqqq',
   * sha256(b'jointly-lr/v1' + b'batches/0' + b'\x00' + (42).to_bytes(8,'big') +
   * (i).to_bytes(8,'big')).digest())} for block i = 0, and the first long of block 1.
   */
  @Test
  void nextLong_seed42_matchesIndependentSha256Computation() {
    DeterministicStream s = new DeterministicStream(42, "batches/0");
    assertThat(new long[] {s.nextLong(), s.nextLong(), s.nextLong(), s.nextLong(), s.nextLong()})
        .containsExactly(
            -6528674829326556658L,
            -634034512942698658L,
            8628304967010169757L,
            -7126885703696857018L,
            -4099119157000406270L);
  }

  @Test
  void nextInt_manyDraws_staysInBoundAndCoversIt() {
    DeterministicStream s = new DeterministicStream(7, "x");
    int[] hits = new int[7];
    for (int i = 0; i < 7000; i++) {
      hits[s.nextInt(7)]++;
    }
    for (int h : hits) {
      assertThat(h).isBetween(800, 1200);
    }
  }

  @Test
  void shuffle_sameSeedAndLabel_samePermutation_otherLabel_differs() {
    int[] a = new int[100];
    Arrays.setAll(a, i -> i);
    int[] b = a.clone();
    int[] c = a.clone();
    new DeterministicStream(1, "split/0").shuffle(a);
    new DeterministicStream(1, "split/0").shuffle(b);
    new DeterministicStream(1, "split/1").shuffle(c);
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertThat(sorted).isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
  }
}
