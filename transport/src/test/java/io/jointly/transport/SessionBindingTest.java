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
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.internal.SessionRegistry;
import io.jointly.transport.internal.Wire;
import io.jointly.transport.internal.proto.Envelope;
import io.jointly.transport.internal.proto.Frame;
import io.jointly.transport.internal.proto.Heartbeat;
import io.jointly.transport.internal.proto.Hello;
import io.jointly.transport.internal.proto.JointlyTransportGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
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
  private static final int V = Wire.PROTOCOL_VERSION;
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .maxMessageBytes(1 << 16)
          .lobbyTimeout(Duration.ofMillis(300))
          .connectTimeout(Duration.ofMillis(500)) // also the listening side's wait for a hello
          .build();

  private String name;
  private TransportServer server;
  private ManagedChannel raw;
  private ExecutorService executor;

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
    executor = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
    raw.shutdownNow();
    server.close();
  }

  /**
   * A peer that sends hand-made frames and records what comes back; heartbeats go to their own
   * queue.
   */
  private final class RawPeer implements StreamObserver<Frame> {
    final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    final BlockingQueue<Heartbeat> heartbeats = new LinkedBlockingQueue<>();
    final StreamObserver<Frame> out;

    RawPeer() {
      this(raw);
    }

    RawPeer(ManagedChannel to) {
      out = JointlyTransportGrpc.newStub(to).exchange(this);
    }

    RawPeer hello(String session, String sender, String receiver, int version) {
      return hello(session, sender, receiver, version, 60_000);
    }

    RawPeer hello(String session, String sender, String receiver, int version, int maxSilenceMillis) {
      out.onNext(
          Frame.newBuilder()
              .setHello(
                  Hello.newBuilder()
                      .setProtocolVersion(version)
                      .setSessionId(session)
                      .setSender(sender)
                      .setReceiver(receiver)
                      .setMaxSilenceMillis(maxSilenceMillis))
              .build());
      return this;
    }

    void heartbeat(long envelopesReceived, boolean waiting) {
      out.onNext(
          Frame.newBuilder()
              .setHeartbeat(
                  Heartbeat.newBuilder().setEnvelopesReceived(envelopesReceived).setWaiting(waiting))
              .build());
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
      if (value.getBodyCase() == Frame.BodyCase.HEARTBEAT) {
        heartbeats.add(value.getHeartbeat());
      } else {
        inbox.add(value);
      }
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
        .setProtocolVersion(V)
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
    RawPeer peer = new RawPeer().hello("s1", "partner", "bank", V);
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
    peer.send(envelope(0, A, new byte[] {1}).setProtocolVersion(V + 1));
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "version " + (V + 1));
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
    assertThat(new RawPeer().hello("s1", "mallory", "bank", V).refusal())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void hello_ofAnotherVersion_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "partner", "bank", V + 1).refusal())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void hello_addressedToAnotherParty_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "partner", "carol", V).refusal())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void hello_forSessionNobodyExpects_isRefusedAfterTheLobbyTimeout() throws Exception {
    server.expect("s1", "partner");
    assertThat(new RawPeer().hello("s2", "partner", "bank", V).refusal())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void hello_beforeTheSessionIsExpected_waitsInTheLobby() throws Exception {
    RawPeer peer = new RawPeer().hello("s1", "partner", "bank", V);
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
    assertThat(new RawPeer().hello("s1", "partner", "bank", V).refusal())
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  // --- liveness on the wire ---------------------------------------------------------------------

  @Test
  void hello_withoutMaxSilence_isRefused() throws Exception {
    assertThat(new RawPeer().hello("s1", "partner", "bank", V, 0).refusal())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void heartbeat_fromListeningSide_comesAsOftenAsAskedAndSaysWhetherItWaits() throws Exception {
    PendingSession pending = server.expect("s1", "partner");
    RawPeer peer = new RawPeer().hello("s1", "partner", "bank", V, 300); // a sign of life every 50 ms
    TransportChannel bank = pending.await(WAIT);
    peer.next(); // the answering hello
    Heartbeat idle = peer.heartbeats.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(idle).isNotNull();
    assertThat(idle.getWaiting()).as("nobody receives on the bank's end: it is at work").isFalse();
    java.util.concurrent.Future<?> receiving =
        executor.submit(
            () -> {
              try {
                bank.receive(A, WAIT);
              } catch (Exception e) {
                // ends with the test
              }
            });
    try {
      Heartbeat h;
      do {
        h = peer.heartbeats.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(h).as("a heartbeat while the bank waits").isNotNull();
      } while (!h.getWaiting());
      assertThat(h.getEnvelopesReceived()).isZero();
      peer.send(envelope(0, A, new byte[] {1}));
      receiving.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      do {
        h = peer.heartbeats.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(h).isNotNull();
      } while (h.getEnvelopesReceived() == 0);
      assertThat(h.getEnvelopesReceived()).isEqualTo(1);
      assertThat(h.getWaiting()).isFalse();
    } finally {
      receiving.cancel(true);
    }
  }

  @Test
  void heartbeat_isNeitherDeliveredNorCountedAsAMessage() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.heartbeat(0, false);
    peer.heartbeat(0, true);
    peer.send(envelope(0, A, new byte[] {5}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("05"));
    assertThat(bank[0].wireStats().messagesReceived()).isEqualTo(1);
    assertThat(bank[0].livenessStats().messagesReceived()).isEqualTo(2);
    assertThat(bank[0].livenessStats().bytesReceived()).isPositive();
  }

  @Test
  void heartbeat_acknowledgingEnvelopesNeverSent_isRefused() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.heartbeat(3, true);
    assertAborts(bank[0], A, ProtocolAbortException.Reason.MALFORMED_MESSAGE, "acknowledges 3");
  }

  @Test
  void receive_peerAliveButWaitingForUsWithEverythingReceived_timesOut() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    peer.send(envelope(0, A, new byte[] {1}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("01"));
    // the peer keeps saying it waits for the bank, having received all (none) of the bank's
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    try {
      beats.scheduleAtFixedRate(() -> peer.heartbeat(0, true), 0, 50, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertThatThrownBy(() -> bank[0].receive(A.withSequence(1), Duration.ofMillis(500)))
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT);
                assertThat(e.getMessage()).contains("waited for each other");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      beats.shutdownNow();
    }
  }

  @Test
  void receive_peerAliveAndAtWork_isWaitedForPastTheTimeout() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer peer = bound(bank);
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    try {
      beats.scheduleAtFixedRate(() -> peer.heartbeat(0, false), 0, 50, TimeUnit.MILLISECONDS);
      beats.schedule(() -> peer.send(envelope(0, A, new byte[] {9})), 1500, TimeUnit.MILLISECONDS);
      assertThat(bank[0].receive(A, Duration.ofMillis(400))).isEqualTo(Bytes.fromHex("09"));
    } finally {
      beats.shutdownNow();
    }
  }

  // --- reconnects (issue 25 item 4) --------------------------------------------------------------

  @Test
  void hello_againWhileTheOlderWaitsInTheLobby_replacesTheOlder() throws Exception {
    RawPeer older = new RawPeer().hello("s1", "partner", "bank", V);
    RawPeer newer = new RawPeer().hello("s1", "partner", "bank", V);
    assertThat(older.refusal()).isEqualTo(Status.Code.ABORTED);
    TransportChannel bank = server.accept("s1", "partner", WAIT);
    assertThat(((Frame) newer.next()).getHello().getSender()).isEqualTo("bank");
    newer.send(envelope(0, A, new byte[] {2}));
    assertThat(bank.receive(A, WAIT)).isEqualTo(Bytes.fromHex("02"));
  }

  @Test
  void hello_againBeforeAnyEnvelope_movesTheBoundSessionToTheNewerStream() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer older = bound(bank); // the bank's answer may never have reached the peer
    RawPeer newer = new RawPeer().hello("s1", "partner", "bank", V);
    assertThat(((Frame) newer.next()).getHello().getSender()).isEqualTo("bank");
    assertThat(older.refusal()).isEqualTo(Status.Code.ABORTED);
    newer.send(envelope(0, A, new byte[] {3}));
    assertThat(bank[0].receive(A, WAIT)).as("the channel the bank already holds").isEqualTo(Bytes.fromHex("03"));
    bank[0].send(A, Bytes.fromHex("04"));
    assertThat(((Frame) newer.next()).getEnvelope().getPayload().byteAt(0)).isEqualTo((byte) 4);
  }

  @Test
  void hello_againAfterTheOlderStreamWasCancelled_movesTheBoundSession() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer older = bound(bank);
    older.out.onError(Status.CANCELLED.withDescription("gave up").asRuntimeException());
    RawPeer newer = new RawPeer().hello("s1", "partner", "bank", V);
    assertThat(((Frame) newer.next()).getHello().getSender()).isEqualTo("bank");
    newer.send(envelope(0, A, new byte[] {6}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("06"));
  }

  @Test
  void hello_againOnceEnvelopesMoved_isRefusedAndTheOlderKeepsWorking() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer older = bound(bank);
    older.send(envelope(0, A, new byte[] {1}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("01"));
    assertThat(new RawPeer().hello("s1", "partner", "bank", V).refusal())
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    older.send(envelope(1, A.withSequence(1), new byte[] {2}));
    assertThat(bank[0].receive(A.withSequence(1), WAIT)).isEqualTo(Bytes.fromHex("02"));
  }

  @Test
  void hello_fromAnotherPartyForABoundSession_doesNotTakeItOver() throws Exception {
    TransportChannel[] bank = new TransportChannel[1];
    RawPeer older = bound(bank);
    // carol is an expected party, but of her own (session, party) pair: she waits in the lobby
    RawPeer carol = new RawPeer().hello("s1", "carol", "bank", V);
    assertThat(carol.refusal()).isEqualTo(Status.Code.NOT_FOUND);
    older.send(envelope(0, A, new byte[] {8}));
    assertThat(bank[0].receive(A, WAIT)).isEqualTo(Bytes.fromHex("08"));
  }

  // --- a server that closes while streams arrive -------------------------------------------------

  @Test
  void stream_arrivingAfterTheRegistryClosed_isRefusedWithUnavailable() throws Exception {
    String n = "closing-" + System.nanoTime();
    SessionRegistry registry = new SessionRegistry("bank", Set.of("partner"), false, OPTIONS);
    Server grpc = InProcessServerBuilder.forName(n).addService(registry.service()).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(n).build();
    try {
      registry.close(); // the gRPC server still takes streams, as during TransportServer.close()
      Object t = new RawPeer(ch).next();
      assertThat(t).isInstanceOf(Throwable.class);
      assertThat(Status.fromThrowable((Throwable) t).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Status.fromThrowable((Throwable) t).getDescription()).isEqualTo("server closing");
    } finally {
      ch.shutdownNow();
      grpc.shutdownNow();
    }
  }

  @Test
  void streams_arrivingWhileTheServerCloses_allEndWithARefusalStatus() throws Exception {
    String n = "racing-" + System.nanoTime();
    TransportServer racing =
        GrpcTransport.listen(
            Endpoint.inProcess(n), TransportSecurity.insecurePlaintext("bank"), Set.of("partner"), OPTIONS);
    ManagedChannel ch = InProcessChannelBuilder.forName(n).build();
    int streams = 40;
    List<RawPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < streams; i++) {
        if (i == streams / 2) {
          executor.execute(racing::close);
        }
        peers.add(new RawPeer(ch).hello("s" + i, "partner", "bank", V));
      }
      for (int i = 0; i < streams; i++) {
        Object t = peers.get(i).next();
        assertThat(t).as("stream %d ended with a status", i).isInstanceOf(Throwable.class);
        assertThat(Status.fromThrowable((Throwable) t).getCode())
            .as("never an exception escaping into gRPC (UNKNOWN)")
            .isIn(Status.Code.UNAVAILABLE, Status.Code.NOT_FOUND, Status.Code.CANCELLED);
      }
    } finally {
      ch.shutdownNow();
      racing.close();
    }
  }

  @Test
  void hello_neverSent_streamEndedAfterTheConnectTimeout() throws Exception {
    assertThat(new RawPeer().refusal()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
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
                                    .setProtocolVersion(V)
                                    .setMaxSilenceMillis(60_000)
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
