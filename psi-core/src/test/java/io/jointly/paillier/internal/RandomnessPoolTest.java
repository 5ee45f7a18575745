package io.jointly.paillier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RandomnessPoolTest {

  @Test
  @Timeout(10)
  void take_withoutExecutor_computesInlineAndNeverBlocks() {
    AtomicLong counter = new AtomicLong();
    try (RandomnessPool<Long> pool = new RandomnessPool<>(counter::incrementAndGet, 4, null, 1)) {
      assertThat(pool.available()).isZero();
      assertThat(pool.take()).isEqualTo(1L);
      assertThat(pool.take()).isEqualTo(2L);
    }
  }

  @Test
  @Timeout(20)
  void take_concurrentlyWithBackgroundFilling_neverHandsOutAValueTwice() throws Exception {
    AtomicLong counter = new AtomicLong();
    ExecutorService fillers = Executors.newFixedThreadPool(2);
    ExecutorService takers = Executors.newFixedThreadPool(4);
    ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
    try (RandomnessPool<Long> pool =
        new RandomnessPool<>(counter::incrementAndGet, 64, fillers, 2)) {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            takers.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    taken.add(pool.take());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(15, TimeUnit.SECONDS);
      }
    } finally {
      takers.shutdownNow();
      fillers.shutdownNow();
    }
    Set<Long> distinct = new HashSet<>(taken);
    assertThat(taken).hasSize(20_000);
    assertThat(distinct).hasSize(20_000);
  }

  @Test
  @Timeout(10)
  void fill_runsOnlyOnGivenExecutor_andStopsWhenFull() throws Exception {
    AtomicLong counter = new AtomicLong();
    ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
    ExecutorService fillers =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "paillier-filler-test"));
    try (RandomnessPool<Long> pool =
        new RandomnessPool<>(
            () -> {
              threads.add(Thread.currentThread().getName());
              return counter.incrementAndGet();
            },
            16,
            fillers,
            1)) {
      while (pool.available() < 16) {
        Thread.onSpinWait();
      }
      fillers.shutdown();
      assertThat(fillers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      assertThat(counter.get()).isEqualTo(16);
      assertThat(threads).containsOnly("paillier-filler-test");
    }
  }

  @Test
  @Timeout(10)
  void close_dropsValues_andLaterTakesComputeInline() {
    AtomicLong counter = new AtomicLong();
    RandomnessPool<Long> pool = new RandomnessPool<>(counter::incrementAndGet, 8, null, 1);
    pool.fillNow(8);
    assertThat(pool.available()).isEqualTo(8);
    pool.close();
    assertThat(pool.available()).isZero();
    assertThat(pool.take()).isEqualTo(9L);
    pool.close();
  }

  @Test
  @Timeout(10)
  void refill_onRejectingExecutor_fallsBackToInline() {
    AtomicLong counter = new AtomicLong();
    try (RandomnessPool<Long> pool =
        new RandomnessPool<>(
            counter::incrementAndGet,
            8,
            r -> {
              throw new RejectedExecutionException("shut down");
            },
            1)) {
      assertThat(pool.take()).isEqualTo(1L);
      assertThat(pool.take()).isEqualTo(2L);
    }
  }
}
