package io.jointly.cli;

import io.jointly.stats.StatisticsListener;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws PSI progress on stderr as one line: overall share of the work, items per second and ETA,
 * with the stages (own items blinded, peer items re-blinded, own items matched) that interleave
 * batch by batch. Redrawn at most five times a second, as the {@link Terminal}'s status line, so
 * that a message or a logged warning meanwhile starts on a line of its own. For federated
 * statistics, a second line then follows the encrypted value vectors. Counts only, never data.
 * Silent when {@code quiet}.
 */
final class ProgressBar implements StatisticsListener {
  private static final int WIDTH = 28;

  private final Terminal terminal;
  private final boolean quiet;
  private final String label;
  private final Map<Stage, long[]> progress = new EnumMap<>(Stage.class);
  private long start;
  private long lastDraw;
  private boolean finished;
  private final CountBar values;

  ProgressBar(PrintStream err, boolean quiet, String label) {
    this.terminal = Terminal.of(err);
    this.quiet = quiet;
    this.label = label;
    this.values = new CountBar(terminal, quiet, label + " values", "vectors");
  }

  @Override
  public void onValues(long done, long total) {
    values.update(done, total);
  }

  @Override
  public synchronized void onHandshake(long ownSetSize, long peerSetSize) {
    start = System.nanoTime();
    if (!quiet) {
      terminal.err().printf(
          Locale.ROOT, "%s: handshake ok: %,d own items, %s%n", label, ownSetSize,
          peerSetSize < 0 ? "the peer's count comes with its data" : String.format(Locale.ROOT, "%,d peer items", peerSetSize));
    }
  }

  @Override
  public synchronized void onProgress(Stage stage, long done, long total) {
    progress.put(stage, new long[] {done, total});
    if (quiet || finished) {
      return;
    }
    long done_ = 0;
    long total_ = 0;
    for (long[] p : progress.values()) {
      done_ += p[0];
      total_ += p[1];
    }
    if (done_ == 0 && total_ > 0) {
      return; // the stages' announcements at zero: nothing to show yet
    }
    long now = System.nanoTime();
    // Every stage is announced at zero before it reports (PsiListener), so the totals are final.
    boolean complete = done_ >= total_;
    if (!complete && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    double rate = done_ / seconds;
    long eta = rate > 0 ? Math.round((total_ - done_) / rate) : 0;
    int filled = total_ == 0 ? WIDTH : (int) (WIDTH * done_ / total_);
    StringBuilder stages = new StringBuilder();
    for (Map.Entry<Stage, long[]> e : progress.entrySet()) {
      stages.append(String.format(
          Locale.ROOT, " %s %,d/%,d", name(e.getKey()), e.getValue()[0], e.getValue()[1]));
    }
    terminal.status(
        String.format(
            Locale.ROOT,
            "%s: [%s%s] %3d%% %,.0f items/s ETA %ds |%s ",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            total_ == 0 ? 100 : 100 * done_ / total_,
            rate,
            eta,
            stages));
    if (complete) {
      terminal.endStatus();
      finished = true; // the completed line stays; later calls draw nothing
    }
  }

  private static String name(Stage s) {
    return switch (s) {
      case BLIND_OWN -> "blinded";
      case REBLIND_PEER -> "peer";
      case MATCH -> "matched";
      case JOIN -> "joined";
    };
  }
}
