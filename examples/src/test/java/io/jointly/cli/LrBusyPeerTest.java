package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.lr.BankTrainingResult;
import io.jointly.lr.PartnerTrainingResult;
import io.jointly.lr.ScoringResult;
import io.jointly.lr.TrainingMode;
import io.jointly.lr.VerticalLrBank;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.VerticalLrPartner;
import io.jointly.lr.features.RawTable;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.transport.LoopbackTransport;
import io.jointly.transport.TransportOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A busy party is not a dead one, for federated training (both modes) and scoring: over loopback
 * mutual TLS with a 1 s time-out on both sides, each party's local step before one of its messages
 * takes {@link #STEP} (several time-outs), and the run still completes. The slow step is a
 * decorator that holds the message back on the sending party's protocol thread, as a long
 * computation (encrypting a million labels, say) would. Library level; the CLI's own liveness is
 * {@link LivenessCliTest}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LrBusyPeerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STEP = Duration.ofMillis(3500);
  private static final Duration HARD = Duration.ofMinutes(3);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .peerTimeout(TIMEOUT)
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofSeconds(1))
          .build();
  private static final EcdhPsiParameters PSI =
      EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
          .revealMode(RevealMode.BOTH)
          .minPeerSetSize(0)
          .receiveTimeout(TIMEOUT)
          .build();
  private static final int SHARED = 160;

  private static final List<String> bankIds = new ArrayList<>();
  private static final List<String> partnerIds = new ArrayList<>();
  private static RawTable bankFeatures;
  private static RawTable partnerFeatures;
  private static int[] labels;
  private static ExecutorService pool;

  @BeforeAll
  static void data() {
    Random rnd = new Random(25);
    List<String[]> bankRows = new ArrayList<>();
    List<String[]> partnerRows = new ArrayList<>();
    labels = new int[SHARED];
    for (int i = 0; i < SHARED; i++) {
      double a = rnd.nextGaussian();
      double b = rnd.nextGaussian();
      double c = rnd.nextGaussian();
      labels[i] = a + b - c + 0.5 * rnd.nextGaussian() > 0 ? 1 : 0;
      bankIds.add("c" + i);
      bankRows.add(new String[] {cell(a), cell(rnd.nextGaussian())});
      partnerIds.add("c" + (SHARED - 1 - i)); // another order
    }
    for (int i = 0; i < SHARED; i++) {
      int row = SHARED - 1 - i;
      Random r = new Random(row);
      partnerRows.add(new String[] {cell(r.nextGaussian()), cell(r.nextGaussian())});
    }
    bankFeatures = RawTable.ofRows(List.of("a", "noise"), bankRows);
    partnerFeatures = RawTable.ofRows(List.of("b", "c"), partnerRows);
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  private static String cell(double x) {
    return String.format(Locale.ROOT, "%.6f", x);
  }

  private static VerticalLrParameters params(TrainingMode mode) {
    VerticalLrParameters d = VerticalLrParameters.defaults(mode);
    return d.withLr(d.lr().toBuilder().maxEpochs(2).seed(7).build()).withReceiveTimeout(TIMEOUT);
  }

  /** The {@code index}-th message this party sends in {@code protocol} leaves after {@link #STEP}. */
  private static UnaryOperator<MessageChannel> slowBefore(String protocol, int index) {
    return ch -> new FaultInjectingChannel(ch, Fault.DELAY, protocol, -1, index, STEP);
  }

  private static TwoPartyRun.Outcomes<BankTrainingResult, PartnerTrainingResult> train(
      TrainingMode mode, String protocol) throws Exception {
    VerticalLrParameters params = params(mode);
    UnaryOperator<MessageChannel> bankSlow = slowBefore(protocol, 2);
    UnaryOperator<MessageChannel> partnerSlow = slowBefore(protocol, 3);
    try (LoopbackTransport loop = LoopbackTransport.mutualTls("busy-lr", "bank", "partner", OPTIONS)) {
      return TwoPartyRun.run(
          loop.pair(),
          ch -> {
            MessageChannel c = bankSlow.apply(ch);
            PsiResult psi = new EcdhPsi(PsiRole.BANK, PSI, pool, 2).run(PsiInput.ofColumn(bankIds), c);
            return new VerticalLrBank(params, pool)
                .train(bankFeatures, labels, List.of(new VerticalLrBank.PartnerLink(psi, c)));
          },
          ch -> {
            MessageChannel c = partnerSlow.apply(ch);
            PsiResult psi = new EcdhPsi(PsiRole.PARTNER, PSI, pool, 2).run(PsiInput.ofColumn(partnerIds), c);
            return new VerticalLrPartner(params, pool).train(partnerFeatures, psi, c);
          },
          HARD);
    }
  }

  @ParameterizedTest
  @EnumSource(TrainingMode.class)
  void train_eachPartyBusyForSeveralTimeoutsOnce_completes(TrainingMode mode) throws Exception {
    String protocol = mode == TrainingMode.SECRET_SHARED ? "ss-lr" : "vertical-lr";
    long start = System.nanoTime();
    var o = train(mode, protocol);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(STEP.multipliedBy(2));
    assertThat(o.first().value().model().weights()).hasSize(2);
    assertThat(o.second().value().model().weights()).hasSize(2);
  }

  @Test
  void score_bankBusyForSeveralTimeouts_completes() throws Exception {
    TrainingMode mode = TrainingMode.AGGREGATED_SCORES;
    var trained = train(mode, "vertical-lr");
    VerticalLrParameters params = params(mode);
    UnaryOperator<MessageChannel> bankSlow = slowBefore("vertical-lr", 0);
    try (LoopbackTransport loop = LoopbackTransport.mutualTls("busy-score", "bank", "partner", OPTIONS)) {
      var o =
          TwoPartyRun.run(
              loop.pair(),
              ch -> {
                MessageChannel c = bankSlow.apply(ch);
                PsiResult psi = new EcdhPsi(PsiRole.BANK, PSI, pool, 2).run(PsiInput.ofColumn(bankIds), c);
                return new VerticalLrBank(params, pool)
                    .score(trained.first().value().model(), bankFeatures, List.of(new VerticalLrBank.PartnerLink(psi, c)));
              },
              ch -> {
                PsiResult psi = new EcdhPsi(PsiRole.PARTNER, PSI, pool, 2).run(PsiInput.ofColumn(partnerIds), ch);
                return new VerticalLrPartner(params, pool).score(trained.second().value().model(), partnerFeatures, psi, ch);
              },
              HARD);
      ScoringResult bank = o.first().value();
      assertThat(bank).isNotNull();
      assertThat(o.second().value()).isNotNull();
    }
  }
}
