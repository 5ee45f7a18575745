package io.jointly.transport;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.MessageChannel;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A {@link MessageChannel} carried by a gRPC stream, with its real wire traffic.
 *
 * <p>Thread-safe: one thread may send while another receives.
 */
public interface TransportChannel extends MessageChannel {

  /**
   * The bytes this channel put on and took off its gRPC stream so far: every frame's serialized
   * size plus gRPC's 5-byte message prefix (the stream's hello, and each chunk of each message).
   * Messages count {@code MessageChannel} messages, not chunks, so the figures compare directly
   * with {@link io.jointly.channel.CountingChannel#stats()} over the same traffic. HTTP/2 frame
   * headers (9 bytes per frame of up to 16 KiB) and TLS records (about 22 bytes per record of up to
   * 16 KiB) come on top and are not counted here, nor are heartbeats ({@link #livenessStats()}).
   */
  ChannelStats wireStats();

  /**
   * The heartbeats this channel sent and received so far, counted like {@link #wireStats()}
   * (serialized size plus gRPC's 5-byte prefix; "messages" are heartbeat frames). A heartbeat goes
   * out only when this end has sent nothing for an interval (a sixth of the silence the peer
   * tolerates, at most 1 s), so an idle or busy channel costs about 12–20 bytes per interval plus
   * HTTP/2 and TLS framing, and a channel that streams data sends none. A transport that sends no
   * heartbeats has none to count (this default).
   */
  default ChannelStats livenessStats() {
    return new ChannelStats(0, 0, 0, 0);
  }

  /**
   * The certificate chain (leaf first) the peer authenticated with in mutual TLS: its leaf names
   * {@link #peer()} and the chain validated to this party's trust roots in the TLS handshake. Empty
   * over plaintext and in-process. The run agreement of {@code io.jointly.compliance} checks that
   * the certificate a peer signs its receipts with is this one.
   */
  default List<X509Certificate> peerCertificates() {
    return List.of();
  }
}
