package io.jointly.transport.ic.internal;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a connection to this party's {@code ReceiverService} (after TLS, if any):
 * reads the client's first four bytes and hands the connection to the protocol they begin. {@code
 * PRPC} is brpc's baidu_std ({@link BaiduStdHandler}); {@code PRI } begins the HTTP/2 client
 * preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 §3.4) that every gRPC client sends
 * first ({@link GrpcRelay}). Both magics are sent by the client before it reads anything, so one
 * look decides; the bytes read so far go on to the chosen handler. Anything else, or nothing
 * within the time limit, closes the connection. Not shareable: one per connection.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolSniffer.class);

  /** "PRI " as a big-endian int. */
  static final int HTTP2_PREFACE_START = 0x50524920;

  /** The first byte of a TLS record carrying a handshake (a ClientHello). */
  private static final int TLS_HANDSHAKE_RECORD = 0x16;

  private final boolean tls;
  private final Duration limit;
  private final Supplier<BaiduStdHandler> baiduStd;
  private final Supplier<GrpcRelay> grpc;
  private Future<?> deadline;

  ProtocolSniffer(boolean tls, Duration limit, Supplier<BaiduStdHandler> baiduStd, Supplier<GrpcRelay> grpc) {
    this.tls = tls;
    this.limit = limit;
    this.baiduStd = baiduStd;
    this.grpc = grpc;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  LOG.debug("closing a connection from {} that sent nothing within {}", ctx.channel().remoteAddress(), limit);
                  ctx.close();
                },
                limit.toMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int readable = in.readableBytes();
    if (readable == 0) {
      return;
    }
    if (!tls && in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
      refuse(ctx, in, "it starts a TLS handshake, but this party listens in plaintext (--insecure)");
      return;
    }
    if (readable < 4) {
      return;
    }
    int magic = in.getInt(in.readerIndex());
    if (magic == BaiduStd.MAGIC) {
      ctx.pipeline().addAfter(ctx.name(), "baidu-std", baiduStd.get());
    } else if (magic == HTTP2_PREFACE_START) {
      ctx.pipeline().addAfter(ctx.name(), "grpc-relay", grpc.get());
    } else {
      refuse(ctx, in, "it speaks neither gRPC (HTTP/2) nor brpc's baidu_std");
      return;
    }
    ctx.pipeline().remove(this); // hands the bytes read so far to the chosen handler
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
      LOG.warn("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), e.cause().toString());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection from {} failed before its protocol was known: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private static void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
    LOG.warn("closing a connection from {}: {}", ctx.channel().remoteAddress(), why);
    in.skipBytes(in.readableBytes());
    ctx.close();
  }
}
