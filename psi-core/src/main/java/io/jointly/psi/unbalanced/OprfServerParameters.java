package io.jointly.psi.unbalanced;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's limits for OPRF sessions. Local policy: the client learns the limits that concern
 * it in the handshake.
 *
 * @param minClientSetSize refuse a batch run with fewer client items (the PSI guardrail)
 * @param maxClientSetSize refuse a batch run with more client items
 * @param maxBatchSize the largest batch a client may send
 * @param receiveTimeout how long to wait for the next batch of a running batch session
 * @param idleTimeout how long a membership session may wait for its next query before the server
 *     ends it (the client reconnects transparently)
 * @param queriesPerSession queries after which a membership session ends (bounds per-session state;
 *     the client reconnects)
 */
public record OprfServerParameters(
    long minClientSetSize,
    long maxClientSetSize,
    int maxBatchSize,
    Duration receiveTimeout,
    Duration idleTimeout,
    int queriesPerSession) {

  /** Minimum 100 client items, at most 2^27, batches up to 65,536, 2 min, idle 10 min, 2^20 queries. */
  public static final OprfServerParameters DEFAULTS =
      new OprfServerParameters(
          UnbalancedPsiParameters.DEFAULT_MIN_SET_SIZE,
          UnbalancedPsiParameters.MAX_SET_SIZE,
          UnbalancedPsiParameters.MAX_BATCH_SIZE,
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          1 << 20);

  public OprfServerParameters {
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (minClientSetSize < 0 || maxClientSetSize < minClientSetSize || maxClientSetSize > UnbalancedPsiParameters.MAX_SET_SIZE) {
      throw new IllegalArgumentException("client set size bounds must satisfy 0 <= min <= max <= 2^27");
    }
    if (maxBatchSize < 1 || maxBatchSize > UnbalancedPsiParameters.MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("maxBatchSize must be 1.." + UnbalancedPsiParameters.MAX_BATCH_SIZE);
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero() || idleTimeout.toSeconds() < 1
        || idleTimeout.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("time-outs must be positive (idle: at least 1 s)");
    }
    if (queriesPerSession < 1) {
      throw new IllegalArgumentException("queriesPerSession must be >= 1");
    }
  }

  public OprfServerParameters withMinClientSetSize(long v) {
    return new OprfServerParameters(v, maxClientSetSize, maxBatchSize, receiveTimeout, idleTimeout, queriesPerSession);
  }

  public OprfServerParameters withIdleTimeout(Duration v) {
    return new OprfServerParameters(minClientSetSize, maxClientSetSize, maxBatchSize, receiveTimeout, v, queriesPerSession);
  }

  public OprfServerParameters withReceiveTimeout(Duration v) {
    return new OprfServerParameters(minClientSetSize, maxClientSetSize, maxBatchSize, v, idleTimeout, queriesPerSession);
  }

  public OprfServerParameters withQueriesPerSession(int v) {
    return new OprfServerParameters(minClientSetSize, maxClientSetSize, maxBatchSize, receiveTimeout, idleTimeout, v);
  }
}
