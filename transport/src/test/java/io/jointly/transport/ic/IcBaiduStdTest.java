package io.jointly.transport.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.transport.PartyCredentials;
import io.jointly.transport.ThrowawayCa;
import io.jointly.transport.ic.internal.BaiduStd;
import io.jointly.transport.ic.internal.IcServer;
import io.jointly.transport.ic.internal.Mailbox;
import io.jointly.transport.ic.internal.Receiver;
import io.jointly.transport.ic.internal.proto.ChunkInfo;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.RpcMeta;
import io.jointly.transport.ic.internal.proto.RpcRequestMeta;
import io.jointly.transport.ic.internal.proto.TransType;
import io.jointly.transport.internal.TlsContexts;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * This party's server as an unmodified SecretFlow reference client reaches it: brpc's baidu_std on
 * the same port as gRPC ({@link IcServer}, {@link BaiduStd}). Driven by {@link BaiduStdClient}, a
 * client written from the protocol's description. Golden frames are derived from the description
 * (spec §9.2's connect push inside the header and meta brpc 1.10.0 writes); the rest checks the
 * answers to malformed or unexpected requests, the frame limit (checked on the header, before the
 * body), pipelining, chunks, TLS, and gRPC on the same port.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IcBaiduStdTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * rank 1's connect push ({@code 0801120c636f6e6e6563745f31010230}, spec §9.2) as brpc 1.10.0's
   * client frames it with correlation_id 1: "PRPC", body_size 70 (0x46), meta_size 54 (0x36); meta
   * = request(1){service_name(1) = "org.interconnection.link.ReceiverService" (40 bytes),
   * method_name(2) = "Push"}, compress_type(3) = 0, correlation_id(4) = 1.
   */
  static final String CONNECT_REQUEST =
      "50525043" + "00000046" + "00000036"
          + "0a30" + "0a28" + "6f72672e696e746572636f6e6e656374696f6e2e6c696e6b2e526563656976657253657276696365"
          + "1204" + "50757368" + "1800" + "2001"
          + "0801120c636f6e6e6563745f31010230";

  /**
   * The answer a brpc server gives it: "PRPC", body_size 10, meta_size 8; meta = response(2){
   * error_code(1) = 0}, compress_type(3) = 0, correlation_id(4) = 1; data = PushResponse OK {@code
   * 0a00} (spec §9.2).
   */
  static final String CONNECT_RESPONSE = "50525043" + "0000000a" + "00000008" + "1202" + "0800" + "1800" + "2001" + "0a00";

  private static final int MAX = (4 << 20) + (64 << 10);

  private final Mailbox mailbox = new Mailbox();
  private final List<Long> acked = new ArrayList<>();
  private final Receiver receiver = new Receiver(0, 1, mailbox, 64 << 20, s -> {
    synchronized (acked) {
      acked.add(s);
    }
  });
  private IcServer server;

  private IcServer plain() throws Exception {
    server = IcServer.listen(new InetSocketAddress("127.0.0.1", 0), null, receiver, MAX, Duration.ofSeconds(5), "test-ic");
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static PushRequest push(int rank, String key, String value) {
    return PushRequest.newBuilder().setSenderRank(rank).setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
  }

  // ------------------------------------------------------------------ golden

  @Test
  void goldenConnectPush_answeredWithTheGoldenResponse_andDelivered() throws Exception {
    plain();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(HEX.parseHex(CONNECT_REQUEST));
      byte[] answer = s.getInputStream().readNBytes(HEX.parseHex(CONNECT_RESPONSE).length);
      assertThat(HEX.formatHex(answer)).isEqualTo(CONNECT_RESPONSE);
    }
    assertThat(mailbox.take("connect_1", Duration.ofSeconds(5), "connect").value()).isEmpty();
  }

  @Test
  void goldenFrames_agreeWithTheGeneratedMetaAndTheClient() throws Exception {
    RpcMeta meta =
        RpcMeta.newBuilder()
            .setRequest(RpcRequestMeta.newBuilder().setServiceName(BaiduStd.SERVICE).setMethodName("Push"))
            .setCompressType(0)
            .setCorrelationId(1)
            .build();
    byte[] push = HEX.parseHex("0801120c636f6e6e6563745f31010230");
    assertThat(HEX.formatHex(BaiduStd.frame(meta.toByteArray(), push))).isEqualTo(CONNECT_REQUEST);
    assertThat(HEX.formatHex(BaiduStdClient.request(1, BaiduStdClient.SERVICE, "Push", 0, -1, push))).isEqualTo(CONNECT_REQUEST);
    assertThat(HEX.formatHex(BaiduStd.response(1, 0, "", HEX.parseHex("0a00")))).isEqualTo(CONNECT_RESPONSE);
  }

  // ----------------------------------------------------------- requests

  @Test
  void pipelinedRequests_answeredInOrderWithTheirCorrelationIds() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      List<CompletableFuture<BaiduStdClient.Response>> answers = new ArrayList<>();
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      long[] ids = {7, 1L << 40, -3};
      for (int i = 0; i < ids.length; i++) {
        all.write(
            BaiduStdClient.request(
                ids[i], BaiduStdClient.SERVICE, "Push", 0, -1,
                push(1, "root:P2P-" + (i + 1) + ":1->0\u0001\u0002" + (i + 1), "v" + i).toByteArray()));
        answers.add(c.expect(ids[i]));
      }
      // All three frames in one write, as a client with several calls in flight may send them.
      c.send(all.toByteArray());
      for (int i = 0; i < ids.length; i++) {
        BaiduStdClient.Response r = answers.get(i).get(10, TimeUnit.SECONDS);
        assertThat(r.correlationId()).isEqualTo(ids[i]);
        assertThat(r.errorCode()).isZero();
        assertThat(r.compressType()).isZero();
        assertThat(PushResponse.parseFrom(r.data()).getHeader().getErrorCode()).isZero();
      }
    }
    for (int i = 0; i < 3; i++) {
      assertThat(new String(mailbox.take("root:P2P-" + (i + 1) + ":1->0", Duration.ofSeconds(5), "m").value(), StandardCharsets.UTF_8))
          .isEqualTo("v" + i);
    }
    synchronized (acked) {
      assertThat(acked).containsExactlyInAnyOrder(1L, 2L, 3L);
    }
  }

  @Test
  void unknownServiceOrMethod_answeredWithBrpcsErrno_sessionUnharmed() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      byte[] data = push(1, "k", "v").toByteArray();
      BaiduStdClient.Response noService =
          c.call(BaiduStdClient.request(5, "org.example.Other", "Push", 0, -1, data), 5).get(5, TimeUnit.SECONDS);
      assertThat(noService.errorCode()).isEqualTo(1001);
      assertThat(noService.errorText()).contains("org.example.Other");
      assertThat(noService.data()).isEmpty();
      BaiduStdClient.Response noMethod =
          c.call(BaiduStdClient.request(6, BaiduStdClient.SERVICE, "Pull", 0, -1, data), 6).get(5, TimeUnit.SECONDS);
      assertThat(noMethod.errorCode()).isEqualTo(1002);
      // The bare service name is accepted, as brpc accepts it.
      BaiduStdClient.Response bare =
          c.call(BaiduStdClient.request(8, "ReceiverService", "Push", 0, -1, data), 8).get(5, TimeUnit.SECONDS);
      assertThat(bare.errorCode()).isZero();
    }
    assertThat(mailbox.take("k", Duration.ofSeconds(5), "k").value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void attachment_leftOut_asBrpcHandsItAside() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      byte[] data = push(1, "k", "v").toByteArray();
      byte[] withAttachment = java.util.Arrays.copyOf(data, data.length + 3);
      BaiduStdClient.Response r =
          c.call(BaiduStdClient.request(2, BaiduStdClient.SERVICE, "Push", 0, 3, withAttachment), 2).get(5, TimeUnit.SECONDS);
      assertThat(r.errorCode()).isZero();
    }
    assertThat(mailbox.take("k", Duration.ofSeconds(5), "k").value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void compressedRequest_refusedAndTheSessionFails() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      BaiduStdClient.Response r =
          c.call(BaiduStdClient.request(3, BaiduStdClient.SERVICE, "Push", 2, -1, push(1, "k", "v").toByteArray()), 3)
              .get(5, TimeUnit.SECONDS);
      assertThat(r.errorCode()).isEqualTo(1003);
      assertThat(r.errorText()).contains("compress_type 2");
    }
    assertMalformed("compress_type 2");
  }

  @Test
  void attachmentLargerThanTheBody_refused() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      BaiduStdClient.Response r =
          c.call(BaiduStdClient.request(4, BaiduStdClient.SERVICE, "Push", 0, 999, push(1, "k", "v").toByteArray()), 4)
              .get(5, TimeUnit.SECONDS);
      assertThat(r.errorCode()).isEqualTo(1003);
      assertThat(r.errorText()).contains("attachment_size=999");
    }
    assertMalformed("attachment_size");
  }

  @Test
  void bodyThatIsNoPushRequest_refused() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      BaiduStdClient.Response r =
          c.call(BaiduStdClient.request(4, BaiduStdClient.SERVICE, "Push", 0, -1, new byte[] {(byte) 0xff, 1}), 4)
              .get(5, TimeUnit.SECONDS);
      assertThat(r.errorCode()).isEqualTo(1003);
    }
    assertMalformed("Fail to parse request message");
  }

  @Test
  void otherSenderRank_answeredUnexpectedErrorInThePushResponse() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      PushResponse r = PushResponse.parseFrom(c.push(push(7, "k", "v").toByteArray(), Duration.ofSeconds(5)));
      assertThat(r.getHeader().getErrorCode()).isEqualTo(31100001);
      assertThat(r.getHeader().getErrorMsg()).contains("listener rank=7 not found");
    }
  }

  @Test
  void chunkedValue_overBaiduStd_reassembled() throws Exception {
    plain();
    byte[] value = new byte[3000];
    new java.security.SecureRandom().nextBytes(value);
    String key = "root:P2P-2:1->0\u0001\u00021";
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      for (int off = 2000; off >= 0; off -= 1000) { // in reverse order
        PushRequest chunk =
            PushRequest.newBuilder()
                .setSenderRank(1)
                .setKey(key)
                .setValue(ByteString.copyFrom(value, off, 1000))
                .setTransType(TransType.CHUNKED)
                .setChunkInfo(ChunkInfo.newBuilder().setMessageLength(value.length).setChunkOffset(off))
                .build();
        assertThat(PushResponse.parseFrom(c.push(chunk.toByteArray(), Duration.ofSeconds(5))).getHeader().getErrorCode()).isZero();
      }
    }
    assertThat(mailbox.take("root:P2P-2:1->0", Duration.ofSeconds(5), "v").value()).isEqualTo(value);
  }

  // ------------------------------------------------------------- framing

  @Test
  void oversizedFrame_closedOnItsHeader_beforeAnyBody() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      // Only the header, announcing 2 GiB - 1: the server must not wait for (or allocate) the body.
      c.send(HEX.parseHex("50525043" + "7fffffff" + "00000010"));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    assertMalformed("2147483647 bytes, more than the limit of " + MAX);
  }

  @Test
  void metaLargerThanBody_closed() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      c.send(HEX.parseHex("50525043" + "00000004" + "00000005" + "00000000"));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    assertMalformed("meta_size 5 exceeds its body_size 4");
  }

  @Test
  void unreadableMeta_closed() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      c.send(BaiduStdClient.frame(new byte[] {(byte) 0x0a, (byte) 0x7f}, new byte[0]));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    assertMalformed("RpcMeta");
  }

  @Test
  void secondFrameWithoutMagic_closed() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      c.push(push(1, "k", "v").toByteArray(), Duration.ofSeconds(5));
      c.send("PRPX00000000000000".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    assertMalformed("does not start with PRPC");
  }

  @Test
  void neitherProtocol_closedWithoutFailingTheSession() throws Exception {
    plain();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    // A stray client is not the peer: the session goes on.
    receiver.handle(push(1, "k", "v"));
    assertThat(mailbox.take("k", Duration.ofSeconds(5), "k").value()).isNotEmpty();
  }

  @Test
  void silentClient_closedAfterTheHandshakeLimit() throws Exception {
    server = IcServer.listen(new InetSocketAddress("127.0.0.1", 0), null, receiver, MAX, Duration.ofMillis(300), "test-ic");
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
  }

  // -------------------------------------------------------- gRPC and TLS

  @Test
  void grpcAndBaiduStd_onTheSamePort_atTheSameTime() throws Exception {
    plain();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      PushResponse viaGrpc =
          ReceiverServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).push(push(1, "g", "grpc"));
      PushResponse viaBrpc = PushResponse.parseFrom(c.push(push(1, "b", "brpc").toByteArray(), Duration.ofSeconds(5)));
      assertThat(viaGrpc.getHeader().getErrorCode()).isZero();
      assertThat(viaBrpc.getHeader().getErrorCode()).isZero();
      // A large gRPC message through the relay (several HTTP/2 frames and flow-control windows).
      byte[] big = new byte[3 << 20];
      PushResponse bigOk =
          ReceiverServiceGrpc.newBlockingStub(ch)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .push(PushRequest.newBuilder().setSenderRank(1).setKey("big").setValue(ByteString.copyFrom(big)).build());
      assertThat(bigOk.getHeader().getErrorCode()).isZero();
    } finally {
      ch.shutdownNow();
    }
    assertThat(mailbox.take("g", Duration.ofSeconds(5), "g").value()).isEqualTo("grpc".getBytes(StandardCharsets.UTF_8));
    assertThat(mailbox.take("b", Duration.ofSeconds(5), "b").value()).isEqualTo("brpc".getBytes(StandardCharsets.UTF_8));
    assertThat(mailbox.take("big", Duration.ofSeconds(5), "big").value()).hasSize(3 << 20);
  }

  static final ThrowawayCa CA = ThrowawayCa.create();

  private IcServer tls(PartyCredentials self, String peer) throws Exception {
    server =
        IcServer.listen(
            new InetSocketAddress("127.0.0.1", 0),
            TlsContexts.server(self, TlsContexts.trust(self, Set.of(peer))),
            receiver,
            MAX,
            Duration.ofSeconds(5),
            "test-ic-tls");
    return server;
  }

  /** A JDK TLS 1.3 client socket with {@code creds}' certificate (or none), trusting the CA. */
  static Socket tlsSocket(int port, PartyCredentials creds) throws Exception {
    char[] pw = "x".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    if (creds != null) {
      keys.setKeyEntry("me", creds.privateKey(SecretAccess.insecure()), pw, creds.certificateChain().toArray(new X509Certificate[0]));
    }
    kmf.init(keys, pw);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", CA.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.startHandshake(); // no ALPN offered, as brpc's client offers none by default
    return s;
  }

  @Test
  void baiduStd_overMutualTls_fromThePeer() throws Exception {
    tls(CA.issue("rank0"), "rank1");
    try (BaiduStdClient c = new BaiduStdClient(tlsSocket(server.port(), CA.issue("rank1")))) {
      assertThat(PushResponse.parseFrom(c.push(push(1, "t", "tls").toByteArray(), Duration.ofSeconds(5))).getHeader().getErrorCode())
          .isZero();
    }
    assertThat(mailbox.take("t", Duration.ofSeconds(5), "t").value()).isEqualTo("tls".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tlsPort_refusesAnotherPartysCertificate_noCertificate_andPlaintext() throws Exception {
    tls(CA.issue("rank0"), "rank1");
    for (PartyCredentials wrong : new PartyCredentials[] {CA.issue("mallory"), null}) {
      assertThatThrownBy(
              () -> {
                try (BaiduStdClient c = new BaiduStdClient(tlsSocket(server.port(), wrong))) {
                  c.push(push(1, "x", "x").toByteArray(), Duration.ofSeconds(5));
                }
              })
          .as("client certificate %s", wrong)
          .isInstanceOf(Exception.class);
    }
    try (BaiduStdClient c = BaiduStdClient.connect(server.port())) {
      c.send(HEX.parseHex(CONNECT_REQUEST));
      assertThat(c.closedBy(Duration.ofSeconds(10))).isTrue();
    }
    // Nothing got in, and the session was not failed by the strangers.
    assertThatThrownBy(() -> mailbox.take("connect_1", Duration.ofMillis(200), "x")).isInstanceOf(ChannelException.class);
    receiver.handle(push(1, "k", "v"));
    assertThat(mailbox.take("k", Duration.ofSeconds(5), "k").value()).isNotEmpty();
  }

  @Test
  void plaintextPort_refusesATlsClientHello() throws Exception {
    plain();
    assertThatThrownBy(() -> tlsSocket(server.port(), CA.issue("rank1")).close()).isInstanceOf(Exception.class);
  }

  private void assertMalformed(String detail) {
    assertThatThrownBy(() -> mailbox.take("never", Duration.ofSeconds(5), "anything"))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining(detail);
  }
}
