package io.jointly.cli;

import io.jointly.lr.training.TrainingListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Draws federated training progress on stderr: first a line for the partner's encrypted features
 * (rows encrypted and sent, or received), then one line: steps done of the planned maximum, steps
 * per second, ETA, and the epoch. The rate and ETA are measured from the end of the first step, so
 * the setup does not count ({@link TrainingEstimate}); until a second step finishes the ETA shows
 * {@code ?}. When the planned run is estimated above ten minutes, a line says so after its first
 * few steps. Redrawn at most five times a second as the {@link Terminal}'s status line; a line per
 * finished epoch is not printed (early stopping may end the run before the plan). Counts only.
 * Silent when {@code quiet}.
 */
final class TrainingProgress implements TrainingListener {
  private static final int WIDTH = 28;

  private final Terminal terminal;
  private final boolean quiet;
  private final String label;
  private final LongSupplier clock;
  private final TrainingEstimate estimate = new TrainingEstimate();
  private long lastDraw;
  private int epoch;
  private int maxEpochs;
  private final CountBar setup;

  TrainingProgress(PrintStream err, boolean quiet, String label) {
    this(err, quiet, label, System::nanoTime);
  }

  TrainingProgress(PrintStream err, boolean quiet, String label, LongSupplier clock) {
    this.clock = clock;
    this.terminal = Terminal.of(err);
    this.quiet = quiet;
    this.label = label;
    this.setup = new CountBar(terminal, quiet, label + " features", "rows");
  }

  @Override
  public void onSetup(long rows, long totalRows) {
    setup.update(rows, totalRows);
  }

  @Override
  public synchronized void onStep(long step, long plannedSteps) {
    long now = clock.getAsLong();
    estimate.onStep(step, plannedSteps, now);
    if (quiet) {
      return;
    }
    estimate.warning(label).ifPresent(w -> terminal.err().println(w));
    if (now - lastDraw < 200_000_000L && step < plannedSteps) {
      return;
    }
    lastDraw = now;
    Optional<Double> perStep = estimate.nanosPerStep();
    double rate = perStep.map(p -> 1e9 / p).orElse(0.0);
    OptionalLong eta = estimate.etaSeconds();
    int filled = plannedSteps == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * step / plannedSteps);
    terminal.status(
        String.format(
            Locale.ROOT,
            "%s: [%s%s] %3d%% %,.1f steps/s ETA %s | step %,d/%,d epoch %d/%d ",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            plannedSteps == 0 ? 100 : 100 * step / plannedSteps,
            rate,
            eta.isPresent() ? TrainingEstimate.human(Duration.ofSeconds(eta.getAsLong())) : "?",
            step,
            plannedSteps,
            epoch + 1,
            Math.max(1, maxEpochs)));
  }

  @Override
  public synchronized void onEpoch(int epoch, int maxEpochs) {
    estimate.onEpoch(clock.getAsLong());
    if (!quiet) {
      estimate.warning(label).ifPresent(w -> terminal.err().println(w));
    }
    this.epoch = epoch + 1;
    this.maxEpochs = maxEpochs;
  }

  /** Ends the progress line. */
  synchronized void finish() {
    terminal.endStatus();
  }
}
