package io.jointly.transport.ic.internal;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One baidu_std connection ({@link BaiduStd}): cuts frames out of the byte stream, checks each
 * header against the frame limit before the body arrives, serves each request with the {@link
 * Receiver} on the connection's event loop (a push only stores, reassembles and queues an ACK, so it
 * never blocks) and writes the answers in request order, flushed once per read. Stops reading while
 * the answers cannot be written (a client that sends without reading). A framing error closes the
 * connection. Not shareable: one per connection.
 */
final class BaiduStdHandler extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(BaiduStdHandler.class);

  private final Receiver receiver;
  private final int maxBodyBytes;
  private boolean closing;

  /**
   * @param maxBodyBytes the largest {@code body_size} accepted: a PushRequest chunk (the reference
   *     cuts values at 1 MiB for baidu_std) with room for its key and the meta
   */
  BaiduStdHandler(Receiver receiver, int maxBodyBytes) {
    this.receiver = receiver;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (closing) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < BaiduStd.HEADER_BYTES) {
      return;
    }
    int at = in.readerIndex();
    if (in.getInt(at) != BaiduStd.MAGIC) {
      close(ctx, in, "a frame that does not start with PRPC");
      return;
    }
    long body = in.getUnsignedInt(at + 4);
    long meta = in.getUnsignedInt(at + 8);
    if (body > maxBodyBytes) {
      close(ctx, in, "a frame of " + body + " bytes, more than the limit of " + maxBodyBytes);
      return;
    }
    if (meta > body) {
      close(ctx, in, "a frame whose meta_size " + meta + " exceeds its body_size " + body);
      return;
    }
    if (in.readableBytes() < BaiduStd.HEADER_BYTES + body) {
      return; // the rest of the body has not arrived yet
    }
    in.skipBytes(BaiduStd.HEADER_BYTES);
    byte[] metaBytes = new byte[(int) meta];
    in.readBytes(metaBytes);
    byte[] payload = new byte[(int) (body - meta)];
    in.readBytes(payload);
    BaiduStd.Outcome outcome = BaiduStd.serve(metaBytes, payload, receiver);
    if (outcome instanceof BaiduStd.Outcome.Answer a) {
      ctx.write(Unpooled.wrappedBuffer(a.frame()));
      if (!ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      close(ctx, in, ((BaiduStd.Outcome.Close) outcome).why());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    ctx.flush();
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("baidu_std connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void close(ChannelHandlerContext ctx, ByteBuf in, String why) {
    if (!closing) {
      closing = true;
      receiver.malformed("baidu_std: " + why);
      LOG.warn("closing the baidu_std connection from {}: {}", ctx.channel().remoteAddress(), why);
    }
    in.skipBytes(in.readableBytes());
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
  }
}
