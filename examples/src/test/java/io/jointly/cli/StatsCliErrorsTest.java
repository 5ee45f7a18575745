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
 * How {@code jointly stats} refuses bad invocations and bad input before any connection: usage
 * errors exit 2, input errors exit 3, nothing is written, no value is printed. (The success path
 * runs in {@link DemoCommandTest}, which checks the table against the plain computation.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsCliErrorsTest {
  @TempDir static Path dir;
  static Path partner;
  static Path bank;

  @BeforeAll
  static void files() throws IOException {
    List<String> p = new ArrayList<>(List.of("phone,spend,segment,orders"));
    List<String> b = new ArrayList<>(List.of("mobile,stage"));
    for (int i = 0; i < 150; i++) {
      p.add("1380013" + String.format("%04d", i) + "," + (i % 7 == 0 ? "n/a" : Integer.toString(i * 3)) + ",g" + (i % 3) + "," + (i % 11));
      b.add("1380013" + String.format("%04d", i) + ",s" + (i % 2));
    }
    partner = Files.write(dir.resolve("partner.csv"), p, StandardCharsets.UTF_8);
    bank = Files.write(dir.resolve("bank.csv"), b, StandardCharsets.UTF_8);
  }

  private static CliProcess.Result partner(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of("stats", "--role", "partner", "--connect", "127.0.0.1:9", "--insecure", "--input", partner.toString(),
                "--id", "phone", "--normalize", "phone", "--timeout", "60s"));
    a.addAll(List.of(extra));
    return CliProcess.runInProcess(a.toArray(String[]::new));
  }

  private static CliProcess.Result bank(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of("stats", "--role", "bank", "--listen", "127.0.0.1:0", "--insecure", "--input", bank.toString(),
                "--id", "mobile", "--normalize", "phone", "--timeout", "60s"));
    a.addAll(List.of(extra));
    return CliProcess.runInProcess(a.toArray(String[]::new));
  }

  @Test
  void partner_numericColumnWithoutBound_isAUsageErrorNamingTheOption() {
    CliProcess.Result r = partner("--values", "segment,orders");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--bound orders=MAX");
  }

  @Test
  void partner_boundOnAColumnWithText_isAnInputErrorNamingLineAndColumn() {
    CliProcess.Result r = partner("--values", "spend", "--bound", "spend=1000");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("line 2").contains("column spend").doesNotContain("n/a");
  }

  @Test
  void partner_boundForAColumnNotInValues_isAUsageError() {
    CliProcess.Result r = partner("--values", "segment", "--bound", "spend=10");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
  }

  @Test
  void partner_withGroupBy_isAUsageError() {
    CliProcess.Result r = partner("--values", "segment", "--group-by", "segment");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
  }

  @Test
  void bank_withoutGroupBy_orWithBadNoise_isAUsageError() {
    assertThat(bank().exitCode()).isEqualTo(2);
    CliProcess.Result r = bank("--group-by", "stage", "--noise", "gauss");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--noise");
  }

  @Test
  void bank_missingGroupByColumn_isAnInputErrorAndWritesNothing() {
    Path output = dir.resolve("segments.csv");
    CliProcess.Result r = bank("--group-by", "tier", "--output", output.toString());
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.stderr()).contains("no column 'tier'");
    assertThat(output).doesNotExist();
  }
}
