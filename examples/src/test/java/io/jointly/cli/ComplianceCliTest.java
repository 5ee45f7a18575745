package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.cli.CliProcess.Result;
import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.ReceiptBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purpose, policy, receipts and the audit log through the CLI: two parties over loopback mutual TLS
 * (in this JVM, and once as separate processes to show that a limit survives a restart).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ComplianceCliTest {
  @TempDir static Path dir;
  private static Path tls;
  private static Path otherTls;
  private static Path data;
  /** A bank log of three completed PSI runs, built once for the tampering tests. */
  private static Path threeRuns;

  private static final String CAMPAIGN = "cc-cross-sell-test";
  private static final String TEXT = "Credit-card cross-sell, test";

  @BeforeAll
  static void setUp() throws Exception {
    tls = dir.resolve("tls");
    otherTls = dir.resolve("other-tls");
    data = dir.resolve("data");
    assertThat(CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner").exitCode()).isZero();
    assertThat(CliProcess.runInProcess("tls-init", "--out", otherTls.toString(), "--parties", "bank,partner").exitCode()).isZero();
    assertThat(CliProcess.runInProcess("gen-data", "--out", data.toString(), "--customers", "600", "--seed", "3").exitCode()).isZero();
    threeRuns = dir.resolve("three/bank.log");
    for (int i = 0; i < 3; i++) {
      List<Result> r = pair(psi("bank", threeRuns, "--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "consent"),
          psi("partner", dir.resolve("three/partner.log"), "--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "consent"));
      assertThat(r.get(0).exitCode()).as(r.get(0).describe() + r.get(1).describe()).isZero();
      assertThat(r.get(1).exitCode()).as(r.get(1).describe()).isZero();
    }
  }

  /** The arguments of one party's PSI run over loopback TLS, port filled in by {@link #pair}. */
  private static List<String> psi(String role, Path log, String... extra) {
    List<String> a = new ArrayList<>(List.of(
        "psi", "--role", role, role.equals("bank") ? "--listen" : "--connect", "PORT",
        "--tls", tls.toString(),
        "--input", data.resolve(role + ".csv").toString(),
        "--id", role.equals("bank") ? "mobile" : "phone",
        "--normalize", "phone",
        "--timeout", "30s",
        "--quiet"));
    if (log != null) {
      a.addAll(List.of("--audit-log", log.toString()));
    }
    a.addAll(List.of(extra));
    return a;
  }

  private static List<String> withPort(List<String> args, int port) {
    return args.stream().map(x -> x.equals("PORT") ? "127.0.0.1:" + port : x).toList();
  }

  /** Runs both parties in this JVM at once. */
  private static List<Result> pair(List<String> bank, List<String> partner) throws Exception {
    int port = CliProcess.freePort();
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      Future<Result> b = two.submit(() -> CliProcess.runInProcess(withPort(bank, port).toArray(String[]::new)));
      Future<Result> p = two.submit(() -> CliProcess.runInProcess(withPort(partner, port).toArray(String[]::new)));
      return List.of(b.get(2, TimeUnit.MINUTES), p.get(2, TimeUnit.MINUTES));
    } finally {
      two.shutdownNow();
    }
  }

  private static List<AuditRecord> entries(Path log) throws CliException {
    return AuditCommand.read(log);
  }

  private static String verify(Path log, Path ca) {
    Result r = CliProcess.runInProcess("audit", "verify", log.toString(), "--ca", ca.toString());
    return r.exitCode() + " " + r.stdout() + r.stderr();
  }

  @Test
  void completedRuns_bothPartiesHoldTheSameSignedReceipt_andTheLogsVerify() throws Exception {
    List<AuditRecord> bank = entries(threeRuns);
    List<AuditRecord> partner = entries(dir.resolve("three/partner.log"));
    assertThat(bank).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(bank.get(i).receipt()).isEqualTo(partner.get(i).receipt());
      assertThat(bank.get(i).receipt().body().status()).isEqualTo(ReceiptBody.Status.COMPLETED);
      assertThat(bank.get(i).receipt().signatures()).hasSize(2);
    }
    assertThat(verify(threeRuns, tls.resolve("ca.crt"))).startsWith("0 ").contains("3 lines verified");
    assertThat(verify(dir.resolve("three/partner.log"), tls.resolve("ca.crt"))).startsWith("0 ");
  }

  @Test
  void purposeMismatch_isRefusedOnBothSides_namingTheField_andNothingIsWritten() throws Exception {
    Path out = dir.resolve("mismatch");
    List<Result> r =
        pair(
            psi("bank", out.resolve("bank.log"), "--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "consent",
                "--reveal", "both", "--output", out.resolve("shared.csv").toString()),
            psi("partner", out.resolve("partner.log"), "--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "contract",
                "--reveal", "both"));

    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isEqualTo(4);
      assertThat(x.stderr()).contains("purpose.legal_basis");
    }
    assertThat(out.resolve("shared.csv")).doesNotExist();
    for (String role : List.of("bank", "partner")) {
      List<AuditRecord> e = entries(out.resolve(role + ".log"));
      assertThat(e).hasSize(1);
      assertThat(e.get(0).receipt().body().status()).isEqualTo(ReceiptBody.Status.REFUSED);
      assertThat(e.get(0).receipt().body().recordedBy()).contains(role);
      assertThat(verify(out.resolve(role + ".log"), tls.resolve("ca.crt"))).startsWith("0 ");
    }
  }

  /** A partner policy allowing one PSI run with the bank per day. */
  private static Path oneRunPolicy(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.writeString(
        target,
        "{\"policy\": \"partner-test\", \"time_zone\": \"UTC\",\n"
            + " \"purposes\": {\"" + CAMPAIGN + "\": {\"text\": \"" + TEXT + "\", \"legal_basis\": \"consent\"}},\n"
            + " \"grants\": [{\"id\": \"bank-psi\", \"peers\": [\"bank\"], \"commands\": [\"psi\"], \"purposes\": [\""
            + CAMPAIGN + "\"],\n"
            + "   \"reveal\": [\"bank\"], \"min_peer_set_size\": 100, \"limits\": {\"period\": \"day\", \"max_runs\": 1}}]}\n");
    return target;
  }

  @Test
  void policyLimit_holdsAcrossARestart_theRuleNamedOnlyToThePolicysOwner() throws Exception {
    Path out = dir.resolve("limit");
    Path policy = oneRunPolicy(out.resolve("partner-policy.json"));
    List<String> bank = psi("bank", out.resolve("bank.log"), "--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "consent");
    List<String> partner = psi("partner", out.resolve("partner.log"), "--purpose", CAMPAIGN, "--policy", policy.toString());

    List<Result> first = pair(bank, partner);
    assertThat(first.get(1).exitCode()).as(first.get(1).describe()).isZero();

    // Separate processes: what they know of the first run is in the partner's audit log only.
    int port = CliProcess.freePort();
    List<Result> second = CliProcess.runPair(out.resolve("logs"), withPort(bank, port), withPort(partner, port), Duration.ofMinutes(2));
    Result b = second.get(0);
    Result p = second.get(1);
    assertThat(p.exitCode()).as(p.describe()).isEqualTo(4);
    assertThat(p.stderr()).contains("max_runs").contains("partner-test");
    assertThat(b.exitCode()).as(b.describe()).isEqualTo(4);
    assertThat(b.stderr()).contains("refused by the peer's policy").doesNotContain("max_runs").doesNotContain("partner-test");
    List<AuditRecord> log = entries(out.resolve("partner.log"));
    assertThat(log).extracting(e -> e.receipt().body().status())
        .containsExactly(ReceiptBody.Status.COMPLETED, ReceiptBody.Status.REFUSED);
    assertThat(log.get(0).policy()).map(x -> x.grant()).contains("bank-psi");
  }

  @Test
  void runFailingAfterTheAgreement_leavesAOneSidedReceiptAtEachParty() throws Exception {
    Path out = dir.resolve("failed");
    List<Result> r =
        pair(
            psi("bank", out.resolve("bank.log"), "--min-peer-size", "100000"),
            psi("partner", out.resolve("partner.log")));

    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isEqualTo(4);
    }
    for (String role : List.of("bank", "partner")) {
      List<AuditRecord> e = entries(out.resolve(role + ".log"));
      assertThat(e).hasSize(1);
      ReceiptBody body = e.get(0).receipt().body();
      assertThat(body.status()).isEqualTo(ReceiptBody.Status.FAILED);
      assertThat(body.recordedBy()).contains(role);
      assertThat(e.get(0).receipt().signatures()).extracting(s -> s.party()).containsExactly(role);
      assertThat(verify(out.resolve(role + ".log"), tls.resolve("ca.crt"))).startsWith("0 ");
    }
    assertThat(entries(out.resolve("bank.log")).get(0).receipt().body().detail()).contains("POLICY_REFUSED");
  }

  // ------------------------------------------------------------------ audit verify on a changed log

  private static List<String> lines(Path log) throws IOException {
    return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
  }

  private static Path write(String name, List<String> lines) throws IOException {
    Path p = dir.resolve("tampered").resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private static void assertFailsAtLine(Path log, Path ca, int line) {
    assertThatThrownBy(() -> AuditCommand.verified(log, AuditCommand.roots(ca)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(log + ": line " + line + ":");
  }

  @Test
  void auditVerify_anyChangedByteOfALine_failsAtThatLine() throws Exception {
    byte[] log = Files.readAllBytes(threeRuns);
    int end = 0;
    while (log[end] != '\n') {
      end++;
    }
    Path ca = tls.resolve("ca.crt");
    Path p = dir.resolve("tampered/byte.log");
    Files.createDirectories(p.getParent());
    int checked = 0;
    // Every byte of the line's head (sequence, link, owner, policy, the receipt's opening fields),
    // then a sample through the statements, certificates, outcomes, signatures and seal.
    for (int i = 0; i < end; i += (i < 200 ? 1 : 19)) {
      byte[] changed = log.clone();
      changed[i] = (byte) (changed[i] ^ 0x01);
      if (changed[i] == '\n') {
        changed[i] = 'x';
      }
      Files.write(p, changed);
      final int at = i;
      assertThatThrownBy(() -> AuditCommand.verified(p, AuditCommand.roots(ca)))
          .as("byte %d changed", at)
          .isInstanceOf(CliException.class)
          .hasMessageContaining(p + ": line 1:");
      checked++;
    }
    // a line holds both certificate chains, statements, outcomes and signatures: thousands of bytes
    assertThat(end).isGreaterThan(2000);
    assertThat(checked).isEqualTo(200 + (end - 200 + 18) / 19);
  }

  @Test
  void auditVerify_removedLine_failsWhereItWas() throws Exception {
    List<String> l = lines(threeRuns);
    l.remove(1);
    assertFailsAtLine(write("removed.log", l), tls.resolve("ca.crt"), 2);
  }

  @Test
  void auditVerify_reorderedLines_failAtTheFirstMovedOne() throws Exception {
    List<String> l = lines(threeRuns);
    l.add(1, l.remove(2));
    assertFailsAtLine(write("reordered.log", l), tls.resolve("ca.crt"), 2);
  }

  @Test
  void auditVerify_replacedSignature_failsAtThatLine() throws Exception {
    List<String> l = lines(threeRuns);
    JsonNode line2 = Json.LINE.readTree(l.get(1));
    JsonNode line3 = Json.LINE.readTree(l.get(2));
    String sig2 = line2.get("receipt").get("signatures").get(1).get("value").asText();
    String sig3 = line3.get("receipt").get("signatures").get(1).get("value").asText();
    l.set(1, l.get(1).replace(sig2, sig3));
    assertFailsAtLine(write("signature.log", l), tls.resolve("ca.crt"), 2);
    assertThatThrownBy(() -> AuditCommand.verified(dir.resolve("tampered/signature.log"), AuditCommand.roots(tls.resolve("ca.crt"))))
        .hasMessageContaining("signature of 'partner' does not verify");
  }

  @Test
  void auditVerify_receiptsUnderAnotherCa_failAtTheFirstLine() {
    assertFailsAtLine(threeRuns, otherTls.resolve("ca.crt"), 1);
    assertThat(verify(threeRuns, otherTls.resolve("ca.crt"))).startsWith("3 ").contains("does not chain to the trust root");
  }

  @Test
  void auditVerify_lastLineCutShort_isNamed() throws Exception {
    String all = Files.readString(threeRuns);
    Path p = dir.resolve("tampered/cut.log");
    Files.writeString(p, all.substring(0, all.length() - 40));
    assertFailsAtLine(p, tls.resolve("ca.crt"), 3);
  }

  @Test
  void auditReport_summarisesPerPeerPurposeAndMonth_inBothLanguages() throws Exception {
    Path html = dir.resolve("audit.html");
    Result r = CliProcess.runInProcess("audit", "report", threeRuns.toString(), "--ca", tls.resolve("ca.crt").toString(), "--output", html.toString());
    assertThat(r.exitCode()).as(r.describe()).isZero();
    String page = Files.readString(html);
    String month = entries(threeRuns).get(0).receipt().body().party("bank").statement().start().toString().substring(0, 7);
    assertThat(page)
        .contains("Verified against the CA")
        .contains("<tr><td>partner</td><td>" + CAMPAIGN + "</td><td>" + month + "</td><td>psi</td><td>3</td><td>0</td><td>0</td>")
        .contains("shared identifiers <span class=\"zh\" lang=\"zh-CN\">共同标识数</span>")
        .contains("按对方、用途和月份统计的运行")
        .contains("<tr><td>" + CAMPAIGN + "</td><td>" + HtmlReport.esc(TEXT) + "</td><td>consent</td><td>3</td></tr>");
  }

  // ------------------------------------------------------------------ options and policy files

  @Test
  void policyFile_unknownField_isAnInputErrorNamingIt() throws Exception {
    Path bad = dir.resolve("bad-policy.json");
    Files.writeString(bad, Files.readString(oneRunPolicy(dir.resolve("p/ok.json"))).replace("\"max_runs\"", "\"max_run\""));
    Result r = CliProcess.runInProcess(withPort(psi("partner", dir.resolve("p/partner.log"), "--purpose", CAMPAIGN, "--policy", bad.toString()), 1).toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("grants[0].limits.max_run").contains("is not a field");
  }

  @Test
  void policyFile_badValues_areNamedByField() throws Exception {
    String ok = Files.readString(oneRunPolicy(dir.resolve("p/ok2.json")));
    for (String[] c :
        new String[][] {
          {"\"legal_basis\": \"consent\"", "\"legal_basis\": \"maybe\"", "purposes." + CAMPAIGN + ".legal_basis"},
          {"\"period\": \"day\"", "\"period\": \"fortnight\"", "grants[0].limits.period"},
          {"\"max_runs\": 1", "\"max_runs\": 0", "grants[0].limits.max_runs"},
          {"\"min_peer_set_size\": 100", "\"min_peer_set_size\": -1", "grants[0].min_peer_set_size"},
          {"\"peers\": [\"bank\"]", "\"peers\": []", "grants[0].peers"},
          {"\"time_zone\": \"UTC\"", "\"time_zone\": \"Mars/Olympus\"", "time_zone"}
        }) {
      Path bad = dir.resolve("p/" + c[2].replaceAll("[^a-z_]", "") + ".json");
      Files.writeString(bad, ok.replace(c[0], c[1]));
      assertThatThrownBy(() -> PolicyFile.read(bad)).hasMessageContaining(bad + ": " + c[2] + ":");
    }
  }

  @Test
  void usageErrors_beforeAnyConnection() {
    String[][] cases = {
      {"--purpose-text", TEXT},
      {"--purpose", CAMPAIGN},
      {"--purpose", "no spaces allowed", "--purpose-text", TEXT, "--legal-basis", "consent"},
      {"--purpose", CAMPAIGN, "--purpose-text", TEXT, "--legal-basis", "whim"},
      {"--policy", "whatever.json"},
    };
    for (String[] c : cases) {
      Result r = CliProcess.runInProcess(withPort(psi("bank", null, c), 1).toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", c) + "\n" + r.describe()).isEqualTo(2);
    }
  }

  @Test
  void policyWithLimits_needsAnAuditLog() throws Exception {
    Path policy = oneRunPolicy(dir.resolve("p/limits.json"));
    Result r = CliProcess.runInProcess(withPort(psi("partner", null, "--purpose", CAMPAIGN, "--policy", policy.toString()), 1).toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--audit-log");
  }

  @Test
  void auditLogInUse_isRefused() throws Exception {
    Path log = dir.resolve("inuse/bank.log");
    try (AuditLog held = AuditLog.open(log, "bank", Optional.empty())) {
      assertThatThrownBy(() -> AuditLog.open(log, "bank", Optional.empty()))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("in use by another jointly run");
    }
  }

  @Test
  void documentedExample_isAValidPolicy_andTheSchemaNamesExactlyTheFieldsTheParserKnows() throws Exception {
    Path docs = Path.of("..", "docs", "compliance");
    assertThat(PolicyFile.read(docs.resolve("usage-policy.example.json")).grants()).hasSize(2);
    JsonNode schema = Json.LINE.readTree(docs.resolve("usage-policy.schema.json").toFile());
    assertThat(names(schema.get("properties"))).isEqualTo(PolicyFile.TOP);
    assertThat(names(schema.get("properties").get("purposes").get("additionalProperties").get("properties"))).isEqualTo(PolicyFile.PURPOSE);
    JsonNode grant = schema.get("$defs").get("grant").get("properties");
    assertThat(names(grant)).isEqualTo(PolicyFile.GRANT);
    assertThat(names(grant.get("limits").get("properties"))).isEqualTo(PolicyFile.LIMITS);
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
