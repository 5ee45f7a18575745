package io.jointly.transport.ic;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.InterconnectionSuite;
import io.jointly.transport.ic.internal.proto.ChunkInfo;
import io.jointly.transport.ic.internal.proto.EcSuit;
import io.jointly.transport.ic.internal.proto.EccProtocolProposal;
import io.jointly.transport.ic.internal.proto.EccProtocolResult;
import io.jointly.transport.ic.internal.proto.EcdhPsiCipherBatch;
import io.jointly.transport.ic.internal.proto.HandshakeRequest;
import io.jointly.transport.ic.internal.proto.HandshakeResponse;
import io.jointly.transport.ic.internal.proto.PsiDataIoProposal;
import io.jointly.transport.ic.internal.proto.PushRequest;
import io.jointly.transport.ic.internal.proto.PushResponse;
import io.jointly.transport.ic.internal.proto.ReceiverServiceGrpc;
import io.jointly.transport.ic.internal.proto.ResponseHeader;
import io.jointly.transport.ic.internal.proto.TransType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A test-only emulation of the SecretFlow reference's white-box party, written from the spec (§3.3,
 * §3.5, §4.2–4.5, §5) and independent of Jointly's transport code: it builds and reads the
 * standard's messages with the generated classes directly. Its channel layer behaves like yacl's:
 * keys with {@code \x01\x02seq}, every message pushed on its own thread (so they arrive in any
 * order), a throttle window of 10 un-ACKed messages with a 30 s wait, ACK when the algorithm reads
 * a message, FIN with its count at the end, then waiting for the peer's FIN (no time-out: the test's
 * own time-out bounds it), the peer's messages 1..N and the ACKs of all its own. Its algorithm is
 * the reference's: rows in file order, no de-duplication, 12-byte second stage, handshake with one
 * suite, rank 0 answering with a {@code PsiDataIoProposal} and ECC version 0. Its client pushes in
 * brpc's baidu_std on one connection with many calls in flight ({@link BaiduStdClient}), as the
 * unmodified reference does (yacl's default {@code brpc_channel_protocol}), or in gRPC, as a
 * reference rebuilt with {@code "h2:grpc"} does (spec §3.1); its server speaks gRPC, which the
 * reference's brpc server accepts. Plaintext loopback only. Every push it receives is kept raw for
 * the conformance checks.
 */
final class ReferencePeer implements AutoCloseable {
  /** The protocol of the reference's client (the server always accepts both). */
  enum Client {
    /** yacl's default {@code brpc_channel_protocol}: what an unmodified reference pushes with. */
    BAIDU_STD,
    /** {@code brpc_channel_protocol = "h2:grpc"}, a rebuilt reference (spec §3.1 option (a)). */
    H2_GRPC
  }

  static final String ACK = "ACK\u0001\u0002";
  static final String FIN = "FIN\u0001\u0002";

  final int rank;
  final int peer;
  final int batchSize;
  final int resultToRank;
  final List<byte[]> items;
  final Server server;
  private final Client client;
  private ManagedChannel channel;
  private ReceiverServiceGrpc.ReceiverServiceBlockingStub stub;
  private BaiduStdClient brpc;
  private final ExecutorService senders = Executors.newCachedThreadPool(daemon("ref-send"));
  private final Object lock = new Object();
  private final Map<String, Msg> mailbox = new HashMap<>();
  private final BitSet receivedSeqs = new BitSet();
  private final BitSet acks = new BitSet();
  private final Map<String, byte[]> chunks = new HashMap<>();
  private final Map<String, Long> chunkWritten = new HashMap<>();
  private long peerFin = -1;
  private long seq;
  private final Map<String, Long> sendCounters = new HashMap<>();
  private final Map<String, Long> recvCounters = new HashMap<>();
  private volatile Throwable asyncFailure;

  /** Every push received, raw, in arrival order. */
  final List<byte[]> receivedPushes = Collections.synchronizedList(new ArrayList<>());

  /** Logical keys of the normal messages this peer sent, in send order. */
  final List<String> sentKeys = Collections.synchronizedList(new ArrayList<>());

  record Msg(byte[] value, long seq) {}

  ReferencePeer(int rank, List<String> rows, int batchSize, int resultToRank) throws Exception {
    this(rank, rows, batchSize, resultToRank, Client.BAIDU_STD);
  }

  ReferencePeer(int rank, List<String> rows, int batchSize, int resultToRank, Client client) throws Exception {
    this.client = client;
    this.rank = rank;
    this.peer = 1 - rank;
    this.batchSize = batchSize;
    this.resultToRank = resultToRank;
    this.items = rows.stream().map(s -> s.trim().getBytes(StandardCharsets.UTF_8)).toList();
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .maxInboundMessageSize(8 << 20)
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  // ------------------------------------------------------------------ the run

  /** The rows of this party's input found shared, or null if it gets no result. */
  List<Integer> run(int peerPort) throws Exception {
    // connect phase: connect_{me}\x01\x020, retried; then wait for connect_{peer}
    PushRequest connect =
        PushRequest.newBuilder().setSenderRank(rank).setKey("connect_" + rank + "\u0001\u00020").build();
    if (client == Client.H2_GRPC) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", peerPort).usePlaintext().build();
      stub = ReceiverServiceGrpc.newBlockingStub(channel);
    }
    for (int i = 0; ; i++) {
      try {
        if (client == Client.BAIDU_STD && brpc == null) {
          brpc = BaiduStdClient.connect(peerPort);
        }
        ok(push(connect, Duration.ofSeconds(2)));
        break;
      } catch (io.grpc.StatusRuntimeException | java.io.IOException e) {
        if (i > 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    recv("connect_" + peer);

    EcdhGroup g = EcdhGroups.create(InterconnectionSuite.CURVE25519_SHA256_DIRECT);
    GroupScalar k = g.randomScalar(new SecureRandom());
    if (rank == 1) {
      send("root", handshakeRequest().toByteArray());
      HandshakeResponse rsp = HandshakeResponse.parseFrom(recv(p2pIn("root")));
      if (rsp.getHeader().getErrorCode() != 0) {
        finish();
        throw new IllegalStateException("refused: " + rsp.getHeader().getErrorMsg());
      }
    } else {
      HandshakeRequest req = HandshakeRequest.parseFrom(recv(p2pIn("root")));
      send("root", handshakeResponse(req).toByteArray());
    }
    boolean selfGets = resultToRank == -1 || resultToRank == rank;
    boolean peerGets = resultToRank == -1 || resultToRank == peer;

    List<Integer> result = null;
    ExecutorService activities = Executors.newFixedThreadPool(3, daemon("ref-activity"));
    try {
      var self =
          activities.submit(
              () -> {
                int b = 0;
                for (int from = 0; from < items.size(); from += batchSize, b++) {
                  int n = Math.min(batchSize, items.size() - from);
                  byte[] ct = new byte[32 * n];
                  for (int i = 0; i < n; i++) {
                    System.arraycopy(g.hashAndMultiply(k, items.get(from + i)), 0, ct, 32 * i, 32);
                  }
                  send("root", batch("enc", b, false, n, ct));
                }
                send("root", batch("enc", b, true, 0, new byte[0]));
                return null;
              });
      var peerSide =
          activities.submit(
              () -> {
                Set<ByteString> peerSet = new HashSet<>();
                for (int b = 0; ; b++) {
                  EcdhPsiCipherBatch in = EcdhPsiCipherBatch.parseFrom(recv(p2pIn("root")));
                  if (in.getBatchIndex() != b) {
                    throw new IllegalStateException("batch index " + in.getBatchIndex() + " != " + b);
                  }
                  if (in.getCount() == 0) {
                    if (peerGets) {
                      send("root-0", batch("dual.enc", b, true, 0, new byte[0]));
                    }
                    return peerSet;
                  }
                  byte[] ct = in.getCiphertext().toByteArray();
                  byte[] dual = new byte[12 * in.getCount()];
                  for (int i = 0; i < in.getCount(); i++) {
                    byte[] d = g.multiply(k, Arrays.copyOfRange(ct, 32 * i, 32 * i + 32));
                    System.arraycopy(d, 20, dual, 12 * i, 12);
                    peerSet.add(ByteString.copyFrom(d, 20, 12));
                  }
                  if (peerGets) {
                    send("root-0", batch("dual.enc", b, false, in.getCount(), dual));
                  }
                }
              });
      var dualSide =
          selfGets
              ? activities.submit(
                  () -> {
                    List<ByteString> mine = new ArrayList<>();
                    while (true) {
                      EcdhPsiCipherBatch in = EcdhPsiCipherBatch.parseFrom(recv(p2pIn("root-0")));
                      if (in.getCount() == 0) {
                        return mine;
                      }
                      int w = in.getCiphertext().size() / in.getCount();
                      for (int i = 0; i < in.getCount(); i++) {
                        mine.add(in.getCiphertext().substring(w * i, w * i + w));
                      }
                    }
                  })
              : null;
      self.get(120, TimeUnit.SECONDS);
      Set<ByteString> peerSet = peerSide.get(120, TimeUnit.SECONDS);
      if (dualSide != null) {
        List<ByteString> mine = dualSide.get(120, TimeUnit.SECONDS);
        result = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
          if (peerSet.contains(mine.get(i))) {
            result.add(i);
          }
        }
      }
    } finally {
      activities.shutdownNow();
    }
    finish();
    return result;
  }

  private HandshakeRequest handshakeRequest() {
    EccProtocolProposal ecc =
        EccProtocolProposal.newBuilder()
            .addSupportedVersions(1)
            .addEcSuits(EcSuit.newBuilder().setCurve(1).setHash(11).setHash2CurveStrategy(3))
            .addPointOctetFormats(1)
            .setSupportPointTruncation(false)
            .build();
    PsiDataIoProposal io =
        PsiDataIoProposal.newBuilder().addSupportedVersions(1).setItemNum(items.size()).setResultToRank(resultToRank).build();
    return HandshakeRequest.newBuilder()
        .setVersion(2)
        .setRequesterRank(rank)
        .addSupportedAlgos(1)
        .addProtocolFamilies(1)
        .addProtocolFamilyParams(Any.pack(ecc))
        .setIoParam(Any.pack(io))
        .build();
  }

  private HandshakeResponse handshakeResponse(HandshakeRequest req) throws Exception {
    EccProtocolProposal ecc = req.getProtocolFamilyParams(0).unpack(EccProtocolProposal.class);
    PsiDataIoProposal io = req.getIoParam().unpack(PsiDataIoProposal.class);
    EcSuit mine = EcSuit.newBuilder().setCurve(1).setHash(11).setHash2CurveStrategy(3).build();
    if (req.getVersion() != 2 || !ecc.getEcSuitsList().contains(mine) || io.getResultToRank() != resultToRank) {
      return HandshakeResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setErrorCode(31100200).setErrorMsg("negotiate failed"))
          .build();
    }
    return HandshakeResponse.newBuilder()
        .setHeader(ResponseHeader.getDefaultInstance())
        .setAlgo(1)
        .addProtocolFamilies(1)
        .addProtocolFamilyParams(
            Any.pack(EccProtocolResult.newBuilder().setEcSuit(mine).setPointOctetFormat(1).setBitLengthAfterTruncated(-1).build()))
        .setIoParam(Any.pack(PsiDataIoProposal.newBuilder().setItemNum(items.size()).setResultToRank(resultToRank).build()))
        .build();
  }

  private static byte[] batch(String type, int index, boolean last, int count, byte[] ct) {
    return EcdhPsiCipherBatch.newBuilder()
        .setType(type)
        .setBatchIndex(index)
        .setIsLastBatch(last)
        .setCount(count)
        .setCiphertext(ByteString.copyFrom(ct))
        .build()
        .toByteArray();
  }

  // ------------------------------------------------------- channel layer (yacl)

  private String p2pIn(String channel) {
    long n;
    synchronized (recvCounters) {
      n = recvCounters.merge(channel, 1L, Long::sum);
    }
    return channel + ":P2P-" + n + ":" + peer + "->" + rank;
  }

  /** Sends asynchronously on its own thread, then waits for the throttle window (30 s). */
  private void send(String channel, byte[] value) throws Exception {
    String key;
    long s;
    synchronized (lock) {
      long n = sendCounters.merge(channel, 1L, Long::sum);
      key = channel + ":P2P-" + n + ":" + rank + "->" + peer;
      s = ++seq;
      sentKeys.add(key);
    }
    String wire = key + "\u0001\u0002" + s;
    senders.execute(() -> pushValue(wire, value));
    synchronized (lock) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (acks.cardinality() + 10 <= s) {
        checkAsync();
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new IllegalStateException("Throttle window wait timeout");
        }
        lock.wait(left);
      }
    }
  }

  private void pushValue(String wire, byte[] value) {
    try {
      int chunk = 1 << 20;
      if (value.length <= chunk) {
        ok(push(PushRequest.newBuilder().setSenderRank(rank).setKey(wire).setValue(ByteString.copyFrom(value)).build(), PUSH_TIMEOUT));
        return;
      }
      for (int off = 0; off < value.length; off += chunk) {
        int len = Math.min(chunk, value.length - off);
        ok(
            push(
                PushRequest.newBuilder()
                    .setSenderRank(rank)
                    .setKey(wire)
                    .setValue(ByteString.copyFrom(value, off, len))
                    .setTransType(TransType.CHUNKED)
                    .setChunkInfo(ChunkInfo.newBuilder().setMessageLength(value.length).setChunkOffset(off))
                    .build(),
                PUSH_TIMEOUT));
      }
    } catch (Throwable t) {
      asyncFailure = t;
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** The reference's per-push RPC time-out (yacl {@code kDefaultHttpTimeoutMs}). */
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(20);

  /** One Push call in the client's protocol. */
  private PushResponse push(PushRequest req, Duration timeout) throws Exception {
    if (client == Client.BAIDU_STD) {
      return PushResponse.parseFrom(brpc.push(req.toByteArray(), timeout));
    }
    return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).push(req);
  }

  private static void ok(PushResponse r) {
    if (r.getHeader().getErrorCode() != 0) {
      throw new IllegalStateException("peer answered " + r.getHeader().getErrorCode() + ": " + r.getHeader().getErrorMsg());
    }
  }

  /** Waits for a logical key (30 s, the reference's receive time-out) and ACKs it. */
  private byte[] recv(String key) throws Exception {
    Msg m;
    synchronized (lock) {
      long deadline = System.currentTimeMillis() + 30_000;
      while ((m = mailbox.remove(key)) == null) {
        checkAsync();
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new IllegalStateException("Get data timeout, key=" + key);
        }
        lock.wait(left);
      }
    }
    if (m.seq > 0) {
      String ackValue = Long.toString(m.seq);
      senders.execute(() -> pushValue(ACK, ackValue.getBytes(StandardCharsets.US_ASCII)));
    }
    return m.value;
  }

  /** WaitLinkTaskFinish: ACK unread, FIN, wait for the peer's FIN and messages, then all ACKs. */
  private void finish() throws Exception {
    List<Long> unread;
    long sent;
    synchronized (lock) {
      unread = mailbox.values().stream().map(Msg::seq).filter(s -> s > 0).toList();
      mailbox.clear();
      sent = seq;
    }
    for (long s : unread) {
      pushValue(ACK, Long.toString(s).getBytes(StandardCharsets.US_ASCII));
    }
    pushValue(FIN, Long.toString(sent).getBytes(StandardCharsets.US_ASCII));
    synchronized (lock) {
      while (peerFin < 0) {
        checkAsync();
        lock.wait(1000);
      }
      while (peerFin > 0 && receivedSeqs.nextClearBit(1) <= peerFin) {
        lock.wait(1000);
      }
      while (sent > 0 && acks.nextClearBit(1) <= sent) {
        checkAsync();
        lock.wait(1000);
      }
    }
  }

  private void checkAsync() {
    if (asyncFailure != null) {
      throw new IllegalStateException("async send failed", asyncFailure);
    }
  }

  /** The reference's receiver: 0a00 for every push; seq ids de-duplicated; chunks reassembled. */
  private final class Service extends ReceiverServiceGrpc.ReceiverServiceImplBase {
    @Override
    public void push(PushRequest req, StreamObserver<PushResponse> out) {
      receivedPushes.add(req.toByteArray());
      if (req.getTransType() == TransType.CHUNKED) {
        synchronized (lock) {
          byte[] buf = chunks.computeIfAbsent(req.getKey(), x -> new byte[(int) req.getChunkInfo().getMessageLength()]);
          req.getValue().copyTo(buf, (int) req.getChunkInfo().getChunkOffset());
          long w = chunkWritten.merge(req.getKey(), (long) req.getValue().size(), Long::sum);
          if (w == buf.length) {
            chunks.remove(req.getKey());
            onMessage(req.getKey(), buf);
          }
        }
      } else {
        onMessage(req.getKey(), req.getValue().toByteArray());
      }
      out.onNext(PushResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build());
      out.onCompleted();
    }
  }

  private void onMessage(String key, byte[] value) {
    synchronized (lock) {
      if (key.equals(ACK)) {
        acks.set(Integer.parseInt(new String(value, StandardCharsets.US_ASCII)));
      } else if (key.equals(FIN)) {
        if (peerFin < 0) {
          peerFin = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        }
      } else {
        int at = key.indexOf("\u0001\u0002");
        String logical = at < 0 ? key : key.substring(0, at);
        long s = at < 0 ? 0 : Long.parseLong(key.substring(at + 2));
        if (s > 0 && receivedSeqs.get((int) s)) {
          return;
        }
        if (s > 0) {
          receivedSeqs.set((int) s);
        }
        if (mailbox.putIfAbsent(logical, new Msg(value, s)) != null && s > 0) {
          asyncFailure = new IllegalStateException("BUG! same key " + logical);
        }
      }
      lock.notifyAll();
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    senders.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (brpc != null) {
      try {
        brpc.close();
      } catch (java.io.IOException e) {
        // closing a test socket
      }
    }
    server.shutdownNow();
  }
}
