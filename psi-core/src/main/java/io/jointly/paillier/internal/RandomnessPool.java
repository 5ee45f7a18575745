package io.jointly.paillier.internal;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded pool of precomputed encryption randomness (in Paillier, {@link NthResidue}s),
 * filled ahead of use by tasks on an explicit {@link Executor}.
 *
 * <p>Guarantees: every value is handed out at most once (it is removed from the queue when taken,
 * and the queue never holds copies); {@link #take()} never blocks — when the pool is empty the
 * caller computes a fresh value inline; filling never runs on the common pool, only on the executor
 * given; at most {@code fillers} fill tasks run at a time and each stops when the pool is full or
 * closed. After {@link #close()} the pool is emptied and {@link #take()} computes inline.
 *
 * <p>Thread-safe, provided the generator is (each call must draw fresh randomness).
 *
 * @param <T> the kind of value
 */
public final class RandomnessPool<T> implements AutoCloseable {
  private final Supplier<T> generator;
  private final ArrayBlockingQueue<T> queue;
  private final Executor executor;
  private final int fillers;
  private final int lowWater;
  private final AtomicInteger activeFillers = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param generator computes one fresh value per call (thread-safe)
   * @param capacity the most values held at once, ≥ 1
   * @param executor runs the fill tasks; {@code null} for no background filling
   * @param fillers the most fill tasks running at once, ≥ 1
   */
  public RandomnessPool(
      Supplier<T> generator, int capacity, Executor executor, int fillers) {
    this.generator = Objects.requireNonNull(generator, "generator");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    if (fillers < 1) {
      throw new IllegalArgumentException("fillers must be at least 1");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.executor = executor;
    this.fillers = fillers;
    this.lowWater = Math.max(1, capacity - capacity / 4);
    refill();
  }

  /** A fresh value: from the pool if one is ready, else computed now by the calling thread. */
  public T take() {
    T v = closed ? null : queue.poll();
    refill();
    return v != null ? v : generator.get();
  }

  /** Values ready now. */
  public int available() {
    return queue.size();
  }

  public int capacity() {
    return queue.size() + queue.remainingCapacity();
  }

  /**
   * Computes values on the calling thread until at least {@code count} are ready (or the pool is
   * full), for callers that want the offline work done before a time-critical phase.
   */
  public void fillNow(int count) {
    int target = Math.min(count, capacity());
    while (!closed && queue.size() < target) {
      if (!queue.offer(generator.get())) {
        return;
      }
    }
  }

  /** Stops filling and drops the values held. Idempotent. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
  }

  private void refill() {
    if (executor == null || closed || queue.size() >= lowWater) {
      return;
    }
    while (true) {
      int active = activeFillers.get();
      if (active >= fillers) {
        return;
      }
      if (activeFillers.compareAndSet(active, active + 1)) {
        break;
      }
    }
    try {
      executor.execute(this::fill);
    } catch (RejectedExecutionException e) {
      activeFillers.decrementAndGet(); // a shut-down executor: callers compute inline
    }
  }

  private void fill() {
    try {
      while (!closed && queue.remainingCapacity() > 0) {
        T v = generator.get();
        if (closed || !queue.offer(v)) {
          break;
        }
      }
    } finally {
      activeFillers.decrementAndGet();
    }
    if (closed) {
      queue.clear();
    }
  }
}
