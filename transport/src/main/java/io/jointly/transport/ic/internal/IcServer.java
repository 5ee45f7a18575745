package io.jointly.transport.ic.internal;

import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelConfig;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.DefaultChannelConfig;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalIoHandler;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * This party's interconnection server (spec §3.1): one port that takes the peer's pushes in either
 * RPC protocol a client of the standard uses, gRPC (the standard's, PPCA §9.1) and brpc's baidu_std
 * (the SecretFlow reference client's default, spec §3.1 and open question Q1, so that an unmodified
 * reference can push here).
 *
 * <h2>Design</h2>
 *
 * A Netty server owns the port. Each accepted connection passes, with mutual TLS, through a TLS
 * handler (the transport's TLS 1.3 context: the client must present a certificate naming the peer)
 * and then, with or without TLS, through a {@link ProtocolSniffer} that looks at the first four
 * bytes the client sends: {@code PRPC} is baidu_std, served right there by a {@link
 * BaiduStdHandler}; {@code PRI } is the HTTP/2 preface of gRPC, and the connection is relayed
 * ({@link GrpcRelay}) to a gRPC server that listens on an in-JVM {@link LocalAddress}, out of reach
 * of anything outside this process. Both paths end in the same {@link Receiver}. With plaintext the
 * port must be on loopback (checked by the caller); a TLS ClientHello on a plaintext port, or
 * plaintext on a TLS port, is refused.
 *
 * <p>Why not one gRPC server with a custom negotiator: grpc-java offers that only through internal
 * APIs, and its transport treats a connection that never completes the HTTP/2 handshake as failed
 * (handshake time-out, shutdown by writing HTTP/2 commands into it). The relay uses public APIs
 * only and costs a buffer hand-over between two event loops.
 *
 * <p>Thread-safety: started and closed by one thread; the connections run on Netty's event loops.
 */
public final class IcServer implements AutoCloseable {
  private final Server grpc;
  private final Channel listening;
  private final EventLoopGroup netLoops;
  private final EventLoopGroup localLoops;
  private final ChannelGroup connections;
  private final int port;

  private IcServer(
      Server grpc, Channel listening, EventLoopGroup netLoops, EventLoopGroup localLoops, ChannelGroup connections, int port) {
    this.grpc = grpc;
    this.listening = listening;
    this.netLoops = netLoops;
    this.localLoops = localLoops;
    this.connections = connections;
    this.port = port;
  }

  /** gRPC only, in-process (tests and in-JVM runs; no TLS there). */
  public static IcServer inProcess(String name, Receiver receiver, int maxMessageBytes) throws IOException {
    Server s = InProcessServerBuilder.forName(name).addService(receiver).maxInboundMessageSize(maxMessageBytes).build().start();
    return new IcServer(s, null, null, null, null, -1);
  }

  /**
   * Listens at {@code bind} for gRPC and baidu_std.
   *
   * @param tls the server TLS context (client certificate required), or null for plaintext
   * @param maxMessageBytes the largest gRPC message and baidu_std body accepted
   * @param handshakeLimit how long a new connection may take for its TLS handshake and first bytes
   * @param threadName the prefix of the event loop threads' names
   */
  public static IcServer listen(
      InetSocketAddress bind,
      SslContext tls,
      Receiver receiver,
      int maxMessageBytes,
      Duration handshakeLimit,
      String threadName)
      throws IOException {
    EventLoopGroup net =
        new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
    EventLoopGroup local =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName + "-grpc", true), LocalIoHandler.newFactory());
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Server grpc = null;
    try {
      LocalAddress inner = new LocalAddress("jointly-ic-" + HexFormat.of().formatHex(randomBytes()));
      grpc =
          NettyServerBuilder.forAddress(inner)
              .channelType(InnerServerChannel.class)
              .bossEventLoopGroup(local)
              .workerEventLoopGroup(local)
              .addService(receiver)
              .maxInboundMessageSize(maxMessageBytes)
              .permitKeepAliveTime(5, TimeUnit.SECONDS)
              .handshakeTimeout(handshakeLimit.toMillis(), TimeUnit.MILLISECONDS)
              .build()
              .start();
      Channel ch =
          new ServerBootstrap()
              .group(net)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      connections.add(c);
                      if (tls != null) {
                        SslHandler h = tls.newHandler(c.alloc());
                        h.setHandshakeTimeoutMillis(handshakeLimit.toMillis());
                        c.pipeline().addLast("tls", h);
                      }
                      c.pipeline()
                          .addLast(
                              "sniffer",
                              new ProtocolSniffer(
                                  tls != null,
                                  handshakeLimit,
                                  () -> new BaiduStdHandler(receiver, maxMessageBytes),
                                  () -> new GrpcRelay(inner, local)));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
      return new IcServer(grpc, ch, net, local, connections, ((InetSocketAddress) ch.localAddress()).getPort());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown(grpc, net, local);
      throw new IOException("interrupted while binding " + bind);
    } catch (RuntimeException | IOException e) {
      shutdown(grpc, net, local);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** The port listened on (-1 in-process). */
  public int port() {
    return port;
  }

  /** Stops listening, closes every connection and waits (a little) for the threads to stop. */
  @Override
  public void close() {
    if (listening != null) {
      listening.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(2, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpc.shutdownNow();
    }
    if (netLoops != null) {
      // The relays' inner side first: its last writes go to outer connections, already closed.
      localLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      netLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void shutdown(Server grpc, EventLoopGroup net, EventLoopGroup local) {
    if (grpc != null) {
      grpc.shutdownNow();
    }
    net.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    local.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * The in-JVM listening channel of the gRPC server. grpc-java sets {@code SO_KEEPALIVE} on every
   * accepted channel, "ignored for non-socket channels" (NettyServer), but Netty logs a warning for
   * each option a channel does not know: a line per gRPC connection that would only confuse an
   * operator. Its channels take that one option silently (there is no socket to keep alive; the
   * outer TCP connection and gRPC's own keep-alives do that).
   */
  public static final class InnerServerChannel extends LocalServerChannel {
    @Override
    protected LocalChannel newLocalChannel(LocalChannel peer) {
      return new InnerChannel(this, peer);
    }
  }

  /** An accepted in-JVM channel that takes {@code SO_KEEPALIVE} as a no-op. */
  private static final class InnerChannel extends LocalChannel {
    private ChannelConfig config; // created by the first config() call, from LocalChannel's constructor

    InnerChannel(LocalServerChannel parent, LocalChannel peer) {
      super(parent, peer);
    }

    @Override
    public ChannelConfig config() {
      if (config == null) {
        config =
            new DefaultChannelConfig(this) {
              @Override
              public <T> boolean setOption(ChannelOption<T> option, T value) {
                return option == ChannelOption.SO_KEEPALIVE || super.setOption(option, value);
              }
            };
      }
      return config;
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "IcServer[" + (listening == null ? "in-process" : "port " + port) + "]";
  }
}
