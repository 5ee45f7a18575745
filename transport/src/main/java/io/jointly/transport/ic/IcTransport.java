package io.jointly.transport.ic;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.Endpoint;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.ic.internal.IcKeys;
import io.jointly.transport.ic.internal.IcServer;
import io.jointly.transport.ic.internal.Mailbox;
import io.jointly.transport.ic.internal.Pusher;
import io.jointly.transport.ic.internal.Receiver;
import io.jointly.transport.internal.Addresses;
import io.jointly.transport.internal.Names;
import io.jointly.transport.internal.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The interconnection standard's white-box transport (spec §3): each party runs an {@code
 * org.interconnection.link.ReceiverService} at its own address and pushes its messages to the
 * peer's. This party's server takes the peer's pushes in gRPC (the standard's protocol) and in
 * brpc's baidu_std (what an unmodified SecretFlow reference pushes with) on the same port; it
 * pushes in gRPC, which the reference's server accepts. So, unlike Jointly's own transport, both
 * parties listen <em>and</em> connect: {@link
 * #listen} starts this party's server, {@link Listener#connect} then runs the connect phase with
 * the peer's server and returns the {@link IcSession}.
 *
 * <pre>{@code
 * try (IcTransport.Listener l = IcTransport.listen(1, Endpoint.parse("0.0.0.0:9444"), tls, "bank",
 *          IcTransportOptions.DEFAULTS);
 *      IcSession session = l.connect(Endpoint.parse("bank.example:9443"))) {
 *   IcPsiResult r = session.run(new InterconnectionPsi(params, pool, threads), input);
 * }
 * }</pre>
 *
 * <p>Security: with mutual TLS (TLS 1.3, as Jointly's own transport) the server accepts only a
 * client whose certificate names {@code peerName}, and the client only a server that does; with
 * plaintext both addresses must be loopback (or in-process). Neither the standard nor the
 * reference requires TLS, and the reference runs without it by default: a SecretFlow peer reaches
 * this party through a mutual-TLS tunnel at both ends, or with TLS enabled in its link
 * configuration (see the root README's interoperability section).
 */
public final class IcTransport {
  private IcTransport() {}

  /**
   * Starts this party's {@code ReceiverService} at {@code bind}.
   *
   * @param selfRank 0 or 1
   * @param peerName the peer's name in its certificate (mutual TLS), or a label (plaintext)
   * @throws ChannelException {@code IO} if the address cannot be bound or TLS not set up
   * @throws IllegalArgumentException for plaintext off loopback, TLS in-process, a bad rank or name
   */
  public static Listener listen(
      int selfRank, Endpoint bind, TransportSecurity security, String peerName, IcTransportOptions options)
      throws ChannelException {
    if (selfRank != 0 && selfRank != 1) {
      throw new IllegalArgumentException("rank must be 0 or 1");
    }
    Names.party(peerName);
    Objects.requireNonNull(options, "options");
    int peerRank = 1 - selfRank;
    Mailbox mailbox = new Mailbox();
    PusherRef pusher = new PusherRef();
    Receiver receiver =
        new Receiver(selfRank, peerRank, mailbox, options.maxMessageBytes(), s -> pusher.ack(s));
    boolean tls = security instanceof TransportSecurity.MutualTls;
    int maxInbound = options.chunkBytes() + (64 << 10);
    maxInbound = Math.max(maxInbound, (4 << 20) + (64 << 10));
    IcServer server;
    Endpoint actual;
    try {
      if (bind instanceof Endpoint.InProcess ip) {
        if (tls) {
          throw new IllegalArgumentException(
              "in-process endpoints carry no TLS: use TransportSecurity.insecurePlaintext");
        }
        server = IcServer.inProcess(ip.name(), receiver, maxInbound);
        actual = ip;
      } else {
        Endpoint.Tcp tcp = (Endpoint.Tcp) bind;
        InetSocketAddress addr = tls ? Addresses.forListening(tcp) : Addresses.loopbackOnly(tcp);
        SslContext ssl =
            security instanceof TransportSecurity.MutualTls m
                ? TlsContexts.server(m.credentials(), TlsContexts.trust(m.credentials(), Set.of(peerName)))
                : null;
        server = IcServer.listen(addr, ssl, receiver, maxInbound, options.connectTimeout(), "ic-rank" + selfRank);
        actual = new Endpoint.Tcp(tcp.host(), server.port());
      }
    } catch (SSLException e) {
      throw new ChannelException(ChannelException.Kind.IO, "cannot set up TLS: " + e.getMessage());
    } catch (IOException e) {
      throw new ChannelException(ChannelException.Kind.IO, "cannot listen on " + bind + ": " + e.getMessage());
    }
    return new Listener(selfRank, peerName, security, options, server, actual, mailbox, receiver, pusher);
  }

  /** Holds the pusher once it exists; ACKs for messages that arrive before are queued. */
  static final class PusherRef {
    private Pusher pusher;
    private final List<Long> early = new ArrayList<>();

    synchronized void ack(long seq) {
      if (pusher != null) {
        pusher.ack(seq);
      } else {
        early.add(seq);
      }
    }

    synchronized void set(Pusher p) {
      pusher = p;
      early.forEach(p::ack);
      early.clear();
    }
  }

  /** This party's running server, before the connect phase. Close it if {@link #connect} is not called. */
  public static final class Listener implements AutoCloseable {
    private final int selfRank;
    private final String peerName;
    private final TransportSecurity security;
    private final IcTransportOptions options;
    private final IcServer server;
    private final Endpoint endpoint;
    private final Mailbox mailbox;
    private final Receiver receiver;
    private final PusherRef pusherRef;
    private boolean handedOver;

    Listener(
        int selfRank,
        String peerName,
        TransportSecurity security,
        IcTransportOptions options,
        IcServer server,
        Endpoint endpoint,
        Mailbox mailbox,
        Receiver receiver,
        PusherRef pusherRef) {
      this.selfRank = selfRank;
      this.peerName = peerName;
      this.security = security;
      this.options = options;
      this.server = server;
      this.endpoint = endpoint;
      this.mailbox = mailbox;
      this.receiver = receiver;
      this.pusherRef = pusherRef;
    }

    /** Where this party's server listens (with the real port if 0 was asked for). */
    public Endpoint endpoint() {
      return endpoint;
    }

    /**
     * The connect phase (spec §3.8): pushes {@code connect_{selfRank}} to the peer's server until
     * it answers (the peer may still be starting), then waits for the peer's {@code
     * connect_{peerRank}}, both within the connect time-out.
     *
     * @throws ChannelException {@code TIMEOUT} if the peer did not come up in time, {@code IO} if
     *     TLS failed or the peer does not serve the interconnection service
     */
    public IcSession connect(Endpoint peer) throws ChannelException, ProtocolAbortException {
      if (handedOver) {
        throw new IllegalStateException("already connected");
      }
      ManagedChannel channel = channel(peer);
      Pusher pusher = new Pusher(channel, selfRank, options, mailbox, peerName + " at " + peer);
      pusherRef.set(pusher);
      boolean ok = false;
      try {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        long pause = 50;
        while (true) {
          String problem = pusher.tryConnect(IcKeys.connect(selfRank));
          if (problem == null) {
            break;
          }
          if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
            throw new ChannelException(
                ChannelException.Kind.TIMEOUT,
                "could not reach " + peerName + " at " + peer + " within " + options.connectTimeout() + " ("
                    + problem + ")");
          }
          sleep(pause);
          pause = Math.min(pause * 2, 1000);
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        mailbox.take(IcKeys.connect(1 - selfRank), left, "connect_" + (1 - selfRank));
        ok = true;
        handedOver = true;
        return new IcSession(selfRank, peerName, options, server, endpoint, mailbox, receiver, pusher);
      } finally {
        if (!ok) {
          pusher.shutdown();
        }
      }
    }

    private ManagedChannel channel(Endpoint peer) throws ChannelException {
      if (peer instanceof Endpoint.InProcess ip) {
        if (security instanceof TransportSecurity.MutualTls) {
          throw new IllegalArgumentException("in-process endpoints carry no TLS");
        }
        return InProcessChannelBuilder.forName(ip.name()).disableRetry().build();
      }
      Endpoint.Tcp tcp = (Endpoint.Tcp) peer;
      if (tcp.port() == 0) {
        throw new IllegalArgumentException("cannot connect to port 0");
      }
      NettyChannelBuilder b;
      if (security instanceof TransportSecurity.MutualTls m) {
        try {
          b =
              NettyChannelBuilder.forAddress(tcp.host(), tcp.port())
                  .sslContext(TlsContexts.client(m.credentials(), TlsContexts.trust(m.credentials(), Set.of(peerName))));
        } catch (SSLException e) {
          throw new ChannelException(ChannelException.Kind.IO, "cannot set up TLS: " + e.getMessage());
        }
      } else {
        b = NettyChannelBuilder.forAddress(Addresses.loopbackOnly(tcp)).usePlaintext();
      }
      return b.maxInboundMessageSize(1 << 20).disableRetry().build();
    }

    @Override
    public void close() {
      if (!handedOver) {
        server.close();
      }
    }
  }

  static void sleep(long millis) throws ChannelException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted");
    }
  }
}
