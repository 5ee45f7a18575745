package io.jointly.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The training-time estimate behind {@link TrainingProgress}: pure arithmetic over the times at
 * which steps finished, so it is tested without clocks.
 *
 * <p>The clock starts when the first step finishes, never earlier: the setup before it (key
 * generation, the one-off encryption of every training row, base OTs) takes minutes at real sizes
 * and says nothing about the cost of a step, and the first step carries the last of it. The cost
 * per step is the time since then over the steps finished since then; once the first epoch is
 * over, the estimate is that measured epoch cost per step (so it includes per-epoch work such as
 * the aggregated-scores mode's validation scores), then the mean over all finished epochs.
 *
 * <p>{@link #warning} gives, once, a line to print before most of the training runs, when the
 * planned run is estimated to exceed {@link #WARN_ABOVE}: after {@link #WARN_AFTER_STEPS} steps
 * and {@link #WARN_AFTER} of measured time, or at the end of the first epoch, whichever comes
 * first. Not thread-safe: {@link TrainingProgress} calls it under its own lock.
 */
final class TrainingEstimate {
  /** Runs estimated longer than this are announced before they run. */
  static final Duration WARN_ABOVE = Duration.ofMinutes(10);

  /** Steps measured (after the first) before the up-front estimate. */
  static final int WARN_AFTER_STEPS = 3;

  /** Time measured (after the first step) before the up-front estimate. */
  static final Duration WARN_AFTER = Duration.ofSeconds(5);

  private long originNanos;
  private long originStep = -1;
  private long lastNanos;
  private long lastStep;
  private long planned;
  private long epochEndNanos = -1;
  private long epochEndStep;
  private boolean warned;

  /**
   * A step finished.
   *
   * @param step steps done so far (1-based)
   * @param plannedSteps steps in a run of the maximum number of epochs
   * @param nanos the clock ({@link System#nanoTime}) when it finished
   */
  void onStep(long step, long plannedSteps, long nanos) {
    if (originStep < 0) {
      originStep = step;
      originNanos = nanos;
    }
    lastStep = step;
    lastNanos = nanos;
    planned = plannedSteps;
  }

  /**
   * An epoch finished (after its last step and any per-epoch work).
   *
   * @param nanos the clock when it finished
   */
  void onEpoch(long nanos) {
    if (originStep >= 0 && lastStep > originStep) {
      epochEndNanos = nanos;
      epochEndStep = lastStep;
    }
  }

  /** The measured cost of a step in nanoseconds, or empty before two steps have finished. */
  Optional<Double> nanosPerStep() {
    if (epochEndNanos >= 0) {
      // Whole epochs since the first step: per-epoch work included.
      return Optional.of((double) (epochEndNanos - originNanos) / (epochEndStep - originStep));
    }
    if (originStep < 0 || lastStep <= originStep) {
      return Optional.empty();
    }
    return Optional.of((double) (lastNanos - originNanos) / (lastStep - originStep));
  }

  /** Seconds left for the planned steps at the measured cost, or empty before it is measured. */
  OptionalLong etaSeconds() {
    Optional<Double> perStep = nanosPerStep();
    if (perStep.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.round(Math.max(0, planned - lastStep) * perStep.get() / 1e9));
  }

  /** The whole planned run's estimated duration, the setup excluded. */
  Optional<Duration> total() {
    return nanosPerStep().map(p -> Duration.ofNanos(Math.round(p * planned)));
  }

  /**
   * The up-front line, at most once: when enough has been measured and the planned run is estimated
   * above {@link #WARN_ABOVE}; empty otherwise (and ever after the first answer).
   */
  Optional<String> warning(String label) {
    if (warned || originStep < 0) {
      return Optional.empty();
    }
    boolean enough =
        epochEndNanos >= 0
            || (lastStep - originStep >= WARN_AFTER_STEPS && lastNanos - originNanos >= WARN_AFTER.toNanos());
    if (!enough) {
      return Optional.empty();
    }
    warned = true;
    Duration total = total().orElseThrow();
    if (total.compareTo(WARN_ABOVE) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s: the planned %,d training steps are estimated to take %s (%.2f s each, measured over"
                + " %s); fewer --epochs, or --mode aggregated-scores, would be shorter",
            label,
            planned,
            human(total),
            nanosPerStep().orElseThrow() / 1e9,
            epochEndNanos >= 0 ? "the first epoch" : String.format(Locale.ROOT, "%,d steps", lastStep - originStep)));
  }

  /** {@code 1 h 05 min}, {@code 42 min}, {@code 50 s}. */
  static String human(Duration d) {
    long s = d.toSeconds();
    long minutes = (s + 30) / 60;
    if (minutes >= 60) {
      return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }
    return s >= 60 ? minutes + " min" : s + " s";
  }
}
