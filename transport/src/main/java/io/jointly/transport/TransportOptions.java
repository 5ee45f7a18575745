package io.jointly.transport;

import io.jointly.transport.internal.Wire;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and time-outs of the gRPC transport. Start from {@link #DEFAULTS} and change what you
 * need with {@link #toBuilder()}; both parties should use the same values.
 *
 * @param maxMessageBytes largest message payload accepted on receive; a larger one poisons the
 *     channel with {@code MALFORMED_MESSAGE} (its chunks are not buffered)
 * @param chunkBytes messages larger than this travel in several envelopes of at most this many
 *     payload bytes (1 KiB – 4 MiB)
 * @param inboundCapacity messages that may wait unreceived before the channel stops reading from
 *     the stream (gRPC flow control then stops the sender)
 * @param inboundBufferBytes payload bytes that may wait unreceived before the channel stops
 *     reading; with one message in reassembly, memory per channel stays below about {@code
 *     inboundBufferBytes + maxMessageBytes + 4 × chunkBytes} (frames are requested a few ahead)
 * @param peerTimeout the dead-peer bound this party applies: how long the peer may give no sign of
 *     life. It is announced in the hello, and the peer sends a heartbeat whenever its outbound
 *     direction has been idle for a sixth of it (at most 1 s), whatever its protocol thread is
 *     doing, so a peer that is alive and busy is never taken for a dead one; a {@code send}
 *     blocked by flow control (the peer busy and not reading) fails only after this much silence.
 *     Protocols' receive time-outs bound silence the same way (see {@link
 *     io.jointly.channel.MessageChannel}); any receive time-out of at least this value, or of at
 *     least 3 s, is safe from false alarms
 * @param connectTimeout how long {@code connect} keeps trying (the peer may still be starting)
 * @param keepAliveTime idle time after which a party pings its peer (gRPC raises anything shorter
 *     to its floor of 10 s)
 * @param keepAliveTimeout how long a ping may go unanswered before the connection counts as lost:
 *     the connection-level backstop under the heartbeats; a peer that vanishes without closing its
 *     connection is noticed after at most about {@code keepAliveTime + keepAliveTimeout} (or
 *     earlier by {@code peerTimeout} or a receive time-out), and a blocked {@code receive} then
 *     fails
 * @param lobbyTimeout how long the listening party holds a connection for a session it has not
 *     (yet) been asked to accept, before refusing it
 * @param closeGrace how long {@code close} on the connecting side waits for the peer to end the
 *     stream before cutting it
 */
public record TransportOptions(
    int maxMessageBytes,
    int chunkBytes,
    int inboundCapacity,
    long inboundBufferBytes,
    Duration peerTimeout,
    Duration connectTimeout,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration lobbyTimeout,
    Duration closeGrace) {

  /**
   * The defaults: 64 MiB messages in 1 MiB chunks, 16 messages or 64 MiB buffered, 2 min peer
   * time-out, 30 s connect time-out, keep-alive ping after 20 s idle with 10 s to answer, 30 s
   * lobby, 5 s close grace.
   */
  public static final TransportOptions DEFAULTS =
      new TransportOptions(
          64 << 20,
          1 << 20,
          16,
          64L << 20,
          Duration.ofMinutes(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5));

  public TransportOptions {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes must be positive");
    }
    if (chunkBytes < Wire.MIN_CHUNK_BYTES || chunkBytes > Wire.MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunkBytes must be within 1 KiB - 4 MiB");
    }
    if (inboundCapacity < 1 || inboundBufferBytes < 1) {
      throw new IllegalArgumentException("inboundCapacity and inboundBufferBytes must be positive");
    }
    positive(peerTimeout, "peerTimeout");
    positive(connectTimeout, "connectTimeout");
    positive(keepAliveTime, "keepAliveTime");
    positive(keepAliveTimeout, "keepAliveTimeout");
    positive(lobbyTimeout, "lobbyTimeout");
    Objects.requireNonNull(closeGrace, "closeGrace");
    if (closeGrace.isNegative()) {
      throw new IllegalArgumentException("closeGrace must not be negative");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /**
   * The old name of {@link #peerTimeout()}, which it now means: a blocked {@code send} waits for as
   * long as the peer shows life and fails after this much silence.
   *
   * @deprecated use {@link #peerTimeout()}
   */
  @Deprecated
  public Duration sendTimeout() {
    return peerTimeout;
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** Builds {@link TransportOptions}; validation happens in {@link #build()}. */
  public static final class Builder {
    private int maxMessageBytes;
    private int chunkBytes;
    private int inboundCapacity;
    private long inboundBufferBytes;
    private Duration peerTimeout;
    private Duration connectTimeout;
    private Duration keepAliveTime;
    private Duration keepAliveTimeout;
    private Duration lobbyTimeout;
    private Duration closeGrace;

    private Builder(TransportOptions o) {
      maxMessageBytes = o.maxMessageBytes;
      chunkBytes = o.chunkBytes;
      inboundCapacity = o.inboundCapacity;
      inboundBufferBytes = o.inboundBufferBytes;
      peerTimeout = o.peerTimeout;
      connectTimeout = o.connectTimeout;
      keepAliveTime = o.keepAliveTime;
      keepAliveTimeout = o.keepAliveTimeout;
      lobbyTimeout = o.lobbyTimeout;
      closeGrace = o.closeGrace;
    }

    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    public Builder chunkBytes(int v) {
      chunkBytes = v;
      return this;
    }

    public Builder inboundCapacity(int v) {
      inboundCapacity = v;
      return this;
    }

    public Builder inboundBufferBytes(long v) {
      inboundBufferBytes = v;
      return this;
    }

    /** See {@link TransportOptions#peerTimeout()}. */
    public Builder peerTimeout(Duration v) {
      peerTimeout = v;
      return this;
    }

    /**
     * Sets {@link TransportOptions#peerTimeout()}.
     *
     * @deprecated use {@link #peerTimeout(Duration)}
     */
    @Deprecated
    public Builder sendTimeout(Duration v) {
      return peerTimeout(v);
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder keepAliveTime(Duration v) {
      keepAliveTime = v;
      return this;
    }

    public Builder keepAliveTimeout(Duration v) {
      keepAliveTimeout = v;
      return this;
    }

    public Builder lobbyTimeout(Duration v) {
      lobbyTimeout = v;
      return this;
    }

    public Builder closeGrace(Duration v) {
      closeGrace = v;
      return this;
    }

    public TransportOptions build() {
      return new TransportOptions(
          maxMessageBytes,
          chunkBytes,
          inboundCapacity,
          inboundBufferBytes,
          peerTimeout,
          connectTimeout,
          keepAliveTime,
          keepAliveTimeout,
          lobbyTimeout,
          closeGrace);
    }
  }
}
