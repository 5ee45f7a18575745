package io.jointly.cli;

import java.util.Locale;

/**
 * One progress line on stderr for a counted phase (rows encrypted, vectors received): share done,
 * rate, ETA. Redrawn at most five times a second as the {@link Terminal}'s status line; the line
 * ends when the count reaches the total.
 * Counts only, never data. Silent when {@code quiet}.
 */
final class CountBar {
  private static final int WIDTH = 28;

  private final Terminal terminal;
  private final boolean quiet;
  private final String label;
  private final String unit;
  private long start;
  private long lastDraw;
  private boolean finished;

  CountBar(Terminal terminal, boolean quiet, String label, String unit) {
    this.terminal = terminal;
    this.quiet = quiet;
    this.label = label;
    this.unit = unit;
  }

  synchronized void update(long done, long total) {
    long now = System.nanoTime();
    if (start == 0) {
      start = now;
    }
    boolean complete = done >= total;
    if (quiet || finished || (!complete && now - lastDraw < 200_000_000L)) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    double rate = done / seconds;
    long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
    terminal.status(
        String.format(
            Locale.ROOT,
            "%s: [%s%s] %3d%% %,.0f %s/s ETA %ds | %,d/%,d ",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            total <= 0 ? 100 : 100 * done / total,
            rate,
            unit,
            eta,
            done,
            total));
    if (complete) {
      terminal.endStatus();
      finished = true;
    }
  }
}
