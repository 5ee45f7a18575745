package io.jointly.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Splits a range of independent work into chunks, runs them on an executor (never the common
 * pool) and waits, rethrowing the first failure as it was thrown. The calling thread takes the last
 * chunk itself, so a call made from a pool thread of a small, busy pool still makes progress.
 * Immutable and thread-safe.
 */
public final class Parallel {
  /** Runs {@code [from, to)} of a range. */
  public interface RangeTask {
    void run(int from, int to);
  }

  /** Sequential: everything on the calling thread. */
  public static final Parallel SEQUENTIAL = new Parallel(Runnable::run, 1);

  private final Executor executor;
  private final int threads;

  /**
   * @param executor runs the chunks
   * @param threads how many chunks at most to run at once (usually the executor's threads)
   */
  public Parallel(Executor executor, int threads) {
    this.executor = Objects.requireNonNull(executor);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
    this.threads = threads;
  }

  /** How many chunks this runs at once. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task} over {@code [0, n)} in {@code min(threads, ⌈n/grain⌉)} contiguous chunks and
   * waits for all of them.
   *
   * @param grain the smallest chunk worth a task
   */
  public void forRange(int n, int grain, RangeTask task) {
    if (n <= 0) {
      return;
    }
    int chunks = (int) Math.max(1, Math.min(threads, (n + (long) grain - 1) / Math.max(1, grain)));
    if (chunks == 1) {
      task.run(0, n);
      return;
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    for (int c = 0; c < chunks - 1; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      parts.add(CompletableFuture.runAsync(() -> task.run(from, to), executor));
    }
    Throwable mine = null;
    try {
      task.run((int) ((long) n * (chunks - 1) / chunks), n);
    } catch (RuntimeException | Error e) {
      mine = e;
    }
    for (CompletableFuture<Void> f : parts) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (mine == null) {
          mine = e.getCause() == null ? e : e.getCause();
        }
      }
    }
    if (mine instanceof RuntimeException r) {
      throw r;
    }
    if (mine instanceof Error err) {
      throw err;
    }
  }

  @Override
  public String toString() {
    return "Parallel[" + threads + " threads]";
  }
}
