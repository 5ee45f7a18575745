package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each rule of a usage policy: refused at its limit, allowed just below it. */
class UsagePolicyTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant NOW = Instant.parse("2026-11-18T04:00:00Z"); // a Wednesday, 12:00 in Shanghai
  private static final Purpose PURPOSE = Agreements.PURPOSE;

  /** A grant with every rule set; tests change one at a time. */
  private record G(
      Set<String> peers,
      Set<String> commands,
      Set<String> purposes,
      Set<String> protocols,
      Set<String> reveals,
      long minPeer,
      long minCell,
      Optional<UsagePolicy.Limits> limits,
      Optional<LocalDate> expires) {
    static G base() {
      return new G(
          Set.of("partner"),
          Set.of("psi", "stats"),
          Set.of(PURPOSE.campaign()),
          Set.of("ecdh-psi", "segment-statistics"),
          Set.of("bank", "both"),
          1000,
          20,
          Optional.of(new UsagePolicy.Limits(UsagePolicy.Period.MONTH, OptionalLong.of(5), OptionalLong.of(50_000))),
          Optional.empty());
    }

    UsagePolicy.Grant grant(String id) {
      return new UsagePolicy.Grant(
          id, new TreeSet<>(peers), new TreeSet<>(commands), new TreeSet<>(purposes), new TreeSet<>(protocols),
          new TreeSet<>(reveals), minPeer, minCell, limits, expires);
    }
  }

  private static UsagePolicy policy(Optional<LocalDate> expires, UsagePolicy.Grant... grants) {
    TreeMap<String, Purpose> purposes = new TreeMap<>();
    purposes.put(PURPOSE.campaign(), PURPOSE);
    purposes.put("other-campaign", new Purpose("other-campaign", "Another campaign", LegalBasis.CONTRACT));
    return new UsagePolicy("bank-policy", expires, SHANGHAI, purposes, List.of(grants));
  }

  private static UsagePolicy policy(G g) {
    return policy(Optional.empty(), g.grant("g1"));
  }

  private static RunTerms.Builder terms() {
    return RunTerms.builder("psi", "ecdh-psi")
        .purpose(Optional.of(PURPOSE))
        .reveal("bank")
        .minPeerSetSize(1000)
        .inputRows(10_000);
  }

  private static RunRequest request(RunTerms own, RunTerms peer, Instant now) {
    return new RunRequest(
        new PartyStatement("bank", "bank", "jointly test", own, now, CertificateChain.NONE),
        new PartyStatement("partner", "partner", "jointly test", peer, now, CertificateChain.NONE),
        now);
  }

  private static PolicyDecision decide(UsagePolicy p, RunTerms own, RunTerms peer, Usage used) {
    return p.decide(request(own, peer, NOW), (peerName, since) -> used);
  }

  private static PolicyDecision decide(UsagePolicy p, RunTerms own) {
    return decide(p, own, terms().build(), Usage.NONE);
  }

  private static void assertRefused(PolicyDecision d, String rule) {
    assertThat(d).isInstanceOf(PolicyDecision.Refused.class);
    assertThat(((PolicyDecision.Refused) d).rule()).isEqualTo(rule);
  }

  private static void assertAllowed(PolicyDecision d) {
    assertThat(d).isInstanceOf(PolicyDecision.Allowed.class);
  }

  @Test
  void runWithinEveryRule_isAllowed_namingPolicyGrantAndDigest() {
    UsagePolicy p = policy(G.base());
    PolicyDecision d = decide(p, terms().build());

    assertAllowed(d);
    PolicyReference ref = ((PolicyDecision.Allowed) d).policy().orElseThrow();
    assertThat(ref.policy()).isEqualTo("bank-policy");
    assertThat(ref.grant()).isEqualTo("g1");
    assertThat(ref.digest()).isEqualTo(p.digest());
  }

  @Test
  void expires_policyRefusedTheDayAfter_allowedOnTheDay() {
    LocalDate today = NOW.atZone(SHANGHAI).toLocalDate();
    assertAllowed(decide(policy(Optional.of(today), G.base().grant("g1")), terms().build()));
    assertRefused(decide(policy(Optional.of(today.minusDays(1)), G.base().grant("g1")), terms().build()), "expires");
  }

  @Test
  void expires_grantRefusedTheDayAfter_allowedOnTheDay() {
    LocalDate today = NOW.atZone(SHANGHAI).toLocalDate();
    G base = G.base();
    G onTheDay = new G(base.peers, base.commands, base.purposes, base.protocols, base.reveals, base.minPeer, base.minCell, base.limits, Optional.of(today));
    G dayBefore = new G(base.peers, base.commands, base.purposes, base.protocols, base.reveals, base.minPeer, base.minCell, base.limits, Optional.of(today.minusDays(1)));
    assertAllowed(decide(policy(onTheDay), terms().build()));
    assertRefused(decide(policy(dayBefore), terms().build()), "expires");
  }

  @Test
  void peers_anUnnamedPeerIsRefused() {
    G base = G.base();
    G other = new G(Set.of("travel-partner"), base.commands, base.purposes, base.protocols, base.reveals, base.minPeer, base.minCell, base.limits, base.expires);
    assertRefused(decide(policy(other), terms().build()), "peers");
  }

  @Test
  void commands_anUnlistedCommandIsRefused() {
    RunTerms train = RunTerms.builder("train", "ecdh-psi").purpose(Optional.of(PURPOSE)).reveal("bank").minPeerSetSize(1000).inputRows(10).build();
    assertRefused(decide(policy(G.base()), train), "commands");
  }

  @Test
  void purposes_anUnlistedCampaign_aChangedText_aChangedBasis_andNoPurpose_areRefused() {
    UsagePolicy p = policy(G.base());
    assertRefused(decide(p, terms().purpose(Optional.of(new Purpose("other-campaign", "Another campaign", LegalBasis.CONTRACT))).build()), "purposes");
    assertRefused(decide(p, terms().purpose(Optional.of(new Purpose(PURPOSE.campaign(), "Changed", PURPOSE.legalBasis()))).build()), "purposes");
    assertRefused(decide(p, terms().purpose(Optional.of(new Purpose(PURPOSE.campaign(), PURPOSE.text(), LegalBasis.CONTRACT))).build()), "purposes");
    assertRefused(decide(p, terms().purpose(Optional.empty()).build()), "purposes");
  }

  @Test
  void protocols_andReveal_unlistedAreRefused_emptyListsAllowAny() {
    UsagePolicy p = policy(G.base());
    assertRefused(decide(p, RunTerms.builder("psi", "vole-psi").purpose(Optional.of(PURPOSE)).reveal("bank").minPeerSetSize(1000).inputRows(10).build()), "protocols");
    assertRefused(decide(p, terms().reveal("count").build()), "reveal");
    G base = G.base();
    G any = new G(base.peers, base.commands, base.purposes, Set.of(), Set.of(), base.minPeer, base.minCell, base.limits, base.expires);
    assertAllowed(decide(policy(any), RunTerms.builder("psi", "vole-psi").purpose(Optional.of(PURPOSE)).reveal("count").minPeerSetSize(1000).inputRows(10).build()));
  }

  @Test
  void minPeerSetSize_peerInputBelowIsRefused_atTheMinimumAllowed() {
    UsagePolicy p = policy(G.base());
    assertAllowed(decide(p, terms().build(), terms().inputRows(1000).build(), Usage.NONE));
    assertRefused(decide(p, terms().build(), terms().inputRows(999).build(), Usage.NONE), "min_peer_set_size");
  }

  @Test
  void minPeerSetSize_aWeakerOwnGuardrailIsRefused() {
    UsagePolicy p = policy(G.base());
    assertAllowed(decide(p, terms().minPeerSetSize(1000).build()));
    assertRefused(decide(p, terms().minPeerSetSize(999).build()), "min_peer_set_size");
  }

  @Test
  void minCellSize_smallerCellsAreRefused_commandsWithoutCellsAreNotAsked() {
    UsagePolicy p = policy(G.base());
    RunTerms.Builder stats = RunTerms.builder("stats", "segment-statistics").purpose(Optional.of(PURPOSE)).reveal("bank").minPeerSetSize(1000).inputRows(10);
    assertAllowed(decide(p, stats.minCellSize(20).build()));
    assertRefused(decide(p, stats.minCellSize(19).build()), "min_cell_size");
    assertAllowed(decide(p, terms().build()));
  }

  @Test
  void maxRuns_theRunThatWouldExceedIsRefused_theLastWithinIsAllowed() {
    UsagePolicy p = policy(G.base());
    assertAllowed(decide(p, terms().build(), terms().build(), new Usage(4, 0)));
    assertRefused(decide(p, terms().build(), terms().build(), new Usage(5, 0)), "max_runs");
  }

  @Test
  void maxRecords_countsThisRunsRows() {
    UsagePolicy p = policy(G.base());
    assertAllowed(decide(p, terms().inputRows(10_000).build(), terms().build(), new Usage(1, 40_000)));
    assertRefused(decide(p, terms().inputRows(10_001).build(), terms().build(), new Usage(1, 40_000)), "max_records");
  }

  @Test
  void limits_readUsageSinceTheStartOfThePeriodInThePolicysZone() {
    Instant[] asked = new Instant[1];
    policy(G.base()).decide(request(terms().build(), terms().build(), NOW), (peer, since) -> {
      asked[0] = since;
      return Usage.NONE;
    });
    assertThat(asked[0]).isEqualTo(Instant.parse("2026-10-31T16:00:00Z")); // 1 November 00:00 in Shanghai
  }

  @Test
  void periods_startOnTheCalendar() {
    ZoneId utc = ZoneId.of("UTC");
    assertThat(UsagePolicy.Period.DAY.start(NOW, utc)).isEqualTo(Instant.parse("2026-11-18T00:00:00Z"));
    assertThat(UsagePolicy.Period.WEEK.start(NOW, utc)).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
    assertThat(UsagePolicy.Period.MONTH.start(NOW, utc)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(UsagePolicy.Period.YEAR.start(NOW, utc)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void severalGrants_theFirstThatAllowsWins_elseTheFirstCandidatesRuleIsNamed() {
    G base = G.base();
    G strict = new G(base.peers, base.commands, base.purposes, base.protocols, base.reveals, 1_000_000, base.minCell, base.limits, base.expires);
    UsagePolicy p = policy(Optional.empty(), strict.grant("strict"), base.grant("normal"));

    PolicyDecision d = decide(p, terms().build());
    assertThat(((PolicyDecision.Allowed) d).policy().orElseThrow().grant()).isEqualTo("normal");
    assertRefused(decide(p, terms().build(), terms().inputRows(10).build(), Usage.NONE), "min_peer_set_size");
  }

  @Test
  void digest_changesWithAnyRule() {
    G base = G.base();
    G other = new G(base.peers, base.commands, base.purposes, base.protocols, base.reveals, base.minPeer, 21, base.limits, base.expires);
    assertThat(policy(base).digest()).isEqualTo(policy(G.base()).digest());
    assertThat(policy(base).digest()).isNotEqualTo(policy(other).digest());
  }

  @Test
  void invalidPolicies_areRefusedAtConstruction() {
    G base = G.base();
    assertThatThrownBy(() -> policy(Optional.empty(), base.grant("g"), base.grant("g")))
        .hasMessageContaining("used twice");
    G unknown = new G(base.peers, base.commands, Set.of("nowhere"), base.protocols, base.reveals, base.minPeer, base.minCell, base.limits, base.expires);
    assertThatThrownBy(() -> policy(unknown)).hasMessageContaining("does not define");
    assertThatThrownBy(() -> new UsagePolicy.Limits(UsagePolicy.Period.DAY, OptionalLong.empty(), OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UsagePolicy.Limits(UsagePolicy.Period.DAY, OptionalLong.of(0), OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
