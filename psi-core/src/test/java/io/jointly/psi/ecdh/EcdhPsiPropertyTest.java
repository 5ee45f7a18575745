package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiResult;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.group.SuiteId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.Timeout;

/**
 * ECDH PSI against the plain computation ({@code HashSet.retainAll}) for every suite and reveal
 * mode, on random sets with random overlap, duplicates and imbalance.
 */
class EcdhPsiPropertyTest {

  @Provide
  Arbitrary<SuiteId> suites() {
    return Arbitraries.of(SuiteId.values());
  }

  @Provide
  Arbitrary<RevealMode> modes() {
    return Arbitraries.of(RevealMode.values());
  }

  @Property(tries = 24)
  void run_randomSets_matchesRetainAll(
      @ForAll("suites") SuiteId suite,
      @ForAll("modes") RevealMode mode,
      @ForAll @IntRange(min = 0, max = 150) int bankOnly,
      @ForAll @IntRange(min = 0, max = 150) int partnerOnly,
      @ForAll @IntRange(min = 0, max = 100) int shared,
      @ForAll @IntRange(min = 0, max = 10) int duplicates,
      @ForAll long seed)
      throws Exception {
    Random rnd = new Random(seed);
    List<String> common = ids("s", shared, rnd);
    List<String> bank = new ArrayList<>(common);
    bank.addAll(ids("b", bankOnly, rnd));
    for (int i = 0; i < duplicates && !bank.isEmpty(); i++) {
      bank.add(bank.get(rnd.nextInt(bank.size())));
    }
    List<String> partner = new ArrayList<>(common);
    partner.addAll(ids("p", partnerOnly, rnd));
    Collections.shuffle(bank, rnd);
    Collections.shuffle(partner, rnd);
    check(suite, mode, bank, partner);
  }

  static List<String> ids(String prefix, int n, Random rnd) {
    return IntStream.range(0, n)
        .mapToObj(i -> prefix + i + "-" + Long.toHexString(rnd.nextLong()))
        .collect(java.util.stream.Collectors.toList());
  }

  static void check(SuiteId suite, RevealMode mode, List<String> bank, List<String> partner)
      throws Exception {
    EcdhPsiParameters params = PsiRunner.testParams(EcdhPsiParameters.preset(suite), mode);
    var o = PsiRunner.run(params, bank, partner);
    PsiResult b = o.first().value();
    PsiResult p = o.second().value();
    long size = PsiRunner.expectedSize(bank, partner);
    assertThat(b.ownSetSize()).isEqualTo(p.peerSetSize()).isEqualTo(bank.stream().distinct().count());
    assertThat(p.ownSetSize()).isEqualTo(b.peerSetSize()).isEqualTo(partner.stream().distinct().count());
    switch (mode) {
      case BANK -> {
        assertThat(b.sharedRows()).hasValue(RowIndexes.of(PsiRunner.expectedRows(bank, partner)));
        assertThat(b.intersectionSize()).hasValue(size);
        assertThat(p.sharedRows()).isEmpty();
        assertThat(p.intersectionSize()).isEmpty();
      }
      case BOTH -> {
        assertThat(b.sharedRows()).hasValue(RowIndexes.of(PsiRunner.expectedRows(bank, partner)));
        assertThat(p.sharedRows()).hasValue(RowIndexes.of(PsiRunner.expectedRows(partner, bank)));
        assertThat(b.intersectionSize()).hasValue(size);
        assertThat(p.intersectionSize()).hasValue(size);
      }
      case COUNT -> {
        assertThat(b.sharedRows()).isEmpty();
        assertThat(b.intersectionSize()).hasValue(size);
        assertThat(p.sharedRows()).isEmpty();
        assertThat(p.intersectionSize()).isEmpty();
      }
    }
    checkAlignment(b, bank, p, partner, mode != RevealMode.COUNT);
    checkAlignment(p, partner, b, bank, mode == RevealMode.BOTH);
  }

  /**
   * The learner's peer positions point at the peer's sent item with the same identifier, and every
   * party's send order is a permutation of its distinct items (first rows).
   */
  static void checkAlignment(
      PsiResult learner, List<String> own, PsiResult peer, List<String> peerIds, boolean learns) {
    PsiAlignment mine = learner.alignment();
    PsiAlignment theirs = peer.alignment();
    assertThat(mine.sentCount()).isEqualTo(learner.ownSetSize());
    java.util.Set<Integer> firstRows = new java.util.HashSet<>();
    for (int i = 0; i < own.size(); i++) {
      if (own.indexOf(own.get(i)) == i) {
        firstRows.add(i);
      }
    }
    java.util.Set<Integer> sent = new java.util.HashSet<>();
    for (int pos = 0; pos < mine.sentCount(); pos++) {
      sent.add(mine.rowAtSentPosition(pos));
    }
    assertThat(sent).isEqualTo(firstRows);
    if (!learns) {
      assertThat(mine.sharedCount()).isZero();
      return;
    }
    assertThat(mine.sharedCount()).isEqualTo(learner.intersectionSize().orElseThrow());
    for (int i = 0; i < mine.sharedCount(); i++) {
      if (i > 0) {
        assertThat(mine.sharedRow(i)).isGreaterThan(mine.sharedRow(i - 1));
      }
      String id = own.get(mine.sharedRow(i));
      assertThat(peerIds.get(theirs.rowAtSentPosition(mine.peerPosition(i)))).isEqualTo(id);
    }
  }
}
