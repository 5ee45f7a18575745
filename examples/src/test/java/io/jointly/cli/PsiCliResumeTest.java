package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import io.jointly.cli.CliProcess.Running;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kill -9 and resume at the process level: a party's process is killed (SIGKILL, no clean-up) about
 * a third of the way through; its peer exits 4 and says its checkpoint is kept; both are restarted
 * with the same command and {@code --resume}, and the outputs are those of an uninterrupted run.
 */
class PsiCliResumeTest {
  private static final Pattern PERCENT = Pattern.compile("\\] +(\\d{1,3})%");
  private static final int ROWS = 600;

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
    Result r = CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    StringBuilder bank = new StringBuilder("customer_no,mobile\n");
    StringBuilder partner = new StringBuilder("user,phone\n");
    StringBuilder bankShared = new StringBuilder("customer_no,mobile\n");
    StringBuilder partnerShared = new StringBuilder("user,phone\n");
    for (int i = 0; i < ROWS; i++) {
      String b = "138" + String.format("%08d", i * 7919 % 100_000_000);
      bank.append("C").append(i).append(',').append(b).append('\n');
      // every third bank customer is also the partner's
      String p = i % 3 == 0 ? b : "139" + String.format("%08d", i * 104_729 % 100_000_000);
      partner.append("U").append(i).append(',').append(p).append('\n');
      if (i % 3 == 0) {
        bankShared.append("C").append(i).append(',').append(b).append('\n');
        partnerShared.append("U").append(i).append(',').append(p).append('\n');
      }
    }
    bankCsv = shared.resolve("bank.csv");
    partnerCsv = shared.resolve("partner.csv");
    Files.writeString(bankCsv, bank, StandardCharsets.UTF_8);
    Files.writeString(partnerCsv, partner, StandardCharsets.UTF_8);
    expectedBank = bankShared.toString();
    expectedPartner = partnerShared.toString();
  }

  private List<String> args(String role, int port, String reveal, boolean output, boolean resume) {
    List<String> a = new ArrayList<>(List.of("psi", "--role", role));
    a.addAll(role.equals("bank") ? List.of("--listen", "127.0.0.1:" + port) : List.of("--connect", "127.0.0.1:" + port));
    a.addAll(
        List.of(
            "--tls", tls.toString(),
            "--input", (role.equals("bank") ? bankCsv : partnerCsv).toString(),
            "--id", role.equals("bank") ? "mobile" : "phone",
            "--normalize", "phone",
            "--suite", "p256",
            "--reveal", reveal,
            "--psi-batch", "16",
            "--threads", "1",
            "--timeout", "60s",
            "--work-dir", work.resolve("work-" + role).toString(),
            "--report", work.resolve(role + ".json").toString()));
    if (output) {
      a.addAll(List.of("--output", work.resolve(role + "-shared.csv").toString()));
    }
    if (resume) {
      a.add("--resume");
    }
    return a;
  }

  private static int progress(Running r) throws IOException {
    Matcher m = PERCENT.matcher(r.stderrSoFar());
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  @ParameterizedTest(name = "reveal {0}: the {1} is killed")
  @CsvSource({"bank,bank", "both,partner", "count,bank"})
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killedParty_resumedWithItsPeer_givesTheUninterruptedResult(String reveal, String victim) throws Exception {
    boolean bankOut = !reveal.equals("count");
    boolean partnerOut = reveal.equals("both");
    int port = CliProcess.freePort();
    Path logs = work.resolve("logs");
    Running bank = CliProcess.start(logs, "bank", args("bank", port, reveal, bankOut, false));
    Running partner = CliProcess.start(logs, "partner", args("partner", port, reveal, partnerOut, false));
    Running killed = victim.equals("bank") ? bank : partner;
    Running survivor = victim.equals("bank") ? partner : bank;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (progress(killed) < 30) {
      assertThat(System.nanoTime()).as("the run reached a third").isLessThan(deadline);
      Thread.sleep(50);
    }
    killed.kill(); // SIGKILL: no shutdown hook, no clean-up
    Result dead = killed.await(Duration.ofSeconds(30));
    assertThat(dead.exitCode()).isNotZero();
    Result peer = survivor.await(Duration.ofSeconds(90));
    assertThat(peer.exitCode()).as(peer.describe()).isEqualTo(4);
    assertThat(peer.stderr()).contains("--resume");
    assertThat(work.resolve("bank-shared.csv")).doesNotExist();
    assertThat(work.resolve("partner-shared.csv")).doesNotExist();

    List<Result> resumed =
        CliProcess.runPair(
            logs,
            args("bank", port, reveal, bankOut, true),
            args("partner", port, reveal, partnerOut, true),
            Duration.ofMinutes(3));
    for (Result r : resumed) {
      assertThat(r.exitCode()).as(r.describe()).isZero();
      assertThat(r.stderr()).contains("resuming the interrupted run");
    }
    if (bankOut) {
      assertThat(Files.readString(work.resolve("bank-shared.csv"), StandardCharsets.UTF_8)).isEqualTo(expectedBank);
    }
    if (partnerOut) {
      assertThat(Files.readString(work.resolve("partner-shared.csv"), StandardCharsets.UTF_8))
          .isEqualTo(expectedPartner);
    }
    JsonNode report = new ObjectMapper().readTree(work.resolve("bank.json").toFile());
    assertThat(report.get("intersection_size").asLong()).isEqualTo(ROWS / 3);
    assertThat(report.get("resumes").asInt()).isEqualTo(1);
    assertThat(work.resolve("work-bank").resolve("psi-bank-jointly")).doesNotExist();
    assertThat(work.resolve("work-partner").resolve("psi-partner-jointly")).doesNotExist();
  }
}
