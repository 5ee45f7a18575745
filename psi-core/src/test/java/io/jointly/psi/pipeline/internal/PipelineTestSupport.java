package io.jointly.psi.pipeline.internal;

import java.security.SecureRandom;
import java.util.concurrent.Executor;

/** Shared bits of the pipeline's tests. */
final class PipelineTestSupport {
  private PipelineTestSupport() {}

  /** Runs tasks on the calling thread: the tests need no pool. */
  static final Executor DIRECT = Runnable::run;

  /** A deterministic SecureRandom for reproducible tests (never outside tests). */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
