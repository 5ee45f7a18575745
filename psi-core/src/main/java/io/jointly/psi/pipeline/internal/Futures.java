package io.jointly.psi.pipeline.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work on an executor and rethrowing its failure as it was thrown. */
public final class Futures {
  private Futures() {}

  /** A checked exception a task may carry out of the executor. */
  @FunctionalInterface
  public interface Rethrow<E extends Exception> {
    void ifCause(Throwable cause) throws E;
  }

  /**
   * Joins {@code f}; a task's unchecked exception or error is rethrown as is, and a checked one
   * through {@code rethrow} (which throws it if it is of the caller's type).
   */
  public static <T, E extends Exception> T join(CompletableFuture<T> f, Rethrow<E> rethrow) throws E {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      rethrow.ifCause(cause);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Joins {@code f}, rethrowing a task's unchecked exception or error as is. */
  public static <T> T join(CompletableFuture<T> f) {
    return join(f, cause -> {});
  }
}
