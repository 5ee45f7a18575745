package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import io.jointly.psi.IdentifierProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly psi} end to end, as an operator runs it: the bank and the partner as two OS
 * processes over loopback mutual TLS (certificates from {@code jointly tls-init}), on small files
 * with mobiles in mixed formats, in every reveal mode. Each party's output and report are compared
 * with the plain intersection computed in the test.
 */
class PsiCliEndToEndTest {
  private static final Duration PAIR_LIMIT = Duration.ofSeconds(90);

  @TempDir static Path shared;

  private static PsiFixtures data;
  private static Path tls;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws IOException {
    data = new PsiFixtures(shared.resolve("data"));
    tls = shared.resolve("tls");
    Result init =
        CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(init.exitCode()).as(init.describe()).isZero();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_revealBank_bankWritesItsSharedRowsAndPartnerLearnsOnlySizes() throws Exception {
    PsiFixtures.Pair p = data.phones;
    List<Result> r = runPhones("bank", true, false, "--tls", tls.toString());

    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId()));
    assertReports(p, "bank", true, false);
    assertThat(r.get(1).stdout()).contains("intersection not revealed");
    assertThat(work.resolve("partner-out.csv")).doesNotExist();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_revealBoth_eachPartyWritesItsOwnSharedRows() throws Exception {
    PsiFixtures.Pair p = data.phones;
    runPhones("both", true, true, "--tls", tls.toString());

    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId()));
    assertThat(Files.readString(work.resolve("partner-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.partner().expectedShared(p.bankKeys(), p.profile(), p.partnerId()));
    assertReports(p, "both", true, true);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_revealCount_bankLearnsOnlyTheCountAndNoRowsAreWritten() throws Exception {
    PsiFixtures.Pair p = data.phones;
    runPhones("count", false, false, "--tls", tls.toString());

    assertReports(p, "count", true, false);
    JsonNode bank = report("bank");
    assertThat(bank.has("shared_rows")).isFalse();
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".csv") || n.endsWith(".tmp"));
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_insecureOnLoopback_runsInPlaintextWithTheSameResult() throws Exception {
    PsiFixtures.Pair p = data.phones;
    runPhones("bank", true, false, "--insecure");

    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId()));
    assertReports(p, "bank", true, false);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_compositeKey_rowsMatchOnlyWhenEveryKeyColumnMatches() throws Exception {
    PsiFixtures.Pair p = data.composite;
    int port = CliProcess.freePort();
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"),
            args(
                "bank",
                "--listen",
                port,
                p.bank().file(),
                "name,birth_date",
                "raw",
                "both",
                true,
                "--tls",
                tls.toString()),
            args(
                "partner",
                "--connect",
                port,
                p.partner().file(),
                "full_name, dob",
                "raw",
                "both",
                true,
                "--tls",
                tls.toString()),
            PAIR_LIMIT);
    assertSucceeded(r);
    for (Result x : r) {
      assertThat(x.stderr()).as("names and dates as raw: nothing to warn about").doesNotContain("warning");
    }

    // Same name with another birth date, or the reverse, is another person: the plain
    // intersection of (name, birth date) pairs is what must come out.
    Set<String> inter = p.intersection();
    assertThat(inter).hasSize(90);
    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId()));
    assertThat(Files.readString(work.resolve("partner-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(p.partner().expectedShared(p.bankKeys(), p.profile(), p.partnerId()));
    assertReports(p, "both", true, true);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_invalidIdsSkip_succeedsWithoutTheInvalidRowsAndReportsThem() throws Exception {
    PsiFixtures.Table bank = data.bankWithInvalid;
    PsiFixtures.Pair p = data.phones;
    int port = CliProcess.freePort();
    List<String> bankArgs =
        args(
            "bank",
            "--listen",
            port,
            bank.file(),
            "mobile",
            "phone",
            "bank",
            true,
            "--tls",
            tls.toString());
    bankArgs.addAll(List.of("--invalid-ids", "skip"));
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"),
            bankArgs,
            args(
                "partner",
                "--connect",
                port,
                p.partner().file(),
                "phone",
                "phone",
                "bank",
                false,
                "--tls",
                tls.toString()),
            PAIR_LIMIT);
    assertSucceeded(r);

    String expected = bank.expectedShared(p.partnerKeys(), IdentifierProfile.PHONE, "mobile");
    assertThat(expected).contains("\"王\n伟\""); // the shared row with a line break in a field
    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8))
        .isEqualTo(expected);
    JsonNode report = report("bank");
    assertThat(report.get("invalid_rows_skipped").asLong()).isEqualTo(3);
    assertThat(report.get("input_rows").asLong()).isEqualTo(bank.rows().size());
    Set<String> bankKeys = bank.keySet(IdentifierProfile.PHONE, "mobile");
    assertThat(report.get("own_size").asLong()).isEqualTo(bankKeys.size());
    bankKeys.retainAll(p.partnerKeys());
    assertThat(report.get("intersection_size").asLong()).isEqualTo(bankKeys.size());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_rawOnPhoneNumbers_bothPartiesWarnNamingThePhoneProfile() throws Exception {
    // The silent first mistake: phone numbers matched as raw text, written differently at the two
    // parties, give a small intersection that looks real. The run goes ahead as asked, but each
    // party is told, before anything is matched, which profile its identifiers look like.
    PsiFixtures.Pair p = data.phones;
    int port = CliProcess.freePort();
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"),
            args("bank", "--listen", port, p.bank().file(), "mobile", "raw", "bank", false, "--insecure"),
            args("partner", "--connect", port, p.partner().file(), "phone", "raw", "bank", false, "--insecure"),
            PAIR_LIMIT);
    assertSucceeded(r);

    for (Result x : r) {
      List<String> warnings =
          x.stderr().lines().filter(l -> l.contains("warning")).toList();
      assertThat(warnings).as(x.describe()).hasSize(1);
      assertThat(warnings.get(0))
          .startsWith("jointly: warning: --normalize raw, but ")
          .contains("look like phone numbers")
          .endsWith("use --normalize phone at both parties.");
    }
    Set<String> rawShared = new java.util.HashSet<>(p.bank().keySet(IdentifierProfile.RAW, "mobile"));
    rawShared.retainAll(p.partner().keySet(IdentifierProfile.RAW, "phone"));
    assertThat(report("bank").get("intersection_size").asLong())
        .as("what raw matching finds: the numbers written alike at both parties only")
        .isEqualTo(rawShared.size())
        .isLessThan(p.intersection().size());
  }

  // ---------------------------------------------------------------------------------------------

  /** Runs the phone pair in {@code reveal} mode; each party that learns rows writes them. */
  private List<Result> runPhones(
      String reveal, boolean bankOutput, boolean partnerOutput, String... security)
      throws Exception {
    PsiFixtures.Pair p = data.phones;
    int port = CliProcess.freePort();
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"),
            args(
                "bank",
                "--listen",
                port,
                p.bank().file(),
                "mobile",
                "phone",
                reveal,
                bankOutput,
                security),
            args(
                "partner",
                "--connect",
                port,
                p.partner().file(),
                "phone",
                "phone",
                reveal,
                partnerOutput,
                security),
            PAIR_LIMIT);
    assertSucceeded(r);
    return r;
  }

  private List<String> args(
      String role,
      String how,
      int port,
      Path input,
      String id,
      String normalize,
      String reveal,
      boolean output,
      String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "psi",
                "--role",
                role,
                how,
                "127.0.0.1:" + port,
                "--input",
                input.toString(),
                "--id",
                id,
                "--normalize",
                normalize,
                "--reveal",
                reveal,
                "--min-peer-size",
                "10",
                "--timeout",
                "40s",
                "--report",
                work.resolve(role + ".json").toString()));
    if (output) {
      a.addAll(List.of("--output", work.resolve(role + "-out.csv").toString()));
    }
    a.addAll(Arrays.asList(extra));
    return a;
  }

  private static void assertSucceeded(List<Result> results) {
    for (Result r : results) {
      assertThat(r.exitCode()).as(r.describe()).isZero();
      CliProcess.assertPrintsNone(r, data.secrets());
    }
  }

  private JsonNode report(String role) throws IOException {
    return new ObjectMapper().readTree(work.resolve(role + ".json").toFile());
  }

  /** Both reports: sizes from the plain computation, traffic that adds up, what each learned. */
  private void assertReports(
      PsiFixtures.Pair p, String reveal, boolean bankLearns, boolean partnerLearns)
      throws IOException {
    JsonNode bank = report("bank");
    JsonNode partner = report("partner");
    long inter = p.intersection().size();
    assertThat(inter).isPositive();

    assertThat(bank.get("role").asText()).isEqualTo("bank");
    assertThat(partner.get("role").asText()).isEqualTo("partner");
    for (JsonNode n : List.of(bank, partner)) {
      assertThat(n.get("reveal_mode").asText()).isEqualTo(reveal);
      assertThat(n.get("suite").asText()).isEqualTo("ristretto255");
      assertThat(n.get("bytes_sent").asLong()).isPositive();
      assertThat(n.get("bytes_received").asLong()).isPositive();
      assertThat(n.get("elapsed_seconds").isNumber()).isTrue();
      assertThat(n.get("elapsed_seconds").asDouble()).isBetween(0.0, PAIR_LIMIT.toSeconds() + 0.0);
      assertThat(n.get("invalid_rows_skipped").asLong()).isZero();
    }
    assertThat(bank.has("intersection_size")).isEqualTo(bankLearns);
    assertThat(partner.has("intersection_size")).isEqualTo(partnerLearns);
    if (bankLearns) {
      assertThat(bank.get("intersection_size").asLong()).isEqualTo(inter);
    }
    if (partnerLearns) {
      assertThat(partner.get("intersection_size").asLong()).isEqualTo(inter);
    }
    assertThat(bank.get("own_size").asLong()).isEqualTo(p.bankKeys().size());
    assertThat(bank.get("peer_size").asLong()).isEqualTo(p.partnerKeys().size());
    assertThat(partner.get("own_size").asLong()).isEqualTo(p.partnerKeys().size());
    assertThat(partner.get("peer_size").asLong()).isEqualTo(p.bankKeys().size());
    assertThat(bank.get("input_rows").asLong()).isEqualTo(p.bank().rows().size());
    assertThat(partner.get("input_rows").asLong()).isEqualTo(p.partner().rows().size());
    assertThat(bank.get("duplicate_rows").asLong())
        .isEqualTo(p.bank().rows().size() - p.bankKeys().size());
    assertThat(partner.get("duplicate_rows").asLong())
        .isEqualTo(p.partner().rows().size() - p.partnerKeys().size());
    // What one side sent is what the other received.
    assertThat(bank.get("bytes_sent").asLong()).isEqualTo(partner.get("bytes_received").asLong());
    assertThat(bank.get("bytes_received").asLong()).isEqualTo(partner.get("bytes_sent").asLong());
  }
}
