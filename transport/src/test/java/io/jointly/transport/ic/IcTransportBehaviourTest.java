package io.jointly.transport.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.group.InterconnectionSuite;
import io.jointly.transport.Endpoint;
import io.jointly.transport.PartyCredentials;
import io.jointly.transport.ThrowawayCa;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.ic.IcWireGoldenTest.Recorder;
import io.jointly.transport.ic.internal.IcCodec;
import io.jointly.transport.ic.internal.proto.ChunkInfo;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.TransType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport's receiving rules (spec §3.3–3.6, §9.4 "suffix handling" and "chunking"), driven
 * by raw pushes from the test against a Jointly session whose peer is a {@link Recorder}; the end
 * of a run without the peer's FIN; a peer that never answers a push; and two Jointly parties over
 * loopback mutual TLS in both rank assignments, plain keys, the SM2 suite, and a certificate for
 * the wrong party.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IcTransportBehaviourTest {
  static final IcTransportOptions SHORT =
      IcParties.FAST.withFinTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(5));

  Recorder peer;
  IcTransport.Listener listener;
  IcSession session;
  ManagedChannel raw;
  ReceiverServiceGrpc.ReceiverServiceBlockingStub stub;

  /** Rank 0's session, its peer the recorder; the test pushes as rank 1. */
  @BeforeEach
  void open() throws Exception {
    peer = new Recorder();
    String name = "ic-under-test-" + System.nanoTime();
    listener = IcTransport.listen(0, Endpoint.inProcess(name), TransportSecurity.insecurePlaintext("rank0"), "rank1", SHORT);
    raw = InProcessChannelBuilder.forName(name).build();
    stub = ReceiverServiceGrpc.newBlockingStub(raw);
    CompletableFuture<IcSession> s =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.connect(Endpoint.inProcess(peer.name));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertOk(push(1, "connect_1\u0001\u00020", new byte[0]));
    session = s.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() {
    session.close();
    listener.close();
    raw.shutdownNow();
    peer.close();
  }

  PushResponse push(long sender, String key, byte[] value) {
    return stub.push(PushRequest.newBuilder().setSenderRank(sender).setKey(key).setValue(ByteString.copyFrom(value)).build());
  }

  static void assertOk(PushResponse r) {
    assertThat(r.getHeader().getErrorCode()).as(r.getHeader().getErrorMsg()).isZero();
  }

  byte[] request() {
    return IcCodec.encode(IcHandshake.request(IcParameters.defaults(1), 3));
  }

  @Test
  void suffixes_withSeqZeroOrNone_mapToTheLogicalKey_andSeqMessagesAreAcked() throws Exception {
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00027", request()));
    assertThat(session.receiveRequest(Duration.ofSeconds(5)).version()).isEqualTo(2);
    // The ACK names the decimal sequence number.
    awaitPushes(2);
    assertThat(peer.hex().get(1)).isEqualTo("120541434b01021a0137");
    // The same request again (a retry) is dropped without a second ACK or a failure.
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00027", request()));
    // No suffix and suffix 0 are seq 0: stored, not acknowledged.
    byte[] batch = IcCodec.encode(io.jointly.psi.ic.CipherBatch.terminator(io.jointly.psi.ic.IcStage.FIRST, 0));
    assertOk(push(1, "root:P2P-2:1->0", batch));
    assertOk(push(1, "root:P2P-3:1->0\u0001\u00020", batch));
    assertThat(session.receive(io.jointly.psi.ic.IcStage.FIRST, Duration.ofSeconds(5)).count()).isZero();
    assertThat(session.receive(io.jointly.psi.ic.IcStage.FIRST, Duration.ofSeconds(5)).count()).isZero();
    Thread.sleep(200);
    assertThat(peer.hex()).hasSize(2);
  }

  @Test
  void sameKeyWithAnotherSeq_isReplayed() {
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00021", request()));
    push(1, "root:P2P-1:1->0\u0001\u00022", request());
    assertThatThrownBy(() -> session.receiveRequest(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.REPLAYED_MESSAGE));
  }

  @Test
  void chunks_inAnyOrderWithADuplicate_reassembleOnce() throws Exception {
    byte[] value = new byte[(5 << 20) / 2];
    new SecureRandom().nextBytes(value);
    int chunk = 1 << 20;
    List<Integer> offsets = new ArrayList<>(List.of(0, chunk, 2 * chunk));
    Collections.shuffle(offsets);
    offsets.add(offsets.get(0));
    String key = "root:P2P-2:1->0\u0001\u00024";
    for (int off : offsets) {
      int len = Math.min(chunk, value.length - off);
      assertOk(stub.push(chunked(key, value, off, len, value.length)));
    }
    byte[] request = IcCodec.encode(IcHandshake.request(IcParameters.defaults(1), 3));
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00023", request));
    session.receiveRequest(Duration.ofSeconds(5));
    // Decoding as a batch fails (random bytes), but the value arrived whole: check by length.
    assertThatThrownBy(() -> session.receive(io.jointly.psi.ic.IcStage.FIRST, Duration.ofSeconds(5)))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("not an EcdhPsiCipherBatch");
  }

  @Test
  void chunkBeyondItsMessage_refusedAndFailsTheSession() {
    PushResponse r = stub.push(chunked("k\u0001\u00021", new byte[110], 60, 50, 100));
    assertThat(r.getHeader().getErrorCode()).isEqualTo(IcHandshake.INVALID_REQUEST);
    assertThatThrownBy(() -> session.receiveRequest(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE));
  }

  @Test
  void chunkAnnouncingTooMuch_refusedBeforeBuffering() {
    PushRequest huge =
        PushRequest.newBuilder()
            .setSenderRank(1)
            .setKey("k\u0001\u00021")
            .setValue(ByteString.copyFrom(new byte[10]))
            .setTransType(TransType.CHUNKED)
            .setChunkInfo(ChunkInfo.newBuilder().setMessageLength(1L << 40).setChunkOffset(0))
            .build();
    assertThat(stub.push(huge).getHeader().getErrorCode()).isEqualTo(IcHandshake.INVALID_REQUEST);
  }

  @Test
  void unknownSenderOrTransType_answeredWithTheStandardsCodes() {
    assertThat(push(5, "k", new byte[0]).getHeader().getErrorCode()).isEqualTo(31100001);
    PushRequest odd = PushRequest.newBuilder().setSenderRank(1).setKey("k").setTransTypeValue(7).build();
    assertThat(stub.push(odd).getHeader().getErrorCode()).isEqualTo(IcHandshake.INVALID_REQUEST);
  }

  @Test
  void malformedAck_failsTheSession() {
    assertThat(push(1, "ACK\u0001\u0002", "x1".getBytes()).getHeader().getErrorCode()).isEqualTo(IcHandshake.INVALID_REQUEST);
    assertThatThrownBy(() -> session.receiveRequest(Duration.ofSeconds(5))).isInstanceOf(ProtocolAbortException.class);
  }

  /** Spec §9.4 / the issue: a peer that never sends FIN ends the run with a typed TIMEOUT. */
  @Test
  void peerNeverSendsFin_finishTimesOut() throws Exception {
    long start = System.nanoTime();
    assertThatThrownBy(() -> session.finish())
        .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT))
        .hasMessageContaining("FIN");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    awaitPushes(2);
    assertThat(peer.hex().get(1)).isEqualTo("120546494e01021a0130"); // FIN "0" from rank 0
  }

  @Test
  void finWithMissingMessages_waitsThenTimesOut() {
    assertOk(push(1, "FIN\u0001\u0002", "2".getBytes()));
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00021", request()));
    assertThatThrownBy(() -> session.finish())
        .isInstanceOf(ChannelException.class)
        .hasMessageContaining("1..2");
  }

  @Test
  void finWithAllMessages_finishes() throws Exception {
    assertOk(push(1, "root:P2P-1:1->0\u0001\u00021", request()));
    assertOk(push(1, "FIN\u0001\u0002", "1".getBytes()));
    session.receiveRequest(Duration.ofSeconds(5));
    session.finish();
  }

  private void awaitPushes(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (peer.hex().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static PushRequest chunked(String key, byte[] value, int off, int len, long total) {
    return PushRequest.newBuilder()
        .setSenderRank(1)
        .setKey(key)
        .setValue(ByteString.copyFrom(value, off, Math.min(len, Math.max(0, value.length - off))))
        .setTransType(TransType.CHUNKED)
        .setChunkInfo(ChunkInfo.newBuilder().setMessageLength(total).setChunkOffset(off))
        .build();
  }

  // ------------------------------------------------------- Jointly vs Jointly

  static final ThrowawayCa CA = ThrowawayCa.create();

  static IcPsiResult[] pair(
      TransportSecurity s0, String peer0, TransportSecurity s1, String peer1, IcParameters p0, IcParameters p1,
      IcTransportOptions options, List<String> rows0, List<String> rows1) throws Exception {
    try (IcTransport.Listener l0 = IcTransport.listen(0, Endpoint.loopback(0), s0, peer0, options);
        IcTransport.Listener l1 = IcTransport.listen(1, Endpoint.loopback(0), s1, peer1, options)) {
      int port0 = ((Endpoint.Tcp) l0.endpoint()).port();
      int port1 = ((Endpoint.Tcp) l1.endpoint()).port();
      CompletableFuture<IcPsiResult> r0 =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return IcParties.run(l0, port1, p0, rows0);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      IcPsiResult r1 = IcParties.run(l1, port0, p1, rows1);
      return new IcPsiResult[] {r0.get(30, TimeUnit.SECONDS), r1};
    }
  }

  @Test
  void jointlyPair_mutualTls_bothRankAssignments() throws Exception {
    PartyCredentials bank = CA.issue("bank");
    PartyCredentials partner = CA.issue("partner");
    List<String> bankRows = List.of("a", "b", "c", "e");
    List<String> partnerRows = List.of("b", "c", "d");
    // bank rank 0, only the bank learns
    IcPsiResult[] r =
        pair(TransportSecurity.mutualTls(bank), "partner", TransportSecurity.mutualTls(partner), "bank",
            IcParties.params(0, 0), IcParties.params(1, 0), IcParties.FAST, bankRows, partnerRows);
    assertThat(r[0].sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(r[1].sharedRows()).isEmpty();
    // bank rank 1, only the bank learns
    r = pair(TransportSecurity.mutualTls(partner), "bank", TransportSecurity.mutualTls(bank), "partner",
        IcParties.params(0, 1), IcParties.params(1, 1), IcParties.FAST, partnerRows, bankRows);
    assertThat(r[1].sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(r[0].sharedRows()).isEmpty();
  }

  @Test
  void jointlyPair_plainKeysAndSm2() throws Exception {
    IcParameters p0 = IcParties.params(0, -1).toBuilder().suite(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH).build();
    IcParameters p1 = p0.toBuilder().rank(1).build();
    IcPsiResult[] r =
        pair(TransportSecurity.insecurePlaintext("rank0"), "rank1", TransportSecurity.insecurePlaintext("rank1"), "rank0",
            p0, p1, IcParties.FAST.withKeys(IcTransportOptions.Keys.PLAIN), List.of("a", "b", "c"), List.of("b", "c", "d"));
    assertThat(r[0].sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(r[1].sharedRows()).contains(RowIndexes.of(0, 1));
    assertThat(r[0].suite()).isEqualTo(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH);
  }

  @Test
  void wrongCertificateName_refusedWithTls() throws Exception {
    PartyCredentials bank = CA.issue("bank");
    PartyCredentials mallory = CA.issue("mallory");
    IcTransportOptions o = IcParties.FAST.withConnectTimeout(Duration.ofSeconds(5));
    try (IcTransport.Listener l0 = IcTransport.listen(0, Endpoint.loopback(0), TransportSecurity.mutualTls(bank), "partner", o);
        IcTransport.Listener l1 = IcTransport.listen(1, Endpoint.loopback(0), TransportSecurity.mutualTls(mallory), "bank", o)) {
      int port1 = ((Endpoint.Tcp) l1.endpoint()).port();
      assertThatThrownBy(() -> l0.connect(Endpoint.loopback(port1)))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("TLS");
    }
  }

  @Test
  void peerThatNeverAnswers_pushTimesOutAfterRetries() throws Exception {
    io.grpc.Server silent =
        io.grpc.inprocess.InProcessServerBuilder.forName("ic-silent")
            .addService(
                new ReceiverServiceGrpc.ReceiverServiceImplBase() {
                  @Override
                  public void push(PushRequest req, io.grpc.stub.StreamObserver<PushResponse> out) {
                    // never answers
                  }
                })
            .build()
            .start();
    try {
      ManagedChannel c = InProcessChannelBuilder.forName("ic-silent").build();
      io.jointly.transport.ic.internal.Pusher p =
          new io.jointly.transport.ic.internal.Pusher(
              c, 0,
              IcParties.FAST.withPushTimeout(Duration.ofMillis(200)).withPushRetries(1),
              new io.jointly.transport.ic.internal.Mailbox(), "silent");
      assertThatThrownBy(() -> p.send("root:P2P-1:0->1", new byte[1], Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT))
          .hasMessageContaining("after retries");
      p.shutdown();
    } finally {
      silent.shutdownNow();
    }
  }
}
