package io.jointly.transport.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's one timer thread, shared by every server and channel in the JVM: heartbeats,
 * hello deadlines and lobby expiry. It is never shut down, so scheduling never fails (a server
 * that closes cancels its own tasks instead; a timer of its own, shut down on close, made a stream
 * that arrived during the close fail with {@code RejectedExecutionException} in gRPC's executor).
 * Tasks must be short and must not block: each takes at most one channel's or registry's lock
 * briefly. A task that throws is logged and, if periodic, keeps running.
 *
 * <p>Thread-safe.
 */
public final class Timers {
  private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

  private static final ScheduledThreadPoolExecutor TIMER = create();

  private Timers() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "jointly-transport-timer");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true); // cancelled heartbeats of closed channels do not pile up
    return t;
  }

  /** Runs {@code task} once after {@code delayMillis}. */
  public static ScheduledFuture<?> once(Runnable task, long delayMillis) {
    return TIMER.schedule(guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} every {@code periodMillis}, the first time after one period. */
  public static ScheduledFuture<?> every(Runnable task, long periodMillis) {
    return TIMER.scheduleAtFixedRate(
        guarded(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("transport timer task failed", e);
      }
    };
  }
}
