package io.jointly.psi.vole;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiProtocol;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * VOLE PSI against the plain computation ({@code HashSet.retainAll}) in both reveal modes, on random
 * sets with random overlap, duplicates and imbalance, and the edge cases: empty, one item,
 * disjoint, identical, very unbalanced, and 2^16 × 2^16 with the default parameters.
 */
class VolePsiPropertyTest {

  @Provide
  Arbitrary<RevealMode> modes() {
    return Arbitraries.of(RevealMode.BANK, RevealMode.BOTH);
  }

  @Property(tries = 40)
  void run_randomSets_matchesRetainAll(
      @ForAll("modes") RevealMode mode,
      @ForAll @IntRange(min = 0, max = 1500) int bankOnly,
      @ForAll @IntRange(min = 0, max = 1500) int partnerOnly,
      @ForAll @IntRange(min = 0, max = 1500) int shared,
      @ForAll @IntRange(min = 0, max = 10) int duplicates,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    List<String> common = VoleRunner.ids("s", shared, rnd);
    List<String> bank = new ArrayList<>(common);
    bank.addAll(VoleRunner.ids("b", bankOnly, rnd));
    for (int i = 0; i < duplicates && !bank.isEmpty(); i++) {
      bank.add(bank.get(rnd.nextInt(bank.size())));
    }
    List<String> partner = new ArrayList<>(common);
    partner.addAll(VoleRunner.ids("p", partnerOnly, rnd));
    Collections.shuffle(bank, rnd);
    Collections.shuffle(partner, rnd);
    check(VoleRunner.testParams(mode), bank, partner);
  }

  static void check(VolePsiParameters params, List<String> bank, List<String> partner) {
    RevealMode mode = params.revealMode();
    var o = VoleRunner.run(params, bank, partner);
    PsiResult b = o.first().value();
    PsiResult p = o.second().value();
    assertThat(b.protocol()).isEqualTo(PsiProtocol.VOLE);
    assertThat(b.suite()).isEmpty();
    long expected = VoleRunner.expectedSize(bank, partner);
    assertThat(b.intersectionSize()).hasValue(expected);
    assertThat(b.sharedRows()).hasValue(RowIndexes.of(VoleRunner.expectedRows(bank, partner)));
    if (mode == RevealMode.BOTH) {
      assertThat(p.intersectionSize()).hasValue(expected);
      assertThat(p.sharedRows()).hasValue(RowIndexes.of(VoleRunner.expectedRows(partner, bank)));
    } else {
      assertThat(p.intersectionSize()).isEmpty();
      assertThat(p.sharedRows()).isEmpty();
    }
    assertThat(b.peerSetSize()).isEqualTo(p.ownSetSize());
    assertThat(p.peerSetSize()).isEqualTo(b.ownSetSize());
    assertThat(b.traffic().totalBytes()).isEqualTo(p.traffic().totalBytes());
    checkAlignment(b.alignment(), bank, p.alignment(), partner);
    if (mode == RevealMode.BOTH) {
      checkAlignment(p.alignment(), partner, b.alignment(), bank);
    } else {
      assertThat(p.alignment().sharedCount()).isZero();
    }
  }

  /** The learner's peer positions point at the peer's sent item with the same identifier. */
  static void checkAlignment(PsiAlignment learner, List<String> mine, PsiAlignment sender, List<String> theirs) {
    assertThat(learner.sharedCount()).isEqualTo((int) VoleRunner.expectedSize(mine, theirs));
    int last = -1;
    for (int i = 0; i < learner.sharedCount(); i++) {
      assertThat(learner.sharedRow(i)).isGreaterThan(last);
      last = learner.sharedRow(i);
      String id = mine.get(learner.sharedRow(i));
      assertThat(theirs.get(sender.rowAtSentPosition(learner.peerPosition(i)))).isEqualTo(id);
    }
  }

  @Example
  void run_edgeCases_matchRetainAll() {
    Random rnd = new Random(3);
    List<String> some = VoleRunner.ids("x", 700, rnd);
    List<String> other = VoleRunner.ids("y", 700, rnd);
    for (RevealMode mode : List.of(RevealMode.BANK, RevealMode.BOTH)) {
      VolePsiParameters params = VoleRunner.testParams(mode);
      check(params, List.of(), List.of());
      check(params, List.of(), some);
      check(params, some, List.of());
      check(params, List.of("one"), List.of("one"));
      check(params, List.of("one"), List.of("two"));
      check(params, some, other); // disjoint
      check(params, some, some); // identical
      check(params, some.subList(0, 3), some); // very unbalanced
      check(params, some, some.subList(690, 700));
    }
  }

  @Example
  void run_twoToTheSixteenEachSide_defaultParameters_matchesRetainAll() {
    Random rnd = new Random(16);
    List<String> shared = VoleRunner.ids("s", 1 << 15, rnd);
    List<String> bank = new ArrayList<>(shared);
    bank.addAll(VoleRunner.ids("b", 1 << 15, rnd));
    List<String> partner = new ArrayList<>(shared);
    partner.addAll(VoleRunner.ids("p", 1 << 15, rnd));
    Collections.shuffle(bank, rnd);
    Collections.shuffle(partner, rnd);
    VolePsiParameters params = VolePsiParameters.DEFAULT.toBuilder().minPeerSetSize(0).revealMode(RevealMode.BOTH).build();
    check(params, bank, partner);
  }
}
