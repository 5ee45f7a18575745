package io.jointly.psi.unbalanced;

import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.InvalidIdPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The client's side of an OPRF session (unbalanced PSI or membership checks). The suite, the
 * normalisation profile and the key columns come from the cache and are checked against the
 * server in the handshake.
 *
 * @param purpose why the client asks; the server budgets evaluations per client, day and purpose
 * @param batchSize blinded elements per message in a batch run, 1–65,536 (the server's maximum
 *     applies)
 * @param minServerSetSize refuse to run against a server set smaller than this (a cache of a
 *     handful of items would let the client test them one by one)
 * @param invalidIdPolicy what to do with this party's identifiers that fail the profile (batch)
 * @param duplicatePolicy what to do with repeated identifiers (batch)
 * @param receiveTimeout how long to wait for any one message from the server
 */
public record UnbalancedPsiParameters(
    Purpose purpose,
    int batchSize,
    long minServerSetSize,
    InvalidIdPolicy invalidIdPolicy,
    DuplicatePolicy duplicatePolicy,
    Duration receiveTimeout) {

  /** Default batch: 4,096 elements (128 KiB a message). */
  public static final int DEFAULT_BATCH_SIZE = 1 << 12;

  /** Largest batch: 65,536 elements (2 MiB a message). */
  public static final int MAX_BATCH_SIZE = 1 << 16;

  /** Largest client set in a batch run: 2^27 items (as in ECDH PSI). */
  public static final int MAX_SET_SIZE = 1 << 27;

  /** Largest number of key columns (as in ECDH PSI). */
  public static final int MAX_KEY_COLUMNS = 16;

  /** Default guardrail on the other party's set size: 100 items (as in ECDH PSI). */
  public static final long DEFAULT_MIN_SET_SIZE = 100;

  public UnbalancedPsiParameters {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(invalidIdPolicy, "invalidIdPolicy");
    Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE);
    }
    if (minServerSetSize < 0) {
      throw new IllegalArgumentException("minServerSetSize must be >= 0");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receiveTimeout must be positive");
    }
  }

  /** Defaults for a purpose: batches of 4,096, minimum server set 100, invalid ids fail, dedupe. */
  public static UnbalancedPsiParameters forPurpose(Purpose purpose) {
    return new UnbalancedPsiParameters(
        purpose,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MIN_SET_SIZE,
        InvalidIdPolicy.FAIL,
        DuplicatePolicy.DEDUPLICATE,
        Duration.ofMinutes(2));
  }

  public UnbalancedPsiParameters withBatchSize(int v) {
    return new UnbalancedPsiParameters(purpose, v, minServerSetSize, invalidIdPolicy, duplicatePolicy, receiveTimeout);
  }

  public UnbalancedPsiParameters withMinServerSetSize(long v) {
    return new UnbalancedPsiParameters(purpose, batchSize, v, invalidIdPolicy, duplicatePolicy, receiveTimeout);
  }

  public UnbalancedPsiParameters withPolicies(InvalidIdPolicy invalid, DuplicatePolicy duplicates) {
    return new UnbalancedPsiParameters(purpose, batchSize, minServerSetSize, invalid, duplicates, receiveTimeout);
  }

  public UnbalancedPsiParameters withReceiveTimeout(Duration v) {
    return new UnbalancedPsiParameters(purpose, batchSize, minServerSetSize, invalidIdPolicy, duplicatePolicy, v);
  }
}
