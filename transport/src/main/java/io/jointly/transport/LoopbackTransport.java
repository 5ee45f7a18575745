package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Both ends of one transport channel in this JVM: a server on an ephemeral port of {@code
 * 127.0.0.1} (or in-process) and a client connected to it. For benchmarks and tests that want the
 * real transport between two parties run by {@link io.jointly.channel.TwoPartyRun}.
 *
 * <pre>{@code
 * try (LoopbackTransport loop = LoopbackTransport.mutualTls("bench", "bank", "partner",
 *         TransportOptions.DEFAULTS)) {
 *   TwoPartyRun.run(loop.pair(), bankSide, partnerSide, Duration.ofMinutes(10));
 *   ChannelStats wire = loop.listening().wireStats();   // the bank's real wire bytes
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LoopbackTransport implements AutoCloseable {
  private final TransportServer server;
  private final TransportChannel listening;
  private final TransportChannel connecting;

  private LoopbackTransport(
      TransportServer server, TransportChannel listening, TransportChannel connecting) {
    this.server = server;
    this.listening = listening;
    this.connecting = connecting;
  }

  /**
   * Mutual TLS 1.3 over TCP on 127.0.0.1, with certificates from a fresh {@link ThrowawayCa}.
   *
   * @param sessionId the session
   * @param listeningParty the party that listens (the pair's first end)
   * @param connectingParty the party that connects (the pair's second end)
   */
  public static LoopbackTransport mutualTls(
      String sessionId, String listeningParty, String connectingParty, TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    return open(
        Endpoint.loopback(0),
        TransportSecurity.mutualTls(ca.issue(listeningParty)),
        TransportSecurity.mutualTls(ca.issue(connectingParty)),
        sessionId,
        options);
  }

  /** Plaintext over TCP on 127.0.0.1. */
  public static LoopbackTransport plaintext(
      String sessionId, String listeningParty, String connectingParty, TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    return open(
        Endpoint.loopback(0),
        TransportSecurity.insecurePlaintext(listeningParty),
        TransportSecurity.insecurePlaintext(connectingParty),
        sessionId,
        options);
  }

  /** gRPC in-process: no sockets, no TLS. */
  public static LoopbackTransport inProcess(
      String sessionId, String listeningParty, String connectingParty, TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    byte[] tag = new byte[8];
    new SecureRandom().nextBytes(tag);
    return open(
        Endpoint.inProcess("jointly-" + HexFormat.of().formatHex(tag)),
        TransportSecurity.insecurePlaintext(listeningParty),
        TransportSecurity.insecurePlaintext(connectingParty),
        sessionId,
        options);
  }

  /**
   * A server at {@code bind} for {@code listening.party()} and a client for {@code
   * connecting.party()} connected to it.
   */
  public static LoopbackTransport open(
      Endpoint bind,
      TransportSecurity listening,
      TransportSecurity connecting,
      String sessionId,
      TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    Objects.requireNonNull(options);
    TransportServer server =
        GrpcTransport.listen(bind, listening, Set.of(connecting.party()), options);
    TransportChannel client = null;
    try {
      PendingSession pending = server.expect(sessionId, connecting.party());
      client =
          GrpcTransport.connect(server.endpoint(), connecting, sessionId, listening.party(), options);
      TransportChannel serverEnd = pending.await(options.connectTimeout());
      return new LoopbackTransport(server, serverEnd, client);
    } catch (ChannelException | ProtocolAbortException | RuntimeException e) {
      if (client != null) {
        client.close();
      }
      server.close();
      throw e;
    }
  }

  /** The listening party's end. */
  public TransportChannel listening() {
    return listening;
  }

  /** The connecting party's end. */
  public TransportChannel connecting() {
    return connecting;
  }

  /** (listening end, connecting end), for {@link io.jointly.channel.TwoPartyRun}. */
  public ChannelPair pair() {
    return new ChannelPair(listening, connecting);
  }

  /** The server (for example to expect further sessions on it). */
  public TransportServer server() {
    return server;
  }

  /** Closes both ends and the server. */
  @Override
  public void close() {
    connecting.close();
    listening.close();
    server.close();
  }
}
