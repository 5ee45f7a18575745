package io.jointly.stats;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RevealMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/** A bank and a partner with random data, the two-party runner, and the plain computation. */
final class StatsFixture {
  static final Duration HARD_TIMEOUT = Duration.ofSeconds(120);
  static final List<String> LEVELS = List.of("books", "electronics", "travel");

  final List<String> bankIds = new ArrayList<>();
  final List<String> stage = new ArrayList<>();
  final List<String> tier = new ArrayList<>();
  final List<String> partnerIds = new ArrayList<>();
  final double[] spend;
  final double[] orders;
  final List<String> category = new ArrayList<>();

  StatsFixture(long seed, int shared, int bankOnly, int partnerOnly) {
    Random rnd = new Random(seed);
    List<String> common = new ArrayList<>();
    for (int i = 0; i < shared; i++) {
      common.add("s" + i + "-" + Long.toHexString(rnd.nextLong()));
    }
    bankIds.addAll(common);
    for (int i = 0; i < bankOnly; i++) {
      bankIds.add("b" + i + "-" + Long.toHexString(rnd.nextLong()));
    }
    java.util.Collections.shuffle(bankIds, rnd);
    for (int i = 0; i < bankIds.size(); i++) {
      stage.add(List.of("new", "active", "dormant").get(rnd.nextInt(3)));
      tier.add(rnd.nextInt(4) == 0 ? "high" : "mass");
    }
    partnerIds.addAll(common);
    for (int i = 0; i < partnerOnly; i++) {
      partnerIds.add("p" + i + "-" + Long.toHexString(rnd.nextLong()));
    }
    java.util.Collections.shuffle(partnerIds, rnd);
    spend = new double[partnerIds.size()];
    orders = new double[partnerIds.size()];
    for (int i = 0; i < partnerIds.size(); i++) {
      // Some values beyond the bound (clipped), some missing, some negative (refunds).
      spend[i] = rnd.nextInt(20) == 0 ? Double.NaN : Math.round((rnd.nextGaussian() * 400 + 300) * 100) / 100.0;
      orders[i] = rnd.nextInt(40);
      int c = rnd.nextInt(LEVELS.size() + 2);
      category.add(c < LEVELS.size() ? LEVELS.get(c) : c == LEVELS.size() ? "garden" : null);
    }
  }

  static final double SPEND_BOUND = 1000;
  static final double ORDERS_BOUND = 50;

  PartnerColumns partnerColumns() {
    return PartnerColumns.of(
        List.of(
            new PartnerColumns.Numeric("spend", SPEND_BOUND, spend),
            new PartnerColumns.Numeric("orders", ORDERS_BOUND, orders)),
        List.of(new PartnerColumns.Categorical("category", LEVELS, category)));
  }

  static StatisticsParameters params(int minCell) {
    return StatisticsParameters.DEFAULT
        .withPsi(
            EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
                .revealMode(RevealMode.BANK)
                .minPeerSetSize(0)
                .batchSize(64)
                .receiveTimeout(Duration.ofSeconds(30))
                .build())
        .withMinCellSize(minCell)
        .withBatchSize(37)
        .withReceiveTimeout(Duration.ofSeconds(30));
  }

  StatisticsListener bankListener = StatisticsListener.NONE;
  StatisticsListener partnerListener = StatisticsListener.NONE;

  TwoPartyRun.Outcomes<SegmentTable, StatisticsPartner.Result> run(
      StatisticsParameters bankParams,
      StatisticsParameters partnerParams,
      UnaryOperator<MessageChannel> bankWrap,
      UnaryOperator<MessageChannel> partnerWrap) {
    ExecutorService bankPool = Executors.newFixedThreadPool(2);
    ExecutorService partnerPool = Executors.newFixedThreadPool(2);
    try {
      return TwoPartyRun.runAll(
          InMemoryChannel.pair("stats-test", "bank", "partner"),
          ch ->
              new StatisticsBank(bankParams, bankPool, 2)
                  .withListener(bankListener)
                  .run(PsiInput.ofColumn(bankIds), List.of("stage", "tier"), List.of(stage, tier), bankWrap.apply(ch)),
          ch ->
              new StatisticsPartner(partnerParams, partnerPool, 2)
                  .withListener(partnerListener)
                  .run(PsiInput.ofColumn(partnerIds), partnerColumns(), partnerWrap.apply(ch)),
          HARD_TIMEOUT);
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  /** The plain grouped computation over the joined rows: segment key → expected figures. */
  Map<List<String>, Expected> expected() {
    Map<String, Integer> partnerRow = new HashMap<>();
    for (int i = 0; i < partnerIds.size(); i++) {
      partnerRow.put(partnerIds.get(i), i);
    }
    Map<List<String>, Expected> out = new HashMap<>();
    for (int r = 0; r < bankIds.size(); r++) {
      Expected e = out.computeIfAbsent(List.of(stage.get(r), tier.get(r)), k -> new Expected());
      Integer p = partnerRow.get(bankIds.get(r));
      if (p == null) {
        continue;
      }
      e.count++;
      if (!Double.isNaN(spend[p])) {
        e.spendPresent++;
        e.spendSum += Math.max(-SPEND_BOUND, Math.min(SPEND_BOUND, spend[p]));
      }
      e.ordersPresent++;
      e.ordersSum += Math.min(ORDERS_BOUND, orders[p]);
      String c = category.get(p);
      e.levels.merge(c != null && LEVELS.contains(c) ? c : PartnerColumns.OTHER, 1L, Long::sum);
    }
    return out;
  }

  static final class Expected {
    long count;
    long spendPresent;
    double spendSum;
    long ordersPresent;
    double ordersSum;
    final Map<String, Long> levels = new HashMap<>();
  }
}
