package io.jointly.bench.psi;

import io.jointly.group.SuiteId;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One large end-to-end ECDH PSI in one JVM over the in-memory channel: both parties, {@code 2^k}
 * items each, half shared. Prints wall time, items per second per core, bytes per item and peak
 * heap. Run: {@code java -cp bench/target/benchmarks.jar io.jointly.bench.psi.PsiScale [log2=20]
 * [suite=ristretto255] [mode=bank] [channel=memory|grpc-tls]}.
 *
 * <p>This is a single-shot measurement of a run that takes minutes, where JMH's repetition adds
 * nothing; the JMH {@link PsiBenchmark} covers the smaller sizes with proper statistics.
 */
public final class PsiScale {
  private PsiScale() {}

  public static void main(String[] args) throws Exception {
    int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    SuiteId suite = args.length > 1 ? SuiteId.fromName(args[1]) : SuiteId.RISTRETTO255;
    RevealMode mode = args.length > 2 ? RevealMode.fromName(args[2]) : RevealMode.BANK;
    PsiRun.Channel channel = args.length > 3 ? PsiRun.Channel.parse(args[3]) : PsiRun.Channel.MEMORY;
    int n = 1 << log2;
    PsiWorkload w = PsiWorkload.of(n, n / 2);
    int cores = Runtime.getRuntime().availableProcessors();
    EcdhPsiParameters params =
        EcdhPsiParameters.preset(suite).toBuilder()
            .profile(IdentifierProfile.PHONE)
            .revealMode(mode)
            .batchSize(EcdhPsiParameters.MAX_BATCH_SIZE / 4)
            .receiveTimeout(Duration.ofMinutes(30))
            .build();
    ExecutorService bankPool = Executors.newFixedThreadPool(cores);
    ExecutorService partnerPool = Executors.newFixedThreadPool(cores);
    try {
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, params, bankPool, cores);
      EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, params, partnerPool, cores);
      long start = System.nanoTime();
      PsiRun.Outcome o = PsiRun.run(channel, bank, partner, w.bank, w.partner);
      double seconds = (System.nanoTime() - start) / 1e9;
      PsiResult b = o.bank();
      long items = 2L * n;
      System.out.printf(
          Locale.ROOT,
          "suite=%s mode=%s channel=%s items_per_side=%d shared=%d found=%d%n"
              + "wall_seconds=%.1f items_per_second=%.0f items_per_second_per_core=%.0f (cores=%d, both parties in one JVM)%n"
              + "bytes_total=%d bytes_per_item=%.2f (both sets together, framing included)%n"
              + "peak_heap_mib=%d%n",
          suite,
          mode,
          channel,
          n,
          n / 2,
          b.intersectionSize().orElse(-1),
          seconds,
          items / seconds,
          items / seconds / cores,
          cores,
          b.traffic().totalBytes(),
          (double) b.traffic().totalBytes() / items,
          peakHeapMib());
      if (o.wire() != null) {
        System.out.printf(
            Locale.ROOT,
            "wire_bytes_total=%d wire_bytes_per_item=%.2f framing_overhead_vs_counted=%.2f%%%n",
            o.wire().totalBytes(),
            (double) o.wire().totalBytes() / items,
            100.0 * (o.wire().totalBytes() - b.traffic().totalBytes()) / b.traffic().totalBytes());
      }
      if (b.intersectionSize().orElse(-1) != n / 2) {
        throw new IllegalStateException("wrong intersection size");
      }
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
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
