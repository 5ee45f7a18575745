package io.jointly.psi.unbalanced.internal;

import io.jointly.channel.MessageChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A wall-clock bound on how long the server waits for a client's next message when the client
 * owes nothing but may stay connected: the hello of a new session, the next query of a membership
 * session. A channel's {@code receive} time-out bounds a peer's <em>silence</em> and keeps waiting
 * while the peer shows signs of work (the transport's heartbeats of a client that is not itself
 * waiting), which is right inside a protocol but would let a connected client that never asks hold
 * a server session, and its thread, for ever. A deadline closes the channel when it expires, so
 * the pending {@code receive} ends with {@code CLOSED} and {@link #expired()} tells the caller why.
 *
 * <p>All deadlines share one daemon timer thread whose tasks only close a channel (never block);
 * a cancelled deadline is removed from the timer at once, so a long-running server holds one
 * scheduled task per waiting session and no more.
 *
 * <p>Thread-safe.
 */
public final class SessionDeadline implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = create();

  private final AtomicBoolean expired = new AtomicBoolean();
  private final ScheduledFuture<?> task;

  private SessionDeadline(MessageChannel channel, Duration after) {
    this.task =
        TIMER.schedule(
            () -> {
              expired.set(true);
              channel.close();
            },
            Math.max(1, after.toMillis()),
            TimeUnit.MILLISECONDS);
  }

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "jointly-oprf-deadline");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Closes {@code channel} after {@code after} unless {@link #close()} comes first. */
  public static SessionDeadline arm(MessageChannel channel, Duration after) {
    Objects.requireNonNull(channel, "channel");
    if (after.isNegative() || after.isZero()) {
      throw new IllegalArgumentException("a deadline must be positive");
    }
    return new SessionDeadline(channel, after);
  }

  /** Whether the deadline expired (and closed the channel). */
  public boolean expired() {
    return expired.get();
  }

  /** Deadlines armed and neither expired nor disarmed, over every session in this JVM. */
  public static int pending() {
    return TIMER.getQueue().size();
  }

  /** Disarms the deadline (it may have expired already). Idempotent. */
  @Override
  public void close() {
    task.cancel(false);
  }
}
