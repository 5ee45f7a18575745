package io.jointly.psi.ic;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ic.IcRunner.FaultyLink;
import io.jointly.psi.ic.IcRunner.Outcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two Jointly parties run interconnection ECDH-PSI against each other in memory: the spec's §9.2
 * example in every reveal mode and both rank assignments, the §9.4 framing, result-receiver and
 * truncation rules, duplicates, and the guardrail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterconnectionPsiTest {
  static final List<String> A = List.of("a", "b", "c");
  static final List<String> B = List.of("b", "c", "d");

  static IcParameters params(int rank, int rtr) {
    return IcParameters.defaults(rank).toBuilder().resultToRank(rtr).minPeerSetSize(0).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1})
  void specExample_eachResultToRank_receiversGetBAndC(int rtr) {
    Outcomes o = IcRunner.run(params(0, rtr), A, params(1, rtr), B);
    IcPsiResult r0 = o.rank0().value();
    IcPsiResult r1 = o.rank1().value();
    assertThat(r0.learned()).isEqualTo(rtr != 1);
    assertThat(r1.learned()).isEqualTo(rtr != 0);
    if (r0.learned()) {
      assertThat(r0.sharedRows()).contains(RowIndexes.of(1, 2));
      assertThat(r0.intersectionSize()).hasValue(2);
      assertThat(r0.secondStageBytesReceived()).isEqualTo(12);
    } else {
      assertThat(r0.intersectionSize()).isEmpty();
    }
    if (r1.learned()) {
      assertThat(r1.sharedRows()).contains(RowIndexes.of(0, 1));
    }
    assertThat(r0.peerSetSize()).isEqualTo(3);
    assertThat(r1.peerSetSize()).isEqualTo(3);
  }

  @Test
  void specExample_swappedInputs_sameIntersection() {
    Outcomes o = IcRunner.run(params(0, -1), B, params(1, -1), A);
    assertThat(o.rank0().value().sharedRows()).contains(RowIndexes.of(0, 1));
    assertThat(o.rank1().value().sharedRows()).contains(RowIndexes.of(1, 2));
  }

  @Test
  void sm2Suite_specExample_receiversGetBAndC() {
    IcParameters p0 = params(0, -1).toBuilder().suite(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH).build();
    IcParameters p1 = params(1, -1).toBuilder().suite(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH).build();
    Outcomes o = IcRunner.run(p0, A, p1, B);
    assertThat(o.rank0().value().sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(o.rank1().value().sharedRows()).contains(RowIndexes.of(0, 1));
  }

  /** Spec §9.4: N = 0, 3, 4096, 4097 give exactly these first-stage batches. */
  @ParameterizedTest
  @ValueSource(ints = {0, 3, 4096, 4097})
  void framing_batchesAndTerminator(int n) {
    List<FaultyLink> recorded = new ArrayList<>();
    UnaryOperator<IcLink> record =
        l -> {
          FaultyLink f = new FaultyLink(l);
          recorded.add(f);
          return f;
        };
    List<String> items = IntStream.range(0, n).mapToObj(i -> "id" + i).toList();
    Outcomes o = IcRunner.run(params(0, -1), items, record, params(1, -1), List.of("id1"), UnaryOperator.identity());
    o.rank0().value();
    List<CipherBatch> sent = recorded.get(0).sentFirst;
    List<Integer> counts = sent.stream().map(CipherBatch::count).toList();
    List<Integer> expected =
        switch (n) {
          case 0 -> List.of(0);
          case 3 -> List.of(3, 0);
          case 4096 -> List.of(4096, 0);
          default -> List.of(4096, 1, 0);
        };
    assertThat(counts).isEqualTo(expected);
    for (int i = 0; i < sent.size(); i++) {
      CipherBatch b = sent.get(i);
      assertThat(b.batchIndex()).isEqualTo(i);
      assertThat(b.type()).isEqualTo("enc");
      assertThat(b.lastBatch()).isEqualTo(i == sent.size() - 1);
      assertThat(b.ciphertext().length()).isEqualTo(32 * b.count());
      assertThat(b.duplicateCounts()).isEmpty();
    }
    // The answers mirror the peer's single batch and its terminator.
    assertThat(recorded.get(0).sentSecond.stream().map(CipherBatch::count).toList()).containsExactly(1, 0);
    assertThat(recorded.get(0).sentSecond.get(0).ciphertext().length()).isEqualTo(12);
  }

  /** Spec §9.4 "result receiver matrix": exactly the "dual.enc" streams of §5.1 exist. */
  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1})
  void resultToRank_onlyTowardsReceiversFlowsDualEnc(int rtr) {
    FaultyLink[] links = new FaultyLink[2];
    Outcomes o =
        IcRunner.run(
            params(0, rtr), A, l -> links[0] = new FaultyLink(l), params(1, rtr), B, l -> links[1] = new FaultyLink(l));
    o.rank0().value();
    o.rank1().value();
    // Rank 0 answers (sends dual.enc) iff rank 1 learns, and the other way round.
    assertThat(links[0].sentSecond.isEmpty()).isEqualTo(rtr == 0);
    assertThat(links[1].sentSecond.isEmpty()).isEqualTo(rtr == 1);
  }

  /** Spec §9.4: a stream ends on count 0, even after a data batch that claimed to be the last. */
  @Test
  void termination_ignoresIsLastBatchOnDataBatches() {
    UnaryOperator<IcLink> lastOnData =
        l ->
            new FaultyLink(l) {
              @Override
              List<CipherBatch> fault(IcStage stage, CipherBatch b) {
                return List.of(IcRunner.with(b, b.batchIndex(), true, b.count(), b.ciphertext()));
              }
            };
    List<String> many = IntStream.range(0, 10).mapToObj(i -> "x" + i).toList();
    IcParameters p0 = params(0, -1).toBuilder().batchSize(3).build();
    Outcomes o = IcRunner.run(p0, many, lastOnData, params(1, -1), List.of("x1", "x9", "y"), UnaryOperator.identity());
    assertThat(o.rank0().value().sharedRows()).contains(RowIndexes.of(1, 9));
    assertThat(o.rank1().value().sharedRows()).contains(RowIndexes.of(0, 1));
  }

  /** Spec §9.4 "truncation interop": 12-byte and 32-byte "dual.enc" both give {b, c}. */
  @Test
  void truncation_referenceAndFullLengthAnswersBothMatch() {
    IcParameters full0 = params(0, -1).toBuilder().secondStage(IcParameters.SecondStage.NEGOTIATED).build();
    Outcomes o = IcRunner.run(full0, A, params(1, -1), B);
    IcPsiResult r0 = o.rank0().value();
    IcPsiResult r1 = o.rank1().value();
    assertThat(r0.secondStageBytesSent()).isEqualTo(32);
    assertThat(r1.secondStageBytesReceived()).isEqualTo(32);
    assertThat(r1.secondStageBytesSent()).isEqualTo(12);
    assertThat(r0.secondStageBytesReceived()).isEqualTo(12);
    assertThat(r0.sharedRows()).contains(RowIndexes.of(1, 2));
    assertThat(r1.sharedRows()).contains(RowIndexes.of(0, 1));
  }

  @Test
  void truncation_negotiatedBitLength_sendsThatManyBytes() {
    IcParameters p0 =
        params(0, -1).toBuilder().secondStage(IcParameters.SecondStage.NEGOTIATED).bitLengthAfterTruncated(64).build();
    IcParameters p1 =
        params(1, -1).toBuilder().secondStage(IcParameters.SecondStage.NEGOTIATED).bitLengthAfterTruncated(128).build();
    Outcomes o = IcRunner.run(p0, A, p1, B);
    assertThat(o.rank0().value().bitLengthAfterTruncated()).isEqualTo(64);
    assertThat(o.rank1().value().secondStageBytesSent()).isEqualTo(8);
    assertThat(o.rank0().value().secondStageBytesReceived()).isEqualTo(8);
    assertThat(o.rank0().value().sharedRows()).contains(RowIndexes.of(1, 2));
  }

  @Test
  void duplicates_sentOnceAndEveryRowReported() {
    List<String> withDuplicates = List.of("b", " b ", "a", "c\r", "b");
    Outcomes o = IcRunner.run(params(0, -1), withDuplicates, params(1, -1), B);
    IcPsiResult r0 = o.rank0().value();
    assertThat(r0.ownSetSize()).isEqualTo(3);
    assertThat(r0.input().duplicateRows()).isEqualTo(2);
    assertThat(r0.sharedRows()).contains(RowIndexes.of(0, 1, 3, 4));
    assertThat(o.rank1().value().peerSetSize()).isEqualTo(3);
    assertThat(o.rank1().value().intersectionSize()).hasValue(2);
  }

  @Test
  void receivedDuplicateCounts_toleratedAndIgnored() {
    UnaryOperator<IcLink> withMap =
        l ->
            new FaultyLink(l) {
              @Override
              List<CipherBatch> fault(IcStage stage, CipherBatch b) {
                if (stage != IcStage.FIRST || b.count() == 0) {
                  return List.of(b);
                }
                return List.of(new CipherBatch(b.type(), b.batchIndex(), false, b.count(), b.ciphertext(), Map.of(0, 2)));
              }
            };
    Outcomes o = IcRunner.run(params(0, -1), A, withMap, params(1, -1), B, UnaryOperator.identity());
    assertThat(o.rank1().value().sharedRows()).contains(RowIndexes.of(0, 1));
  }

  /** The guardrail in the data phase: no answer to a peer that sends fewer items than the minimum. */
  @Test
  void guardrail_smallPeerThatLearns_refusedAndNeverAnswered() {
    FaultyLink[] rank1 = new FaultyLink[1];
    IcParameters strict1 = params(1, -1).toBuilder().minPeerSetSize(5).build();
    Outcomes o =
        IcRunner.run(params(0, -1), A, UnaryOperator.identity(), strict1, B, l -> rank1[0] = new FaultyLink(l));
    assertThat(o.rank1().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
    assertThat(rank1[0].sentSecond).isEmpty();
    assertThat(o.rank0().failure()).isNotNull();
  }

  @Test
  void guardrail_smallStatedPeer_refusedInTheHandshake() {
    IcParameters strict0 = params(0, -1).toBuilder().minPeerSetSize(5).build();
    Outcomes o = IcRunner.run(strict0, A, params(1, -1), B);
    assertThat(o.rank1().failure())
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("HANDSHAKE_REFUSED");
    assertThat(o.rank0().failure()).isInstanceOf(ProtocolAbortException.class).hasMessageContaining("refused");
  }

  @Test
  void emptyInputs_terminatorOnlyAndEmptyResult() {
    Outcomes o = IcRunner.run(params(0, -1), List.of(), params(1, -1), B);
    assertThat(o.rank0().value().sharedRows()).contains(RowIndexes.of());
    assertThat(o.rank1().value().sharedRows()).contains(RowIndexes.of());
    assertThat(o.rank1().value().peerSetSize()).isZero();
  }

  @Test
  void suiteMismatch_bothEndWithHandshakeMismatch() {
    IcParameters sm2 = params(1, -1).toBuilder().suite(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH).build();
    Outcomes o = IcRunner.run(params(0, -1), A, sm2, B);
    for (Throwable t : new Throwable[] {o.rank0().failure(), o.rank1().failure()}) {
      assertThat(t)
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH));
    }
  }

  @Test
  void rejectDuplicatesPolicy_isAnInputError() {
    IcParameters reject = params(0, -1).toBuilder().duplicatePolicy(DuplicatePolicy.REJECT).build();
    Outcomes o = IcRunner.run(reject, List.of("a", "a"), params(1, -1), B);
    assertThat(o.rank0().failure()).isInstanceOf(io.jointly.core.InputException.class);
  }

  static Bytes zeros(int n) {
    return Bytes.wrap(new byte[n]);
  }
}
