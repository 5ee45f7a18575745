package io.jointly.bench.psi;

import io.jointly.channel.MessageChannel;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.unbalanced.BudgetLedger;
import io.jointly.psi.unbalanced.CacheEncoder;
import io.jointly.psi.unbalanced.CacheHeader;
import io.jointly.psi.unbalanced.CacheSpec;
import io.jointly.psi.unbalanced.IdentifierSource;
import io.jointly.psi.unbalanced.KeySealing;
import io.jointly.psi.unbalanced.MembershipClient;
import io.jointly.psi.unbalanced.OprfCache;
import io.jointly.psi.unbalanced.OprfServer;
import io.jointly.psi.unbalanced.OprfServerParameters;
import io.jointly.psi.unbalanced.OprfServerStore;
import io.jointly.psi.unbalanced.Purpose;
import io.jointly.psi.unbalanced.QueryBudgets;
import io.jointly.psi.unbalanced.UnbalancedPsiClient;
import io.jointly.psi.unbalanced.UnbalancedPsiParameters;
import io.jointly.psi.unbalanced.UnbalancedPsiResult;
import io.jointly.transport.Endpoint;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.LoopbackTransport;
import io.jointly.transport.SessionService;
import io.jointly.transport.ThrowawayCa;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.TransportServer;
import io.jointly.channel.TwoPartyRun;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Large runs of unbalanced PSI and membership checks from a cached OPRF (issue 20's targets), each
 * printing what it measured as {@code key=value} lines:
 *
 * <pre>
 * UnbalancedScale offline LOG2N WORKDIR          encode 2^LOG2N server items; time, bytes per item
 * UnbalancedScale online LOG2M WORKDIR [LOG2B]   2^LOG2M client items against the cache in WORKDIR over
 *                                                loopback mutual TLS, then balanced ECDH PSI of 2^LOG2B x
 *                                                2^LOG2B (default LOG2M) over the same transport, and the
 *                                                balanced LOG2M x LOG2N estimated from its per-item rate
 * UnbalancedScale membership WORKDIR CLIENTS SECONDS [RATE]
 *                                                CLIENTS membership clients on warm loopback mutual-TLS
 *                                                connections for SECONDS (after 5 s of warm-up), closed
 *                                                loop, or at RATE checks/s in total (open loop, latency
 *                                                measured from each check's scheduled time)
 * </pre>
 *
 * Server items are the mobiles {@code 13} followed by nine digits of 0..n−1; client items are half
 * of them (spread over the range) and half outside the set. Both parties run in this JVM on the
 * same cores, so every figure includes both parties' work.
 */
public final class UnbalancedScale {
  private static final Purpose CAMPAIGN = Purpose.of("weekly-campaign");
  private static final Purpose CHECK = Purpose.of("card-application");

  private UnbalancedScale() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: offline LOG2N WORKDIR | online LOG2M WORKDIR [LOG2B] | membership WORKDIR CLIENTS SECONDS [RATE]");
    }
    switch (args[0]) {
      case "offline" -> offline(Integer.parseInt(args[1]), Path.of(args[2]));
      case "online" -> online(Integer.parseInt(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : -1);
      case "membership" -> membership(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          args.length > 4 ? Integer.parseInt(args[4]) : 0);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  static String phone(long i) {
    return String.format(Locale.ROOT, "13%09d", i);
  }

  private static KeySealing sealing(Path work) throws Exception {
    Path kek = work.resolve("bench.kek");
    if (!Files.exists(kek)) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Files.write(kek, secret);
    }
    return KeySealing.keyFile(kek);
  }

  private static void offline(int log2, Path work) throws Exception {
    long n = 1L << log2;
    Files.createDirectories(work);
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      OprfServerStore store = OprfServerStore.open(work.resolve("state"), sealing(work));
      IdentifierSource source =
          new IdentifierSource() {
            long i;

            @Override
            public List<String> next() {
              return i < n ? List.of(phone(i++)) : null;
            }
          };
      long start = System.nanoTime();
      CacheEncoder.Result r =
          store.encode(new CacheEncoder(pool, cores, work), CacheSpec.of("partner", IdentifierProfile.PHONE), source, true);
      double seconds = (System.nanoTime() - start) / 1e9;
      CacheHeader h = r.header();
      System.out.printf(
          Locale.ROOT,
          "mode=offline items=%d distinct=%d cores=%d%n"
              + "wall_seconds=%.1f items_per_second=%.0f items_per_second_per_core=%.0f%n"
              + "cache_bytes=%d cache_bytes_per_item=%.3f capacity_log2=%d prefix_bits=%d remainder_bytes=%d"
              + " false_positive_bound_per_query=2^%.1f%n"
              + "peak_heap_mib=%d%n",
          n, h.count(), cores, seconds, n / seconds, n / seconds / cores, r.fileBytes(),
          (double) r.fileBytes() / h.count(), h.layout().capacityLog2(), h.layout().prefixBits(),
          h.layout().remainderBytes(), Math.log(h.layout().falsePositiveBound(h.count())) / Math.log(2),
          peakHeapMib());
    } finally {
      pool.shutdownNow();
    }
  }

  /** A client set of {@code m} items against a server set of {@code n}: half shared. */
  private static List<String> clientItems(int m, long n) {
    List<String> out = new ArrayList<>(m);
    long stride = Math.max(1, n / (m / 2));
    for (int i = 0; i < m / 2; i++) {
      out.add(phone(i * stride));
    }
    for (int i = m / 2; i < m; i++) {
      out.add(phone(n + i));
    }
    return out;
  }

  /** A server over loopback mutual TLS serving the store in {@code work} through SessionService. */
  private record Service(SessionService service, ThrowawayCa ca, ExecutorService pool, BudgetLedger ledger)
      implements AutoCloseable {
    static Service start(Path work, int cores) throws Exception {
      ThrowawayCa ca = ThrowawayCa.create();
      OprfServerStore store = OprfServerStore.open(work.resolve("state"), sealing(work));
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      BudgetLedger ledger =
          BudgetLedger.inMemory(QueryBudgets.of(Map.of(CAMPAIGN, Long.MAX_VALUE / 4, CHECK, Long.MAX_VALUE / 4)), Clock.systemUTC());
      OprfServer server = new OprfServer(store, ledger, OprfServerParameters.DEFAULTS, pool, cores);
      TransportServer ts =
          GrpcTransport.listen(Endpoint.loopback(0), TransportSecurity.mutualTls(ca.issue("partner")),
              Set.of("bank", "bank-app"), TransportOptions.DEFAULTS);
      return new Service(SessionService.start(ts, SessionService.Limits.DEFAULTS, server::serve), ca, pool, ledger);
    }

    MessageChannel connect(String client, TransportSecurity tls) throws io.jointly.core.JointlyException {
      return GrpcTransport.connect(service.endpoint(), tls, "bench-" + UUID.randomUUID(), "partner");
    }

    @Override
    public void close() throws Exception {
      service.close();
      pool.shutdownNow();
      ledger.close();
    }
  }

  private static Path clientCache(Path work) throws Exception {
    OprfServerStore store = OprfServerStore.open(work.resolve("state"), sealing(work));
    Path copy = work.resolve("client.jocache");
    Files.copy(store.current().cacheFile(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  private static void online(int log2m, Path work, int log2b) throws Exception {
    int m = 1 << log2m;
    int cores = Runtime.getRuntime().availableProcessors();
    Path cacheFile = clientCache(work);
    ExecutorService clientPool = Executors.newFixedThreadPool(cores);
    try (Service s = Service.start(work, cores)) {
      long openStart = System.nanoTime();
      OprfCache cache = OprfCache.open(cacheFile);
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      long n = cache.size();
      List<String> items = clientItems(m, n);
      TransportSecurity bankTls = TransportSecurity.mutualTls(s.ca().issue("bank"));
      UnbalancedPsiParameters params = UnbalancedPsiParameters.forPurpose(CAMPAIGN).withBatchSize(1 << 13);
      // Warm-up: a small run, so the JIT has compiled the hot paths before the timed one.
      try (MessageChannel ch = s.connect("bank", bankTls)) {
        new UnbalancedPsiClient(params, clientPool, cores).run(PsiInput.ofColumn(clientItems(1 << 12, n)), cache, ch);
      }
      long start = System.nanoTime();
      UnbalancedPsiResult r;
      try (MessageChannel ch = s.connect("bank", bankTls)) {
        r = new UnbalancedPsiClient(params, clientPool, cores).run(PsiInput.ofColumn(items), cache, ch);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (r.intersectionSize() != m / 2) {
        throw new IllegalStateException("wrong intersection: " + r.intersectionSize());
      }
      cache.close();
      System.out.printf(
          Locale.ROOT,
          "mode=online client_items=%d server_items=%d found=%d cores=%d transport=loopback-mtls%n"
              + "cache_open_seconds=%.2f online_wall_seconds=%.2f client_items_per_second=%.0f"
              + " bytes_sent=%d bytes_received=%d bytes_per_client_item=%.1f%n",
          m, n, r.intersectionSize(), cores, openSeconds, seconds, m / seconds, r.traffic().bytesSent(),
          r.traffic().bytesReceived(), (double) r.traffic().totalBytes() / m);

      int b = 1 << (log2b > 0 ? log2b : log2m);
      EcdhPsiParameters ep =
          EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
              .profile(IdentifierProfile.PHONE)
              .batchSize(EcdhPsiParameters.MAX_BATCH_SIZE / 4)
              .receiveTimeout(Duration.ofMinutes(30))
              .build();
      ExecutorService bankPool = Executors.newFixedThreadPool(cores);
      ExecutorService partnerPool = Executors.newFixedThreadPool(cores);
      try (LoopbackTransport loop = LoopbackTransport.mutualTls("bench-ecdh", "bank", "partner", TransportOptions.DEFAULTS)) {
        PsiWorkload w = PsiWorkload.of(b, b / 2);
        long es = System.nanoTime();
        TwoPartyRun.run(
            loop.pair(),
            ch -> new EcdhPsi(PsiRole.BANK, ep, bankPool, cores).run(PsiInput.ofColumn(w.bank), ch),
            ch -> new EcdhPsi(PsiRole.PARTNER, ep, partnerPool, cores).run(PsiInput.ofColumn(w.partner), ch),
            Duration.ofHours(2));
        double ecdh = (System.nanoTime() - es) / 1e9;
        double perItem = ecdh / (2.0 * b);
        double estimate = perItem * (m + n);
        System.out.printf(
            Locale.ROOT,
            "balanced_ecdh_measured=%dx%d wall_seconds=%.1f seconds_per_item=%.3e%n"
                + "balanced_ecdh_estimated=%dx%d wall_seconds=%.0f (per-item rate x (client + server items))%n"
                + "online_over_balanced=1/%.0f%n",
            b, b, ecdh, perItem, m, n, estimate, estimate / seconds);
      } finally {
        bankPool.shutdownNow();
        partnerPool.shutdownNow();
      }
    } finally {
      clientPool.shutdownNow();
    }
  }

  private static void membership(Path work, int clients, int seconds, int rate) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    Path cacheFile = clientCache(work);
    try (Service s = Service.start(work, cores); OprfCache cache = OprfCache.open(cacheFile)) {
      long n = cache.size();
      TransportSecurity appTls = TransportSecurity.mutualTls(s.ca().issue("bank-app"));
      ExecutorService threads = Executors.newFixedThreadPool(clients);
      List<MembershipClient> open = new ArrayList<>();
      try {
        for (int c = 0; c < clients; c++) {
          open.add(MembershipClient.open(cache, UnbalancedPsiParameters.forPurpose(CHECK), () -> s.connect("bank-app", appTls)));
        }
        runPhase(open, threads, n, 5, rate, false); // warm-up
        long[] latencies = runPhase(open, threads, n, seconds, rate, true);
        Arrays.sort(latencies);
        System.out.printf(
            Locale.ROOT,
            "mode=membership clients=%d seconds=%d load=%s server_items=%d cores=%d transport=loopback-mtls warm=true%n"
                + "checks=%d checks_per_second=%.0f%n"
                + "latency_ms p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f%n",
            clients, seconds, rate == 0 ? "closed-loop" : rate + "/s", n, cores, latencies.length,
            latencies.length / (double) seconds, pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99),
            pct(latencies, 0.999), latencies[latencies.length - 1] / 1e6);
      } finally {
        for (MembershipClient mc : open) {
          mc.close();
        }
        threads.shutdownNow();
      }
    }
  }

  private static double pct(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
  }

  /** Every client checks for {@code seconds}; returns the latencies in ns. */
  private static long[] runPhase(List<MembershipClient> clients, ExecutorService threads, long n, int seconds, int rate,
      boolean record) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<long[]>> futures = new ArrayList<>();
    int c = 0;
    for (MembershipClient client : clients) {
      int id = c++;
      futures.add(
          threads.submit(
              () -> {
                SplittableRandom rnd = new SplittableRandom(id * 7919L + 13);
                long[] lat = new long[1 << 16];
                int k = 0;
                long interval = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * clients.size() / rate;
                long next = System.nanoTime() + (interval == 0 ? 0 : rnd.nextLong(interval));
                while (true) {
                  long scheduled = interval == 0 ? System.nanoTime() : next;
                  if (scheduled >= end) {
                    break;
                  }
                  long wait = scheduled - System.nanoTime();
                  if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                  }
                  long i = rnd.nextBoolean() ? rnd.nextLong(n) : n + rnd.nextLong(n);
                  boolean member = client.contains(phone(i));
                  long took = System.nanoTime() - scheduled;
                  if (member != (i < n)) {
                    throw new IllegalStateException("wrong membership answer");
                  }
                  if (k == lat.length) {
                    lat = Arrays.copyOf(lat, 2 * k);
                  }
                  lat[k++] = took;
                  if (interval > 0) {
                    next += (long) (-Math.log(1 - rnd.nextDouble()) * interval); // Poisson arrivals
                  }
                }
                return Arrays.copyOf(lat, k);
              }));
    }
    List<long[]> all = new ArrayList<>();
    int total = 0;
    for (Future<long[]> f : futures) {
      long[] l = f.get();
      all.add(l);
      total += l.length;
    }
    long[] merged = new long[total];
    int at = 0;
    for (long[] l : all) {
      System.arraycopy(l, 0, merged, at, l.length);
      at += l.length;
    }
    return record ? merged : new long[0];
  }

  private static long peakHeapMib() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }
}
