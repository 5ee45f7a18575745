package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.group.SuiteId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The named corner cases of the issue for every suite and reveal mode: empty, identical, disjoint,
 * duplicate-laden and very unbalanced sets, each compared with {@code HashSet.retainAll}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcdhPsiEdgeCaseTest {

  static Stream<Arguments> cases() {
    Random rnd = new Random(7);
    List<String> a = EcdhPsiPropertyTest.ids("a", 90, rnd);
    List<String> b = EcdhPsiPropertyTest.ids("b", 70, rnd);
    List<String> dupes = new ArrayList<>(a.subList(0, 20));
    dupes.addAll(a.subList(0, 20));
    dupes.addAll(b.subList(0, 5));
    List<String> big = EcdhPsiPropertyTest.ids("big", 600, rnd);
    List<String> tiny = List.of(big.get(17), "not-there");
    List<Arguments> out = new ArrayList<>();
    for (SuiteId suite : SuiteId.values()) {
      for (RevealMode mode : RevealMode.values()) {
        out.add(Arguments.of(suite, mode, "both empty", List.of(), List.of()));
        out.add(Arguments.of(suite, mode, "bank empty", List.of(), a));
        out.add(Arguments.of(suite, mode, "partner empty", a, List.of()));
        out.add(Arguments.of(suite, mode, "identical", a, a));
        out.add(Arguments.of(suite, mode, "disjoint", a, b));
        out.add(Arguments.of(suite, mode, "duplicates", dupes, a));
        out.add(Arguments.of(suite, mode, "bank tiny", tiny, big));
        out.add(Arguments.of(suite, mode, "partner tiny", big, tiny));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void run_cornerCase_matchesRetainAll(
      SuiteId suite, RevealMode mode, String name, List<String> bank, List<String> partner)
      throws Exception {
    EcdhPsiPropertyTest.check(suite, mode, bank, partner);
  }
}
