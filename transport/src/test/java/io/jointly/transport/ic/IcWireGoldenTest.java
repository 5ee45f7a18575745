package io.jointly.transport.ic;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jointly.core.Bytes;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ic.CipherBatch;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.IcStage;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.ic.internal.IcCodec;
import io.jointly.transport.ic.internal.Mailbox;
import io.jointly.transport.ic.internal.Pusher;
import io.jointly.transport.ic.internal.proto.EcdhPsiCipherBatch;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.ResponseHeader;
import io.jointly.transport.ic.internal.proto.TransType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The spec's §9.2 golden byte layouts (kept in {@code interconnection/golden-9.2.properties}) and
 * §9.1 schema checks: Jointly's encoder reproduces them bit-exactly, its decoder reads them (and the
 * unpacked forms of repeated fields, and field 8 that older decoders do not know), the pushes it
 * builds match the golden PushRequests, and a scripted run of the §9.2 example between two Jointly
 * parties emits exactly the golden batches under the §5.9 keys.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IcWireGoldenTest {
  static final HexFormat HEX = HexFormat.of();
  static final Properties G = load();

  static Properties load() {
    Properties p = new Properties();
    try (InputStream in = IcWireGoldenTest.class.getResourceAsStream("/interconnection/golden-9.2.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  static String g(String key) {
    String v = G.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("no golden value " + key);
    }
    return v;
  }

  static Bytes concat(String... keys) {
    StringBuilder b = new StringBuilder();
    for (String k : keys) {
      b.append(g(k));
    }
    return Bytes.fromHex(b.toString());
  }

  @Test
  void batches_encodeToTheGoldenBytes_andRoundTrip() throws Exception {
    CipherBatch encA =
        CipherBatch.data(IcStage.FIRST, 0, 3, concat("first_stage.Aa", "first_stage.Ab", "first_stage.Ac"));
    String encAHex = g("enc_batch_prefix") + g("first_stage.Aa") + g("first_stage.Ab") + g("first_stage.Ac");
    CipherBatch dualBA =
        CipherBatch.data(
            IcStage.SECOND, 0, 3, concat("second_stage.a.last12", "second_stage.b.last12", "second_stage.c.last12"));
    CipherBatch dualAB =
        CipherBatch.data(
            IcStage.SECOND, 0, 3, concat("second_stage.b.last12", "second_stage.c.last12", "second_stage.d.last12"));
    CipherBatch dup = new CipherBatch("enc", 0, false, 1, Bytes.wrap("x".getBytes(StandardCharsets.US_ASCII)), Map.of(0, 2));
    Object[][] cases = {
      {encA, encAHex},
      {CipherBatch.terminator(IcStage.FIRST, 1), g("enc_terminator_index1")},
      {dualBA, g("dual_b_to_a")},
      {dualAB, g("dual_a_to_b")},
      {CipherBatch.terminator(IcStage.SECOND, 1), g("dual_terminator_index1")},
      {dup, g("dup_map_batch")},
    };
    for (Object[] c : cases) {
      CipherBatch b = (CipherBatch) c[0];
      String hex = (String) c[1];
      assertThat(HEX.formatHex(IcCodec.encode(b))).as(b.toString()).isEqualTo(hex);
      CipherBatch back = IcCodec.decodeBatch(HEX.parseHex(hex), "golden");
      assertThat(back).isEqualTo(b);
      byte[] schema = EcdhPsiCipherBatch.parseFrom(HEX.parseHex(hex)).toByteArray();
      assertThat(HEX.formatHex(schema)).isEqualTo(hex);
    }
    assertThat(HEX.parseHex(encAHex)).hasSize(105);
  }

  /** §9.1 (d): a decoder built without field 8 (the reference's protos) accepts it as unknown. */
  @Test
  void duplicateMap_acceptedByADecoderWithoutField8() throws Exception {
    DescriptorProto old =
        DescriptorProto.newBuilder()
            .setName("EcdhPsiCipherBatch")
            .addField(field("type", 1, FieldDescriptorProto.Type.TYPE_STRING))
            .addField(field("batch_index", 3, FieldDescriptorProto.Type.TYPE_INT32))
            .addField(field("is_last_batch", 4, FieldDescriptorProto.Type.TYPE_BOOL))
            .addField(field("count", 6, FieldDescriptorProto.Type.TYPE_INT32))
            .addField(field("ciphertext", 7, FieldDescriptorProto.Type.TYPE_BYTES))
            .build();
    Descriptors.FileDescriptor f =
        Descriptors.FileDescriptor.buildFrom(
            FileDescriptorProto.newBuilder()
                .setName("old_ecdh_psi.proto")
                .setPackage("org.interconnection.v2.runtime")
                .setSyntax("proto3")
                .addMessageType(old)
                .build(),
            new Descriptors.FileDescriptor[0]);
    DynamicMessage m = DynamicMessage.parseFrom(f.findMessageTypeByName("EcdhPsiCipherBatch"), HEX.parseHex(g("dup_map_batch")));
    assertThat(m.getField(m.getDescriptorForType().findFieldByName("count"))).isEqualTo(1);
    assertThat(m.getUnknownFields().hasField(8)).isTrue();
    assertThat(HEX.formatHex(m.toByteArray())).isEqualTo(g("dup_map_batch"));
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .build();
  }

  @Test
  void handshakeRequest_jointlyRank1BuildsTheReferencesBytes() throws Exception {
    IcParameters rank1 = IcParameters.defaults(1);
    byte[] mine = IcCodec.encode(IcHandshake.request(rank1, 3));
    assertThat(HEX.formatHex(mine)).isEqualTo(g("handshake_request"));
    assertThat(mine).hasSize(189);
    IcHandshake.Request back = IcCodec.decodeRequest(mine);
    assertThat(back).isEqualTo(IcHandshake.request(rank1, 3));
    // Rank 0 decides: success with suite (1, 11, 3), format 1, bit length -1.
    IcHandshake.Decision d = IcHandshake.decide(IcParameters.defaults(0).toBuilder().minPeerSetSize(0).build(), back);
    assertThat(d.response().ecc().orElseThrow())
        .isEqualTo(new IcHandshake.EccResult(1, new IcHandshake.EcSuit(1, 11, 3), 1, -1));
    // Jointly's own response decodes with the schema and round-trips.
    byte[] response = IcCodec.encode(d.response());
    assertThat(IcCodec.encode(IcCodec.decodeResponse(response))).isEqualTo(response);
  }

  /** §9.1 (c): the unpacked forms of repeated scalar fields read the same. */
  @Test
  void handshakeRequest_unpackedRepeatedFields_readTheSame() throws Exception {
    String packed = g("handshake_request");
    assertThat(packed).startsWith("080210011a01013a0101");
    String unpacked = "08021001" + "1801" + "3801" + packed.substring("080210011a01013a0101".length());
    assertThat(IcCodec.decodeRequest(HEX.parseHex(unpacked))).isEqualTo(IcCodec.decodeRequest(HEX.parseHex(packed)));
  }

  @Test
  void handshakeResponse_referenceBytes_decodeAcceptAndRoundTrip() throws Exception {
    byte[] golden = HEX.parseHex(g("handshake_response"));
    assertThat(golden).hasSize(188);
    IcHandshake.Response r = IcCodec.decodeResponse(golden);
    assertThat(r.ok()).isTrue();
    assertThat(r.io()).contains(new IcHandshake.IoProposal(List.of(), 3, -1));
    assertThat(r.ecc()).contains(new IcHandshake.EccResult(0, new IcHandshake.EcSuit(1, 11, 3), 1, -1));
    assertThat(IcCodec.encode(r)).isEqualTo(golden);
    IcHandshake.Agreement a = IcHandshake.accept(IcParameters.defaults(1).toBuilder().minPeerSetSize(0).build(), r);
    assertThat(a.peerItemNum()).hasValue(3);
  }

  @Test
  void pushes_connectAckFinAndHandshake_matchTheGoldenRequests() throws Exception {
    try (Recorder rec = new Recorder()) {
      Pusher rank1 = rec.pusher(1, IcTransportOptions.DEFAULTS);
      assertThat(rank1.tryConnect("connect_1")).isNull();
      rank1.send("root:P2P-1:1->0", HEX.parseHex(g("handshake_request")), Duration.ofSeconds(5));
      rank1.send("x:P2P-1:1->0", new byte[0], Duration.ofSeconds(5));
      rank1.send("x:P2P-2:1->0", new byte[0], Duration.ofSeconds(5));
      rank1.fin();
      rank1.drainControl(Duration.ofSeconds(5));
      Pusher rank0 = rec.pusher(0, IcTransportOptions.DEFAULTS);
      rank0.ack(1);
      rank0.drainControl(Duration.ofSeconds(5));
      List<String> hex = rec.hex();
      assertThat(hex.get(0)).isEqualTo(g("push_connect_rank1"));
      String handshakePush = hex.get(1);
      assertThat(handshakePush)
          .startsWith("08011212726f6f743a5032502d313a312d3e300102311abd01")
          .endsWith(g("handshake_request"));
      assertThat(HEX.parseHex(handshakePush)).hasSize(214);
      assertThat(hex.get(4)).isEqualTo(g("push_fin3_rank1"));
      assertThat(hex.get(5)).isEqualTo(g("push_ack_seq1_rank0"));
      rank0.shutdown();
      rank1.shutdown();
    }
  }

  @Test
  void pushes_largeValue_goesChunkedWithTheSameKey() throws Exception {
    try (Recorder rec = new Recorder()) {
      Pusher p = rec.pusher(0, IcTransportOptions.DEFAULTS.withChunkBytes(1024));
      byte[] value = new byte[2500];
      new SecureRandom().nextBytes(value);
      p.send("root:P2P-2:0->1", value, Duration.ofSeconds(5));
      List<PushRequest> pushes = rec.requests();
      assertThat(pushes).hasSize(3);
      byte[] joined = new byte[2500];
      for (int i = 0; i < 3; i++) {
        PushRequest r = pushes.get(i);
        assertThat(r.getKey()).isEqualTo("root:P2P-2:0->1\u0001\u00021");
        assertThat(r.getTransType()).isEqualTo(TransType.CHUNKED);
        assertThat(r.getChunkInfo().getMessageLength()).isEqualTo(2500);
        assertThat(r.getChunkInfo().getChunkOffset()).isEqualTo(1024L * i);
        r.getValue().copyTo(joined, (int) r.getChunkInfo().getChunkOffset());
      }
      assertThat(joined).isEqualTo(value);
      // The golden CHUNKED piece decodes with the schema and re-encodes byte-exactly.
      PushRequest piece = PushRequest.parseFrom(HEX.parseHex(g("push_chunk")));
      assertThat(piece.getChunkInfo().getMessageLength()).isEqualTo(10);
      assertThat(piece.getChunkInfo().getChunkOffset()).isEqualTo(4);
      assertThat(HEX.formatHex(piece.toByteArray())).isEqualTo(g("push_chunk"));
      p.shutdown();
    }
  }

  @Test
  void pushResponses_goldenBytes() throws Exception {
    assertThat(
            HEX.formatHex(PushResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build().toByteArray()))
        .isEqualTo(g("push_response_ok"));
    assertThat(
            HEX.formatHex(
                PushResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setErrorCode(IcHandshake.INVALID_REQUEST).setErrorMsg("x"))
                    .build()
                    .toByteArray()))
        .isEqualTo(g("push_response_invalid_x"));
  }

  /**
   * The §9.2 example run by two Jointly parties with the example's scalars and their items in input
   * order (scripted randomness): every batch is the golden one, under the §5.9 keys, and each
   * side's FIN says 5.
   */
  @Test
  void specExample_scriptedRun_emitsTheGoldenSequence() throws Exception {
    try (IcTransport.Listener l0 = IcParties.listen(0, IcParties.FAST);
        IcTransport.Listener l1 = IcParties.listen(1, IcParties.FAST);
        Relay to0 = new Relay(port(l0));
        Relay to1 = new Relay(port(l1))) {
      CompletableFuture<IcPsiResult> a =
          CompletableFuture.supplyAsync(() -> scripted(l0, to1.port(), 0, List.of("a", "b", "c"), g("kA")));
      IcPsiResult b = scripted(l1, to0.port(), 1, List.of("b", "c", "d"), g("kB"));
      assertThat(a.get(30, TimeUnit.SECONDS).sharedRows()).contains(RowIndexes.of(1, 2));
      assertThat(b.sharedRows()).contains(RowIndexes.of(0, 1));

      Map<String, String> fromA = to1.normalMessages();
      Map<String, String> fromB = to0.normalMessages();
      assertThat(fromA.keySet())
          .containsExactlyInAnyOrder("root:P2P-1:0->1", "root:P2P-2:0->1", "root:P2P-3:0->1", "root-0:P2P-1:0->1", "root-0:P2P-2:0->1");
      assertThat(fromB.keySet())
          .containsExactlyInAnyOrder("root:P2P-1:1->0", "root:P2P-2:1->0", "root:P2P-3:1->0", "root-0:P2P-1:1->0", "root-0:P2P-2:1->0");
      assertThat(fromB.get("root:P2P-1:1->0")).isEqualTo(g("handshake_request"));
      assertThat(fromA.get("root:P2P-2:0->1"))
          .isEqualTo(g("enc_batch_prefix") + g("first_stage.Aa") + g("first_stage.Ab") + g("first_stage.Ac"));
      assertThat(fromB.get("root:P2P-2:1->0"))
          .isEqualTo(g("enc_batch_prefix") + g("first_stage.Bb") + g("first_stage.Bc") + g("first_stage.Bd"));
      assertThat(fromA.get("root:P2P-3:0->1")).isEqualTo(g("enc_terminator_index1"));
      assertThat(fromB.get("root:P2P-3:1->0")).isEqualTo(g("enc_terminator_index1"));
      assertThat(fromB.get("root-0:P2P-1:1->0")).isEqualTo(g("dual_b_to_a"));
      assertThat(fromA.get("root-0:P2P-1:0->1")).isEqualTo(g("dual_a_to_b"));
      assertThat(fromA.get("root-0:P2P-2:0->1")).isEqualTo(g("dual_terminator_index1"));
      assertThat(fromB.get("root-0:P2P-2:1->0")).isEqualTo(g("dual_terminator_index1"));
      assertThat(to1.fin()).isEqualTo("5");
      assertThat(to0.fin()).isEqualTo("5");
    }
  }

  private static IcPsiResult scripted(IcTransport.Listener l, int peerPort, int rank, List<String> rows, String key) {
    try (IcSession s = l.connect(Endpoint.loopback(peerPort))) {
      InterconnectionPsi psi =
          new InterconnectionPsi(IcParties.params(rank, -1), IcParties.CRYPTO, 2).withRandomness(new Scripted(HEX.parseHex(key)));
      return s.run(psi, psi.prepare(PsiInput.ofColumn(rows)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int port(IcTransport.Listener l) {
    return ((Endpoint.Tcp) l.endpoint()).port();
  }

  /** Returns a fixed key for nextBytes and the top of the range for nextInt (identity shuffle). */
  static final class Scripted extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] key;

    Scripted(byte[] key) {
      super(new byte[0]);
      this.key = key;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(key, 0, bytes, 0, Math.min(key.length, bytes.length));
    }

    @Override
    public int nextInt(int bound) {
      return bound - 1;
    }
  }

  /** An in-process ReceiverService that records every push and answers OK. */
  static final class Recorder implements AutoCloseable {
    final String name = "ic-recorder-" + System.nanoTime();
    final List<byte[]> raw = Collections.synchronizedList(new ArrayList<>());
    final Server server;
    final List<ManagedChannel> channels = new ArrayList<>();

    Recorder() throws IOException {
      server =
          InProcessServerBuilder.forName(name)
              .addService(
                  new ReceiverServiceGrpc.ReceiverServiceImplBase() {
                    @Override
                    public void push(PushRequest req, StreamObserver<PushResponse> out) {
                      raw.add(req.toByteArray());
                      out.onNext(PushResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build());
                      out.onCompleted();
                    }
                  })
              .build()
              .start();
    }

    Pusher pusher(int rank, IcTransportOptions o) {
      ManagedChannel c = InProcessChannelBuilder.forName(name).build();
      channels.add(c);
      return new Pusher(c, rank, o, new Mailbox(), "recorder");
    }

    List<String> hex() {
      synchronized (raw) {
        return raw.stream().map(HEX::formatHex).toList();
      }
    }

    List<PushRequest> requests() throws Exception {
      List<PushRequest> out = new ArrayList<>();
      synchronized (raw) {
        for (byte[] b : raw) {
          out.add(PushRequest.parseFrom(b));
        }
      }
      return out;
    }

    @Override
    public void close() {
      channels.forEach(ManagedChannel::shutdownNow);
      server.shutdownNow();
    }
  }

  /** A recording relay on loopback: forwards each push to the real server and keeps it. */
  static final class Relay implements AutoCloseable {
    final Server server;
    final ManagedChannel target;
    final List<PushRequest> seen = Collections.synchronizedList(new ArrayList<>());

    Relay(int targetPort) throws IOException {
      target = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", targetPort).usePlaintext().build();
      ReceiverServiceGrpc.ReceiverServiceBlockingStub stub = ReceiverServiceGrpc.newBlockingStub(target);
      server =
          io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
              .addService(
                  new ReceiverServiceGrpc.ReceiverServiceImplBase() {
                    @Override
                    public void push(PushRequest req, StreamObserver<PushResponse> out) {
                      seen.add(req);
                      try {
                        out.onNext(stub.push(req));
                        out.onCompleted();
                      } catch (RuntimeException e) {
                        out.onError(e);
                      }
                    }
                  })
              .build()
              .start();
    }

    int port() {
      return server.getPort();
    }

    /** Normal messages by logical key (suffix removed), values as hex. */
    Map<String, String> normalMessages() {
      Map<String, String> m = new java.util.HashMap<>();
      synchronized (seen) {
        for (PushRequest r : seen) {
          String k = r.getKey();
          int at = k.indexOf("\u0001\u0002");
          String logical = at < 0 ? k : k.substring(0, at);
          if (logical.isEmpty() || k.startsWith("ACK") || k.startsWith("FIN") || k.startsWith("connect_")) {
            continue;
          }
          m.put(logical, HEX.formatHex(r.getValue().toByteArray()));
        }
      }
      return m;
    }

    String fin() {
      synchronized (seen) {
        return seen.stream()
            .filter(r -> r.getKey().equals("FIN\u0001\u0002"))
            .map(r -> r.getValue().toStringUtf8())
            .findFirst()
            .orElse(null);
      }
    }

    @Override
    public void close() {
      server.shutdownNow();
      target.shutdownNow();
    }
  }
}
