package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The estimate on a synthetic clock: no test here depends on how fast the machine is. */
class TrainingEstimateTest {
  private static final long S = 1_000_000_000L;

  @Test
  void etaSeconds_afterALongSetup_countsOnlyTheSteps() {
    // Five minutes of setup before the first step, then steps of one second: the estimate must be
    // the steps left at one second each, not at five minutes.
    TrainingEstimate e = new TrainingEstimate();
    long t = 300 * S;
    e.onStep(1, 1000, t);
    assertThat(e.etaSeconds()).isEmpty();
    for (int step = 2; step <= 11; step++) {
      t += S;
      e.onStep(step, 1000, t);
    }
    assertThat(e.etaSeconds()).hasValue(989);
    assertThat(e.nanosPerStep()).hasValue((double) S);
  }

  @Test
  void etaSeconds_afterTheFirstEpoch_usesItsMeasuredCostWithThePerEpochWork() {
    // 10 steps per epoch of 1 s each, plus 5 s of per-epoch work after the last step.
    TrainingEstimate e = new TrainingEstimate();
    long t = 0;
    for (int step = 1; step <= 10; step++) {
      t += S;
      e.onStep(step, 100, t);
    }
    t += 5 * S;
    e.onEpoch(t);
    // Measured from step 1 (t = 1 s) to the epoch end (15 s): 9 steps in 14 s.
    assertThat(e.nanosPerStep().orElseThrow()).isCloseTo(14.0 / 9 * S, org.assertj.core.data.Offset.offset(1.0));
    assertThat(e.etaSeconds()).hasValue(Math.round(90 * 14.0 / 9));
    // A slower step in the second epoch does not move it until that epoch ends.
    t += 100 * S;
    e.onStep(11, 100, t);
    assertThat(e.etaSeconds()).hasValue(Math.round(89 * 14.0 / 9));
  }

  @Test
  void warning_aLongRun_isGivenOnceAfterAFewMeasuredSteps() {
    TrainingEstimate e = new TrainingEstimate();
    long t = 600 * S;
    e.onStep(1, 4260, t);
    assertThat(e.warning("bank")).isEmpty();
    t += 2 * S;
    e.onStep(2, 4260, t);
    assertThat(e.warning("bank")).as("too little measured yet").isEmpty();
    t += 2 * S;
    e.onStep(3, 4260, t);
    t += 2 * S;
    e.onStep(4, 4260, t);
    // 3 steps in 6 s: 2 s each, 4,260 steps = 8,520 s.
    assertThat(e.warning("bank"))
        .hasValueSatisfying(w -> assertThat(w)
            .startsWith("bank: the planned 4,260 training steps are estimated to take 2 h 22 min (2.00 s each, measured over 3 steps)")
            .contains("--epochs"));
    t += 2 * S;
    e.onStep(5, 4260, t);
    assertThat(e.warning("bank")).as("once").isEmpty();
  }

  @Test
  void warning_aShortRun_staysSilent() {
    TrainingEstimate e = new TrainingEstimate();
    long t = 0;
    for (int step = 1; step <= 20; step++) {
      t += S;
      e.onStep(step, 500, t); // 500 s in all
      assertThat(e.warning("partner")).isEmpty();
    }
  }

  @Test
  void warning_fewFastStepsPerEpoch_comesAtTheFirstEpochEnd() {
    // Two steps per epoch of 0.1 s, then 70 s of per-epoch work: 40 epochs ≈ 47 min.
    TrainingEstimate e = new TrainingEstimate();
    e.onStep(1, 80, S / 10);
    e.onStep(2, 80, 2 * S / 10);
    assertThat(e.warning("bank")).isEmpty();
    e.onEpoch(2 * S / 10 + 70 * S);
    assertThat(e.warning("bank")).hasValueSatisfying(w -> assertThat(w).contains("measured over the first epoch"));
  }

  @Test
  void human_roundsToMinutesAndHours() {
    assertThat(TrainingEstimate.human(Duration.ofSeconds(50))).isEqualTo("50 s");
    assertThat(TrainingEstimate.human(Duration.ofSeconds(89))).isEqualTo("1 min");
    assertThat(TrainingEstimate.human(Duration.ofSeconds(3599))).isEqualTo("1 h 00 min");
    assertThat(TrainingEstimate.human(Duration.ofSeconds(8944))).isEqualTo("2 h 29 min");
  }

  @Test
  void trainingProgress_aLongSetup_drawsTheStepsEtaAndTheWarning() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    TrainingProgress p = new TrainingProgress(new PrintStream(out, true, StandardCharsets.UTF_8), false, "bank", clock::get);
    clock.set(900 * S); // a quarter of an hour of setup
    p.onStep(1, 3000);
    for (int step = 2; step <= 8; step++) {
      clock.addAndGet(S);
      p.onStep(step, 3000);
    }
    p.finish();
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(s).contains("ETA ?").contains("ETA 50 min").contains("1.0 steps/s");
    assertThat(s).contains("bank: the planned 3,000 training steps are estimated to take 50 min");
    assertThat(s).doesNotContain("ETA 7");
  }
}
