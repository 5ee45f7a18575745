package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.ReceiptBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly psi-ic} as operators run it: two OS processes over loopback mutual TLS, in both
 * rank assignments, with the same shared rows as native {@code jointly psi} on the same files; and
 * its usage and peer errors with their exit codes.
 */
class PsiIcCliTest {
  private static final Duration PAIR_LIMIT = Duration.ofSeconds(90);

  @TempDir static Path shared;

  private static Path tls;
  private static Path bankCsv;
  private static Path partnerCsv;
  private static String expectedBank;
  private static String expectedPartner;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws IOException {
    tls = shared.resolve("tls");
    Result init = CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(init.exitCode()).as(init.describe()).isZero();
    List<String> bank = new ArrayList<>(List.of("customer_no,mobile"));
    List<String> partner = new ArrayList<>(List.of("phone,member"));
    StringBuilder eb = new StringBuilder("customer_no,mobile\n");
    StringBuilder ep = new StringBuilder("phone,member\n");
    for (int i = 0; i < 300; i++) {
      String m = "138" + String.format("%08d", i);
      bank.add("c" + i + "," + m);
      if (i >= 120) {
        eb.append("c").append(i).append(',').append(m).append('\n');
      }
    }
    for (int i = 120; i < 500; i++) {
      String m = "138" + String.format("%08d", i);
      partner.add(m + ",p" + i);
      if (i < 300) {
        ep.append(m).append(",p").append(i).append('\n');
      }
    }
    bankCsv = shared.resolve("bank.csv");
    partnerCsv = shared.resolve("partner.csv");
    Files.write(bankCsv, bank);
    Files.write(partnerCsv, partner);
    expectedBank = eb.toString();
    expectedPartner = ep.toString();
  }

  private List<String> party(String name, int rank, int listen, int connect, int rtr, boolean output) {
    return party(name, rank, listen, connect, rtr, output, "raw");
  }

  private List<String> party(
      String name, int rank, int listen, int connect, int rtr, boolean output, String normalize) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "psi-ic",
                "--rank", Integer.toString(rank),
                "--listen", "127.0.0.1:" + listen,
                "--connect", "127.0.0.1:" + connect,
                "--tls", tls.toString(),
                "--name", name,
                "--peer", name.equals("bank") ? "partner" : "bank",
                "--input", (name.equals("bank") ? bankCsv : partnerCsv).toString(),
                "--id", name.equals("bank") ? "mobile" : "phone",
                "--normalize", normalize,
                "--result-to-rank", Integer.toString(rtr),
                "--report", work.resolve(name + ".json").toString(),
                "--timeout", "60s",
                "--quiet"));
    if (output) {
      a.add("--output");
      a.add(work.resolve(name + "-out.csv").toString());
    }
    return a;
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void bankRank0_bothLearn_sameRowsAsNativePsi() throws Exception {
    int p0 = CliProcess.freePort();
    int p1 = CliProcess.freePort();
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"), party("bank", 0, p0, p1, -1, true), party("partner", 1, p1, p0, -1, true), PAIR_LIMIT);
    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isZero();
    }
    String bankOut = Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8);
    assertThat(bankOut).isEqualTo(expectedBank);
    assertThat(Files.readString(work.resolve("partner-out.csv"), StandardCharsets.UTF_8)).isEqualTo(expectedPartner);
    JsonNode report = new ObjectMapper().readTree(work.resolve("bank.json").toFile());
    assertThat(report.get("protocol").asText()).isEqualTo("interconnection-ecdh-psi");
    assertThat(report.get("intersection_size").asInt()).isEqualTo(180);
    assertThat(report.get("peer_size").asInt()).isEqualTo(380);
    assertThat(report.get("second_stage_bytes_received").asInt()).isEqualTo(12);

    // Native jointly psi on the same files writes the same rows.
    int port = CliProcess.freePort();
    List<Result> nat =
        CliProcess.runPair(
            work.resolve("logs"),
            List.of("psi", "--role", "bank", "--listen", "127.0.0.1:" + port, "--tls", tls.toString(),
                "--input", bankCsv.toString(), "--id", "mobile", "--normalize", "raw", "--reveal", "both", "--min-peer-size", "0",
                "--output", work.resolve("native-bank.csv").toString(), "--quiet"),
            List.of("psi", "--role", "partner", "--connect", "127.0.0.1:" + port, "--tls", tls.toString(),
                "--input", partnerCsv.toString(), "--id", "phone", "--normalize", "raw", "--reveal", "both", "--min-peer-size", "0",
                "--output", work.resolve("native-partner.csv").toString(), "--quiet"),
            PAIR_LIMIT);
    for (Result x : nat) {
      assertThat(x.exitCode()).as(x.describe()).isZero();
    }
    assertThat(Files.readString(work.resolve("native-bank.csv"), StandardCharsets.UTF_8)).isEqualTo(bankOut);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void bankRank1_onlyBankLearns_phoneProfile_partnerWritesNothing_eachKeepsItsOwnVerifiedReceipt() throws Exception {
    int p0 = CliProcess.freePort();
    int p1 = CliProcess.freePort();
    List<String> bank = new ArrayList<>(party("bank", 1, p1, p0, 1, true, "phone"));
    List<String> partner = new ArrayList<>(party("partner", 0, p0, p1, 1, false, "phone"));
    bank.addAll(purpose(work.resolve("bank.log")));
    partner.addAll(purpose(work.resolve("partner.log")));
    List<Result> r = CliProcess.runPair(work.resolve("logs"), bank, partner, PAIR_LIMIT);
    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isZero();
    }
    assertThat(Files.readString(work.resolve("bank-out.csv"), StandardCharsets.UTF_8)).isEqualTo(expectedBank);
    JsonNode partnerReport = new ObjectMapper().readTree(work.resolve("partner.json").toFile());
    assertThat(partnerReport.has("intersection_size")).isFalse();
    assertThat(partnerReport.get("learned").asText()).contains("only the other party's number of items");

    // No room for the agreement in the standard's wire: each party's log holds a receipt it alone
    // signed, with its own account of the other, and verifies.
    for (String name : List.of("bank", "partner")) {
      Path log = work.resolve(name + ".log");
      Result v = CliProcess.runInProcess("audit", "verify", log.toString(), "--ca", tls.resolve("ca.crt").toString());
      assertThat(v.exitCode()).as(v.describe()).isZero();
      List<AuditRecord> entries = AuditCommand.read(log);
      assertThat(entries).hasSize(1);
      ReceiptBody body = entries.get(0).receipt().body();
      assertThat(body.status()).isEqualTo(ReceiptBody.Status.UNILATERAL);
      assertThat(body.signers()).containsExactly(name);
      assertThat(body.party(name).statement().terms().command()).isEqualTo("psi-ic");
      assertThat(body.party(name).statement().terms().purpose()).map(p -> p.campaign()).contains("ic-trial");
      assertThat(body.party(name).statement().terms().reveal()).isEqualTo("rank1");
      assertThat(body.other(name).statement().software()).isEqualTo("unstated");
    }
    ReceiptBody bankReceipt = AuditCommand.read(work.resolve("bank.log")).get(0).receipt().body();
    assertThat(bankReceipt.other("bank").statement().terms().inputRows()).isEqualTo(380);
    assertThat(bankReceipt.party("bank").outcome().orElseThrow().learned().counts()).containsEntry("intersection_size", 180L);
    JsonNode bankReport = new ObjectMapper().readTree(work.resolve("bank.json").toFile());
    assertThat(bankReport.at("/compliance/purpose/campaign").asText()).isEqualTo("ic-trial");
    assertThat(bankReport.at("/compliance/receipt_digest").asText())
        .isEqualTo(AuditCommand.read(work.resolve("bank.log")).get(0).receipt().digest().toHex());
  }

  private static List<String> purpose(Path log) {
    return List.of(
        "--purpose", "ic-trial", "--purpose-text", "Interconnection trial with a SecretFlow partner",
        "--legal-basis", "contract", "--audit-log", log.toString());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void policyWithoutPsiIc_refusedBeforeListening_ruleNamed_refusalInTheLog() throws Exception {
    Path policy = work.resolve("policy.json");
    Files.writeString(
        policy,
        "{\"policy\": \"bank-test\", \"time_zone\": \"UTC\",\n"
            + " \"purposes\": {\"ic-trial\": {\"text\": \"Interconnection trial\", \"legal_basis\": \"contract\"}},\n"
            + " \"grants\": [{\"id\": \"psi-only\", \"peers\": [\"partner\"], \"commands\": [\"psi\"],"
            + " \"purposes\": [\"ic-trial\"]}]}\n");
    Path log = work.resolve("bank.log");
    List<String> a = new ArrayList<>(party("bank", 0, CliProcess.freePort(), CliProcess.freePort(), -1, true));
    a.addAll(List.of("--purpose", "ic-trial", "--policy", policy.toString(), "--audit-log", log.toString()));
    Result r = CliProcess.runInProcess(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
    assertThat(r.stderr()).contains("rule commands").contains("psi-ic");
    assertThat(work.resolve("bank-out.csv")).doesNotExist();
    assertThat(work.resolve("bank.json")).doesNotExist();
    List<AuditRecord> entries = AuditCommand.read(log);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).receipt().body().status()).isEqualTo(ReceiptBody.Status.REFUSED);
  }

  @Test
  void usageErrors_exitTwo() {
    String[][] cases = {
      {"--rank", "2"},
      {"--result-to-rank", "5"},
      {"--suite", "p256"},
      {"--second-stage", "full"},
      {"--truncation-bits", "7"},
      {"--keys", "fancy"},
      {"--normalize", "mobile"},
      {"--invalid-ids", "drop"},
      {"--duplicates", "keep"},
    };
    for (String[] c : cases) {
      List<String> a = new ArrayList<>(base(0));
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).equals(c[0])) {
          a.set(i + 1, c[1]);
        }
      }
      if (!a.contains(c[0])) {
        a.addAll(List.of(c));
      }
      Result r = CliProcess.runInProcess(a.toArray(String[]::new));
      assertThat(r.exitCode()).as(c[0] + " " + c[1] + ": " + r.describe()).isEqualTo(2);
    }
    List<String> noRows = new ArrayList<>(base(1));
    noRows.addAll(List.of("--result-to-rank", "0", "--output", work.resolve("x.csv").toString()));
    Result r = CliProcess.runInProcess(noRows.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("learns no rows");
  }

  @Test
  void withoutNormalize_usageErrorNamingTheChoices() {
    List<String> a = new ArrayList<>(base(0));
    int at = a.indexOf("--normalize");
    a.remove(at + 1);
    a.remove(at);
    Result r = CliProcess.runInProcess(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("Missing required option: '--normalize=phone|email|cn-id|raw'")
        .contains("jointly psi-ic --help");
  }

  @Test
  void insecureOffLoopback_refusedAsUsage() {
    List<String> a = new ArrayList<>(base(0));
    a.set(a.indexOf("--listen") + 1, "0.0.0.0:" + 40001);
    Result r = CliProcess.runInProcess(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("loopback");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void partnerNeverComes_exitFourWithTimeout() throws Exception {
    List<String> a = new ArrayList<>(base(0));
    a.set(a.indexOf("--timeout") + 1, "2s");
    Result r = CliProcess.runInProcess(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(4);
    assertThat(r.stderr()).contains("TIMEOUT").contains("could not reach");
  }

  private List<String> base(int rank) {
    try {
      return List.of(
          "psi-ic", "--rank", Integer.toString(rank),
          "--listen", "127.0.0.1:" + CliProcess.freePort(),
          "--connect", "127.0.0.1:" + CliProcess.freePort(),
          "--insecure", "--input", bankCsv.toString(), "--id", "mobile", "--normalize", "raw",
          "--timeout", "10s", "--quiet");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }
}
