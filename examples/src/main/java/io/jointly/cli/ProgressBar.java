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
  /** Each stage's first count: zero, or what a resumed run had done before it restarted. */
  private final Map<Stage, Long> baseline = new EnumMap<>(Stage.class);
  private long start;
  private long lastDraw;
  private boolean finished;
  private final CountBar values;
  private final CountBar input;

  ProgressBar(PrintStream err, boolean quiet, String label) {
    this.terminal = Terminal.of(err);
    this.quiet = quiet;
    this.label = label;
    this.values = new CountBar(terminal, quiet, label + " values", "vectors");
    this.input = new CountBar(terminal, quiet, label + " reading input", "bytes");
  }

  /** When reading the input began; its bar is drawn only if reading takes more than a second. */
  private long inputStart;

  @Override
  public synchronized void onInputRead(long rows, long bytesRead, long bytesTotal) {
    long now = System.nanoTime();
    if (inputStart == 0) {
      inputStart = now;
    }
    if (bytesTotal > 0 && bytesRead >= 0 && now - inputStart > 1_000_000_000L) {
      input.update(Math.min(bytesRead, bytesTotal), bytesTotal);
    }
  }

  @Override
  public void onValues(long done, long total) {
    values.update(done, total);
  }

  @Override
  public synchronized void onHandshake(long ownSetSize, long peerSetSize) {
    start = System.nanoTime();
    baseline.clear();
    if (!quiet) {
      terminal.err().printf(
          Locale.ROOT, "%s: handshake ok: %,d own items, %s%n", label, ownSetSize,
          peerSetSize < 0 ? "the peer's count comes with its data" : String.format(Locale.ROOT, "%,d peer items", peerSetSize));
    }
  }

  @Override
  public synchronized void onProgress(Stage stage, long done, long total) {
    progress.put(stage, new long[] {done, total});
    baseline.putIfAbsent(stage, done);
    if (quiet || finished) {
      return;
    }
    // The share of the work and the ETA weigh each stage by its cost: blinding and re-blinding are
    // one scalar multiplication per item; receiving answers and the local join cost little.
    double done_ = 0;
    double total_ = 0;
    double before = 0;
    long multiplied = 0;
    for (Map.Entry<Stage, long[]> e : progress.entrySet()) {
      double w = weight(e.getKey());
      long first = baseline.get(e.getKey());
      done_ += w * e.getValue()[0];
      total_ += w * e.getValue()[1];
      before += w * first;
      if (e.getKey() == Stage.BLIND_OWN || e.getKey() == Stage.REBLIND_PEER) {
        multiplied += e.getValue()[0] - first;
      }
    }
    if (done_ == before && total_ > done_) {
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
    double rate = multiplied / seconds;
    double share = total_ == 0 ? 1 : done_ / total_;
    // the ETA from this run's own pace (a resumed run starts part-way)
    long eta = done_ > before ? Math.round(seconds * (total_ - done_) / (done_ - before)) : 0;
    int filled = (int) (WIDTH * share);
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
            (int) (100 * share),
            rate,
            eta,
            stages));
    if (complete) {
      terminal.endStatus();
      finished = true; // the completed line stays; later calls draw nothing
    }
  }

  private static double weight(Stage s) {
    return switch (s) {
      case BLIND_OWN, REBLIND_PEER -> 1;
      case MATCH -> 0.05;
      case JOIN -> 0.02;
    };
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
