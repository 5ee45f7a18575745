package io.jointly.psi.pipeline.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's memory budget and how it is shared. At most two sorts or joins are alive at once (a join
 * feeding a sort, or a sort's output feeding the next sort), each with a {@linkplain #workArea()
 * work area} of 35 % of the budget; data that is written now and read later ({@link Spill}s) may
 * hold up to {@linkplain #spillLimit() a quarter} in memory before it moves to the work directory;
 * the rest covers batch buffers and readers.
 *
 * <p>Thread-safe.
 */
public final class MemoryBudget {
  /** The smallest budget a run accepts: enough for a few batches and one small sort. */
  public static final long MIN_BYTES = 1L << 20;

  private final long total;
  private final long spillLimit;
  private final AtomicLong spillUsed = new AtomicLong();

  public MemoryBudget(long totalBytes) {
    if (totalBytes < MIN_BYTES) {
      throw new IllegalArgumentException("memory budget must be at least " + (MIN_BYTES >> 20) + " MiB");
    }
    this.total = totalBytes;
    this.spillLimit = totalBytes / 4;
  }

  public long total() {
    return total;
  }

  /** Bytes one sort or join may use. */
  public long workArea() {
    return total * 35 / 100;
  }

  /** Bytes all in-memory spills together may hold. */
  public long spillLimit() {
    return spillLimit;
  }

  /** Reserves {@code bytes} for an in-memory spill; false if that would exceed the spill limit. */
  public boolean tryReserveSpill(long bytes) {
    while (true) {
      long used = spillUsed.get();
      if (used + bytes > spillLimit) {
        return false;
      }
      if (spillUsed.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  /** Returns bytes reserved by {@link #tryReserveSpill}. */
  public void releaseSpill(long bytes) {
    spillUsed.addAndGet(-bytes);
  }

  @Override
  public String toString() {
    return "MemoryBudget[" + (total >> 20) + " MiB]";
  }
}
