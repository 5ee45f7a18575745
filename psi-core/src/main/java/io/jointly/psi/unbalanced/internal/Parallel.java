package io.jointly.psi.unbalanced.internal;

import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Splits a batch of {@code count} independent items into chunks run on an explicit executor (never
 * the common pool), and rethrows a chunk's typed failure on the joining thread. Stateless.
 */
public final class Parallel {
  private Parallel() {}

  /** Work on items {@code [start, start + count)}, which may throw the protocols' typed failures. */
  @FunctionalInterface
  public interface Chunk {
    void run(int start, int count) throws InputException, ProtocolAbortException;
  }

  /** Runs {@code chunk} over [0, count) in up to {@code 4 · parallelism} pieces. */
  public static CompletableFuture<Void> forChunks(int count, int parallelism, Executor executor, Chunk chunk) {
    int chunks = Math.max(1, Math.min(count, parallelism * 4));
    int base = count / chunks;
    int extra = count % chunks;
    List<CompletableFuture<Void>> parts = new ArrayList<>(chunks);
    int start = 0;
    for (int i = 0; i < chunks; i++) {
      int c = base + (i < extra ? 1 : 0);
      if (c > 0) {
        int s = start;
        parts.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    chunk.run(s, c);
                  } catch (InputException | ProtocolAbortException e) {
                    throw new CompletionException(e);
                  }
                },
                executor));
      }
      start += c;
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
  }

  /**
   * Waits for {@code f} and rethrows the typed failure of a chunk as itself.
   *
   * @throws InputException or {@link ProtocolAbortException} as thrown by a chunk
   */
  public static <T> T join(CompletableFuture<T> f) throws InputException, ProtocolAbortException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InputException i) {
        throw i;
      }
      if (cause instanceof ProtocolAbortException p) {
        throw p;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** The first 16 bytes of an output as the pair (hi, lo), big-endian, into {@code out[2i..]}. */
  public static void pairOf(byte[] output, long[] out, int i) {
    long hi = 0;
    long lo = 0;
    for (int b = 0; b < 8; b++) {
      hi = (hi << 8) | (output[b] & 0xFF);
      lo = (lo << 8) | (output[8 + b] & 0xFF);
    }
    out[2 * i] = hi;
    out[2 * i + 1] = lo;
  }
}
