package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.lr.TrainingMode;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.training.ClassWeights;
import io.jointly.lr.training.Optimizer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code jointly train} without training options trains with the library's defaults of the mode
 * (issue 25: the ones measured against the centralised optimum in {@code bench/README.md}), the
 * random seed and the {@code --timeout} apart.
 */
class TrainDefaultsTest {

  private static VerticalLrParameters bankDefaults(String... extra) throws CliException {
    TrainCommand c = new TrainCommand();
    String[] base = {"--role", "bank", "--listen", "127.0.0.1:0", "--insecure", "--input", "b.csv", "--id", "id",
        "--normalize", "raw", "--label", "y", "--model-out", "m"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    new CommandLine(c).parseArgs(args);
    return c.bankParameters(TrainCommand.parseMode(c.mode));
  }

  private static VerticalLrParameters comparable(VerticalLrParameters p) {
    return p.withLr(p.lr().toBuilder().seed(0).build()).withReceiveTimeout(VerticalLrParameters.DEFAULT.receiveTimeout());
  }

  @Test
  void bankParameters_noTrainingOptions_areTheSecretSharedDefaults() throws CliException {
    VerticalLrParameters p = bankDefaults();
    VerticalLrParameters expected = VerticalLrParameters.DEFAULT;
    assertThat(comparable(p)).isEqualTo(comparable(expected));
    assertThat(p.lr().classWeights()).isEqualTo(ClassWeights.NONE);
    assertThat(p.lr().maxEpochs()).isEqualTo(30);
  }

  @Test
  void bankParameters_aggregatedScoresWithoutOptions_isLbfgsToConvergenceWithoutValidation() throws CliException {
    VerticalLrParameters p = bankDefaults("--mode", "aggregated-scores");
    assertThat(comparable(p)).isEqualTo(comparable(VerticalLrParameters.AGGREGATED_DEFAULT));
    assertThat(p.lr().optimizer()).isEqualTo(Optimizer.LBFGS);
    assertThat(p.mode()).isEqualTo(TrainingMode.AGGREGATED_SCORES);
    assertThat(p.validationFraction()).isZero();
  }

  @Test
  void bankParameters_earlyStoppingWithoutValidation_getsATenPerCentSplit() throws CliException {
    VerticalLrParameters p = bankDefaults("--mode", "aggregated-scores", "--optimizer", "gd", "--early-stopping", "3");
    assertThat(p.validationFraction()).isEqualTo(0.1);
    assertThat(p.lr().earlyStopping().enabled()).isTrue();
    assertThat(p.lr().optimizer()).isEqualTo(Optimizer.MINI_BATCH_GD);
  }
}
