package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.LrWire;
import io.jointly.lr.training.Optimizer;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vertical LR through a misbehaving channel, and against a bank that names customers outside the
 * intersection: a typed exception on both sides, never a hang or a silently wrong model.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VerticalLrFaultTest {
  private static final VerticalRun DATA = VerticalRun.synthetic(3, 220, 2, 2);
  private static final VerticalLrParameters PARAMS =
      VerticalLrParameters.AGGREGATED_DEFAULT
          .withLr(VerticalLrParameters.DEFAULT.lr().toBuilder().batchSize(80).maxEpochs(1).seed(1).build())
          .withReceiveTimeout(Duration.ofSeconds(2));

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : new Fault[] {Fault.CORRUPT, Fault.DROP}) {
      for (LrRound round : LrRound.values()) {
        boolean partnerSends = round == LrRound.SCORES || round == LrRound.FEATURES || round == LrRound.IV_SUMS;
        boolean bankSends =
            round == LrRound.ALIGN || round == LrRound.GRADIENT || round == LrRound.CONTROL || round == LrRound.LABELS
                || round == LrRound.KEYS;
        if (partnerSends || round == LrRound.HELLO || round == LrRound.CONFIRM) {
          out.add(Arguments.of(fault, round, false));
        }
        if (bankSends || round == LrRound.HELLO || round == LrRound.CONFIRM) {
          out.add(Arguments.of(fault, round, true));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, bank faulty: {2}")
  @MethodSource("faults")
  void train_destructiveFaultOnAnLrRound_neverEndsWithTwoSuccesses(Fault fault, LrRound round, boolean bankFaulty) {
    UnaryOperator<MessageChannel> faulty =
        ch -> new FaultInjectingChannel(ch, fault, LrRound.PROTOCOL, round.wireCode(), 0, Duration.ofSeconds(1));
    var o =
        DATA.train(PARAMS, PARAMS, bankFaulty ? faulty : UnaryOperator.identity(), bankFaulty ? UnaryOperator.identity() : faulty);
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      if (!side.succeeded()) {
        assertThat(side.failure()).isInstanceOf(JointlyException.class);
      }
    }
    assertThat(o.first().succeeded() && o.second().succeeded()).as("a destructive fault went unnoticed").isFalse();
  }

  static Stream<Arguments> lbfgsFaults() {
    List<Arguments> out = new ArrayList<>();
    for (Fault fault : new Fault[] {Fault.CORRUPT, Fault.DROP}) {
      for (LrRound round : List.of(LrRound.GRAM, LrRound.SCORES)) {
        out.add(Arguments.of(fault, round, false));
      }
      for (LrRound round : List.of(LrRound.DIRECTION, LrRound.LINE_SEARCH, LrRound.GRADIENT, LrRound.CONTROL)) {
        out.add(Arguments.of(fault, round, true));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "L-BFGS: {0} on {1}, bank faulty: {2}")
  @MethodSource("lbfgsFaults")
  void train_lbfgs_destructiveFaultOnAnLrRound_neverEndsWithTwoSuccesses(Fault fault, LrRound round, boolean bankFaulty) {
    VerticalLrParameters lbfgs =
        PARAMS.withLr(PARAMS.lr().toBuilder().optimizer(Optimizer.LBFGS).maxEpochs(2).build()).withIvMinBinSize(0);
    UnaryOperator<MessageChannel> faulty =
        ch -> new FaultInjectingChannel(ch, fault, LrRound.PROTOCOL, round.wireCode(), 0, Duration.ofSeconds(1));
    var o =
        DATA.train(lbfgs, lbfgs, bankFaulty ? faulty : UnaryOperator.identity(), bankFaulty ? UnaryOperator.identity() : faulty);
    for (TwoPartyRun.Outcome<?> side : List.of(o.first(), o.second())) {
      if (!side.succeeded()) {
        assertThat(side.failure()).isInstanceOf(JointlyException.class);
      }
    }
    assertThat(o.first().succeeded() && o.second().succeeded()).as("a destructive fault went unnoticed").isFalse();
  }

  @Test
  void train_bankNamesACustomerOutsideTheIntersection_partnerRefuses() {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("s", "bank", "partner"),
              ch -> {
                PsiResult psi = new EcdhPsi(PsiRole.BANK, VerticalRun.PSI, pool, 2).run(PsiInput.ofColumn(DATA.bankIds), ch);
                // A curious bank: asks for the partner's scores of one customer it does not share.
                Set<Integer> matched = new HashSet<>();
                for (int i = 0; i < psi.alignment().sharedCount(); i++) {
                  matched.add(psi.alignment().peerPosition(i));
                }
                int outsider = 0;
                while (matched.contains(outsider)) {
                  outsider++;
                }
                ch.send(LrRound.ALIGN.key(0), LrWire.align(new int[] {psi.alignment().peerPosition(0), outsider}, new byte[] {0, 0}));
                return ch.receive(LrRound.HELLO.key(0), Duration.ofSeconds(20));
              },
              ch -> {
                PsiResult psi = new EcdhPsi(PsiRole.PARTNER, VerticalRun.PSI, pool, 2).run(PsiInput.ofColumn(DATA.partnerIds), ch);
                return new VerticalLrPartner(PARAMS, pool).train(DATA.partnerFeatures, psi, ch);
              },
              Duration.ofSeconds(60));
      assertThat(o.second().failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
    } finally {
      pool.shutdownNow();
    }
  }
}
