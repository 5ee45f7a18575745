package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Unbalanced PSI and membership checks against plain set membership ({@code HashSet}): over random
 * sets with overlap, including empty, identical, disjoint, duplicate and very unbalanced ones,
 * and identifiers in differing notations of the same phone number.
 */
class UnbalancedPsiPropertyTest {

  /** Client and server sets as indexes into the phone numbers, with shared, own and repeated items. */
  record Sets(List<Integer> client, List<Integer> server) {}

  @Provide
  Arbitrary<Sets> sets() {
    Arbitrary<List<Integer>> server = Arbitraries.integers().between(0, 500).set().ofMaxSize(220).map(ArrayList::new);
    Arbitrary<List<Integer>> client = Arbitraries.integers().between(0, 700).list().ofMaxSize(60);
    Arbitrary<Sets> random = Combinators.combine(client, server).as(Sets::new);
    List<Integer> same = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      same.add(i);
    }
    List<Integer> unbalancedServer = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      unbalancedServer.add(i);
    }
    return Arbitraries.oneOf(
        random,
        Arbitraries.just(new Sets(List.of(), same)),
        Arbitraries.just(new Sets(same, same)),
        Arbitraries.just(new Sets(List.of(600, 601, 602), same)),
        Arbitraries.just(new Sets(List.of(3, 3, 3, 7), same)),
        Arbitraries.just(new Sets(List.of(5), unbalancedServer)),
        Arbitraries.just(new Sets(same, List.of())));
  }

  private static List<String> phones(List<Integer> idx, boolean international) {
    List<String> out = new ArrayList<>();
    for (int i : idx) {
      String p = CacheFixture.phone(i);
      out.add(international ? "+86 " + p.substring(0, 3) + "-" + p.substring(3) : p);
    }
    return out;
  }

  @Property(tries = 12)
  void batchRun_equalsPlainIntersection(@ForAll("sets") Sets sets) throws Exception {
    Path dir = Files.createTempDirectory("upsi-prop");
    try (ServerFixture f = ServerFixture.withSet(dir, phones(sets.server(), false))) {
      List<String> clientRows = phones(sets.client(), true);
      try (OprfCache cache = f.clientCache()) {
        var o =
            TwoPartyRun.run(
                InMemoryChannel.pair("batch", "partner", "bank"),
                ch -> f.server.serve(ch),
                ch -> new UnbalancedPsiClient(ServerFixture.clientParams(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                    .run(PsiInput.ofColumn(clientRows), cache, ch),
                Duration.ofSeconds(60));
        UnbalancedPsiResult r = o.second().value();
        Set<Integer> server = new HashSet<>(sets.server());
        List<Integer> expectedRows = new ArrayList<>();
        for (int row = 0; row < sets.client().size(); row++) {
          if (server.contains(sets.client().get(row))) {
            expectedRows.add(row);
          }
        }
        Set<Integer> distinctShared = new HashSet<>(sets.client());
        distinctShared.retainAll(server);
        assertThat(r.sharedRows().orElseThrow().toArray()).containsExactly(expectedRows.stream().mapToInt(Integer::intValue).toArray());
        assertThat(r.intersectionSize()).isEqualTo(distinctShared.size());
        assertThat(r.ownSetSize()).isEqualTo(new HashSet<>(sets.client()).size());
        assertThat(r.serverSetSize()).isEqualTo(server.size());
        OprfServer.SessionSummary s = o.first().value();
        assertThat(s.evaluations()).isEqualTo(r.ownSetSize());
        assertThat(s.client()).isEqualTo("bank");
      }
    } finally {
      CacheEncoder.deleteTree(dir);
    }
  }

  @Property(tries = 6)
  void membership_equalsPlainContains(@ForAll("sets") Sets sets) throws Exception {
    Path dir = Files.createTempDirectory("member-prop");
    try (ServerFixture f = ServerFixture.withSet(dir, phones(sets.server(), false));
        OprfCache cache = f.clientCache();
        MembershipClient client =
            MembershipClient.open(cache, ServerFixture.clientParams(ServerFixture.PURPOSE), f.connector("bank-app"))) {
      Set<Integer> server = new HashSet<>(sets.server());
      List<Integer> queries = sets.client().subList(0, Math.min(15, sets.client().size()));
      for (int q : queries) {
        assertThat(client.contains("+86" + CacheFixture.phone(q))).as("phone %d", q).isEqualTo(server.contains(q));
      }
      assertThat(client.usage().used()).isEqualTo(queries.size());
      assertThat(IdentifierProfile.PHONE).isEqualTo(cache.header().profile());
    } finally {
      CacheEncoder.deleteTree(dir);
    }
  }
}
