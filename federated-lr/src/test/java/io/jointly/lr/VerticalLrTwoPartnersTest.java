package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.testing.Synthetic;
import io.jointly.lr.training.Optimizer;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two partners: the bank learns only the sum of their partial scores (pairwise masks), and the
 * model equals the one-partner model trained on the union of their columns.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VerticalLrTwoPartnersTest {

  @ParameterizedTest
  @EnumSource(Optimizer.class)
  void train_twoPartners_equalsOnePartnerHoldingTheUnionOfTheirColumns(Optimizer optimizer) throws Exception {
    Synthetic s = Synthetic.generate(21, 500, 3, 2, 2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add("c" + i);
    }
    RawTable bank = table(s.blocks.get(0));
    RawTable a = table(s.blocks.get(1));
    RawTable b = table(s.blocks.get(2));
    RawTable union = table(FeatureMatrix.ofRows(concat(s.blocks.get(1).columnNames(), s.blocks.get(2).columnNames()), joinRows(s.blocks.get(1), s.blocks.get(2))));
    VerticalLrParameters params =
        VerticalLrParameters.AGGREGATED_DEFAULT.withLr(
            VerticalLrParameters.DEFAULT.lr().toBuilder()
                .optimizer(optimizer)
                .batchSize(100)
                .maxEpochs(optimizer == Optimizer.LBFGS ? 6 : 3)
                .learningRate(0.5)
                .seed(3)
                .build());

    List<Object> two = run(params, ids, bank, s.labels, List.of(a, b));
    List<Object> one = run(params, ids, bank, s.labels, List.of(union));
    BankTrainingResult bank2 = (BankTrainingResult) two.get(0);
    BankTrainingResult bank1 = (BankTrainingResult) one.get(0);
    assertThat(bank2.alignedRows()).isEqualTo(bank1.alignedRows());
    double[] w2 = bank2.model().weights();
    double[] w1 = bank1.model().weights();
    for (int j = 0; j < w1.length; j++) {
      assertThat(w2[j]).isCloseTo(w1[j], within(1e-5));
    }
    double[] wa = ((PartnerTrainingResult) two.get(1)).model().weights();
    double[] wb = ((PartnerTrainingResult) two.get(2)).model().weights();
    double[] wu = ((PartnerTrainingResult) one.get(1)).model().weights();
    for (int j = 0; j < wa.length; j++) {
      assertThat(wa[j]).isCloseTo(wu[j], within(1e-5));
    }
    for (int j = 0; j < wb.length; j++) {
      assertThat(wb[j]).isCloseTo(wu[wa.length + j], within(1e-5));
    }
    assertThat(bank2.partnerFeatures()).containsExactly(2, 2);
    assertThat(bank2.evaluation().orElseThrow().joint().auc()).isCloseTo(bank1.evaluation().orElseThrow().joint().auc(), within(0.002));
  }

  /**
   * Secret-shared mode with two partners: the engine's sessions, the score gathering at partner 0
   * and the residual relay give the model of one partner holding both column blocks, up to the
   * fixed-point error of the shares (each run is within 2·10⁻⁴ of the same plaintext simulation).
   */
  @Test
  void train_secretSharedTwoPartners_equalsOnePartnerHoldingTheUnionOfTheirColumns() throws Exception {
    Synthetic s = Synthetic.generate(23, 400, 3, 2, 2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      ids.add("c" + i);
    }
    RawTable bank = table(s.blocks.get(0));
    RawTable union = table(FeatureMatrix.ofRows(concat(s.blocks.get(1).columnNames(), s.blocks.get(2).columnNames()), joinRows(s.blocks.get(1), s.blocks.get(2))));
    VerticalLrParameters params =
        VerticalLrParameters.DEFAULT
            .withMode(TrainingMode.SECRET_SHARED)
            .withIvMinBinSize(0)
            .withLr(VerticalLrParameters.DEFAULT.lr().toBuilder().batchSize(100).maxEpochs(2).learningRate(1).seed(3).build());

    List<Object> two = run(params, ids, bank, s.labels, List.of(table(s.blocks.get(1)), table(s.blocks.get(2))));
    List<Object> one = run(params, ids, bank, s.labels, List.of(union));
    BankTrainingResult bank2 = (BankTrainingResult) two.get(0);
    BankTrainingResult bank1 = (BankTrainingResult) one.get(0);
    assertThat(bank2.alignedRows()).isEqualTo(bank1.alignedRows());
    double tol = 4e-4;
    double[] w2 = bank2.model().weights();
    double[] w1 = bank1.model().weights();
    for (int j = 0; j < w1.length; j++) {
      assertThat(w2[j]).as("bank weight %d", j).isCloseTo(w1[j], within(tol));
    }
    assertThat(bank2.model().intercept().getAsDouble()).isCloseTo(bank1.model().intercept().getAsDouble(), within(tol));
    double[] wa = ((PartnerTrainingResult) two.get(1)).model().weights();
    double[] wb = ((PartnerTrainingResult) two.get(2)).model().weights();
    double[] wu = ((PartnerTrainingResult) one.get(1)).model().weights();
    for (int j = 0; j < wa.length; j++) {
      assertThat(wa[j]).as("partner 0 weight %d", j).isCloseTo(wu[j], within(tol));
    }
    for (int j = 0; j < wb.length; j++) {
      assertThat(wb[j]).as("partner 1 weight %d", j).isCloseTo(wu[wa.length + j], within(tol));
    }
    assertThat(bank2.evaluation().orElseThrow().joint().auc()).isCloseTo(bank1.evaluation().orElseThrow().joint().auc(), within(0.002));
  }

  /** The bank and one PSI + training party per partner table, each partner on its own channel pair. */
  private static List<Object> run(VerticalLrParameters params, List<String> ids, RawTable bank, int[] labels, List<RawTable> partners)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 + 2 * partners.size());
    ExecutorService parties = Executors.newFixedThreadPool(1 + partners.size());
    List<ChannelPair> pairs = new ArrayList<>();
    try {
      for (int k = 0; k < partners.size(); k++) {
        pairs.add(InMemoryChannel.pair("two-partners-" + k, "bank", "partner-" + k));
      }
      SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
      seeded.setSeed(99);
      List<Future<?>> futures = new ArrayList<>();
      futures.add(
          parties.submit(
              () -> {
                List<VerticalLrBank.PartnerLink> links = new ArrayList<>();
                for (ChannelPair pair : pairs) {
                  MessageChannel ch = pair.first();
                  PsiResult psi = new EcdhPsi(PsiRole.BANK, VerticalRun.PSI, pool, 2).run(PsiInput.ofColumn(ids), ch);
                  links.add(new VerticalLrBank.PartnerLink(psi, ch));
                }
                return new VerticalLrBank(params, pool, seeded).train(bank, labels, links);
              }));
      for (int k = 0; k < partners.size(); k++) {
        MessageChannel ch = pairs.get(k).second();
        RawTable table = partners.get(k);
        futures.add(
            parties.submit(
                () -> {
                  PsiResult psi = new EcdhPsi(PsiRole.PARTNER, VerticalRun.PSI, pool, 2).run(PsiInput.ofColumn(ids), ch);
                  return new VerticalLrPartner(params, pool).train(table, psi, ch);
                }));
      }
      List<Object> out = new ArrayList<>();
      for (Future<?> f : futures) {
        out.add(f.get(4, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      for (ChannelPair p : pairs) {
        p.first().close();
        p.second().close();
      }
      parties.shutdownNow();
      pool.shutdownNow();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static double[][] joinRows(FeatureMatrix a, FeatureMatrix b) {
    double[][] rows = new double[a.rowCount()][];
    for (int i = 0; i < rows.length; i++) {
      double[] r = new double[a.columnCount() + b.columnCount()];
      System.arraycopy(a.row(i), 0, r, 0, a.columnCount());
      System.arraycopy(b.row(i), 0, r, a.columnCount(), b.columnCount());
      rows[i] = r;
    }
    return rows;
  }

  private static RawTable table(FeatureMatrix m) {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < m.rowCount(); i++) {
      double[] r = m.row(i);
      String[] c = new String[r.length];
      for (int j = 0; j < r.length; j++) {
        c[j] = String.format(Locale.ROOT, "%.6f", r[j]);
      }
      rows.add(c);
    }
    return RawTable.ofRows(m.columnNames(), rows);
  }
}
