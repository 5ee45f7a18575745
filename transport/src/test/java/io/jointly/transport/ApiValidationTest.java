package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Value types of the public API reject invalid input at construction. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiValidationTest {
  @Test
  void endpoint_parse_acceptsHostPortAndBracketedIpv6() {
    assertThat(Endpoint.parse("bank.example:7000")).isEqualTo(new Endpoint.Tcp("bank.example", 7000));
    assertThat(Endpoint.parse("[::1]:7000")).isEqualTo(new Endpoint.Tcp("::1", 7000));
    assertThat(Endpoint.parse("[::1]:7000").toString()).isEqualTo("[::1]:7000");
  }

  @Test
  void endpoint_parse_rejectsMalformedText() {
    for (String bad : new String[] {"bank", ":7000", "bank:", "bank:x", "::1:7000", "bank:70000"}) {
      assertThatThrownBy(() -> Endpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void options_outOfRange_rejected() {
    TransportOptions.Builder b = TransportOptions.builder();
    assertThatThrownBy(() -> b.chunkBytes(100).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportOptions.builder().maxMessageBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportOptions.builder().peerTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TransportOptions.builder().build()).isEqualTo(TransportOptions.DEFAULTS);
  }

  @Test
  void partyNames_malformed_rejected() {
    assertThatThrownBy(() -> TransportSecurity.insecurePlaintext("../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportSecurity.insecurePlaintext(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                GrpcTransport.listen(
                    Endpoint.loopback(0),
                    TransportSecurity.insecurePlaintext("bank"),
                    Set.of("bank"),
                    TransportOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void server_expect_unknownPeerOrRepeatedSession_rejected() throws Exception {
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.inProcess("api-" + System.nanoTime()),
            TransportSecurity.insecurePlaintext("bank"),
            Set.of("partner"),
            TransportOptions.DEFAULTS)) {
      assertThatThrownBy(() -> server.expect("s1", "mallory"))
          .isInstanceOf(IllegalArgumentException.class);
      server.expect("s1", "partner");
      assertThatThrownBy(() -> server.expect("s1", "partner"))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
