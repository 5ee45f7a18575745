package io.jointly.bench.lr;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.lr.BankTrainingResult;
import io.jointly.lr.PartnerTrainingResult;
import io.jointly.lr.VerticalLrBank;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.VerticalLrPartner;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Setup and one epoch of vertical federated LR on synthetic data, both parties in one JVM over the
 * in-memory channel: the handshake with fresh Paillier keys, the information value (the bank's
 * encrypted labels), the partner's one-off encryption of its packed features, then {@code rows /
 * 256} mini-batch steps (partial scores from the partner; from the bank the packed encrypted
 * gradient, a multi-exponentiation with the residuals as exponents, re-randomised) and the epoch-end
 * scores. PSI runs once per trial, outside the measurement; no validation or holdout rows, so
 * nothing else is timed. {@code rows} is not called {@code size} so that the smoke pass's
 * {@code -p size=4096} leaves it at its small default; pass {@code -p rows=4096} (or more) for
 * figures.
 *
 * <p>Auxiliary counters per operation: {@code items} = training rows × encoded features (bank +
 * partner) of the epoch, {@code bytes} exchanged by the LR rounds, and {@code cpuMicros}, the CPU
 * time of both parties' threads — so {@code cpuMicros / items} is the CPU-µs per row·feature·epoch
 * of issue #6 — here dominated by the setup, which a longer run amortises; {@link LrDataSets}
 * measures epochs apart from the setup on the real data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class VerticalLrBenchmark {

  @Param({"256"})
  public int rows;

  @Param({"8"})
  public int bankFeatures;

  @Param({"8"})
  public int partnerFeatures;

  private RawTable bank;
  private RawTable partner;
  private int[] labels;
  private PsiResult bankPsi;
  private PsiResult partnerPsi;
  private VerticalLrParameters params;
  private ExecutorService bankMain;
  private ExecutorService partnerMain;
  private ExecutorService bankPool;
  private ExecutorService partnerPool;
  private final AtomicLong session = new AtomicLong();

  /** Counters per operation. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long items;
    public long bytes;
    public long cpuMicros;

    @Setup(Level.Iteration)
    public void reset() {
      items = 0;
      bytes = 0;
      cpuMicros = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    bankMain = Executors.newSingleThreadExecutor(LrRun.named("bank-main"));
    partnerMain = Executors.newSingleThreadExecutor(LrRun.named("partner-main"));
    bankPool = Executors.newFixedThreadPool(2, LrRun.named("bank-pool"));
    partnerPool = Executors.newFixedThreadPool(2, LrRun.named("partner-pool"));
    // Synthetic columns: deterministic pseudo-Gaussian values; the label depends on both parties.
    List<String> ids = new ArrayList<>(rows);
    List<String[]> b = new ArrayList<>(rows);
    List<String[]> p = new ArrayList<>(rows);
    labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      ids.add("customer-" + r);
      String[] bc = new String[bankFeatures];
      String[] pc = new String[partnerFeatures];
      double z = 0;
      for (int j = 0; j < bankFeatures; j++) {
        double x = gaussian(r, j);
        z += x / (j + 1);
        bc[j] = String.format(Locale.ROOT, "%.6f", x);
      }
      for (int j = 0; j < partnerFeatures; j++) {
        double x = gaussian(r, 1000 + j);
        z -= x / (j + 1);
        pc[j] = String.format(Locale.ROOT, "%.6f", x);
      }
      labels[r] = z + gaussian(r, 5000) > 0 ? 1 : 0;
      b.add(bc);
      p.add(pc);
    }
    List<String> bankNames = new ArrayList<>();
    for (int j = 0; j < bankFeatures; j++) {
      bankNames.add("b" + j);
    }
    List<String> partnerNames = new ArrayList<>();
    for (int j = 0; j < partnerFeatures; j++) {
      partnerNames.add("p" + j);
    }
    bank = RawTable.ofRows(bankNames, b);
    partner = RawTable.ofRows(partnerNames, p);
    LogisticRegressionParameters lr =
        LrDataSets.GD_LARGE.toBuilder().maxEpochs(1).build();
    params = VerticalLrParameters.AGGREGATED_DEFAULT.withLr(lr).withSplit(0, 0).withReceiveTimeout(Duration.ofMinutes(5));

    ChannelPair pair = InMemoryChannel.pair("lr-bench-psi", "bank", "partner");
    Future<PsiResult> fb = bankMain.submit(() -> new EcdhPsi(PsiRole.BANK, LrRun.PSI, bankPool, 2).run(PsiInput.ofColumn(ids), pair.first()));
    Future<PsiResult> fp =
        partnerMain.submit(() -> new EcdhPsi(PsiRole.PARTNER, LrRun.PSI, partnerPool, 2).run(PsiInput.ofColumn(ids), pair.second()));
    bankPsi = fb.get(5, TimeUnit.MINUTES);
    partnerPsi = fp.get(5, TimeUnit.MINUTES);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bankMain.shutdownNow();
    partnerMain.shutdownNow();
    bankPool.shutdownNow();
    partnerPool.shutdownNow();
  }

  @Benchmark
  public BankTrainingResult oneEpoch(Counters counters) throws Exception {
    ChannelPair pair = InMemoryChannel.pair("lr-bench-" + session.incrementAndGet(), "bank", "partner");
    PartyClock.Reading before = PartyClock.now();
    Future<BankTrainingResult> fb =
        bankMain.submit(
            () -> new VerticalLrBank(params, bankPool).train(bank, labels, List.of(new VerticalLrBank.PartnerLink(bankPsi, pair.first()))));
    Future<PartnerTrainingResult> fp =
        partnerMain.submit(() -> new VerticalLrPartner(params, partnerPool).train(partner, partnerPsi, pair.second()));
    BankTrainingResult b;
    PartnerTrainingResult p;
    try {
      b = fb.get(10, TimeUnit.MINUTES);
      p = fp.get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      pair.closeBoth();
      throw e;
    }
    PartyClock.Reading cost = PartyClock.now().minus(before);
    counters.items += (long) b.trainRows() * (b.model().weights().length + p.model().weights().length);
    counters.bytes += b.traffic().totalBytes();
    counters.cpuMicros += cost.partiesCpuNanos() / 1000;
    return b;
  }

  /** A deterministic pseudo-Gaussian value per (row, column): Box–Muller on two hashed uniforms. */
  static double gaussian(int row, int column) {
    long h1 = LrDataSets.mix64(((long) row << 20) ^ column);
    long h2 = LrDataSets.mix64(h1 ^ 0x5851F42D4C957F2DL);
    double u1 = ((h1 >>> 11) + 1) * 0x1.0p-53;
    double u2 = (h2 >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
