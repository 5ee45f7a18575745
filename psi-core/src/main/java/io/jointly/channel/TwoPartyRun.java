package io.jointly.channel;

import io.jointly.core.ChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the two parties of a protocol in one JVM over a {@link ChannelPair}: each party on its own
 * thread of a dedicated executor; the first failure closes both channels (so the other party stops
 * promptly instead of waiting for a message that will never come); a party that returns closes its
 * own end, as a process that exits does (messages it sent are still delivered; a peer still
 * waiting for more ends with {@code CLOSED} instead of waiting for an end that looks busy); a hard
 * time-out bounds the whole run. Used by protocol tests, benchmarks and the in-process demo.
 *
 * <p>Thread-safe: every call uses its own executor.
 */
public final class TwoPartyRun {
  private TwoPartyRun() {}

  /** One party's side of a protocol. */
  @FunctionalInterface
  public interface Party<T> {
    T run(MessageChannel channel) throws Exception;
  }

  /**
   * What one party ended with: a value or a failure.
   *
   * @param value the result, or {@code null} if the party failed
   * @param failure the exception, or {@code null} if the party succeeded
   */
  public record Outcome<T>(T value, Throwable failure) {
    public boolean succeeded() {
      return failure == null;
    }
  }

  /**
   * Both outcomes, and which failure came first.
   *
   * @param first the first party's outcome
   * @param second the second party's outcome
   * @param firstFailure the earliest failure of either party, or {@code null}
   */
  public record Outcomes<A, B>(Outcome<A> first, Outcome<B> second, Throwable firstFailure) {}

  /**
   * Runs both parties and returns both results, or rethrows the first failure.
   *
   * @throws Exception the first failure of either party (typed exceptions as thrown), or a {@link
   *     ChannelException} of kind {@code TIMEOUT} if the hard time-out elapsed
   */
  public static <A, B> Outcomes<A, B> run(
      ChannelPair pair, Party<A> first, Party<B> second, Duration hardTimeout) throws Exception {
    Outcomes<A, B> o = runAll(pair, first, second, hardTimeout);
    if (o.firstFailure() != null) {
      Throwable t = o.firstFailure();
      if (t instanceof Exception e) {
        throw e;
      }
      throw (Error) t;
    }
    return o;
  }

  /** Runs both parties and reports both outcomes, never throwing a party's failure. */
  public static <A, B> Outcomes<A, B> runAll(
      ChannelPair pair, Party<A> first, Party<B> second, Duration hardTimeout) {
    Objects.requireNonNull(pair);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "two-party-run");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<A> fa = executor.submit(() -> guarded(first, pair.first(), pair, firstFailure));
      Future<B> fb = executor.submit(() -> guarded(second, pair.second(), pair, firstFailure));
      long deadline = System.nanoTime() + hardTimeout.toNanos();
      Outcome<A> oa = await(fa, deadline, pair, firstFailure, hardTimeout);
      Outcome<B> ob = await(fb, deadline, pair, firstFailure, hardTimeout);
      return new Outcomes<>(oa, ob, firstFailure.get());
    } finally {
      executor.shutdownNow();
    }
  }

  private static <T> T guarded(
      Party<T> party, MessageChannel channel, ChannelPair pair, AtomicReference<Throwable> first)
      throws Exception {
    try {
      T value = party.run(channel);
      channel.close();
      return value;
    } catch (Exception | Error e) {
      first.compareAndSet(null, e);
      pair.closeBoth();
      throw e;
    }
  }

  private static <T> Outcome<T> await(
      Future<T> future,
      long deadline,
      ChannelPair pair,
      AtomicReference<Throwable> first,
      Duration hardTimeout) {
    try {
      return new Outcome<>(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (TimeoutException e) {
      ChannelException timeout =
          new ChannelException(
              ChannelException.Kind.TIMEOUT, "two-party run exceeded its hard time-out of " + hardTimeout);
      first.compareAndSet(null, timeout);
      pair.closeBoth();
      future.cancel(true);
      return new Outcome<>(null, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pair.closeBoth();
      future.cancel(true);
      return new Outcome<>(null, e);
    }
  }
}
