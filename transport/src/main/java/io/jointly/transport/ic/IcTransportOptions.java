package io.jointly.transport.ic;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits, time-outs and the key style of the interconnection white-box transport. The defaults are
 * the SecretFlow reference's own (yacl {@code context.h}, {@code retry_options.h}; spec §3.5, §3.7)
 * except where Jointly waits longer for a peer; change them with the {@code with...} methods.
 *
 * @param keys whether keys carry the reference's sequence suffix ({@link Keys})
 * @param ackWindow how many of this party's sequenced messages may be un-ACKed before it waits
 *     (the reference's throttle window, 10; 0 = no window)
 * @param chunkBytes values larger than this go as CHUNKED pushes of at most this many bytes (yacl
 *     over gRPC: 1,044,480 = 1 MiB − 4 KiB)
 * @param maxMessageBytes the largest value accepted (announced {@code message_length} of chunked
 *     pushes is checked against it before anything is buffered)
 * @param pushTimeout the deadline of one Push call (reference: 20 s)
 * @param pushRetries how often a failed Push is retried (reference: 3)
 * @param retryDelay the first pause before a retry; the n-th retry waits {@code min(retryDelay ·
 *     (1 + 2n), 10 · retryDelay)} (reference: 1 s, so 1 s, 3 s, 5 s)
 * @param connectTimeout how long the connect phase keeps pushing {@code connect_{rank}} and waits
 *     for the peer's
 * @param finTimeout how long the end of a run waits for the peer's FIN, its last messages and the
 *     ACKs of this party's (the reference waits forever; Jointly fails with {@code TIMEOUT})
 */
public record IcTransportOptions(
    Keys keys,
    int ackWindow,
    int chunkBytes,
    int maxMessageBytes,
    Duration pushTimeout,
    int pushRetries,
    Duration retryDelay,
    Duration connectTimeout,
    Duration finTimeout) {

  /** How this party writes message keys. */
  public enum Keys {
    /**
     * The reference's channel layer (yacl): {@code "\x01\x02" + seq} after every key, ACKs
     * expected for them, FIN with the true count. What a SecretFlow peer expects; the default.
     */
    SEQUENCED,
    /**
     * The written standard's keys only, FIN with count 0, no window: for a peer that does not strip
     * the reference's suffix. ACKs are still sent for a peer's sequenced messages.
     */
    PLAIN
  }

  /** The reference's values, with a 60 s connect phase and a 2 min FIN wait. */
  public static final IcTransportOptions DEFAULTS =
      new IcTransportOptions(
          Keys.SEQUENCED,
          10,
          (1 << 20) - 4096,
          64 << 20,
          Duration.ofSeconds(20),
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofMinutes(2));

  public IcTransportOptions {
    Objects.requireNonNull(keys, "keys");
    positive(pushTimeout, "pushTimeout");
    positive(retryDelay, "retryDelay");
    positive(connectTimeout, "connectTimeout");
    positive(finTimeout, "finTimeout");
    if (ackWindow < 0) {
      throw new IllegalArgumentException("ackWindow must be >= 0");
    }
    if (chunkBytes < 1024 || chunkBytes > (4 << 20)) {
      throw new IllegalArgumentException("chunkBytes must be 1 KiB .. 4 MiB");
    }
    if (maxMessageBytes < chunkBytes) {
      throw new IllegalArgumentException("maxMessageBytes must be >= chunkBytes");
    }
    if (pushRetries < 0 || pushRetries > 10) {
      throw new IllegalArgumentException("pushRetries must be 0..10");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public IcTransportOptions withKeys(Keys v) {
    return new IcTransportOptions(v, ackWindow, chunkBytes, maxMessageBytes, pushTimeout, pushRetries, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withAckWindow(int v) {
    return new IcTransportOptions(keys, v, chunkBytes, maxMessageBytes, pushTimeout, pushRetries, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withChunkBytes(int v) {
    return new IcTransportOptions(keys, ackWindow, v, maxMessageBytes, pushTimeout, pushRetries, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withMaxMessageBytes(int v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, v, pushTimeout, pushRetries, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withPushTimeout(Duration v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, maxMessageBytes, v, pushRetries, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withPushRetries(int v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, maxMessageBytes, pushTimeout, v, retryDelay, connectTimeout, finTimeout);
  }

  public IcTransportOptions withRetryDelay(Duration v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, maxMessageBytes, pushTimeout, pushRetries, v, connectTimeout, finTimeout);
  }

  public IcTransportOptions withConnectTimeout(Duration v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, maxMessageBytes, pushTimeout, pushRetries, retryDelay, v, finTimeout);
  }

  public IcTransportOptions withFinTimeout(Duration v) {
    return new IcTransportOptions(keys, ackWindow, chunkBytes, maxMessageBytes, pushTimeout, pushRetries, retryDelay, connectTimeout, v);
  }

  /** The pause before retry {@code n} (0-based). */
  public Duration retryPause(int n) {
    long base = retryDelay.toMillis();
    return Duration.ofMillis(Math.min(base * (1 + 2L * n), 10 * base));
  }
}
