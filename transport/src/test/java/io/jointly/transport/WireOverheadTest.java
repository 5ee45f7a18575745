package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transport adds to the bytes {@link CountingChannel} counts for the same messages, for
 * batches shaped like ECDH PSI's (32-byte elements): the envelopes (as {@link
 * TransportChannel#wireStats()} reports them) and everything on the TCP connection (TLS 1.3
 * handshake and records, HTTP/2 frames, gRPC prefixes), measured by a relay between the parties.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireOverheadTest {
  private static final Logger LOG = LoggerFactory.getLogger(WireOverheadTest.class);
  private static final int ELEMENT_BYTES = 32;
  private static final int MESSAGES_EACH_WAY = 8;

  @ParameterizedTest(name = "{0} items per batch")
  @ValueSource(ints = {4096, 65536})
  void overhead_psiSizedBatchesOverMutualTls_withinFivePercentOfCountingChannel(int items)
      throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    TransportOptions options = TransportOptions.DEFAULTS;
    try (TransportServer server =
            GrpcTransport.listen(
                Endpoint.loopback(0),
                TransportSecurity.mutualTls(ca.issue("bank")),
                Set.of("partner"),
                options);
        TcpRelay relay =
            new TcpRelay(
                new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), ((Endpoint.Tcp) server.endpoint()).port()),
                0)) {
      PendingSession pending = server.expect("overhead", "partner");
      TransportChannel partner =
          GrpcTransport.connect(
              relay.endpoint(),
              TransportSecurity.mutualTls(ca.issue("partner")),
              "overhead",
              "bank",
              options);
      TransportChannel bank = pending.await(Duration.ofSeconds(10));
      byte[] data = new byte[items * ELEMENT_BYTES];
      new SecureRandom().nextBytes(data);
      Bytes batch = Bytes.wrap(data);
      RoundKey blinded = new RoundKey("ecdh-psi", 2, 0);
      RoundKey doubled = new RoundKey("ecdh-psi", 3, 0);

      TwoPartyRun.run(
          new ChannelPair(bank, partner),
          ch -> {
            for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
              ch.send(blinded.withSequence(i), batch);
            }
            for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
              ch.receive(doubled.withSequence(i), Duration.ofSeconds(30));
            }
            return null;
          },
          ch -> {
            for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
              ch.receive(blinded.withSequence(i), Duration.ofSeconds(30));
            }
            for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
              ch.send(doubled.withSequence(i), batch);
            }
            return null;
          },
          Duration.ofSeconds(60));
      ChannelStats wire = partner.wireStats();
      partner.close();
      bank.close();

      long counted =
          MESSAGES_EACH_WAY
              * (CountingChannel.frameBytes(blinded, batch) + CountingChannel.frameBytes(doubled, batch));
      long envelopes = wire.totalBytes();
      long tcp = relay.upstreamBytes() + relay.downstreamBytes();
      double envelopeOverhead = (double) envelopes / counted - 1;
      double tcpOverhead = (double) tcp / counted - 1;
      LOG.info(
          String.format(
              "%d-item batches (%d B), %d messages: CountingChannel %d B, envelopes %d B (%+.4f %%),"
                  + " TCP incl. TLS handshake %d B (%+.4f %%)",
              items,
              batch.length(),
              2 * MESSAGES_EACH_WAY,
              counted,
              envelopes,
              100 * envelopeOverhead,
              tcp,
              100 * tcpOverhead));
      assertThat(wire.messagesSent() + wire.messagesReceived()).isEqualTo(2L * MESSAGES_EACH_WAY);
      assertThat(envelopeOverhead).isBetween(0.0, 0.05);
      assertThat(tcpOverhead).isBetween(0.0, 0.05);
    }
  }
}
