package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached-OPRF workflow as operators run it, each step its own OS process over loopback mutual
 * TLS: the partner encodes its set and serves it; the bank downloads the cache, runs unbalanced PSI
 * ({@code psi --protocol oprf}) and gets exactly the plain intersection; an app checks applicants
 * one at a time until its budget is spent (exit 4, typed message); the partner updates its set and
 * the bank downloads only the delta; no process prints an identifier; the ledger survives the
 * service's stop.
 */
class OprfCliEndToEndTest {
  private static final Duration STEP = Duration.ofSeconds(90);

  @TempDir Path work;

  private static String phone(int i) {
    return String.format("139%08d", i);
  }

  private static void csv(Path file, String header, List<String> rows) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(header);
    lines.addAll(rows);
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static void ok(Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void encodeServeFetchPsiCheckUpdate_asOperatorsRunThem() throws Exception {
    Path logs = work.resolve("logs");
    Path tls = work.resolve("tls");
    ok(CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "partner,bank,bank-app"));
    List<String> secrets = new ArrayList<>();
    List<String> partnerRows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      partnerRows.add("M" + i + "," + phone(i));
      secrets.add(phone(i));
    }
    List<String> bankRows = new ArrayList<>();
    for (int i = 300; i < 450; i++) { // 100 shared, written as the bank's export writes them
      bankRows.add("C" + i + ",+86 139-" + phone(i).substring(3, 7) + "-" + phone(i).substring(7) + ",x");
    }
    Path partner = work.resolve("partner.csv");
    Path bank = work.resolve("bank.csv");
    csv(partner, "member_id,phone", partnerRows);
    csv(bank, "customer_no,mobile,segment", bankRows);
    Path kek = work.resolve("kek");
    Files.write(kek, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32});
    Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-------"));
    Path state = work.resolve("state");

    Result encode = CliProcess.run(logs, "encode", STEP, List.of("oprf", "encode", "--state", state.toString(),
        "--input", partner.toString(), "--id", "phone", "--normalize", "phone", "--key-file", kek.toString()));
    ok(encode);
    assertThat(encode.stdout()).contains("encoded 400 identifiers").contains("false positives <= 2^-40");
    try (var files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".sealed"));
    }

    int port = CliProcess.freePort();
    String at = "127.0.0.1:" + port;
    CliProcess.Running serve = CliProcess.start(logs, "serve", List.of("serve", "--state", state.toString(),
        "--listen", at, "--tls", tls.toString(), "--clients", "bank,bank-app", "--budget", "card-application=3",
        "--budget", "weekly-campaign=10000", "--key-file", kek.toString(), "--log-interval", "1s"));
    try {
      long deadline = System.nanoTime() + STEP.toNanos();
      while (!serve.stderrSoFar().contains("serving 400 items") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(serve.stderrSoFar()).contains("serving 400 items");
      List<String> client = List.of("--connect", at, "--tls", tls.toString());

      Path cache = work.resolve("partner.jocache");
      Result fetch = CliProcess.run(logs, "fetch", STEP, concat(List.of("oprf", "fetch", "--cache", cache.toString()), client));
      ok(fetch);
      assertThat(fetch.stdout()).contains("downloaded version 0");

      Path shared = work.resolve("shared.csv");
      Path report = work.resolve("report.json");
      Result psi = CliProcess.run(logs, "psi", STEP, concat(List.of("psi", "--protocol", "oprf", "--role", "bank",
          "--cache", cache.toString(), "--input", bank.toString(), "--id", "mobile", "--normalize", "phone",
          "--output", shared.toString(), "--report", report.toString()), client));
      ok(psi);
      List<String> expected = new ArrayList<>();
      expected.add("customer_no,mobile,segment");
      expected.addAll(bankRows.subList(0, 100));
      assertThat(Files.readAllLines(shared, StandardCharsets.UTF_8)).containsExactlyElementsOf(expected);
      JsonNode r = new ObjectMapper().readTree(report.toFile());
      assertThat(r.get("protocol").asText()).isEqualTo("oprf-psi");
      assertThat(r.get("intersection_size").asLong()).isEqualTo(100);
      assertThat(r.get("peer_size").asLong()).isEqualTo(400);
      assertThat(r.get("peer_learned").asText()).contains("only the bank's set size");

      // One applicant at a time: three checks allowed, the fourth refused with a typed message.
      Path ids = work.resolve("ids.txt");
      Files.write(ids, List.of(phone(1), "no phone", phone(999), phone(2), phone(3)), StandardCharsets.UTF_8);
      Path appCache = work.resolve("app.jocache");
      Files.copy(cache, appCache);
      Result check = CliProcess.run(logs, "check", STEP, concat(List.of("oprf", "check", "--name", "bank-app",
          "--cache", appCache.toString(), "--purpose", "card-application", "--input", ids.toString()), client));
      assertThat(check.exitCode()).as(check.describe()).isEqualTo(4);
      assertThat(check.stdout().lines().toList()).containsExactly("yes", "invalid", "no", "yes");
      assertThat(check.stderr()).contains("BUDGET_EXHAUSTED").contains("card-application");

      // The partner's set changes: the bank downloads a delta, not the cache.
      Path added = work.resolve("added.csv");
      csv(added, "phone", List.of(phone(440), phone(441)));
      ok(CliProcess.run(logs, "update", STEP, List.of("oprf", "update", "--state", state.toString(), "--add",
          added.toString(), "--id", "phone", "--key-file", kek.toString())));
      Result stale = CliProcess.run(logs, "psi-stale", STEP, concat(List.of("psi", "--protocol", "oprf", "--role",
          "bank", "--cache", cache.toString(), "--input", bank.toString(), "--id", "mobile", "--normalize", "phone"),
          client));
      assertThat(stale.exitCode()).as(stale.describe()).isEqualTo(3);
      assertThat(stale.stderr()).contains("apply its deltas 1..1");
      Result delta = CliProcess.run(logs, "fetch-delta", STEP, concat(List.of("oprf", "fetch", "--cache", cache.toString()), client));
      ok(delta);
      assertThat(delta.stdout()).contains("updated by 1 delta(s) to version 1");
      Result again = CliProcess.run(logs, "psi-again", STEP, concat(List.of("psi", "--protocol", "oprf", "--role",
          "bank", "--cache", cache.toString(), "--input", bank.toString(), "--id", "mobile", "--normalize", "phone"),
          client));
      ok(again);
      assertThat(again.stdout()).contains("102 shared");
      for (Result each : List.of(encode, fetch, psi, check, delta, again, stale)) {
        CliProcess.assertPrintsNone(each, secrets);
      }
    } finally {
      serve.kill();
    }
    Result served = serve.await(STEP);
    assertThat(served.stderr()).contains("bank-app/card-application").contains("bank/weekly-campaign");
    CliProcess.assertPrintsNone(served, secrets);
  }

  @Test
  void usageAndInputErrors_haveTheirExitCodes() throws Exception {
    Result partnerRole = CliProcess.runInProcess("psi", "--protocol", "oprf", "--role", "partner", "--connect",
        "127.0.0.1:1", "--insecure", "--input", "x.csv", "--id", "phone", "--normalize", "phone", "--cache", "c");
    assertThat(partnerRole.exitCode()).as(partnerRole.describe()).isEqualTo(2);
    assertThat(partnerRole.stderr()).contains("jointly serve");
    Result noCache = CliProcess.runInProcess("psi", "--protocol", "oprf", "--role", "bank", "--connect",
        "127.0.0.1:1", "--insecure", "--input", "x.csv", "--id", "phone", "--normalize", "phone");
    assertThat(noCache.exitCode()).isEqualTo(2);
    Result badProtocol = CliProcess.runInProcess("psi", "--protocol", "kkrt", "--role", "bank", "--connect",
        "127.0.0.1:1", "--insecure", "--input", "x.csv", "--id", "phone", "--normalize", "phone");
    assertThat(badProtocol.exitCode()).as(badProtocol.describe()).isEqualTo(2);
    assertThat(badProtocol.stderr()).contains("ecdh, vole or oprf");
    Path garbage = work.resolve("garbage.jocache");
    Files.writeString(garbage, "not a cache");
    Path ids = work.resolve("ids.txt");
    Files.writeString(ids, "13900000001\n");
    Result malformed = CliProcess.runInProcess("oprf", "check", "--connect", "127.0.0.1:1", "--insecure",
        "--cache", garbage.toString(), "--purpose", "card-application", "--input", ids.toString());
    assertThat(malformed.exitCode()).as(malformed.describe()).isEqualTo(3);
    assertThat(malformed.stderr()).contains("MALFORMED_FILE").contains(garbage.toString());
    Result noBudget = CliProcess.runInProcess("serve", "--state", work.toString(), "--listen", "127.0.0.1:1",
        "--insecure", "--clients", "bank", "--key-file", "k");
    assertThat(noBudget.exitCode()).isEqualTo(2);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
