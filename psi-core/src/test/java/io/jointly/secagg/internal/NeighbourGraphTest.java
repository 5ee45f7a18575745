package io.jointly.secagg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NeighbourGraphTest {

  @Property(tries = 60)
  void create_sparse_isRegularSymmetricAndDeterministic(
      @ForAll @IntRange(min = 4, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 10) int half,
      @ForAll @Size(32) byte[] seed) {
    int degree = 2 * half;
    NeighbourGraph g = NeighbourGraph.create(n, degree, seed);
    NeighbourGraph again = NeighbourGraph.create(n, degree, seed);
    int expected = Math.min(degree, n - 1);
    assertThat(g.degree()).isEqualTo(expected);
    for (int i = 0; i < n; i++) {
      int[] nb = g.neighbours(i);
      assertThat(nb).hasSize(expected).doesNotContain(i).doesNotHaveDuplicates().isSorted();
      assertThat(nb).isEqualTo(again.neighbours(i));
      for (int v : nb) {
        assertThat(g.adjacent(v, i)).isTrue();
      }
    }
  }

  @Test
  void create_degreeAtLeastNMinusOne_isComplete() {
    NeighbourGraph g = NeighbourGraph.create(5, 8, new byte[32]);
    assertThat(g.complete()).isTrue();
    assertThat(g.neighbours(2)).containsExactly(0, 1, 3, 4);
  }

  @Test
  void create_differentSeeds_giveDifferentGraphs() {
    byte[] s1 = new byte[32];
    byte[] s2 = new byte[32];
    s2[5] = 1;
    NeighbourGraph a = NeighbourGraph.create(100, 6, s1);
    NeighbourGraph b = NeighbourGraph.create(100, 6, s2);
    boolean differ = false;
    for (int i = 0; i < 100 && !differ; i++) {
      differ = !java.util.Arrays.equals(a.neighbours(i), b.neighbours(i));
    }
    assertThat(differ).isTrue();
  }
}
