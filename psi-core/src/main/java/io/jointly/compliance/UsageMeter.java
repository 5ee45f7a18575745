package io.jointly.compliance;

/**
 * Where a policy's limits read past use from: the party's own record of runs (its audit trail), so
 * that a limit holds across restarts. The CLI's meter reads its hash-chained audit log; an
 * embedding service can count in its own database ({@link Usage#of} does the counting over
 * receipts).
 */
@FunctionalInterface
public interface UsageMeter {
  /** Meters nothing: every count is zero (a policy with limits must not be paired with it). */
  UsageMeter NONE = (peer, since) -> Usage.NONE;

  /** This party's use of its data with {@code peer} since {@code since}. */
  Usage usage(String peer, java.time.Instant since);
}
