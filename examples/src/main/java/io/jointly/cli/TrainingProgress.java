package io.jointly.cli;

import io.jointly.lr.training.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws federated training progress on stderr: first a line for the partner's encrypted features
 * (rows encrypted and sent, or received), then one line: steps done of the planned maximum, steps
 * per second, ETA, and the epoch. Redrawn at most five times a second as the {@link Terminal}'s
 * status line; a line per finished epoch is not printed (early stopping may end the run before the
 * plan). Counts only. Silent when {@code quiet}.
 */
final class TrainingProgress implements TrainingListener {
  private static final int WIDTH = 28;

  private final Terminal terminal;
  private final boolean quiet;
  private final String label;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int epoch;
  private int maxEpochs;
  private final CountBar setup;

  TrainingProgress(PrintStream err, boolean quiet, String label) {
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
    long now = System.nanoTime();
    if (quiet || (now - lastDraw < 200_000_000L && step < plannedSteps)) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    double rate = step / seconds;
    long eta = rate > 0 ? Math.round((plannedSteps - step) / rate) : 0;
    int filled = plannedSteps == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * step / plannedSteps);
    terminal.status(
        String.format(
            Locale.ROOT,
            "%s: [%s%s] %3d%% %,.1f steps/s ETA %ds | step %,d/%,d epoch %d/%d ",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            plannedSteps == 0 ? 100 : 100 * step / plannedSteps,
            rate,
            eta,
            step,
            plannedSteps,
            epoch + 1,
            Math.max(1, maxEpochs)));
  }

  @Override
  public synchronized void onEpoch(int epoch, int maxEpochs) {
    this.epoch = epoch + 1;
    this.maxEpochs = maxEpochs;
  }

  /** Ends the progress line. */
  synchronized void finish() {
    terminal.endStatus();
  }
}
