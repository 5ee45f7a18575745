package io.jointly.bench.psi;

import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import io.jointly.core.ProtocolAbortException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor a PSI run is measured against: the scalar multiplications of a {@code 2^k × 2^k} ECDH
 * PSI alone — {@code 2·2^k} hash-and-multiply (each party blinds its own set) and {@code 2·2^k}
 * multiply with validation (each re-blinds the peer's) — on {@code threads} threads, nothing else.
 * Run: {@code java -cp bench/target/benchmarks.jar io.jointly.bench.psi.ScalarMultBaseline LOG2
 * [suite=x25519] [threads=cores]}. A whole two-process PSI run on the same cores divided by this time
 * is the protocol's overhead factor (the target for x25519 at 2^20 is at most 1.3).
 */
public final class ScalarMultBaseline {
  private ScalarMultBaseline() {}

  public static void main(String[] args) throws Exception {
    int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    SuiteId suite = args.length > 1 ? SuiteId.fromName(args[1]) : SuiteId.X25519;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    EcdhGroup group = EcdhGroups.create(suite);
    GroupScalar k = group.randomScalar(new SecureRandom());
    long items = 2L << log2;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      // warm up the JIT on a small share first, as a PSI process does in its first batches
      work(group, k, 20_000, 0, pool, threads);
      long start = System.nanoTime();
      work(group, k, items, 1_000_000, pool, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "suite=%s threads=%d hashAndMultiply=%d multiply=%d seconds=%.1f per_multiplication_us=%.1f%n",
          suite, threads, items, items, seconds, seconds * 1e6 * threads / (2.0 * items));
    } finally {
      pool.shutdownNow();
    }
  }

  private static void work(EcdhGroup group, GroupScalar k, long items, long offset, ExecutorService pool, int threads)
      throws Exception {
    List<Future<?>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long from = items * t / threads;
      long to = items * (t + 1) / threads;
      parts.add(
          pool.submit(
              () -> {
                for (long i = from; i < to; i++) {
                  byte[] item = Long.toString(13_000_000_000L + offset + i).getBytes(StandardCharsets.UTF_8);
                  byte[] blinded = group.hashAndMultiply(k, item);
                  try {
                    group.multiply(k, blinded);
                  } catch (ProtocolAbortException e) {
                    throw new IllegalStateException(e);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : parts) {
      f.get();
    }
  }
}
