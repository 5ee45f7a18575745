package io.jointly.transport.ic.internal;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a gRPC connection's bytes, unchanged, between the client and this party's gRPC server,
 * which listens on an in-JVM {@link LocalAddress} only (no socket: nothing outside this process
 * can reach it). The client's TLS ended at the outer connection, which authenticated the peer; the
 * HTTP/2 and gRPC conversation, flow control and keep-alives included, is the gRPC server's. The
 * buffers are handed over, not copied. Back-pressure both ways: a side whose writes queue up stops
 * reading from the other. Either side closing closes the other. Not shareable: one per connection.
 */
final class GrpcRelay extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcRelay.class);

  private final LocalAddress server;
  private final EventLoopGroup localLoops;
  private final Queue<Object> early = new ArrayDeque<>();
  private Channel inner;
  private boolean closed;

  /**
   * @param server the gRPC server's address
   * @param localLoops event loops that can run a {@link LocalChannel}
   */
  GrpcRelay(LocalAddress server, EventLoopGroup localLoops) {
    this.server = server;
    this.localLoops = localLoops;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    Channel outer = ctx.channel();
    outer.config().setAutoRead(false);
    new Bootstrap()
        .group(localLoops)
        .channel(LocalChannel.class)
        .handler(new Back(outer))
        .connect(server)
        .addListener(
            (ChannelFutureListener)
                f -> ctx.executor()
                    .execute(
                        () -> {
                          if (!f.isSuccess()) {
                            LOG.warn("cannot reach this party's gRPC server: {}", f.cause().toString());
                            drop();
                            outer.close();
                            return;
                          }
                          if (closed) {
                            f.channel().close();
                            return;
                          }
                          inner = f.channel();
                          while (!early.isEmpty()) {
                            inner.write(early.poll());
                          }
                          inner.flush();
                          outer.config().setAutoRead(true);
                        }));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (inner == null) {
      early.add(msg); // the preface and whatever came with it, before the inner connection is up
    } else {
      inner.write(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (inner != null) {
      inner.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (inner != null) {
      inner.config().setAutoRead(ctx.channel().isWritable());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    drop();
    if (inner != null && inner.isActive()) {
      inner.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("gRPC connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void drop() {
    while (!early.isEmpty()) {
      ReferenceCountUtil.release(early.poll());
    }
  }

  /** The gRPC server's side of the relay. */
  private static final class Back extends ChannelInboundHandlerAdapter {
    private final Channel outer;

    Back(Channel outer) {
      this.outer = outer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      outer.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      outer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      outer.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (outer.isActive()) {
        outer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("this party's gRPC server connection failed: {}", cause.toString());
      ctx.close();
    }
  }
}
