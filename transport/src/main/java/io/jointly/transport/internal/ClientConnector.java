package io.jointly.transport.internal;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.Endpoint;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.internal.proto.JointlyTransportGrpc;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connecting party: opens one gRPC connection and one stream per channel, sends its hello and
 * waits for the listening party's answer. While the peer is not reachable yet (connection refused,
 * still starting) it retries with capped exponential back-off until the connect time-out; a TLS
 * failure or a refusal by the peer is final at once.
 */
public final class ClientConnector {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnector.class);
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1000;

  private ClientConnector() {}

  /** Connects to {@code peer} at {@code target} for {@code sessionId}. */
  public static StreamChannel connect(
      Endpoint target,
      TransportSecurity security,
      String sessionId,
      String peer,
      TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    Names.session(sessionId);
    Names.party(peer);
    String self = security.party();
    if (self.equals(peer)) {
      throw new IllegalArgumentException("a party cannot connect to itself");
    }
    PartyTrustManager trust = null;
    ManagedChannel managed;
    if (target instanceof Endpoint.InProcess ip) {
      if (!(security instanceof TransportSecurity.InsecurePlaintext)) {
        throw new IllegalArgumentException(
            "in-process endpoints carry no TLS: use TransportSecurity.insecurePlaintext");
      }
      managed =
          InProcessChannelBuilder.forName(ip.name())
              .maxInboundMessageSize(Wire.MAX_FRAME_BYTES)
              .disableRetry()
              .build();
    } else {
      Endpoint.Tcp tcp = (Endpoint.Tcp) target;
      if (tcp.port() == 0) {
        throw new IllegalArgumentException("cannot connect to port 0");
      }
      NettyChannelBuilder b;
      if (security instanceof TransportSecurity.MutualTls m) {
        trust = TlsContexts.trust(m.credentials(), Set.of(peer));
        try {
          b =
              NettyChannelBuilder.forAddress(tcp.host(), tcp.port())
                  .sslContext(TlsContexts.client(m.credentials(), trust));
        } catch (SSLException e) {
          throw new ChannelException(
              ChannelException.Kind.IO, "cannot set up TLS: " + e.getMessage());
        }
      } else {
        InetSocketAddress addr = Addresses.loopbackOnly(tcp); // refuses non-loopback plaintext
        b = NettyChannelBuilder.forAddress(addr).usePlaintext();
      }
      managed =
          b.maxInboundMessageSize(Wire.MAX_FRAME_BYTES)
              .keepAliveTime(options.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
              .keepAliveTimeout(options.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .keepAliveWithoutCalls(false)
              .disableRetry()
              .build();
    }
    String remote = peer + " at " + target;
    boolean connected = false;
    try {
      StreamChannel ch = handshake(managed, trust, sessionId, self, peer, target, options);
      connected = true;
      return ch;
    } finally {
      if (!connected) {
        managed.shutdownNow();
      }
      LOG.debug("connect to {} {}", remote, connected ? "succeeded" : "failed");
    }
  }

  private static StreamChannel handshake(
      ManagedChannel managed,
      PartyTrustManager trust,
      String sessionId,
      String self,
      String peer,
      Endpoint target,
      TransportOptions options)
      throws ChannelException, ProtocolAbortException {
    long deadline = System.nanoTime() + options.connectTimeout().toNanos();
    long backoff = FIRST_BACKOFF_MILLIS;
    String lastProblem = "no answer";
    while (true) {
      StreamChannel ch =
          new StreamChannel(
              StreamChannel.Side.CONNECTING,
              sessionId,
              self,
              peer,
              target.toString(),
              options,
              managed::shutdownNow);
      JointlyTransportGrpc.newStub(managed)
          .withOnReadyThreshold(2 * options.chunkBytes())
          .exchange(ch.clientObserver());
      ch.sendHello();
      StreamChannel.Handshake outcome = ch.awaitEstablished(deadline);
      if (outcome instanceof StreamChannel.Handshake.Established) {
        if (trust != null) {
          ch.authenticatedPeer(trust.lastAccepted());
        }
        return ch;
      }
      if (outcome instanceof StreamChannel.Handshake.Refused r) {
        throw r.reason();
      }
      if (outcome instanceof StreamChannel.Handshake.TimedOut) {
        ch.abort("connect time-out");
        throw new ChannelException(
            ChannelException.Kind.TIMEOUT,
            "could not connect to "
                + peer
                + " at "
                + target
                + " within "
                + options.connectTimeout()
                + " ("
                + lastProblem
                + ")");
      }
      Throwable cause = ((StreamChannel.Handshake.CallFailed) outcome).cause();
      Status.Code code = Failures.code(cause);
      String rejectedByUs = trust != null ? trust.lastRejection() : null;
      if (rejectedByUs != null || Failures.isTlsRefusal(cause)) {
        String why =
            rejectedByUs != null ? rejectedByUs : "the peer did not accept this party's certificate";
        throw new ChannelException(
            ChannelException.Kind.IO,
            "TLS authentication with " + peer + " at " + target + " failed: " + why);
      }
      if (Failures.isRefusal(code)) {
        throw Failures.refused(peer + " at " + target, code);
      }
      if (code != Status.Code.UNAVAILABLE) {
        throw Failures.connectionLost(peer + " at " + target, cause);
      }
      lastProblem = Failures.describe(cause);
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new ChannelException(
            ChannelException.Kind.TIMEOUT,
            "could not connect to "
                + peer
                + " at "
                + target
                + " within "
                + options.connectTimeout()
                + " ("
                + lastProblem
                + ")");
      }
      LOG.debug("{} at {} not reachable yet ({}); retrying", peer, target, lastProblem);
      try {
        Thread.sleep(Math.min(backoff, left)); // back-off between connection attempts
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted while connecting");
      }
      backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
      managed.resetConnectBackoff();
    }
  }
}
