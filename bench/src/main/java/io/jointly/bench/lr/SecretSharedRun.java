package io.jointly.bench.lr;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.features.TransformSpec;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.secretshared.SecretSharedResult;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionModel;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.psi.RowIndexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One secret-shared training run ({@link SecretSharedLr}, issue #7) on a shared data set, in this
 * JVM over the in-memory channel: the rows aligned by identifier directly (PSI is measured by
 * {@link LrDataSets}), a 20 % stratified holdout, each party's feature transform fitted on its
 * training rows, then the two parties on their own named threads and executors, so {@link
 * PartyClock} tells their CPU time apart. Prints the setup cost, the CPU per epoch and the CPU-µs
 * per row·feature·epoch (training rows × both parties' encoded columns, intercept included),
 * measured between the end of the first and of the last epoch (so the first epoch's JIT warm-up
 * is left out; needs ≥ 2 epochs), and the holdout AUC and log-loss beside centralised
 * mini-batch GD with the same schedule and the L-BFGS optimum of the same objective.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.jointly.bench.lr.SecretSharedRun
 * [bank|bank-full|default_credit|breast] [epochs] [standard|wide|extra_wide] [η] [decay] [batch]
 * [loss]} (with {@code loss}, the bank opens the per-epoch loss and it is printed)
 * (default: bank, 40 epochs, the STANDARD sigmoid, η = 0.5 with decay 0.5, i.e. η/(1 +
 * decay·epoch), batches of 256, as {@link
 * SecretSharedLrParameters#DEFAULT}; {@code bank} is UCI's 4,521-row {@code bank.csv} split like
 * bank-full, {@code breast} FATE's breast pair). The centralised GD run uses the same schedule.
 * Data as for {@link LrDataSets}.
 */
public final class SecretSharedRun {
  private SecretSharedRun() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "bank";
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    SecretSharedLrParameters.Sigmoid sigmoid =
        args.length > 2 ? SecretSharedLrParameters.Sigmoid.valueOf(args[2].toUpperCase(Locale.ROOT)) : SecretSharedLrParameters.Sigmoid.STANDARD;
    LogisticRegressionParameters defaults = SecretSharedLrParameters.DEFAULT.lr();
    double eta = args.length > 3 ? Double.parseDouble(args[3]) : defaults.learningRate();
    double decay = args.length > 4 ? Double.parseDouble(args[4]) : defaults.learningRateDecay();
    int batch = args.length > 5 ? Integer.parseInt(args[5]) : defaults.batchSize();
    boolean epochLoss = args.length > 6 && args[6].equals("loss");
    Path dir = LrDataSets.dataDir();
    if (dir == null) {
      System.out.println("shared data not found: set JOINTLY_DATA or place it at ../shared/data; nothing to run");
      return;
    }
    LrDataSets.Data d = name.equals("bank") ? bankSample(dir) : LrDataSets.load(dir, name);
    if (d == null) {
      System.out.println(name + ": data files absent under " + dir + "; nothing to run");
      return;
    }
    LogisticRegressionParameters gd =
        defaults.toBuilder().seed(LrDataSets.SEED).maxEpochs(epochs).learningRate(eta).learningRateDecay(decay).batchSize(batch).build();
    SecretSharedLrParameters params =
        SecretSharedLrParameters.DEFAULT.withLr(gd).withReceiveTimeout(Duration.ofMinutes(30)).withSigmoid(sigmoid).withEpochLoss(epochLoss);

    // Align the partner's rows to the bank's by identifier.
    Map<String, Integer> partnerRow = new HashMap<>();
    for (int i = 0; i < d.partner().ids().size(); i++) {
      partnerRow.put(d.partner().ids().get(i), i);
    }
    int[] partnerOrder = new int[d.bank().ids().size()];
    for (int i = 0; i < partnerOrder.length; i++) {
      partnerOrder[i] = partnerRow.get(d.bank().ids().get(i));
    }
    int[] y = d.bank().labels();
    Split split = Split.stratified(y, 0, 0.2, LrDataSets.SEED);
    int[] train = split.train().toArray();
    int[] hold = split.holdout().toArray();
    RawTable bankRows = d.bank().features();
    RawTable partnerRows = d.partner().features().rows(partnerOrder);
    FeatureMatrix xb = FeatureTransform.fit(bankRows.rows(train), TransformSpec.DEFAULT).apply(bankRows);
    FeatureMatrix xp = FeatureTransform.fit(partnerRows.rows(train), TransformSpec.DEFAULT).apply(partnerRows);
    FeatureMatrix xbTrain = xb.rows(train);
    FeatureMatrix xpTrain = xp.rows(train);
    int[] yTrain = LrDataSets.pick(y, train);
    int columns = xb.columnCount() + (gd.intercept() ? 1 : 0) + xp.columnCount();
    System.err.printf(
        Locale.ROOT,
        "%s: %d training rows, %d + %d columns, %d epochs, %s sigmoid, η = %s/(1 + %s·epoch), batches of %d ...%n",
        name, train.length, xb.columnCount(), xp.columnCount(), epochs, sigmoid, eta, decay, batch);

    ExecutorService bankMain = Executors.newSingleThreadExecutor(named("bank-main"));
    ExecutorService partnerMain = Executors.newSingleThreadExecutor(named("partner-main"));
    ExecutorService bankPool = Executors.newFixedThreadPool(2, named("bank-pool"));
    ExecutorService partnerPool = Executors.newFixedThreadPool(2, named("partner-pool"));
    ChannelPair pair = InMemoryChannel.pair("ss-bench", "bank", "partner");
    List<PartyClock.Reading> epochEnds = new ArrayList<>();
    PartyClock.Reading start = PartyClock.now();
    PartyClock.Reading[] firstStep = new PartyClock.Reading[1];
    TrainingListener probe =
        new TrainingListener() {
          @Override
          public void onStep(long step, long planned) {
            if (step == 1) {
              firstStep[0] = PartyClock.now();
            }
          }

          @Override
          public void onEpoch(int epoch, int max) {
            epochEnds.add(PartyClock.now());
            System.err.printf(Locale.ROOT, "epoch %d done%n", epoch);
          }
        };
    SecretSharedResult bank;
    SecretSharedResult partner;
    try {
      Future<SecretSharedResult> fb = bankMain.submit(() -> SecretSharedLr.bank(params, xbTrain, yTrain, pair.first(), bankPool, probe));
      Future<SecretSharedResult> fp = partnerMain.submit(() -> SecretSharedLr.partner(params, xpTrain, pair.second(), partnerPool));
      try {
        bank = fb.get(6, TimeUnit.HOURS);
        partner = fp.get(6, TimeUnit.HOURS);
      } catch (Exception e) {
        pair.closeBoth();
        throw e;
      }
    } finally {
      bankMain.shutdownNow();
      partnerMain.shutdownNow();
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
    PartyClock.Reading end = PartyClock.now();

    // Holdout: the model the two parties opened, centralised GD with the same schedule, L-BFGS.
    FeatureMatrix hb = xb.rows(hold);
    FeatureMatrix hp = xp.rows(hold);
    int[] yHold = LrDataSets.pick(y, hold);
    double[] z = LogisticMath.sumScores(new double[][] {hb.times(bank.weights()), hp.times(partner.weights())}, bank.intercept().orElse(0));
    double[] p = Arrays.stream(z).map(LogisticMath::sigmoid).toArray();
    BinaryMetrics ss = BinaryMetrics.of(p, yHold);
    RowIndexes trainIdx = RowIndexes.of(LrDataSets.pick(allRows(y.length), train));
    LogisticRegressionModel central = LogisticRegression.fit(List.of(xb, xp), y, trainIdx, RowIndexes.of(), gd);
    LogisticRegressionModel optimum = LogisticRegression.fit(List.of(xb, xp), y, trainIdx, RowIndexes.of(), LrDataSets.LBFGS);
    BinaryMetrics c = BinaryMetrics.of(central.probabilities(List.of(hb, hp)), yHold);
    BinaryMetrics o = BinaryMetrics.of(optimum.probabilities(List.of(hb, hp)), yHold);

    PartyClock.Reading setup = firstStep[0].minus(start);
    System.out.println();
    System.out.println(
        "| data set | sigmoid | η, decay | training rows | columns (bank + intercept + partner) | epochs | setup wall s | setup CPU s bank / partner "
            + "| wall s / epoch | CPU s / epoch bank / partner | CPU-µs / row·feature·epoch (parties) | (process) | MB / epoch (bank sent + received) |");
    System.out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    String perEpoch = "—";
    if (epochEnds.size() >= 2) {
      PartyClock.Reading t = epochEnds.get(epochEnds.size() - 1).minus(epochEnds.get(0));
      int e = epochEnds.size() - 1;
      double units = (double) train.length * columns * e;
      perEpoch =
          String.format(
              Locale.ROOT,
              "%.1f | %.1f / %.1f | %.1f | %.1f",
              t.wallNanos() / 1e9 / e,
              t.bankCpuNanos() / 1e9 / e,
              t.partnerCpuNanos() / 1e9 / e,
              t.partiesCpuNanos() / 1e3 / units,
              t.processCpuNanos() / 1e3 / units);
    }
    double mb = (bank.traffic().bytesSent() + bank.traffic().bytesReceived()) / 1e6 / epochs;
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s, %s | %d | %d + %d + %d | %d | %.1f | %.1f / %.1f | %s | %.0f (whole run / epochs) |%n",
        name, sigmoid, eta, decay, train.length, xb.columnCount(), gd.intercept() ? 1 : 0, xp.columnCount(), epochs,
        setup.wallNanos() / 1e9, setup.bankCpuNanos() / 1e9, setup.partnerCpuNanos() / 1e9, perEpoch, mb);
    System.out.println();
    System.out.println("| data set | sigmoid | η, decay | epochs | secret-shared AUC | log-loss | centralised GD AUC | log-loss | L-BFGS AUC | log-loss | ΔAUC vs GD | Δlog-loss vs GD | ΔAUC vs L-BFGS | Δlog-loss vs L-BFGS |");
    System.out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s, %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %+.4f | %+.2f %% | %+.4f | %+.2f %% |%n",
        name, sigmoid, eta, decay, epochs, ss.auc(), ss.logLoss(), c.auc(), c.logLoss(), o.auc(), o.logLoss(),
        ss.auc() - c.auc(), 100 * (ss.logLoss() / c.logLoss() - 1), ss.auc() - o.auc(), 100 * (ss.logLoss() / o.logLoss() - 1));
    // The range the sigmoid must cover: the largest training score of each model.
    double[] zTrain = LogisticMath.sumScores(new double[][] {xbTrain.times(bank.weights()), xpTrain.times(partner.weights())}, bank.intercept().orElse(0));
    List<FeatureMatrix> trainBlocks = List.of(xbTrain, xpTrain);
    System.out.printf(
        Locale.ROOT,
        "largest |z| on the training rows: secret-shared %.1f, centralised GD %.1f, L-BFGS %.1f (the %s series is fitted on ±%d)%n",
        maxAbs(zTrain), maxAbs(central.scores(trainBlocks)), maxAbs(optimum.scores(trainBlocks)), sigmoid, sigmoid.fitBound());
    if (epochLoss) {
      System.out.println("per-epoch loss opened to the bank: " + bank.epochLosses());
    }
    System.out.printf(Locale.ROOT, "total wall %.1f s%n", end.minus(start).wallNanos() / 1e9);
  }

  /** UCI {@code bank.csv} (the 4,521-row sample), split like bank-full. */
  static LrDataSets.Data bankSample(Path dir) throws java.io.IOException {
    Path f = dir.resolve("bank-marketing/bank.csv");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    List<String[]> rows = LrDataSets.read(f, ';');
    RawTable all = RawTable.ofRows(Arrays.asList(rows.get(0)), rows.subList(1, rows.size()));
    List<String> label = all.column("y");
    int n = label.size();
    int[] y = new int[n];
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      y[i] = label.get(i).equals("yes") ? 1 : 0;
      ids.add("customer-" + i);
    }
    int[] order = LrDataSets.scrambled(n);
    List<String> partnerIds = new ArrayList<>(n);
    for (int r : order) {
      partnerIds.add(ids.get(r));
    }
    return new LrDataSets.Data(
        "bank",
        new LrRun.Party(ids, all.select(LrDataSets.BANK_COLUMNS), y),
        new LrRun.Party(partnerIds, all.select(LrDataSets.PARTNER_COLUMNS).rows(order), null),
        LrDataSets.GD_LARGE);
  }

  private static double maxAbs(double[] v) {
    return Arrays.stream(v).map(Math::abs).max().orElse(0);
  }

  private static int[] allRows(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger k = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + k.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
