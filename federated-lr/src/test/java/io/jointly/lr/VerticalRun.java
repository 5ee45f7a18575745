package io.jointly.lr;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.testing.Synthetic;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionModel;
import io.jointly.lr.training.PartyModel;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A bank and a partner with raw tables and identifiers, run through PSI (both mode) and vertical LR
 * in one JVM over an in-memory channel pair (test support).
 */
final class VerticalRun {
  static final Duration HARD_TIMEOUT = Duration.ofMinutes(4);
  static final EcdhPsiParameters PSI =
      EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
          .revealMode(RevealMode.BOTH)
          .minPeerSetSize(0)
          .receiveTimeout(Duration.ofSeconds(60))
          .build();

  final List<String> bankIds = new ArrayList<>();
  final List<String> partnerIds = new ArrayList<>();
  RawTable bankFeatures;
  RawTable partnerFeatures;
  int[] bankLabels;
  TrainingListener bankListener = TrainingListener.NONE;

  /**
   * Centralised training on the joined data, rebuilt as the federated run saw it: the same aligned
   * rows, split and per-party transforms, trained with {@code params.lr()}.
   */
  record Centralised(int[] labels, Split split, FeatureMatrix xb, FeatureMatrix xp, LogisticRegressionModel model) {
    /** The centralised model's metrics on the holdout rows. */
    BinaryMetrics holdoutMetrics() {
      int[] hold = split.holdout().toArray();
      double[] p = model.probabilities(List.of(xb.rows(hold), xp.rows(hold)));
      return BinaryMetrics.of(p, Rows.pick(labels, hold));
    }

    /** Asserts that both parties' weights and the intercept are within {@code tolerance} of this model's. */
    void assertWeightsMatch(BankTrainingResult bank, PartnerTrainingResult partner, double tolerance) {
      double[] wb = bank.model().weights();
      double[] wp = partner.model().weights();
      double[] cb = model.weights().block(0);
      double[] cp = model.weights().block(1);
      for (int j = 0; j < cb.length; j++) {
        org.assertj.core.api.Assertions.assertThat(wb[j]).as("bank weight %d", j).isCloseTo(cb[j], org.assertj.core.api.Assertions.within(tolerance));
      }
      for (int j = 0; j < cp.length; j++) {
        org.assertj.core.api.Assertions.assertThat(wp[j]).as("partner weight %d", j).isCloseTo(cp[j], org.assertj.core.api.Assertions.within(tolerance));
      }
      org.assertj.core.api.Assertions.assertThat(bank.model().intercept().getAsDouble())
          .isCloseTo(model.weights().intercept(), org.assertj.core.api.Assertions.within(tolerance));
    }
  }

  Centralised centralised(BankTrainingResult bank, PartnerTrainingResult partner, VerticalLrParameters params) throws Exception {
    int[] b = bank.alignedRows();
    int[] p = partner.alignedRows();
    int[] y = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      y[i] = bankLabels[b[i]];
    }
    Split split = Split.stratified(y, params.validationFraction(), params.holdoutFraction(), params.lr().seed());
    RawTable bankRows = bankFeatures.rows(b);
    RawTable partnerRows = partnerFeatures.rows(p);
    FeatureMatrix xb = FeatureTransform.fit(bankRows.rows(split.train().toArray()), params.transform()).apply(bankRows);
    FeatureMatrix xp = FeatureTransform.fit(partnerRows.rows(split.train().toArray()), params.transform()).apply(partnerRows);
    LogisticRegressionModel model = LogisticRegression.fit(List.of(xb, xp), y, split.train(), split.validation(), params.lr());
    return new Centralised(y, split, xb, xp, model);
  }

  /**
   * Synthetic vertical data: {@code shared} customers in both (shuffled differently), plus some
   * only at each party; the label depends on both parties' features.
   */
  static VerticalRun synthetic(long seed, int shared, int bankWidth, int partnerWidth) {
    Synthetic s = Synthetic.generate(seed, shared, bankWidth, partnerWidth);
    Random rnd = new Random(seed + 1);
    VerticalRun v = new VerticalRun();
    List<String[]> bankRows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String[]> partnerRows = new ArrayList<>();
    for (int i = 0; i < shared; i++) {
      v.bankIds.add("c" + i);
      bankRows.add(cells(s.blocks.get(0).row(i)));
      labels.add(s.labels[i]);
    }
    for (int i = 0; i < shared / 5; i++) {
      v.bankIds.add("b" + i);
      bankRows.add(cells(gaussian(rnd, bankWidth)));
      labels.add(rnd.nextInt(2));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < shared; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    for (int i : order) {
      v.partnerIds.add("c" + i);
      partnerRows.add(cells(s.blocks.get(1).row(i)));
    }
    for (int i = 0; i < shared / 4; i++) {
      v.partnerIds.add("p" + i);
      partnerRows.add(cells(gaussian(rnd, partnerWidth)));
    }
    v.bankFeatures = RawTable.ofRows(s.blocks.get(0).columnNames(), bankRows);
    v.partnerFeatures = RawTable.ofRows(s.blocks.get(1).columnNames(), partnerRows);
    v.bankLabels = labels.stream().mapToInt(Integer::intValue).toArray();
    return v;
  }

  private static double[] gaussian(Random rnd, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
    }
    return x;
  }

  private static String[] cells(double[] x) {
    String[] c = new String[x.length];
    for (int i = 0; i < x.length; i++) {
      c[i] = String.format(Locale.ROOT, "%.6f", x[i]);
    }
    return c;
  }

  TwoPartyRun.Outcomes<BankTrainingResult, PartnerTrainingResult> train(
      VerticalLrParameters bankParams,
      VerticalLrParameters partnerParams,
      UnaryOperator<MessageChannel> bankWrap,
      UnaryOperator<MessageChannel> partnerWrap) {
    ExecutorService bankPool = Executors.newFixedThreadPool(2);
    ExecutorService partnerPool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("lr-test", "bank", "partner");
      return TwoPartyRun.runAll(
          pair,
          ch -> {
            MessageChannel c = bankWrap.apply(ch);
            PsiResult psi = new EcdhPsi(PsiRole.BANK, PSI, bankPool, 2).run(PsiInput.ofColumn(bankIds), c);
            return new VerticalLrBank(bankParams, bankPool)
                .withListener(bankListener)
                .train(bankFeatures, bankLabels, List.of(new VerticalLrBank.PartnerLink(psi, c)));
          },
          ch -> {
            MessageChannel c = partnerWrap.apply(ch);
            PsiResult psi = new EcdhPsi(PsiRole.PARTNER, PSI, partnerPool, 2).run(PsiInput.ofColumn(partnerIds), c);
            return new VerticalLrPartner(partnerParams, partnerPool).train(partnerFeatures, psi, c);
          },
          HARD_TIMEOUT);
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  TwoPartyRun.Outcomes<ScoringResult, ScoringResult> score(
      VerticalLrParameters params, PartyModel bankModel, PartyModel partnerModel) {
    ExecutorService bankPool = Executors.newFixedThreadPool(2);
    ExecutorService partnerPool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("lr-score-test", "bank", "partner");
      return TwoPartyRun.runAll(
          pair,
          ch -> {
            PsiResult psi = new EcdhPsi(PsiRole.BANK, PSI, bankPool, 2).run(PsiInput.ofColumn(bankIds), ch);
            return new VerticalLrBank(params, bankPool)
                .score(bankModel, bankFeatures, List.of(new VerticalLrBank.PartnerLink(psi, ch)));
          },
          ch -> {
            PsiResult psi = new EcdhPsi(PsiRole.PARTNER, PSI, partnerPool, 2).run(PsiInput.ofColumn(partnerIds), ch);
            return new VerticalLrPartner(params, partnerPool).score(partnerModel, partnerFeatures, psi, ch);
          },
          HARD_TIMEOUT);
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }
}
