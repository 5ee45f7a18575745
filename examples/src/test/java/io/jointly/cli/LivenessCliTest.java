package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.cli.CliProcess.Result;
import io.jointly.cli.CliProcess.Running;
import java.io.IOException;
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
 * {@code --timeout} is the dead-peer bound, seen from the operator's side: two {@code jointly
 * train} processes over loopback mutual TLS, and the bank's process is killed ({@code kill -9}) or
 * stopped ({@code kill -STOP}: alive for the kernel, silent for its peer) while both are training.
 * The partner ends with exit 4 and leaves no model: at once when the connection drops, within about
 * {@code --timeout} when the bank merely falls silent.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LivenessCliTest {
  /** The partner's dead-peer bound in these runs. */
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** Start-up, PSI and the training set-up on a busy 2-core machine, with a wide margin. */
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir static Path shared;
  private static Path tls;
  private static Path data;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    tls = shared.resolve("tls");
    data = shared.resolve("data");
    Result t = CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(t.exitCode()).as(t.describe()).isZero();
    Result g =
        CliProcess.runInProcess("gen-data", "--out", data.toString(), "--customers", "600", "--seed", "25");
    assertThat(g.exitCode()).as(g.describe()).isZero();
  }

  private List<String> train(String role, int port) {
    boolean bank = role.equals("bank");
    List<String> a =
        new ArrayList<>(
            List.of(
                "train", "--role", role,
                bank ? "--listen" : "--connect", "127.0.0.1:" + port,
                "--tls", tls.toString(),
                "--input", data.resolve(bank ? "bank.csv" : "partner.csv").toString(),
                "--id", bank ? "mobile" : "phone",
                "--normalize", "phone",
                "--exclude", bank ? "customer_no" : "member_id",
                "--model-out", work.resolve("model-" + role).toString(),
                "--timeout", TIMEOUT.toSeconds() + "s"));
    if (bank) {
      a.addAll(List.of("--label", "responded", "--epochs", "50", "--seed", "3"));
    }
    return a;
  }

  /** Both parties started, the partner past PSI and into training. */
  private Running[] training() throws IOException, InterruptedException {
    int port = CliProcess.freePort();
    Running bank = CliProcess.start(work.resolve("logs"), "bank", train("bank", port));
    Running partner = CliProcess.start(work.resolve("logs"), "partner", train("partner", port));
    partner.awaitStderr("shared customers; training", START);
    return new Running[] {bank, partner};
  }

  @Test
  void train_bankKilledWhileTraining_partnerExitsFourAtOnceWithoutModel() throws Exception {
    Running[] p = training();
    try {
      long killed = System.nanoTime();
      p[0].signal("KILL");
      Result partner = p[1].await(Duration.ofSeconds(30));
      Duration took = Duration.ofNanos(System.nanoTime() - killed);
      assertThat(partner.exitCode()).as(partner.describe()).isEqualTo(4);
      assertThat(took).as("noticed at once: the connection dropped").isLessThan(TIMEOUT.plusSeconds(5));
      assertThat(partner.stderr()).contains("bank");
      assertThat(Files.exists(work.resolve("model-partner").resolve(ModelFiles.FILE))).isFalse();
    } finally {
      p[0].kill();
      p[1].kill();
    }
  }

  @Test
  void train_bankStoppedWhileTraining_partnerExitsFourWithinAboutTheTimeoutWithoutModel()
      throws Exception {
    Running[] p = training();
    try {
      long stopped = System.nanoTime();
      p[0].signal("STOP"); // the connection stays open; nothing more comes from the bank
      Result partner = p[1].await(Duration.ofSeconds(60));
      Duration took = Duration.ofNanos(System.nanoTime() - stopped);
      assertThat(partner.exitCode()).as(partner.describe()).isEqualTo(4);
      assertThat(partner.stderr()).contains("no sign of life from bank");
      assertThat(took)
          .as("about --timeout: the partner may be mid-step when the bank stops")
          .isLessThan(TIMEOUT.multipliedBy(4).plusSeconds(5));
      assertThat(Files.exists(work.resolve("model-partner").resolve(ModelFiles.FILE))).isFalse();
    } finally {
      p[0].signal("KILL");
      p[1].kill();
    }
  }
}
