package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plaintext only on loopback: refused, before any socket is opened, for a non-loopback address to
 * connect to or listen on; allowed on 127.0.0.1 and {@code localhost}. Mutual TLS is refused on
 * in-process endpoints, which carry no TLS.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlaintextPolicyTest {
  private static final TransportSecurity PLAIN_PARTNER =
      TransportSecurity.insecurePlaintext("partner");

  @Test
  void connect_plaintextToNonLoopbackAddress_refusedBeforeConnecting() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737); the refusal comes before any packet is sent.
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    Endpoint.tcp("192.0.2.1", 7000), PLAIN_PARTNER, "s1", "bank"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only on loopback")
        .hasMessageContaining("192.0.2.1")
        .hasMessageContaining("mutual TLS");
  }

  @Test
  void listen_plaintextOnWildcardAddress_refused() {
    assertThatThrownBy(
            () ->
                GrpcTransport.listen(
                    Endpoint.tcp("0.0.0.0", 0),
                    TransportSecurity.insecurePlaintext("bank"),
                    Set.of("partner"),
                    TransportOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only on loopback");
  }

  @Test
  void plaintext_onLocalhost_works() throws Exception {
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.tcp("localhost", 0),
            TransportSecurity.insecurePlaintext("bank"),
            Set.of("partner"),
            TransportOptions.DEFAULTS)) {
      PendingSession pending = server.expect("s1", "partner");
      try (TransportChannel partner =
              GrpcTransport.connect(server.endpoint(), PLAIN_PARTNER, "s1", "bank");
          TransportChannel bank = pending.await(Duration.ofSeconds(10))) {
        RoundKey k = new RoundKey("plain", 1, 0);
        partner.send(k, Bytes.fromHex("2a"));
        assertThat(bank.receive(k, Duration.ofSeconds(10))).isEqualTo(Bytes.fromHex("2a"));
      }
    }
  }

  @Test
  void mutualTls_onInProcessEndpoint_refused() {
    ThrowawayCa ca = ThrowawayCa.create();
    assertThatThrownBy(
            () ->
                GrpcTransport.listen(
                    Endpoint.inProcess("x"),
                    TransportSecurity.mutualTls(ca.issue("bank")),
                    Set.of("partner"),
                    TransportOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in-process");
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    Endpoint.inProcess("x"),
                    TransportSecurity.mutualTls(ca.issue("partner")),
                    "s1",
                    "bank"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in-process");
  }
}
