package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly demo --mode aggregated-scores}: the faster mode runs through the same CLI steps,
 * and its reports state its own leakage ({@link DemoCommandTest} covers the default mode in
 * depth).
 */
class DemoAggregatedScoresTest {
  @TempDir Path out;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void demo_aggregatedScoresMode_trainsEvaluatesAndScoresAndSaysWhatLeaks() throws Exception {
    Result demo =
        CliProcess.runInProcess(
            "demo", "--customers", "1000", "--mode", "aggregated-scores", "--out", out.toString(), "--quiet");
    assertThat(demo.exitCode()).as(demo.describe()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    JsonNode bank = mapper.readTree(out.resolve("bank-train.json").toFile());
    JsonNode partner = mapper.readTree(out.resolve("partner-train.json").toFile());
    assertThat(bank.get("mode").asText()).isEqualTo("aggregated-scores");
    assertThat(partner.get("mode").asText()).isEqualTo("aggregated-scores");
    assertThat(bank.get("learned").asText()).contains("at each step");
    // Information value is computed in this mode, with the CLI's minimum bin, which the report states.
    assertThat(bank.get("iv_min_bin_size").asInt()).isEqualTo(20);
    assertThat(bank.get("learned_zh").asText()).contains("至少含 20 位训练客户的分箱");
    // The mode's default is L-BFGS to convergence, which needs no validation split (issue 25).
    assertThat(bank.get("optimizer").asText()).isEqualTo("lbfgs");
    assertThat(bank.get("validation_rows").asInt()).isZero();
    assertThat(bank.get("history").size()).isPositive();
    // 1,000 customers leave about 80 holdout rows with a handful of responders: too few for an AUC
    // bound, so this checks the evaluation is there and well formed (DemoCommandTest, at 2,000
    // customers, checks the model beats chance).
    JsonNode joint = bank.get("evaluation").get("joint");
    assertThat(joint.get("auc").asDouble()).isBetween(0.0, 1.0);
    assertThat(joint.get("rows").asInt()).isEqualTo(bank.get("holdout_rows").asInt());
    assertThat(joint.get("deciles")).hasSize(10);
    assertThat(out.resolve("bank-scores.csv")).isNotEmptyFile();
    assertThat(mapper.readTree(out.resolve("model-bank/model.json").toFile()).get("mode").asText()).isEqualTo("aggregated-scores");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_unknownMode_isAUsageError() throws Exception {
    Result demo = CliProcess.runInProcess("demo", "--mode", "plaintext", "--out", out.toString(), "--quiet");
    assertThat(demo.exitCode()).isEqualTo(2);
    assertThat(demo.stderr()).contains("--mode must be secret-shared or aggregated-scores");
  }
}
