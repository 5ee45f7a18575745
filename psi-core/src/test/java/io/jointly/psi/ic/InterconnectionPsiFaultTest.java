package io.jointly.psi.ic;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.psi.ic.IcRunner.FaultyLink;
import io.jointly.psi.ic.IcRunner.Outcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults in the peer's batches (truncated, reordered, duplicated, missing terminator, wrong type,
 * wrong count, invalid element): the receiving party ends with a typed exception; the other one
 * too (the link is closed), or, if it had already finished, with the right result — never a hang
 * or a wrong result.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterconnectionPsiFaultTest {
  static final List<String> MANY = IntStream.range(0, 20).mapToObj(i -> "m" + i).toList();

  static IcParameters params(int rank, Duration timeout) {
    return IcParameters.defaults(rank).toBuilder()
        .minPeerSetSize(0)
        .batchSize(6)
        .receiveTimeout(timeout)
        .build();
  }

  /** Applies {@code f} to rank 0's outgoing batches of {@code stage}; rank 1 must abort. */
  static Outcomes faulty(IcStage stage, Fault f) {
    return faulty(stage, f, Duration.ofSeconds(20));
  }

  static Outcomes faulty(IcStage stage, Fault f, Duration timeout) {
    UnaryOperator<IcLink> wrap =
        l ->
            new FaultyLink(l) {
              final List<CipherBatch> held = new ArrayList<>();

              @Override
              List<CipherBatch> fault(IcStage s, CipherBatch b) {
                return s == stage ? f.apply(b, held) : List.of(b);
              }
            };
    return IcRunner.run(params(0, timeout), MANY, wrap, params(1, timeout), MANY, UnaryOperator.identity());
  }

  interface Fault {
    List<CipherBatch> apply(CipherBatch b, List<CipherBatch> held);
  }

  static void assertAbort(Outcomes o, Reason reason) {
    assertThat(o.rank1().failure())
        .isInstanceOfSatisfying(ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    // The sender of the fault either fails too (the link closed under it) or had already
    // finished: then with the right result (the standard has no confirmation round).
    if (o.rank0().failure() != null) {
      assertThat(o.rank0().failure()).isInstanceOf(JointlyException.class);
    } else {
      assertThat(o.rank0().result().intersectionSize()).hasValue(MANY.size());
    }
  }

  @Test
  void truncatedFirstStageBatch_malformed() {
    assertAbort(
        faulty(
            IcStage.FIRST,
            (b, h) ->
                b.count() == 0
                    ? List.of(b)
                    : List.of(IcRunner.with(b, b.batchIndex(), false, b.count(), b.ciphertext().slice(0, b.ciphertext().length() - 1)))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void truncatedSecondStageBatch_malformed() {
    assertAbort(
        faulty(
            IcStage.SECOND,
            (b, h) ->
                b.count() == 0
                    ? List.of(b)
                    : List.of(IcRunner.with(b, b.batchIndex(), false, b.count(), b.ciphertext().slice(0, b.ciphertext().length() - 1)))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void reorderedBatches_malformed() {
    assertAbort(
        faulty(
            IcStage.FIRST,
            (b, held) -> {
              if (b.batchIndex() == 0) {
                held.add(b);
                return List.of();
              }
              if (b.batchIndex() == 1) {
                return List.of(b, held.get(0));
              }
              return List.of(b);
            }),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void duplicateBatch_malformed() {
    assertAbort(faulty(IcStage.FIRST, (b, h) -> b.batchIndex() == 1 ? List.of(b, b) : List.of(b)), Reason.MALFORMED_MESSAGE);
  }

  @Test
  void duplicateSecondStageBatch_malformed() {
    assertAbort(faulty(IcStage.SECOND, (b, h) -> b.batchIndex() == 0 ? List.of(b, b) : List.of(b)), Reason.MALFORMED_MESSAGE);
  }

  @Test
  void missingTerminator_timesOutWithoutHanging() {
    Outcomes o = faulty(IcStage.FIRST, (b, h) -> b.count() == 0 ? List.of() : List.of(b), Duration.ofSeconds(2));
    // Rank 1 waits for the terminator, rank 0 for the answer to it: both time out at about the
    // same moment, and whichever is first closes the link under the other.
    assertThat(o.rank0().failure()).isInstanceOf(ChannelException.class);
    assertThat(o.rank1().failure()).isInstanceOf(ChannelException.class);
    assertThat(List.of(o.rank0().failure(), o.rank1().failure()))
        .anySatisfy(t -> assertThat(((ChannelException) t).kind()).isEqualTo(ChannelException.Kind.TIMEOUT))
        .allSatisfy(
            t -> assertThat(((ChannelException) t).kind()).isIn(ChannelException.Kind.TIMEOUT, ChannelException.Kind.CLOSED));
  }

  @Test
  void wrongType_malformed() {
    assertAbort(
        faulty(IcStage.FIRST, (b, h) -> List.of(new CipherBatch("dual.enc", b.batchIndex(), b.lastBatch(), b.count(), b.ciphertext(), java.util.Map.of()))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void secondStageCountDiffersFromOwnBatch_malformed() {
    assertAbort(
        faulty(
            IcStage.SECOND,
            (b, h) ->
                b.count() == 0
                    ? List.of(b)
                    : List.of(IcRunner.with(b, b.batchIndex(), false, b.count() - 1, b.ciphertext().slice(0, (b.count() - 1) * 12)))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void secondStageOfUnexpectedWidth_malformed() {
    assertAbort(
        faulty(
            IcStage.SECOND,
            (b, h) -> b.count() == 0 ? List.of(b) : List.of(IcRunner.with(b, b.batchIndex(), false, b.count(), Bytes.wrap(new byte[b.count() * 5])))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void lowOrderElement_invalidElement() {
    assertAbort(
        faulty(
            IcStage.FIRST,
            (b, h) -> b.count() == 0 ? List.of(b) : List.of(IcRunner.with(b, b.batchIndex(), false, b.count(), Bytes.wrap(new byte[b.count() * 32])))),
        Reason.INVALID_ELEMENT);
  }

  @Test
  void countWithoutCiphertext_malformed() {
    assertAbort(
        faulty(IcStage.FIRST, (b, h) -> List.of(IcRunner.with(b, b.batchIndex(), false, b.count() + 1, b.ciphertext()))),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void duplicateCountForMissingIndex_malformed() {
    assertAbort(
        faulty(
            IcStage.FIRST,
            (b, h) -> List.of(new CipherBatch(b.type(), b.batchIndex(), false, b.count(), b.ciphertext(), java.util.Map.of(b.count(), 1)))),
        Reason.MALFORMED_MESSAGE);
  }
}
