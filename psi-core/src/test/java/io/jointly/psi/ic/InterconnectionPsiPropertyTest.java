package io.jointly.psi.ic;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.ic.IcRunner.Outcomes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Interconnection ECDH-PSI between two Jointly parties equals {@code HashSet.retainAll} on random
 * sets, for every {@code result_to_rank}, both suites, both second-stage modes and small batch
 * sizes (so streams have many batches).
 */
class InterconnectionPsiPropertyTest {

  @Provide
  Arbitrary<List<String>> ids() {
    return Arbitraries.integers().between(0, 60).list().ofMaxSize(120).map(l -> l.stream().map(i -> "c" + i).toList());
  }

  @Property(tries = 25)
  void run_randomSets_equalsRetainAll(
      @ForAll("ids") List<String> left,
      @ForAll("ids") List<String> right,
      @ForAll @IntRange(min = -1, max = 1) int rtr,
      @ForAll @IntRange(min = 1, max = 17) int batchSize,
      @ForAll boolean sm2,
      @ForAll boolean negotiated) {
    InterconnectionSuite suite =
        sm2 ? InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH : InterconnectionSuite.CURVE25519_SHA256_DIRECT;
    IcParameters.SecondStage stage =
        negotiated ? IcParameters.SecondStage.NEGOTIATED : IcParameters.SecondStage.REFERENCE;
    IcParameters p0 =
        IcParameters.defaults(0).toBuilder().suite(suite).resultToRank(rtr).batchSize(batchSize)
            .secondStage(stage).minPeerSetSize(0).build();
    IcParameters p1 = p0.toBuilder().rank(1).batchSize(18 - batchSize).secondStage(IcParameters.SecondStage.REFERENCE).build();
    Outcomes o = IcRunner.run(p0, left, p1, right);
    IcPsiResult r0 = o.rank0().value();
    IcPsiResult r1 = o.rank1().value();
    Set<String> shared = new HashSet<>(left);
    shared.retainAll(new HashSet<>(right));
    check(r0, left, shared, rtr != 1);
    check(r1, right, shared, rtr != 0);
    assertThat(r0.peerSetSize()).isEqualTo(new HashSet<>(right).size());
    assertThat(r1.peerSetSize()).isEqualTo(new HashSet<>(left).size());
  }

  private static void check(IcPsiResult r, List<String> rows, Set<String> shared, boolean learns) {
    assertThat(r.learned()).isEqualTo(learns);
    if (!learns) {
      assertThat(r.intersectionSize()).isEmpty();
      return;
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (shared.contains(rows.get(i))) {
        expected.add(i);
      }
    }
    assertThat(r.sharedRows().orElseThrow().toArray()).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    assertThat(r.intersectionSize()).hasValue(shared.size());
  }
}
