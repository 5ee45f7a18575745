package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual TLS refuses, inside the TLS handshake and so before any hello or protocol message, a peer
 * certified by another CA and a peer certified by the right CA under another party's name, in
 * both directions; the server speaks TLS 1.3 only; the listening party refuses a session it does
 * not serve or that is already connected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutualTlsRefusalTest {
  private static final Duration SHORT = Duration.ofMillis(500);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder().connectTimeout(Duration.ofSeconds(10)).build();
  private static ThrowawayCa ca;
  private static ThrowawayCa foreignCa;

  private TransportServer server;

  @BeforeAll
  static void pki() {
    ca = ThrowawayCa.create();
    foreignCa = ThrowawayCa.create();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TransportServer listen(PartyCredentials as, Set<String> peers) throws Exception {
    server =
        GrpcTransport.listen(
            Endpoint.loopback(0), TransportSecurity.mutualTls(as), peers, OPTIONS);
    return server;
  }

  /** A client with a certificate from {@code issuer} that trusts both CAs, so only the server refuses. */
  private static PartyCredentials trustingBoth(ThrowawayCa issuer, String party) {
    PartyCredentials c = issuer.issue(party);
    return PartyCredentials.of(
        party,
        c.certificateChain(),
        c.privateKey(io.jointly.core.SecretAccess.insecure()),
        List.of(ca.certificate(), foreignCa.certificate()));
  }

  @Test
  void connect_clientCertificateFromForeignCa_refusedByServer() throws Exception {
    listen(ca.issue("bank"), Set.of("partner"));
    PendingSession pending = server.expect("s1", "partner");
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    server.endpoint(),
                    TransportSecurity.mutualTls(trustingBoth(foreignCa, "partner")),
                    "s1",
                    "bank",
                    OPTIONS))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              System.err.println("foreign client: " + e.getMessage());
              assertThat(e.kind()).isEqualTo(ChannelException.Kind.IO);
              assertThat(e.getMessage()).contains("TLS");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> pending.await(SHORT))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT));
  }

  @Test
  void connect_serverCertificateFromForeignCa_refusedByClient() throws Exception {
    listen(foreignCa.issue("bank"), Set.of("partner"));
    PendingSession pending = server.expect("s1", "partner");
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    server.endpoint(),
                    TransportSecurity.mutualTls(ca.issue("partner")),
                    "s1",
                    "bank",
                    OPTIONS))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              System.err.println("foreign server: " + e.getMessage());
              assertThat(e.kind()).isEqualTo(ChannelException.Kind.IO);
              assertThat(e.getMessage()).contains("does not chain to the configured trust root");
            });
    assertThatThrownBy(() -> pending.await(SHORT)).isInstanceOf(ChannelException.class);
  }

  @Test
  void connect_clientCertificateNamesAnotherParty_refusedByServer() throws Exception {
    listen(ca.issue("bank"), Set.of("partner"));
    PendingSession pending = server.expect("s1", "partner");
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    server.endpoint(),
                    TransportSecurity.mutualTls(ca.issue("mallory")),
                    "s1",
                    "bank",
                    OPTIONS))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              System.err.println("wrong client name: " + e.getMessage());
              assertThat(e.kind()).isEqualTo(ChannelException.Kind.IO);
              assertThat(e.getMessage()).contains("TLS");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> pending.await(SHORT)).isInstanceOf(ChannelException.class);
  }

  @Test
  void connect_serverCertificateNamesAnotherParty_refusedByClient() throws Exception {
    listen(ca.issue("mallory"), Set.of("partner"));
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    server.endpoint(),
                    TransportSecurity.mutualTls(ca.issue("partner")),
                    "s1",
                    "bank",
                    OPTIONS))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              System.err.println("wrong server name: " + e.getMessage());
              assertThat(e.kind()).isEqualTo(ChannelException.Kind.IO);
              assertThat(e.getMessage()).contains("[mallory]").contains("bank");
            });
  }

  @Test
  void server_acceptsTls13AndRefusesTls12() throws Exception {
    listen(ca.issue("bank"), Set.of("partner"));
    int port = ((Endpoint.Tcp) server.endpoint()).port();
    PartyCredentials partner = ca.issue("partner");
    try (SSLSocket tls13 = rawTlsClient(partner, port, "TLSv1.3", "TLSv1.2")) {
      tls13.startHandshake();
      assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket tls12 = rawTlsClient(partner, port, "TLSv1.2")) {
      assertThatThrownBy(tls12::startHandshake).isInstanceOf(SSLException.class);
    }
  }

  /** A plain JDK TLS client offering only {@code protocols}, with the party's certificate. */
  private static SSLSocket rawTlsClient(PartyCredentials c, int port, String... protocols)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] pass = "test".toCharArray();
    keys.setKeyEntry(
        "party",
        c.privateKey(io.jointly.core.SecretAccess.insecure()),
        pass,
        c.certificateChain().toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pass);
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("ca", c.trustRoots().get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    SSLSocket socket =
        (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    SSLParameters params = socket.getSSLParameters();
    params.setProtocols(protocols);
    params.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(params);
    return socket;
  }

  @Test
  void connect_wrongSession_refusedAsHandshakeMismatch() throws Exception {
    TransportOptions quickLobby = OPTIONS.toBuilder().lobbyTimeout(SHORT).build();
    server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("bank")),
            Set.of("partner"),
            quickLobby);
    PendingSession pending = server.expect("s1", "partner");
    assertThatThrownBy(
            () ->
                GrpcTransport.connect(
                    server.endpoint(),
                    TransportSecurity.mutualTls(ca.issue("partner")),
                    "s2",
                    "bank",
                    quickLobby))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> {
              System.err.println("wrong session: " + e.getMessage());
              assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH);
              assertThat(e.getMessage()).contains("does not serve this session");
            });
    assertThatThrownBy(() -> pending.await(SHORT)).isInstanceOf(ChannelException.class);
  }

  @Test
  void connect_sessionAlreadyUnderWay_refusedAsHandshakeMismatch() throws Exception {
    listen(ca.issue("bank"), Set.of("partner"));
    PendingSession pending = server.expect("s1", "partner");
    TransportSecurity partner = TransportSecurity.mutualTls(ca.issue("partner"));
    RoundKey k = new RoundKey("refusal", 1, 0);
    try (TransportChannel first = GrpcTransport.connect(server.endpoint(), partner, "s1", "bank", OPTIONS);
        TransportChannel bankEnd = pending.await(Duration.ofSeconds(10))) {
      assertThat(bankEnd.peer()).isEqualTo("partner");
      first.send(k, Bytes.fromHex("01"));
      assertThat(bankEnd.receive(k, Duration.ofSeconds(10))).isEqualTo(Bytes.fromHex("01"));
      assertThatThrownBy(
              () -> GrpcTransport.connect(server.endpoint(), partner, "s1", "bank", OPTIONS))
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.getMessage()).contains("already under way or was used"));
      first.send(k.withSequence(1), Bytes.fromHex("02"));
      assertThat(bankEnd.receive(k.withSequence(1), Duration.ofSeconds(10))).isEqualTo(Bytes.fromHex("02"));
    }
  }

  @Test
  void connect_samePartyAgainBeforeAnythingMoved_takesTheSessionOver() throws Exception {
    listen(ca.issue("bank"), Set.of("partner"));
    PendingSession pending = server.expect("s1", "partner");
    TransportSecurity partner = TransportSecurity.mutualTls(ca.issue("partner"));
    RoundKey k = new RoundKey("refusal", 1, 0);
    // The first attempt's answer never mattered to the partner (say its side timed out): it
    // connects again with the same certificate, and the session moves to the newer connection.
    try (TransportChannel first = GrpcTransport.connect(server.endpoint(), partner, "s1", "bank", OPTIONS);
        TransportChannel bankEnd = pending.await(Duration.ofSeconds(10));
        TransportChannel second = GrpcTransport.connect(server.endpoint(), partner, "s1", "bank", OPTIONS)) {
      second.send(k, Bytes.fromHex("03"));
      assertThat(bankEnd.receive(k, Duration.ofSeconds(10))).isEqualTo(Bytes.fromHex("03"));
      assertThatThrownBy(() -> first.receive(k, Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> assertThat(e.getMessage()).contains("replaced by a newer connection"));
    }
  }
}
