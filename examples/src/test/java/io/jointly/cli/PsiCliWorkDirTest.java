package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.cli.CliProcess.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options of {@code jointly psi} for large inputs and resume, when they cannot work: each fails
 * before any network wait (no peer runs here), with its exit code and a message naming the problem,
 * and leaves no output.
 */
class PsiCliWorkDirTest {
  @TempDir static Path shared;
  private static Path input;
  private static Path tls;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws IOException {
    input = shared.resolve("bank.csv");
    StringBuilder b = new StringBuilder("customer_no,mobile\n");
    for (int i = 0; i < 300; i++) {
      b.append("C").append(i).append(",1380013").append(String.format("%04d", i)).append('\n');
    }
    Files.writeString(input, b, StandardCharsets.UTF_8);
    tls = shared.resolve("tls");
    Result r = CliProcess.runInProcess("tls-init", "--out", tls.toString(), "--parties", "bank,partner");
    assertThat(r.exitCode()).as(r.describe()).isZero();
  }

  private Result psi(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "psi", "--role", "bank", "--listen", "127.0.0.1:" + 1, "--input", input.toString(), "--id",
                "mobile", "--normalize", "phone", "--timeout", "2s", "--output", work.resolve("out.csv").toString()));
    a.addAll(List.of(extra));
    return CliProcess.runInProcess(a.toArray(String[]::new));
  }

  @Test
  void workDirThatIsAFile_exitsThreeNamingTheWorkDirectory() throws Exception {
    Path notADir = work.resolve("plain-file");
    Files.writeString(notADir, "x");
    Result r = psi("--tls", tls.toString(), "--work-dir", notADir.toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("work directory").contains(notADir.toString());
    assertThat(work.resolve("out.csv")).doesNotExist();
  }

  @Test
  void resumeWithoutACheckpoint_exitsThreeSayingThereIsNone() {
    Result r = psi("--tls", tls.toString(), "--work-dir", work.resolve("w").toString(), "--resume");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("no checkpoint to resume");
    assertThat(work.resolve("out.csv")).doesNotExist();
  }

  @Test
  void resumeWithoutAKeyToOpenTheCheckpoint_isAUsageError() {
    Result r = psi("--insecure", "--resume");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--checkpoint-key");
  }

  @Test
  void malformedMemorySize_isAUsageError() {
    Result r = psi("--tls", tls.toString(), "--memory", "lots");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--memory");
  }

  @Test
  void checkpointKeyFileMissing_exitsThreeNamingIt() {
    Path missing = work.resolve("no-such.key");
    Result r = psi("--insecure", "--checkpoint-key", missing.toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains(missing.toString());
  }
}
