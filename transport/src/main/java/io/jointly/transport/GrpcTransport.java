package io.jointly.transport;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.internal.Addresses;
import io.jointly.transport.internal.ClientConnector;
import io.jointly.transport.internal.Names;
import io.jointly.transport.internal.SessionRegistry;
import io.jointly.transport.internal.TlsContexts;
import io.jointly.transport.internal.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Entry point of the gRPC transport: {@link #listen} starts the listening side, {@link #connect}
 * opens a channel to a listening peer. Either party of a protocol may listen; protocol roles and
 * transport roles are independent.
 *
 * <pre>{@code
 * // partner (connects)
 * TransportSecurity tls = TransportSecurity.mutualTls(
 *     PartyCredentials.fromPemDirectory(Path.of("pki"), "partner"));
 * try (TransportChannel channel = GrpcTransport.connect(Endpoint.parse("bank.example:7000"), tls,
 *         "campaign-2026-11", "bank", TransportOptions.DEFAULTS)) {
 *   result = psi.run(input, channel);
 * }
 * }</pre>
 */
public final class GrpcTransport {
  private GrpcTransport() {}

  /**
   * Starts a server at {@code bind} for this party ({@code security.party()}), accepting
   * connections from the parties in {@code peers} only. With mutual TLS, a client whose
   * certificate does not chain to the trust root or names none of {@code peers} is refused in the
   * TLS handshake; with plaintext, {@code bind} must be a loopback address or in-process.
   *
   * @throws ChannelException {@code IO} if the address cannot be bound
   * @throws IllegalArgumentException for plaintext on a non-loopback address, mutual TLS on an
   *     in-process endpoint, or invalid party names
   */
  public static TransportServer listen(
      Endpoint bind, TransportSecurity security, Set<String> peers, TransportOptions options)
      throws ChannelException {
    String self = security.party();
    Set<String> expected = Set.copyOf(peers);
    if (expected.isEmpty()) {
      throw new IllegalArgumentException("name at least one peer that may connect");
    }
    expected.forEach(Names::party);
    if (expected.contains(self)) {
      throw new IllegalArgumentException("a party cannot expect itself as a peer");
    }
    boolean tls = security instanceof TransportSecurity.MutualTls;
    SessionRegistry registry = new SessionRegistry(self, expected, tls, options);
    var service = ServerInterceptors.intercept(registry.service(), registry.identityInterceptor());
    Server server;
    Endpoint actual;
    try {
      if (bind instanceof Endpoint.InProcess ip) {
        if (tls) {
          throw new IllegalArgumentException(
              "in-process endpoints carry no TLS: use TransportSecurity.insecurePlaintext");
        }
        server =
            InProcessServerBuilder.forName(ip.name())
                .addService(service)
                .maxInboundMessageSize(Wire.MAX_FRAME_BYTES)
                .build()
                .start();
        actual = ip;
      } else {
        Endpoint.Tcp tcp = (Endpoint.Tcp) bind;
        InetSocketAddress addr = tls ? Addresses.forListening(tcp) : Addresses.loopbackOnly(tcp);
        long pingMillis = options.keepAliveTime().toMillis();
        NettyServerBuilder b =
            NettyServerBuilder.forAddress(addr)
                .addService(service)
                .maxInboundMessageSize(Wire.MAX_FRAME_BYTES)
                .keepAliveTime(pingMillis, TimeUnit.MILLISECONDS)
                .keepAliveTimeout(options.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // clients ping no more often than every 10 s (gRPC's floor); tolerate half that
                .permitKeepAliveTime(Math.min(pingMillis, 10_000) / 2, TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .handshakeTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (security instanceof TransportSecurity.MutualTls m) {
          b.sslContext(TlsContexts.server(m.credentials(), TlsContexts.trust(m.credentials(), expected)));
        }
        server = b.build().start();
        actual = boundEndpoint(tcp, server);
      }
    } catch (SSLException e) {
      registry.close();
      throw new ChannelException(ChannelException.Kind.IO, "cannot set up TLS: " + e.getMessage());
    } catch (IOException e) {
      registry.close();
      throw new ChannelException(
          ChannelException.Kind.IO, "cannot listen on " + bind + ": " + e.getMessage());
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return new TransportServer(server, registry, actual, self, expected);
  }

  /**
   * Connects to {@code peer} listening at {@code target} and opens the channel for {@code
   * sessionId}. Retries while the peer is not reachable yet, up to the connect time-out.
   *
   * @throws ChannelException {@code TIMEOUT} if the peer could not be reached in time; {@code IO}
   *     if TLS authentication failed either way (the message says which check) or the connection
   *     broke
   * @throws ProtocolAbortException {@code HANDSHAKE_MISMATCH} if the peer refused the session
   *     (unknown session, unexpected party, version) or answered for another one
   * @throws IllegalArgumentException for plaintext to a non-loopback address, mutual TLS to an
   *     in-process endpoint, or invalid names
   */
  public static TransportChannel connect(
      Endpoint target,
      TransportSecurity security,
      String sessionId,
      String peer,
      TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    return ClientConnector.connect(target, security, sessionId, peer, options);
  }

  /** {@link #connect} with {@link TransportOptions#DEFAULTS}. */
  public static TransportChannel connect(
      Endpoint target, TransportSecurity security, String sessionId, String peer)
      throws ChannelException, ProtocolAbortException {
    return connect(target, security, sessionId, peer, TransportOptions.DEFAULTS);
  }

  private static Endpoint boundEndpoint(Endpoint.Tcp requested, Server server) {
    for (SocketAddress a : server.getListenSockets()) {
      if (a instanceof InetSocketAddress inet) {
        return new Endpoint.Tcp(requested.host(), inet.getPort());
      }
    }
    return requested;
  }
}
