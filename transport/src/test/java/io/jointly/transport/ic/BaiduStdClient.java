package io.jointly.transport.ic;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only client of brpc's baidu_std protocol, written from its description (apache/brpc
 * docs/cn/baidu_std.md: the 12-byte header "PRPC", body_size, meta_size, big-endian; the RpcMeta
 * fields of src/brpc/policy/baidu_rpc_meta.proto at tag 1.10.0) and from what brpc 1.10.0's client
 * writes (baidu_rpc_protocol.cpp {@code PackRpcRequest}: request.service_name = the service's full
 * name, request.method_name, compress_type always, correlation_id). It encodes and decodes the meta
 * by hand, field by field, independently of the server's generated classes, so that their field
 * numbers are checked too. Like brpc's "single" connection (yacl's default) it keeps one
 * connection and lets many calls be in flight on it at once, matching answers by correlation_id.
 */
final class BaiduStdClient implements AutoCloseable {
  static final String SERVICE = "org.interconnection.link.ReceiverService";

  /** A decoded response frame. */
  record Response(long correlationId, int errorCode, String errorText, int compressType, byte[] data) {}

  private final Socket socket;
  private final OutputStream out;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile IOException failure;

  BaiduStdClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    this.reader = new Thread(() -> readLoop(in), "baidu-std-client");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  static BaiduStdClient connect(int port) throws IOException {
    return new BaiduStdClient(new Socket("127.0.0.1", port));
  }

  /** Calls ReceiverService.Push with {@code pushRequest} (serialized) as brpc's client does. */
  byte[] push(byte[] pushRequest, Duration timeout) throws Exception {
    long cid = ids.incrementAndGet();
    Response r = call(request(cid, SERVICE, "Push", 0, -1, pushRequest), cid).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r.errorCode() != 0) {
      throw new IOException("baidu_std error " + r.errorCode() + ": " + r.errorText());
    }
    return r.data();
  }

  /** Sends a whole frame and returns the future of the answer to {@code cid}. */
  CompletableFuture<Response> call(byte[] frame, long cid) throws IOException {
    CompletableFuture<Response> f = expect(cid);
    if (!f.isDone()) {
      send(frame);
    }
    return f;
  }

  /** The future of the answer to {@code cid}, for frames sent with {@link #send}. */
  CompletableFuture<Response> expect(long cid) {
    CompletableFuture<Response> f = new CompletableFuture<>();
    pending.put(cid, f);
    if (failure != null) {
      f.completeExceptionally(failure);
    }
    return f;
  }

  /** Writes raw bytes (whole frames, parts of frames, anything). */
  synchronized void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** True if the server closed the connection within {@code timeout}. */
  boolean closedBy(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
    return !reader.isAlive();
  }

  // ------------------------------------------------------------------ frames

  /**
   * A request frame: meta = request{service_name, method_name}, compress_type, correlation_id, and
   * attachment_size if {@code attachment >= 0}; then {@code data}.
   */
  static byte[] request(long cid, String service, String method, int compressType, int attachment, byte[] data) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    bytesField(req, 1, service.getBytes(StandardCharsets.UTF_8));
    bytesField(req, 2, method.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    bytesField(meta, 1, req.toByteArray());
    varintField(meta, 3, compressType);
    varintField(meta, 4, cid);
    if (attachment >= 0) {
      varintField(meta, 5, attachment);
    }
    return frame(meta.toByteArray(), data);
  }

  static byte[] frame(byte[] meta, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + meta.length + data.length);
    b.put("PRPC".getBytes(StandardCharsets.US_ASCII));
    b.putInt(meta.length + data.length).putInt(meta.length).put(meta).put(data);
    return b.array();
  }

  private void readLoop(InputStream raw) {
    DataInputStream in = new DataInputStream(raw);
    try {
      while (true) {
        byte[] header = new byte[12];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        byte[] magic = new byte[4];
        h.get(magic);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("PRPC")) {
          throw new IOException("response does not start with PRPC");
        }
        int body = h.getInt();
        int metaSize = h.getInt();
        byte[] meta = new byte[metaSize];
        in.readFully(meta);
        byte[] data = new byte[body - metaSize];
        in.readFully(data);
        Response r = decode(meta, data);
        CompletableFuture<Response> f = pending.remove(r.correlationId());
        if (f != null) {
          f.complete(r);
        }
      }
    } catch (EOFException e) {
      fail(new IOException("the server closed the connection"));
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    failure = e;
    pending.values().forEach(f -> f.completeExceptionally(e));
  }

  /** Decodes a response meta by hand (fields 2 response{1 error_code, 2 error_text}, 3, 4, 5). */
  static Response decode(byte[] meta, byte[] data) throws IOException {
    long cid = 0;
    int code = 0;
    int compress = -1;
    String text = "";
    int attachment = 0;
    ByteBuffer b = ByteBuffer.wrap(meta);
    while (b.hasRemaining()) {
      long tag = varint(b);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 2 && wire == 2) {
        int len = (int) varint(b);
        ByteBuffer r = ByteBuffer.wrap(meta, b.position(), len).slice();
        b.position(b.position() + len);
        while (r.hasRemaining()) {
          long t = varint(r);
          if (t == (1 << 3)) {
            code = (int) varint(r);
          } else if (t == ((2 << 3) | 2)) {
            byte[] s = new byte[(int) varint(r)];
            r.get(s);
            text = new String(s, StandardCharsets.UTF_8);
          } else {
            throw new IOException("unexpected field in RpcResponseMeta: tag " + t);
          }
        }
      } else if (field == 3 && wire == 0) {
        compress = (int) varint(b);
      } else if (field == 4 && wire == 0) {
        cid = varint(b);
      } else if (field == 5 && wire == 0) {
        attachment = (int) varint(b);
      } else {
        throw new IOException("unexpected field in RpcMeta: tag " + tag);
      }
    }
    if (attachment != 0) {
      throw new IOException("a response with an attachment");
    }
    return new Response(cid, code, text, compress, data);
  }

  private static long varint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b.get() & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if (x < 0x80) {
        return v;
      }
    }
  }

  private static void varintField(ByteArrayOutputStream o, int field, long v) {
    writeVarint(o, (long) field << 3);
    writeVarint(o, v);
  }

  private static void bytesField(ByteArrayOutputStream o, int field, byte[] v) {
    writeVarint(o, ((long) field << 3) | 2);
    writeVarint(o, v.length);
    o.write(v, 0, v.length);
  }

  private static void writeVarint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7FL) != 0) {
      o.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
