package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly psi --protocol vole} as an operator runs it: bank and partner as two OS processes
 * over loopback mutual TLS, on the phone fixtures. Each party's shared rows must equal the plain
 * intersection computed in the test and, byte for byte, what {@code --protocol ecdh} writes for the
 * same files; the reports name the protocol and its assumptions.
 */
class VolePsiCliTest {
  private static final Duration PAIR_LIMIT = Duration.ofSeconds(90);

  @TempDir static Path shared;

  private static PsiFixtures data;
  private static Path tls;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws IOException {
    data = new PsiFixtures(shared.resolve("data"));
    tls = shared.resolve("tls");
    Result init = CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(init.exitCode()).as(init.describe()).isZero();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void psiVole_revealBoth_eachPartyWritesThePlainIntersection_asEcdhDoes() throws Exception {
    PsiFixtures.Pair p = data.phones;
    run("vole", "both", "vole");
    run("ecdh", "both", "ecdh");

    String bankExpected = p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId());
    String partnerExpected = p.partner().expectedShared(p.bankKeys(), p.profile(), p.partnerId());
    assertThat(read("vole-bank-out.csv")).isEqualTo(bankExpected).isEqualTo(read("ecdh-bank-out.csv"));
    assertThat(read("vole-partner-out.csv")).isEqualTo(partnerExpected).isEqualTo(read("ecdh-partner-out.csv"));

    JsonNode bank = report("vole-bank");
    JsonNode partner = report("vole-partner");
    long inter = p.intersection().size();
    for (JsonNode n : List.of(bank, partner)) {
      assertThat(n.get("protocol").asText()).isEqualTo("vole-psi");
      assertThat(n.has("suite")).as("VOLE PSI has no group suite").isFalse();
      assertThat(n.get("intersection_size").asLong()).isEqualTo(inter);
      assertThat(n.get("assumptions").asText()).contains("LPN").contains("2^-40");
    }
    assertThat(bank.get("own_size").asLong()).isEqualTo(p.bankKeys().size());
    assertThat(bank.get("peer_size").asLong()).isEqualTo(p.partnerKeys().size());
    assertThat(bank.get("bytes_sent").asLong()).isEqualTo(partner.get("bytes_received").asLong());
    assertThat(report("ecdh-bank").get("protocol").asText()).isEqualTo("ecdh-psi");
    assertThat(report("ecdh-bank").get("assumptions").asText()).contains("Diffie-Hellman");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void psiVole_revealBank_onlyTheBankLearnsRows() throws Exception {
    PsiFixtures.Pair p = data.phones;
    List<Result> r = run("vole", "bank", "vole");

    assertThat(read("vole-bank-out.csv")).isEqualTo(p.bank().expectedShared(p.partnerKeys(), p.profile(), p.bankId()));
    assertThat(work.resolve("vole-partner-out.csv")).doesNotExist();
    assertThat(r.get(1).stdout()).contains("intersection not revealed");
    assertThat(report("vole-partner").has("intersection_size")).isFalse();
  }

  @Test
  void psiVole_revealCount_isAUsageError() {
    Result r =
        CliProcess.runInProcess(
            "psi", "--role", "bank", "--listen", "127.0.0.1:1", "--insecure", "--input",
            data.phones.bank().file().toString(), "--id", "mobile", "--normalize", "phone",
            "--protocol", "vole", "--reveal", "count");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--reveal count needs --protocol ecdh");
  }

  @Test
  void psi_unknownProtocol_isAUsageErrorNamingTheChoices() {
    Result r =
        CliProcess.runInProcess(
            "psi", "--role", "bank", "--listen", "127.0.0.1:1", "--insecure", "--input",
            data.phones.bank().file().toString(), "--id", "mobile", "--normalize", "phone",
            "--protocol", "kkrt");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--protocol").contains("ecdh, vole or oprf");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void psi_protocolsDiffer_bothPartiesFailWithAPeerError_andWriteNothing() throws Exception {
    PsiFixtures.Pair p = data.phones;
    int port = CliProcess.freePort();
    List<Result> r =
        CliProcess.runPair(
            work.resolve("logs"),
            args("bank", "--listen", port, p.bank().file(), "mobile", "both", "vole", "vole"),
            args("partner", "--connect", port, p.partner().file(), "phone", "both", "ecdh", "ecdh"),
            PAIR_LIMIT);
    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isEqualTo(4);
      CliProcess.assertPrintsNone(x, data.secrets());
    }
    assertThat(work.resolve("vole-bank-out.csv")).doesNotExist();
    assertThat(work.resolve("ecdh-partner-out.csv")).doesNotExist();
  }

  // ---------------------------------------------------------------------------------------------

  private List<Result> run(String protocol, String reveal, String tag) throws Exception {
    PsiFixtures.Pair p = data.phones;
    int port = CliProcess.freePort();
    boolean partnerOut = reveal.equals("both");
    List<String> bank = args("bank", "--listen", port, p.bank().file(), "mobile", reveal, protocol, tag);
    List<String> partner = args("partner", "--connect", port, p.partner().file(), "phone", reveal, protocol, tag);
    if (!partnerOut) {
      int at = partner.indexOf("--output");
      partner.remove(at + 1);
      partner.remove(at);
    }
    List<Result> r = CliProcess.runPair(work.resolve("logs-" + tag), bank, partner, PAIR_LIMIT);
    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isZero();
      CliProcess.assertPrintsNone(x, data.secrets());
    }
    return r;
  }

  private List<String> args(
      String role, String how, int port, Path input, String id, String reveal, String protocol, String tag) {
    return new ArrayList<>(
        List.of(
            "psi",
            "--role",
            role,
            how,
            "127.0.0.1:" + port,
            "--tls",
            tls.toString(),
            "--input",
            input.toString(),
            "--id",
            id,
            "--normalize",
            "phone",
            "--protocol",
            protocol,
            "--reveal",
            reveal,
            "--min-peer-size",
            "10",
            "--timeout",
            "40s",
            "--report",
            work.resolve(tag + "-" + role + ".json").toString(),
            "--output",
            work.resolve(tag + "-" + role + "-out.csv").toString()));
  }

  private String read(String file) throws IOException {
    return Files.readString(work.resolve(file), StandardCharsets.UTF_8);
  }

  private JsonNode report(String name) throws IOException {
    return new ObjectMapper().readTree(work.resolve(name + ".json").toFile());
  }
}
