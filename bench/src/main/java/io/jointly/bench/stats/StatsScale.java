package io.jointly.bench.stats;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RevealMode;
import io.jointly.stats.PartnerColumns;
import io.jointly.stats.SegmentTable;
import io.jointly.stats.StatisticsBank;
import io.jointly.stats.StatisticsParameters;
import io.jointly.stats.StatisticsPartner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One federated-statistics run at scale (issue #9), both parties in one JVM over the in-memory
 * channel: the bank has {@code bankRows} customers in segments (two group-by columns), the partner
 * {@code partnerRows} with two numeric columns (clipped) and two categorical ones, {@code shared}
 * customers in common. Prints wall time, each party's CPU time and the bytes, split between ECDH
 * PSI (bank mode) and the statistics rounds (the partner's encrypted value vectors, the bank's
 * masked segment sums, the opening).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.jointly.bench.stats.StatsScale
 * [shared=100000] [bankRows=120000] [partnerRows=150000] [segments=12]}. Single-shot by design: a
 * run takes minutes and JMH's repetition adds nothing.
 */
public final class StatsScale {
  private StatsScale() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final List<String> CATEGORIES = List.of("groceries", "electronics", "travel", "fashion");
  static final List<String> CHANNELS = List.of("store", "online", "app");

  /** CPU of the bank's and the partner's threads (by name prefix) and the wall clock. */
  record Reading(long wall, long bank, long partner) {
    Reading minus(Reading r) {
      return new Reading(wall - r.wall, bank - r.bank, partner - r.partner);
    }
  }

  static Reading now() {
    long bank = 0;
    long partner = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = THREADS.getThreadCpuTime(ids[i]);
      if (infos[i] == null || cpu < 0) {
        continue;
      }
      if (infos[i].getThreadName().startsWith("bank")) {
        bank += cpu;
      } else if (infos[i].getThreadName().startsWith("partner")) {
        partner += cpu;
      }
    }
    return new Reading(System.nanoTime(), bank, partner);
  }

  /** Takes a reading when the first statistics-round message passes (PSI is then over for this side). */
  static final class Marker implements MessageChannel {
    private final MessageChannel inner;
    volatile Reading psiDone;

    Marker(MessageChannel inner) {
      this.inner = inner;
    }

    private void mark(RoundKey key) {
      if (psiDone == null && !key.protocol().equals(io.jointly.psi.ecdh.EcdhPsi.PROTOCOL)) {
        psiDone = now();
      }
    }

    @Override
    public String sessionId() {
      return inner.sessionId();
    }

    @Override
    public String self() {
      return inner.self();
    }

    @Override
    public String peer() {
      return inner.peer();
    }

    @Override
    public void send(RoundKey key, Bytes payload) throws ChannelException {
      mark(key);
      inner.send(key, payload);
    }

    @Override
    public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
      Bytes b = inner.receive(key, timeout);
      mark(key);
      return b;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  public static void main(String[] args) throws Exception {
    int shared = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int bankRows = args.length > 1 ? Integer.parseInt(args[1]) : 120_000;
    int partnerRows = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
    int segments = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    if (shared > bankRows || shared > partnerRows || segments < 1 || segments > 64) {
      throw new IllegalArgumentException("need shared ≤ bankRows, shared ≤ partnerRows, 1 ≤ segments ≤ 64");
    }
    // Identifiers: customer-0 .. customer-(shared−1) on both sides, then each side's own.
    List<String> bankIds = new ArrayList<>(bankRows);
    List<String> region = new ArrayList<>(bankRows);
    List<String> tier = new ArrayList<>(bankRows);
    int tiers = segments % 4 == 0 ? 4 : segments % 3 == 0 ? 3 : segments % 2 == 0 ? 2 : 1;
    int regions = segments / tiers;
    for (int i = 0; i < bankRows; i++) {
      long id = i < shared ? i : 10_000_000L + i;
      bankIds.add("customer-" + id);
      long h = mix(id);
      region.add("r" + Math.floorMod(h, regions));
      tier.add("t" + Math.floorMod(h >>> 20, tiers));
    }
    List<String> partnerIds = new ArrayList<>(partnerRows);
    double[] spend = new double[partnerRows];
    double[] visits = new double[partnerRows];
    List<String> category = new ArrayList<>(partnerRows);
    List<String> channel = new ArrayList<>(partnerRows);
    for (int k = 0; k < partnerRows; k++) {
      long id = k < shared ? k : 20_000_000L + k; // PSI sends items in a fresh random order anyway
      partnerIds.add("customer-" + id);
      long h = mix(id ^ 0xABCDEFL);
      spend[k] = Math.floorMod(h, 1000) == 0 ? Double.NaN : Math.floorMod(h >>> 10, 200_000) / 100.0;
      visits[k] = Math.floorMod(h >>> 30, 60);
      category.add(CATEGORIES.get((int) Math.floorMod(h >>> 40, CATEGORIES.size())));
      channel.add(Math.floorMod(h >>> 50, 50) == 0 ? null : CHANNELS.get((int) Math.floorMod(h >>> 45, CHANNELS.size())));
    }
    PartnerColumns columns =
        PartnerColumns.of(
            List.of(new PartnerColumns.Numeric("spend", 1500, spend), new PartnerColumns.Numeric("visits", 50, visits)),
            List.of(
                new PartnerColumns.Categorical("category", CATEGORIES, category),
                new PartnerColumns.Categorical("channel", CHANNELS, channel)));
    StatisticsParameters params =
        StatisticsParameters.DEFAULT
            .withPsi(
                EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
                    .revealMode(RevealMode.BANK)
                    .receiveTimeout(Duration.ofMinutes(30))
                    .build())
            .withReceiveTimeout(Duration.ofMinutes(30));

    ExecutorService bankMain = Executors.newSingleThreadExecutor(named("bank-main"));
    ExecutorService partnerMain = Executors.newSingleThreadExecutor(named("partner-main"));
    ExecutorService bankPool = Executors.newFixedThreadPool(2, named("bank-pool"));
    ExecutorService partnerPool = Executors.newFixedThreadPool(2, named("partner-pool"));
    ChannelPair pair = InMemoryChannel.pair("stats-scale", "bank", "partner");
    Marker bankSide = new Marker(pair.first());
    Marker partnerSide = new Marker(pair.second());
    try {
      Reading start = now();
      Future<SegmentTable> fb =
          bankMain.submit(
              () -> new StatisticsBank(params, bankPool, 2).run(PsiInput.ofColumn(bankIds), List.of("region", "tier"), List.of(region, tier), bankSide));
      Future<StatisticsPartner.Result> fp =
          partnerMain.submit(() -> new StatisticsPartner(params, partnerPool, 2).run(PsiInput.ofColumn(partnerIds), columns, partnerSide));
      SegmentTable table;
      StatisticsPartner.Result partner;
      try {
        table = fb.get(2, TimeUnit.HOURS);
        partner = fp.get(2, TimeUnit.HOURS);
      } catch (Exception e) {
        pair.closeBoth();
        throw e;
      }
      Reading end = now();
      Reading total = end.minus(start);
      // PSI ends for the bank at its first statistics message; the partner's key generation
      // (before its PSI) is counted in its PSI share.
      Reading psi = bankSide.psiDone.minus(start);
      Reading stats = end.minus(bankSide.psiDone);
      long found = table.psi().intersectionSize().orElse(-1);
      long psiBytes = table.psi().traffic().totalBytes();
      long statBytes = table.traffic().totalBytes();
      int released = 0;
      for (SegmentTable.Segment s : table.segments()) {
        released += s.suppressed() ? 0 : 1;
      }
      System.out.printf(
          Locale.ROOT,
          "bank_rows=%d partner_rows=%d shared=%d found=%d segments=%d (released %d) partner_columns=2 numeric + 2 categorical (%d + %d levels)%n",
          bankRows, partnerRows, shared, found, table.segments().size(), released, CATEGORIES.size(), CHANNELS.size());
      System.out.println("| phase | wall s | bank CPU s | partner CPU s | bytes | bytes per item |");
      System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
      row("PSI (bank mode, both sets)", psi, psiBytes, bankRows + partnerRows);
      row("statistics rounds (per partner row)", stats, statBytes, partnerRows);
      row("total", total, psiBytes + statBytes, bankRows + partnerRows);
      if (found != shared) {
        throw new IllegalStateException("wrong intersection size");
      }
      if (partner.segments() != table.segments().size()) {
        throw new IllegalStateException("the parties disagree on the number of segments");
      }
    } finally {
      bankMain.shutdownNow();
      partnerMain.shutdownNow();
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  private static void row(String phase, Reading r, long bytes, long items) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f | %d | %.1f |%n",
        phase, r.wall() / 1e9, r.bank() / 1e9, r.partner() / 1e9, bytes, (double) bytes / items);
  }

  private static long mix(long i) {
    long z = i * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }
}
