package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query budgets: allowed below the limit, refused at it with {@code BUDGET_EXHAUSTED} (and the
 * session kept), per purpose and client, reset at midnight UTC, charged whole for a batch, and
 * surviving a clean restart and a crash (never more than the limit).
 */
@Timeout(60)
class BudgetTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

  private static final QueryBudgets BUDGETS =
      QueryBudgets.of(Map.of(ServerFixture.PURPOSE, 5L, ServerFixture.CAMPAIGN, 100L))
          .withClientLimit("bank-vip", ServerFixture.PURPOSE, 8L);

  private ServerFixture server(Path ledgerFile) throws Exception {
    return new ServerFixture(
        dir, CacheFixture.phones(0, 150), BudgetLedger.open(ledgerFile, BUDGETS, clock), ServerFixture.testParams());
  }

  private static MembershipClient client(ServerFixture f, OprfCache cache, String name) throws Exception {
    return MembershipClient.open(cache, ServerFixture.clientParams(ServerFixture.PURPOSE), f.connector(name));
  }

  private static void assertExhausted(MembershipClient c, String phone) {
    assertThatThrownBy(() -> c.contains(phone))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.BUDGET_EXHAUSTED);
              assertThat(e.getMessage()).contains("card-application").contains("5").doesNotContain(phone);
            });
  }

  @Test
  void membership_belowLimitAllowed_atLimitRefused_survivesRestart_resetsNextDay() throws Exception {
    Path ledgerFile = dir.resolve("budget.ledger");
    try (ServerFixture f = server(ledgerFile); OprfCache cache = f.clientCache()) {
      try (MembershipClient c = client(f, cache, "bank-app")) {
        for (int i = 0; i < 5; i++) {
          assertThat(c.contains(CacheFixture.phone(i * 40))).isEqualTo(i * 40 < 150);
        }
        assertThat(c.usage()).isEqualTo(new MembershipClient.Usage(5, 5));
        assertExhausted(c, CacheFixture.phone(1));
        assertExhausted(c, CacheFixture.phone(2)); // the session survives a refusal
        assertThat(f.ledger.used("bank-app", ServerFixture.PURPOSE)).isEqualTo(5);
      }
      // Budgets are per client: another client, and an override, are unaffected.
      try (MembershipClient other = client(f, cache, "bank-vip")) {
        for (int i = 0; i < 8; i++) {
          other.contains(CacheFixture.phone(i));
        }
        assertThatThrownBy(() -> other.contains(CacheFixture.phone(9))).isInstanceOf(ProtocolAbortException.class);
      }
    }
    // A clean restart: the server process ends (the ledger writes exact counts) and starts again.
    try (ServerFixture f = server(ledgerFile); OprfCache cache = f.clientCache()) {
      try (MembershipClient c = client(f, cache, "bank-app")) {
        assertExhausted(c, CacheFixture.phone(3));
        clock.advance(Duration.ofHours(14)); // 00:00 UTC has passed
        assertThat(c.contains(CacheFixture.phone(3))).isTrue();
        assertThat(c.usage()).isEqualTo(new MembershipClient.Usage(1, 5));
      }
    }
  }

  @Test
  void crash_neverGrantsMoreThanTheLimit() throws Exception {
    Path ledgerFile = dir.resolve("budget.ledger");
    Path crashed = dir.resolve("crashed.ledger");
    try (ServerFixture f = server(ledgerFile); OprfCache cache = f.clientCache();
        MembershipClient c = client(f, cache, "bank-app")) {
      c.contains(CacheFixture.phone(1));
      c.contains(CacheFixture.phone(2));
      // What a crash leaves behind: the file as it is now, without the clean close.
      Files.copy(ledgerFile, crashed);
    }
    try (BudgetLedger afterCrash = BudgetLedger.open(crashed, BUDGETS, clock)) {
      long used = afterCrash.used("bank-app", ServerFixture.PURPOSE);
      assertThat(used).isBetween(2L, 5L); // the rest of a reservation block counts as spent
      long granted = 0;
      while (afterCrash.charge("bank-app", ServerFixture.PURPOSE, 1).granted()) {
        granted++;
      }
      assertThat(used + granted).isEqualTo(5);
    }
  }

  @Test
  void batch_chargedWhole_refusedIfItWouldExceed() throws Exception {
    try (ServerFixture f = server(dir.resolve("budget.ledger")); OprfCache cache = f.clientCache()) {
      var params = ServerFixture.clientParams(ServerFixture.CAMPAIGN);
      PsiInput sixty = PsiInput.ofColumn(CacheFixture.phones(100, 60));
      var first =
          TwoPartyRun.run(
              InMemoryChannel.pair("b1", "partner", "bank"),
              ch -> f.server.serve(ch),
              ch -> new UnbalancedPsiClient(params, CacheFixture.POOL, 2).run(sixty, cache, ch),
              Duration.ofSeconds(30));
      assertThat(first.second().value().intersectionSize()).isEqualTo(50);
      assertThat(first.second().value().budgetUsed()).isEqualTo(60);
      var second =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("b2", "partner", "bank"),
              ch -> f.server.serve(ch),
              ch -> new UnbalancedPsiClient(params, CacheFixture.POOL, 2).run(sixty, cache, ch),
              Duration.ofSeconds(30));
      assertThat(second.second().failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.BUDGET_EXHAUSTED));
      assertThat(second.first().value().ending()).isEqualTo(OprfServer.Ending.REFUSED);
      assertThat(f.ledger.used("bank", ServerFixture.CAMPAIGN)).isEqualTo(60);
    }
  }

  @Test
  void purposeNotServed_isPolicyRefused() throws Exception {
    try (ServerFixture f = server(dir.resolve("budget.ledger")); OprfCache cache = f.clientCache()) {
      assertThatThrownBy(
              () ->
                  MembershipClient.open(
                      cache, ServerFixture.clientParams(Purpose.of("marketing-probe")), f.connector("bank-app")))
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
    }
  }

  @Test
  void ledger_damagedFile_refusesToOpen() throws Exception {
    Path ledgerFile = dir.resolve("budget.ledger");
    try (BudgetLedger l = BudgetLedger.open(ledgerFile, BUDGETS, clock)) {
      l.charge("bank-app", ServerFixture.PURPOSE, 2);
    }
    String text = Files.readString(ledgerFile).replace("bank-app card-application 2", "bank-app card-application 0");
    Files.writeString(ledgerFile, text);
    assertThatThrownBy(() -> BudgetLedger.open(ledgerFile, BUDGETS, clock))
        .isInstanceOfSatisfying(
            InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.MALFORMED_FILE));
  }

  @Test
  void ledger_secondProcess_isLockedOut() throws Exception {
    Path ledgerFile = dir.resolve("budget.ledger");
    try (BudgetLedger l = BudgetLedger.open(ledgerFile, BUDGETS, clock)) {
      assertThatThrownBy(() -> BudgetLedger.open(ledgerFile, BUDGETS, clock)).isInstanceOf(java.io.IOException.class);
    }
  }
}
