package io.jointly.transport.ic.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.RpcMeta;
import io.jointly.transport.ic.internal.proto.RpcResponseMeta;
import java.nio.ByteBuffer;

/**
 * brpc's {@code baidu_std} protocol, as far as a server of {@code ReceiverService.Push} needs it:
 * the protocol the SecretFlow reference's client speaks by default (yacl's {@code
 * brpc_channel_protocol = "baidu_std"}; spec §3.1, option (b) of its open question Q1).
 *
 * <h2>Wire format</h2>
 *
 * Sources: apache/brpc {@code docs/cn/baidu_std.md} (the protocol's description) and, at tag 1.10.0
 * (the brpc the reference links), {@code src/brpc/policy/baidu_rpc_meta.proto} (the meta's fields)
 * and {@code src/brpc/policy/baidu_rpc_protocol.cpp} (what a brpc client puts in a request and
 * what a brpc server answers). A connection carries frames, each a 12-byte header and a body:
 *
 * <pre>
 * "PRPC" | body_size (uint32, big-endian) | meta_size (uint32, big-endian) | meta | data | attachment
 * </pre>
 *
 * {@code body_size} counts meta, data and attachment; {@code meta_size} the meta, an {@code
 * RpcMeta} protobuf; the attachment is the last {@code RpcMeta.attachment_size} bytes (0 if
 * unset). A request's meta holds {@code request.service_name} (the service's full name, {@code
 * org.interconnection.link.ReceiverService}, or its bare name, which brpc also accepts), {@code
 * request.method_name} ({@code Push}), optionally {@code request.log_id}, the client's {@code
 * correlation_id} and {@code compress_type} (0 = none; a brpc client writes it always); its data is
 * the serialized {@code PushRequest}. The response's meta holds {@code response.error_code} (0, or
 * a brpc errno such as 1001 no such service), {@code response.error_text} when there is one,
 * {@code compress_type} 0 and the request's {@code correlation_id}; its data is the serialized
 * {@code PushResponse}, absent when {@code error_code} is not 0. A client may send several requests
 * on one connection before reading the answers (brpc's "single" connection, yacl's default) and
 * matches answers by {@code correlation_id}; this server answers in the order of the requests.
 *
 * <h2>Limits</h2>
 *
 * A frame whose {@code body_size} exceeds the limit, whose {@code meta_size} exceeds its {@code
 * body_size}, that does not start with {@code PRPC} or whose meta is not an {@code RpcMeta} ends the
 * connection, as in brpc, and fails the session ({@code MALFORMED_MESSAGE}). The limit is checked
 * on the header, before the body arrives. Stateless.
 */
public final class BaiduStd {
  private BaiduStd() {}

  /** Header bytes before each body. */
  public static final int HEADER_BYTES = 12;

  /** "PRPC" as a big-endian int, the first four bytes of every frame. */
  public static final int MAGIC = 0x50525043;

  /** The service's full name, as a brpc client sends it by default. */
  public static final String SERVICE = ReceiverServiceGrpc.SERVICE_NAME;

  /** The service's bare name (brpc's {@code baidu_protocol_use_fullname=false}, jprotobuf). */
  public static final String SERVICE_SHORT = SERVICE.substring(SERVICE.lastIndexOf('.') + 1);

  public static final String METHOD = "Push";

  /** brpc errno.proto: the service is not served. */
  public static final int ENOSERVICE = 1001;

  /** brpc errno.proto: the method is not served. */
  public static final int ENOMETHOD = 1002;

  /** brpc errno.proto: a bad request. */
  public static final int EREQUEST = 1003;

  /** brpc {@code CompressType}: none, the only one accepted (yacl sends none). */
  public static final int COMPRESS_NONE = 0;

  /** What to do with one frame's body. */
  public sealed interface Outcome {
    /** Answer with these response bytes (a whole frame, header included). */
    record Answer(byte[] frame) implements Outcome {}

    /**
     * The frame cannot be answered (no readable meta): the caller closes the connection and fails
     * the session ({@link Receiver#malformed}).
     */
    record Close(String why) implements Outcome {}
  }

  /**
   * Handles one request frame's body ({@code meta} and the rest, {@code payload}: data and
   * attachment) with {@code receiver}: a response frame, or why the connection must close. A push
   * that cannot be read (attachment, compression, body) is answered {@code EREQUEST} and fails the
   * session ({@link Receiver#malformed}); a request for another service or method is answered
   * {@code ENOSERVICE} or {@code ENOMETHOD} only.
   */
  public static Outcome serve(byte[] meta, byte[] payload, Receiver receiver) {
    RpcMeta m;
    try {
      m = RpcMeta.parseFrom(meta);
    } catch (InvalidProtocolBufferException e) {
      return new Outcome.Close("the RpcMeta of a frame cannot be read");
    }
    long cid = m.getCorrelationId();
    if (!m.hasRequest()) {
      return answer(cid, EREQUEST, "the meta has no request", null);
    }
    String service = m.getRequest().getServiceName();
    if (!service.equals(SERVICE) && !service.equals(SERVICE_SHORT)) {
      return answer(cid, ENOSERVICE, "Fail to find service=" + printable(service), null);
    }
    if (!m.getRequest().getMethodName().equals(METHOD)) {
      return answer(
          cid, ENOMETHOD, "Fail to find method=" + printable(service) + "/" + printable(m.getRequest().getMethodName()), null);
    }
    // From here on it is a push to this party: one that cannot be read loses the peer's message.
    int attachment = m.getAttachmentSize();
    if (attachment < 0 || attachment > payload.length) {
      return refuse(cid, "attachment_size=" + attachment + " is larger than request_size=" + payload.length, receiver);
    }
    if (m.getCompressType() != COMPRESS_NONE) {
      return refuse(cid, "compress_type " + m.getCompressType() + " is not supported (only 0, none)", receiver);
    }
    PushRequest req;
    try {
      // The attachment, if any, is not part of the request; brpc hands it to the service, and
      // the reference's service ignores it, as this one does.
      req = PushRequest.parseFrom(ByteBuffer.wrap(payload, 0, payload.length - attachment));
    } catch (InvalidProtocolBufferException e) {
      return refuse(cid, "Fail to parse request message, request_size=" + (payload.length - attachment), receiver);
    }
    PushResponse rsp = receiver.handle(req);
    return answer(cid, 0, "", rsp.toByteArray());
  }

  /**
   * A response frame as a brpc server writes it: {@code response.error_code} always, {@code
   * error_text} only if not empty, {@code correlation_id}, {@code compress_type} 0, then {@code
   * data} (none if null).
   */
  public static byte[] response(long correlationId, int errorCode, String errorText, byte[] data) {
    RpcResponseMeta.Builder r = RpcResponseMeta.newBuilder().setErrorCode(errorCode);
    if (!errorText.isEmpty()) {
      r.setErrorText(errorText);
    }
    RpcMeta meta =
        RpcMeta.newBuilder().setResponse(r).setCorrelationId(correlationId).setCompressType(COMPRESS_NONE).build();
    return frame(meta.toByteArray(), data == null ? new byte[0] : data);
  }

  /** A whole frame: the header, then {@code meta} and {@code data}. */
  public static byte[] frame(byte[] meta, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + meta.length + data.length);
    b.putInt(MAGIC).putInt(meta.length + data.length).putInt(meta.length).put(meta).put(data);
    return b.array();
  }

  private static Outcome answer(long cid, int code, String text, byte[] data) {
    return new Outcome.Answer(response(cid, code, text, data));
  }

  private static Outcome refuse(long cid, String why, Receiver receiver) {
    receiver.malformed("baidu_std: " + why);
    return answer(cid, EREQUEST, why, null);
  }

  /** A name from the wire for a message: printable ASCII only, at most 100 characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 100; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }
}
