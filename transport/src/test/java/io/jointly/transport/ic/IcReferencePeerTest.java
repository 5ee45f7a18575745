package io.jointly.transport.ic;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.transport.ic.internal.proto.EcdhPsiCipherBatch;
import io.jointly.transport.ic.internal.proto.HandshakeRequest;
import io.jointly.transport.ic.internal.proto.HandshakeResponse;
import io.jointly.transport.ic.internal.proto.PushRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Jointly party against the reference-emulating peer ({@link ReferencePeer}, spec §9.4) over
 * loopback, its client pushing in brpc's baidu_std as an unmodified reference does (and in gRPC as
 * a rebuilt one does): both rank assignments and every {@code result_to_rank}; a run of more than 20 batches
 * each way through the reference's 10-message ACK window; and conformance of everything Jointly
 * pushed: each push and each value decodes with the standard's schema and re-encodes to the same
 * bytes, the logical keys per channel are the standard's sequence, sequence numbers run 1..N
 * without gaps, every reference message was ACKed and the FIN count is N.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IcReferencePeerTest {
  static final List<String> A = List.of("a", "b", "c");
  static final List<String> B = List.of("b", "c", "d");

  @ParameterizedTest
  @CsvSource({"0,-1", "0,0", "0,1", "1,-1", "1,0", "1,1"})
  void jointlyAgainstReference_bothRanks_everyResultToRank(int jointlyRank, int rtr) throws Exception {
    Outcome o = run(jointlyRank, rtr, A, B, IcParameters.DEFAULT_BATCH_SIZE);
    boolean jointlyGets = rtr == -1 || rtr == jointlyRank;
    boolean referenceGets = rtr == -1 || rtr == 1 - jointlyRank;
    assertThat(o.jointly.sharedRows().isPresent()).isEqualTo(jointlyGets);
    if (jointlyGets) {
      assertThat(o.jointly.sharedRows()).contains(RowIndexes.of(1, 2));
      assertThat(o.jointly.secondStageBytesReceived()).isEqualTo(12);
    }
    assertThat(o.reference == null).isEqualTo(!referenceGets);
    if (referenceGets) {
      assertThat(o.reference).containsExactly(0, 1);
    }
    checkConformance(o.peer, jointlyRank, referenceGets);
  }

  /** Spec §9.4: at least 20 batches per direction through the ACK window, both exit cleanly. */
  @Test
  void manyBatches_throughTheAckWindow_bothFinish() throws Exception {
    int n = 20 * 256 + 1;
    List<String> left = IntStream.range(0, n).mapToObj(i -> "L" + i).toList();
    List<String> right = IntStream.range(0, n).mapToObj(i -> (i % 2 == 0 ? "L" : "R") + i).toList();
    Outcome o = run(1, -1, left, right, 256);
    assertThat(o.jointly.intersectionSize()).hasValue((n + 1) / 2);
    assertThat(o.reference).hasSize((n + 1) / 2);
    checkConformance(o.peer, 1, true);
  }

  record Outcome(IcPsiResult jointly, List<Integer> reference, ReferencePeer peer) {}

  /** The reference's client in gRPC (a reference rebuilt with h2:grpc) instead of baidu_std. */
  @ParameterizedTest
  @CsvSource({"0", "1"})
  void rebuiltReferenceSpeakingGrpc_bothRanks(int jointlyRank) throws Exception {
    Outcome o = run(jointlyRank, -1, A, B, IcParameters.DEFAULT_BATCH_SIZE, ReferencePeer.Client.H2_GRPC);
    assertThat(o.jointly.sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(o.reference).containsExactly(0, 1);
    checkConformance(o.peer, jointlyRank, true);
  }

  static Outcome run(int jointlyRank, int rtr, List<String> jointlyRows, List<String> refRows, int batch)
      throws Exception {
    return run(jointlyRank, rtr, jointlyRows, refRows, batch, ReferencePeer.Client.BAIDU_STD);
  }

  static Outcome run(
      int jointlyRank, int rtr, List<String> jointlyRows, List<String> refRows, int batch, ReferencePeer.Client client)
      throws Exception {
    try (ReferencePeer ref = new ReferencePeer(1 - jointlyRank, refRows, batch, rtr, client);
        IcTransport.Listener l = IcParties.listen(jointlyRank, IcParties.FAST)) {
      int jointlyPort = ((io.jointly.transport.Endpoint.Tcp) l.endpoint()).port();
      CompletableFuture<List<Integer>> refRun =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ref.run(jointlyPort);
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      IcParameters p = IcParties.params(jointlyRank, rtr).toBuilder().batchSize(batch).build();
      IcPsiResult mine = IcParties.run(l, ref.port(), p, jointlyRows);
      List<Integer> theirs = refRun.get(60, TimeUnit.SECONDS);
      return new Outcome(mine, theirs, ref);
    }
  }

  /** Everything Jointly pushed to the reference peer, checked against the standard's schema. */
  static void checkConformance(ReferencePeer ref, int jointlyRank, boolean jointlySendsSecondStage)
      throws InvalidProtocolBufferException {
    int peer = 1 - jointlyRank;
    BitSet seqs = new BitSet();
    BitSet acked = new BitSet();
    long fin = -1;
    Map<String, TreeMap<Long, Long>> perChannel = new TreeMap<>(); // channel -> counter -> seq
    java.util.Set<String> logicalKeys = new java.util.HashSet<>();
    boolean connect = false;
    for (byte[] raw : new ArrayList<>(ref.receivedPushes)) {
      PushRequest push = PushRequest.parseFrom(raw);
      assertThat(push.toByteArray()).as("push re-encodes byte-exactly").isEqualTo(raw);
      assertThat(push.getSenderRank()).isEqualTo(jointlyRank);
      String key = push.getKey();
      String value = push.getValue().toString(StandardCharsets.US_ASCII);
      if (key.equals(ReferencePeer.ACK)) {
        acked.set(Integer.parseInt(value));
        continue;
      }
      if (key.equals(ReferencePeer.FIN)) {
        fin = Long.parseLong(value);
        continue;
      }
      if (key.equals("connect_" + jointlyRank + "\u0001\u00020")) {
        connect = true;
        assertThat(push.getValue().isEmpty()).isTrue();
        continue;
      }
      int at = key.indexOf("\u0001\u0002");
      assertThat(at).as("sequence suffix on " + key).isPositive();
      long seq = Long.parseLong(key.substring(at + 2));
      assertThat(seqs.get((int) seq)).as("no sequence number twice").isFalse();
      seqs.set((int) seq);
      String logical = key.substring(0, at);
      assertThat(logicalKeys.add(logical)).as("logical key %s used once", logical).isTrue();
      String[] parts = logical.split(":");
      assertThat(parts).hasSize(3);
      assertThat(parts[2]).isEqualTo(jointlyRank + "->" + peer);
      long counter = Long.parseLong(parts[1].substring("P2P-".length()));
      perChannel.computeIfAbsent(parts[0], c -> new TreeMap<>()).put(counter, seq);
      byte[] value2 = push.getValue().toByteArray();
      boolean handshake = parts[0].equals("root") && counter == 1;
      if (handshake && jointlyRank == 1) {
        assertThat(HandshakeRequest.parseFrom(value2).toByteArray()).isEqualTo(value2);
      } else if (handshake) {
        assertThat(HandshakeResponse.parseFrom(value2).toByteArray()).isEqualTo(value2);
      } else {
        EcdhPsiCipherBatch b = EcdhPsiCipherBatch.parseFrom(value2);
        assertThat(b.toByteArray()).isEqualTo(value2);
        assertThat(b.getType()).isEqualTo(parts[0].equals("root") ? "enc" : "dual.enc");
        assertThat(b.getBatchIndex()).isEqualTo(counter - (parts[0].equals("root") ? 2 : 1));
        assertThat(b.getIsLastBatch()).isEqualTo(b.getCount() == 0);
      }
    }
    assertThat(connect).isTrue();
    int n = seqs.cardinality();
    assertThat(seqs.nextClearBit(1)).as("sequence numbers 1..N without gaps").isEqualTo(n + 1);
    assertThat(fin).as("FIN count").isEqualTo(n);
    assertThat(perChannel.keySet()).isEqualTo(jointlySendsSecondStage ? java.util.Set.of("root", "root-0") : java.util.Set.of("root"));
    for (TreeMap<Long, Long> counters : perChannel.values()) {
      assertThat(counters.firstKey()).as("P2P counters start at 1").isEqualTo(1L);
      assertThat(counters.lastKey()).isEqualTo((long) counters.size());
    }
    // Every message the reference sent was acknowledged.
    assertThat(acked.cardinality()).isEqualTo(ref.sentKeys.size());
    assertThat(acked.nextClearBit(1)).isEqualTo(ref.sentKeys.size() + 1);
  }
}
