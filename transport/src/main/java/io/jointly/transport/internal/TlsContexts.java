package io.jointly.transport.internal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.jointly.core.SecretAccess;
import io.jointly.transport.PartyCredentials;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for mutual TLS 1.3: this party's certificate and key, a {@link PartyTrustManager}
 * for the expected peers, client certificates required, and no protocol but TLS 1.3.
 */
public final class TlsContexts {
  /** The only protocol offered or accepted. */
  public static final String TLS_1_3 = "TLSv1.3";

  private TlsContexts() {}

  /** A server context accepting clients named in {@code expectedPeers}. */
  public static SslContext server(PartyCredentials credentials, PartyTrustManager trust)
      throws SSLException {
    SslContextBuilder b =
        SslContextBuilder.forServer(key(credentials), chain(credentials));
    return GrpcSslContexts.configure(b)
        .trustManager(trust)
        .clientAuth(ClientAuth.REQUIRE)
        .protocols(TLS_1_3)
        .build();
  }

  /** A client context accepting only a server named {@code expectedPeer}. */
  public static SslContext client(PartyCredentials credentials, PartyTrustManager trust)
      throws SSLException {
    return GrpcSslContexts.forClient()
        .keyManager(key(credentials), chain(credentials))
        .trustManager(trust)
        .protocols(TLS_1_3)
        .build();
  }

  /** A trust manager for {@code expectedPeers} under the credentials' trust roots. */
  public static PartyTrustManager trust(PartyCredentials credentials, Set<String> expectedPeers) {
    return PartyTrustManager.create(credentials.trustRoots(), expectedPeers);
  }

  private static PrivateKey key(PartyCredentials c) {
    return c.privateKey(SecretAccess.insecure()); // handed to the TLS engine only
  }

  private static X509Certificate[] chain(PartyCredentials c) {
    return c.certificateChain().toArray(new X509Certificate[0]);
  }
}
