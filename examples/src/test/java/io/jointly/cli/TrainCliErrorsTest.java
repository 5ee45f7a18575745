package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code jointly train} and {@code jointly score} refuse bad invocations and bad input before
 * any connection: usage errors exit 2, input errors exit 3 naming file, line and column, nothing is
 * written. (The success path runs in {@link DemoCommandTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrainCliErrorsTest {
  @TempDir static Path dir;
  static Path bank;

  @BeforeAll
  static void files() throws IOException {
    List<String> b = new ArrayList<>(List.of("mobile,age,responded"));
    for (int i = 0; i < 150; i++) {
      b.add("1380013" + String.format("%04d", i) + "," + (20 + i % 50) + "," + (i == 7 ? "maybe" : Integer.toString(i % 2)));
    }
    bank = Files.write(dir.resolve("bank.csv"), b, StandardCharsets.UTF_8);
  }

  private static CliProcess.Result run(String command, String role, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(command, "--role", role, role.equals("bank") ? "--listen" : "--connect",
                role.equals("bank") ? "127.0.0.1:0" : "127.0.0.1:9", "--insecure", "--input", bank.toString(),
                "--id", "mobile", "--normalize", "phone", "--timeout", "60s"));
    a.addAll(List.of(extra));
    return CliProcess.runInProcess(a.toArray(String[]::new));
  }

  @Test
  void train_withoutMode_isSecretShared_soItsUnsupportedSettingsAreRefused() {
    CliProcess.Result r = run("train", "bank", "--label", "responded", "--l1", "0.01", "--model-out", dir.resolve("m").toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("L1");
    CliProcess.Result help = CliProcess.runInProcess("train", "--help");
    assertThat(help.stdout()).contains("default secret-shared").contains("auto");
  }

  @Test
  void train_epochLossInTheAggregatedMode_isAUsageError() {
    CliProcess.Result r =
        run("train", "bank", "--label", "responded", "--mode", "aggregated-scores", "--epoch-loss", "--model-out", dir.resolve("m").toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--epoch-loss");
  }

  @Test
  void train_unknownSigmoid_isAUsageError() {
    CliProcess.Result r =
        run("train", "bank", "--label", "responded", "--sigmoid", "cubic", "--model-out", dir.resolve("m").toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--sigmoid");
  }

  @Test
  void score_withoutMode_takesTheModelsRecordedMode() throws IOException {
    Path noMode = dir.resolve("no-mode");
    Files.createDirectories(noMode);
    Files.writeString(noMode.resolve("model.json"), "{\"format_version\":1,\"role\":\"bank\",\"features\":[],\"weights\":[]}");
    CliProcess.Result none = run("score", "bank", "--model", noMode.toString());
    assertThat(none.exitCode()).as(none.describe()).isEqualTo(3);
    assertThat(none.stderr()).contains("no training mode recorded");
    Path unknown = dir.resolve("unknown-mode");
    Files.createDirectories(unknown);
    Files.writeString(
        unknown.resolve("model.json"), "{\"format_version\":1,\"role\":\"bank\",\"mode\":\"plaintext\",\"features\":[],\"weights\":[]}");
    CliProcess.Result bad = run("score", "bank", "--model", unknown.toString());
    assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(2);
    assertThat(bad.stderr()).contains("--mode");
  }

  @Test
  void train_unknownMode_isAUsageError() {
    CliProcess.Result r =
        run("train", "bank", "--label", "responded", "--mode", "plaintext", "--model-out", dir.resolve("m").toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
  }

  @Test
  void train_unknownOptimizer_orLbfgsWithL1_isAUsageError() {
    CliProcess.Result unknown =
        run("train", "bank", "--label", "responded", "--mode", "aggregated-scores", "--optimizer", "adam", "--model-out", dir.resolve("m").toString());
    assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("--optimizer must be gd or lbfgs");
    CliProcess.Result l1 =
        run(
            "train", "bank", "--label", "responded", "--mode", "aggregated-scores", "--optimizer", "lbfgs", "--l1", "0.01",
            "--model-out", dir.resolve("m").toString());
    assertThat(l1.exitCode()).as(l1.describe()).isEqualTo(2);
    assertThat(l1.stderr()).contains("L2 only");
  }

  @Test
  void train_secretSharedWithL1OrEarlyStoppingOrLbfgs_isAUsageError() {
    for (String[] extra :
        new String[][] {{"--l1", "0.01"}, {"--early-stopping", "3"}, {"--optimizer", "lbfgs"}}) {
      CliProcess.Result r =
          run(
              "train", "bank", "--label", "responded", "--mode", "secret-shared", extra[0], extra[1],
              "--model-out", dir.resolve("m").toString());
      assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
      assertThat(r.stderr()).contains("secret-shared");
    }
  }

  @Test
  void train_bankWithoutLabel_andPartnerWithLabel_areUsageErrors() {
    assertThat(run("train", "bank", "--mode", "aggregated-scores", "--model-out", dir.resolve("m").toString()).exitCode()).isEqualTo(2);
    assertThat(
            run("train", "partner", "--mode", "aggregated-scores", "--label", "responded", "--model-out", dir.resolve("m").toString())
                .exitCode())
        .isEqualTo(2);
  }

  @Test
  void train_badLabelValue_isAnInputErrorNamingLineAndColumnNotTheValue() {
    Path model = dir.resolve("bad-label");
    CliProcess.Result r = run("train", "bank", "--mode", "aggregated-scores", "--label", "responded", "--model-out", model.toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("line 9").contains("column responded").doesNotContain("maybe");
    assertThat(model.resolve("model.json")).doesNotExist();
  }

  @Test
  void score_missingOrWrongRoleModel_isAnInputError() throws IOException {
    CliProcess.Result missing = run("score", "bank", "--mode", "aggregated-scores", "--model", dir.resolve("nowhere").toString());
    assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(3);
    Path partnerModel = dir.resolve("partner-model");
    Files.createDirectories(partnerModel);
    Files.writeString(
        partnerModel.resolve("model.json"),
        "{\"format_version\":1,\"role\":\"partner\",\"mode\":\"aggregated-scores\",\"features\":[],\"weights\":[]}");
    CliProcess.Result wrongRole = run("score", "bank", "--mode", "aggregated-scores", "--model", partnerModel.toString());
    assertThat(wrongRole.exitCode()).as(wrongRole.describe()).isEqualTo(3);
    assertThat(wrongRole.stderr()).contains("partner model");
  }

  @Test
  void score_partnerWithOutput_isAUsageError() {
    CliProcess.Result r =
        run("score", "partner", "--mode", "aggregated-scores", "--model", dir.toString(), "--output", dir.resolve("o.csv").toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
  }
}
