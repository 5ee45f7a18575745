package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each end of a channel exposes the certificate chain its peer authenticated with. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerCertificatesTest {

  @Test
  void mutualTls_eachEndSeesThePeersCertificate() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    PartyCredentials bank = ca.issue("bank");
    PartyCredentials partner = ca.issue("partner");
    try (LoopbackTransport loop =
        LoopbackTransport.open(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(bank),
            TransportSecurity.mutualTls(partner),
            "s1",
            TransportOptions.DEFAULTS)) {
      assertThat(loop.listening().peerCertificates()).first().isEqualTo(partner.certificateChain().get(0));
      assertThat(loop.connecting().peerCertificates()).first().isEqualTo(bank.certificateChain().get(0));
    }
  }

  @Test
  void plaintext_noCertificate() throws Exception {
    try (LoopbackTransport loop = LoopbackTransport.plaintext("s1", "bank", "partner", TransportOptions.DEFAULTS)) {
      assertThat(loop.listening().peerCertificates()).isEmpty();
      assertThat(loop.connecting().peerCertificates()).isEmpty();
    }
  }
}
