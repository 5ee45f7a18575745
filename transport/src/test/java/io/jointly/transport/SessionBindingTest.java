package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.internal.proto.Envelope;
import io.jointly.transport.internal.proto.Frame;
import io.jointly.transport.internal.proto.Hello;
import io.jointly.transport.internal.proto.JointlyTransportGrpc;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session binding on the wire, driven by a hand-written peer that speaks the raw protocol: the
 * listening party refuses hellos it must not accept, and a bound channel refuses frames of another
 * session, from another party, replayed or out of sequence, of another version, or malformed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionBindingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RoundKey A = new RoundKey("binding", 1, 0);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .maxMessageBytes(1 << 16)
          .lobbyTimeout(Duration.ofMillis(300))
          .build();

  private String name;
  private TransportServer server;
  private ManagedChannel raw;

  @BeforeEach
  void start() throws Exception {
    name = "binding-" + System.nanoTime();
    server =
        GrpcTransport.listen(
            Endpoint.inProcess(name),
            TransportSecurity.insecurePlaintext("bank"),
            Set.of("partner", "carol"),
            OPTIONS);
    raw = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    raw.shutdownNow();
    server.close();
  }

  /** A peer that sends hand-made frames and records what comes back. */
  private final class RawPeer implements StreamObserver<Frame> {
    final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    final StreamObserver<Frame> out = JointlyTransportGrpc.newStub(raw).exchange(this);

    RawPeer hello(String session, String sender, String receiver, int version) {
      out.onNext(
          Frame.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setProtocolVersion(version)
                      .setSessionId(session)
                      .setSender(sender)
                      .setReceiver(receiver))
              .build());
      return this;
    }

    void send(Envelope.Builder e) {
      out.onNext(Frame.newBuilder().setEnvelope(e).build());
    }

    Object next() throws InterruptedException {
      Object o = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(o).as("an answer from the listening party").isNotNull();
      return o;
    }

    Status.Code refusal() throws InterruptedException {
      Object o = next();
      assertThat(o).isInstanceOf(Throwable.class);
      return Status.fromThrowable((Throwable) o).getCode();
    }

    @Override
    public void onNext(Frame value) {
      inbox.add(value);
    }

    @Override
    public void onError(Throwable t) {
      inbox.add(t);
    }

    @Override
    public void onCompleted() {
      inbox.add("completed");
    }
  }

  private static Envelope.Builder envelope(long frame, RoundKey key, byte[] payload) {
    return Envelope.newBuilder()
        .setProtocolVersion(1)
        .setSessionId("s1")
        .setSender("partner")
        .setReceiver("bank")
        .setFrameNumber(frame)
        .setProtocol(key.protocol())
        .setRound(key.round())
        .setSequence(key.sequence())
        .setMessageLength(payload.length)
        .setChunkOffset(0)
        .setPayload(ByteString.copyFrom(payload));
  }

  /** A raw partner bound to session s1, and the bank's end of it. */
  private RawPeer bound(TransportChannel[] bankEnd) throws Exception {
    PendingSession pending = server.expect("s1", "partner");
    RawPeer peer = new RawPeer().hello("s1", "partner", "bank", 1);
    bankEnd[0] = pending.await(WAIT);
    Frame welcome = (Frame) peer.next();
    assertThat(welcome.getHello().getSender()).isEqualTo("bank");
    assertThat(welcome.getHello().getReceiver()).isEqualTo("partner");
    assertThat(welcome.getHello().getSessionId()).isEqualTo("s1");
    return peer;
  }

  private static void assertAborts(
      TransportChannel ch, RoundKey key, ProtocolAbortException.Reason reason, String text) {
    assertThatThrownBy(() -> ch.receive(key, WAIT))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(text);
            });
  }

  @Test
  void envelope_wellFormed_isDelivered() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {7}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("07"));
  }

  @Test
  void envelope_ofAnotherSession_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}).setSessionId("s2"));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.UNEXPECTED_MESSAGE, "another session");
  }

  @Test
  void envelope_fromAnotherParty_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}).setSender("carol"));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.UNEXPECTED_MESSAGE, "other parties");
  }

  @Test
  void envelope_replayedFrame_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}));
    peer.send(envelope(0, A.withSequence(1), new byte[] {1}));
    assertAborts(
        bank[0], A.withSequence(1), ProtocolAbortException.Reason.REPLAYED_MESSAGE, "frame number 0");
  }

  @Test
  void envelope_skippedFrame_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(1, A, new byte[] {1}));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.UNEXPECTED_MESSAGE, "frame number 1");
  }

  @Test
  void envelope_otherVersion_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}).setProtocolVersion(2));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "version 2");
  }

  @Test
  void envelope_declaresMessageOverLimit_isRefusedAtFirstChunk() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[16]).setMessageLength(Integer.MAX_VALUE));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "exceeds the limit");
  }

  @Test
  void chunks_thatDoNotContinueTheMessage_areRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[4]).setMessageLength(8));
    peer.send(envelope(1, A, new byte[4]).setMessageLength(8).setChunkOffset(2));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "does not continue");
  }

  @Test
  void chunks_inOrder_areReassembled() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1, 2}).setMessageLength(4));
    peer.send(envelope(1, A, new byte[] {3, 4}).setMessageLength(4).setChunkOffset(2));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("01020304"));
  }

  @Test
  void envelope_invalidRoundKey_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}).setProtocol("Not A Protocol"));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "round key");
  }

  @Test
  void hello_fromPartyNotExpected_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "mallory", "bank", 1).refusal())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void hello_ofAnotherVersion_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "partner", "bank", 2).refusal())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void hello_addressedToAnotherParty_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "partner", "carol", 1).refusal())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void hello_forSessionNobodyExpects_isRefusedAfterTheLobbyTimeout() throws Exception {
    server.expect("s1", "partner");
    assertThat(new RawPeer().hello("s2", "partner", "bank", 1).refusal())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void hello_beforeTheSessionIsExpected_waitsInTheLobby() throws Exception {
    RawPeer peer = new RawPeer().hello("s1", "partner", "bank", 1);
    TransportChannel bank = server.accept("s1", "partner", WAIT);
    assertThat(((Frame) peer.next()).getHello().getSender()).isEqualTo("bank");
    assertThat(bank.peer()).isEqualTo("partner");
  }

  @Test
  void hello_forSessionAlreadyUsed_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer first = bound(bank);
    first.out.onCompleted();
    bank[0].close();
    assertThat(new RawPeer().hello("s1", "partner", "bank", 1).refusal())
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void hello_notFirst_isRefused() throws Exception {
    RawPeer peer = new RawPeer();
    peer.send(envelope(0, A, new byte[] {1}));
    assertThat(peer.refusal()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void connect_listeningPartyAnswersForAnotherSession_isRefused() throws Exception {
    String fake = "fake-" + System.nanoTime();
    Server impostor =
        InProcessServerBuilder.forName(fake)
            .addService(
                new JointlyTransportGrpc.JointlyTransportImplBase() {
                  @Override
                  public StreamObserver<Frame> exchange(StreamObserver<Frame> out) {
                    out.onNext(
                        Frame.newBuilder()
                            .setHello(
                                Hello.newBuilder()
                                    .setProtocolVersion(1)
                                    .setSessionId("other")
                                    .setSender("bank")
                                    .setReceiver("partner"))
                            .build());
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(Frame value) {}

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        out.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
    try {
      assertThatThrownBy(
              () ->
                  GrpcTransport.connect(
                      Endpoint.inProcess(fake),
                      TransportSecurity.insecurePlaintext("partner"),
                      "s1",
                      "bank",
                      OPTIONS))
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH);
                assertThat(e.getMessage()).contains("another session or party");
              });
    } finally {
      impostor.shutdownNow();
    }
  }
}
