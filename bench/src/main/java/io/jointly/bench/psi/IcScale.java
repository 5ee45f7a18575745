package io.jointly.bench.psi;

import io.jointly.group.SuiteId;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.ic.IcInput;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.ThrowawayCa;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.ic.IcSession;
import io.jointly.transport.ic.IcTransport;
import io.jointly.transport.ic.IcTransportOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Interconnection-standard ECDH-PSI ({@code jointly psi-ic}) beside Jointly's native ECDH PSI, in
 * the same run, on the same inputs: two parties in this JVM over loopback mutual TLS 1.3, {@code
 * 2^k} items each, half shared, both parties learning the intersection (interconnection {@code
 * result_to_rank = -1}, native reveal mode {@code both}), each protocol with its default batch of
 * 4,096 items. The interconnection run uses its CURVE25519 suite (SHA-256 as the u-coordinate, the
 * reference's 12-byte second stage), the native run its {@code x25519} suite (RFC 9380 hash to
 * curve, truncated second pass), so the curve arithmetic is the same; both hash the identifiers
 * as written ({@code raw}). After an unreported warm-up of both at 2^12, prints, per protocol, wall
 * time (input preparation included), items
 * per second, and the bytes each protocol's messages took per item: for the interconnection
 * transport the serialised {@code PushRequest}s both ways (connect, handshake, batches, ACKs,
 * FIN), for the native one the {@code MessageChannel} payloads and keys both ways; TLS records
 * and HTTP/2 framing are not counted in either. Checks both intersections. Run: {@code java -cp
 * bench/target/benchmarks.jar io.jointly.bench.psi.IcScale [log2...]} (default 16 20).
 */
public final class IcScale {
  private IcScale() {}

  /** One protocol's run. */
  record Figures(String protocol, int n, double seconds, long bytes, long found) {
    double itemsPerSecond() {
      return 2.0 * n / seconds;
    }

    double bytesPerItem() {
      return (double) bytes / (2.0 * n);
    }
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(16, 20);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT, "cores=%d java=%s (both parties in this JVM, loopback mutual TLS 1.3)%n", cores, System.getProperty("java.version"));
    // Warm-up, not reported: class loading and JIT for both protocols before either is timed.
    PsiWorkload warm = PsiWorkload.of(1 << 12, 1 << 11);
    interconnection(1 << 12, warm, cores);
    nativePsi(1 << 12, warm, cores);
    List<Figures[]> rows = new ArrayList<>();
    for (int log2 : sizes) {
      int n = 1 << log2;
      PsiWorkload w = PsiWorkload.of(n, n / 2);
      Figures ic = interconnection(n, w, cores);
      print(ic);
      Figures nat = nativePsi(n, w, cores);
      print(nat);
      for (Figures f : new Figures[] {ic, nat}) {
        if (f.found() != n / 2) {
          throw new IllegalStateException(f.protocol() + " found " + f.found() + " shared, expected " + n / 2);
        }
      }
      rows.add(new Figures[] {ic, nat});
    }
    System.out.println();
    System.out.println("| items per side | psi-ic wall | native wall | psi-ic / native | psi-ic items/s | native items/s | psi-ic bytes/item | native bytes/item |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Figures[] r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| 2^%d | %.1f s | %.1f s | %.2f | %,.0f | %,.0f | %.2f | %.2f |%n",
          Integer.numberOfTrailingZeros(r[0].n()),
          r[0].seconds(),
          r[1].seconds(),
          r[0].seconds() / r[1].seconds(),
          r[0].itemsPerSecond(),
          r[1].itemsPerSecond(),
          r[0].bytesPerItem(),
          r[1].bytesPerItem());
    }
  }

  private static void print(Figures f) {
    System.out.printf(
        Locale.ROOT,
        "%s n=%d found=%d wall_seconds=%.1f items_per_second=%.0f bytes=%d bytes_per_item=%.2f%n",
        f.protocol(), f.n(), f.found(), f.seconds(), f.itemsPerSecond(), f.bytes(), f.bytesPerItem());
  }

  /** Ranks 0 and 1 of {@code psi-ic}, each with its own listener, over loopback mutual TLS. */
  static Figures interconnection(int n, PsiWorkload w, int cores) throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    IcTransportOptions options =
        IcTransportOptions.DEFAULTS.withConnectTimeout(Duration.ofMinutes(5)).withFinTimeout(Duration.ofMinutes(5));
    ExecutorService pool0 = Executors.newFixedThreadPool(cores);
    ExecutorService pool1 = Executors.newFixedThreadPool(cores);
    ExecutorService parties = Executors.newFixedThreadPool(2);
    try (IcTransport.Listener l0 =
            IcTransport.listen(0, Endpoint.loopback(0), TransportSecurity.mutualTls(ca.issue("rank0")), "rank1", options);
        IcTransport.Listener l1 =
            IcTransport.listen(1, Endpoint.loopback(0), TransportSecurity.mutualTls(ca.issue("rank1")), "rank0", options)) {
      long start = System.nanoTime();
      CompletableFuture<IcPsiResult> r0 =
          CompletableFuture.supplyAsync(() -> party(0, l0, l1.endpoint(), w.bank, pool0, cores), parties);
      CompletableFuture<IcPsiResult> r1 =
          CompletableFuture.supplyAsync(() -> party(1, l1, l0.endpoint(), w.partner, pool1, cores), parties);
      IcPsiResult a = r0.get(2, TimeUnit.HOURS);
      IcPsiResult b = r1.get(2, TimeUnit.HOURS);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (b.intersectionSize().orElse(-1) != a.intersectionSize().orElse(-2)) {
        throw new IllegalStateException("the ranks disagree on the intersection size");
      }
      return new Figures(
          "psi-ic(curve25519)", n, seconds, a.traffic().bytesSent() + a.traffic().bytesReceived(), a.intersectionSize().orElse(-1));
    } finally {
      pool0.shutdownNow();
      pool1.shutdownNow();
      parties.shutdownNow();
    }
  }

  private static IcPsiResult party(
      int rank, IcTransport.Listener l, Endpoint peer, List<String> ids, ExecutorService pool, int cores) {
    try {
      IcParameters p =
          IcParameters.defaults(rank).toBuilder()
              .resultToRank(-1)
              .minPeerSetSize(0)
              .receiveTimeout(Duration.ofMinutes(30))
              .build();
      InterconnectionPsi psi = new InterconnectionPsi(p, pool, cores);
      IcInput in = psi.prepare(PsiInput.ofColumn(ids));
      try (IcSession s = l.connect(peer)) {
        return s.run(psi, in);
      }
    } catch (Exception e) {
      throw new IllegalStateException("rank " + rank + " failed: " + e.getMessage(), e);
    }
  }

  /** Jointly's own ECDH PSI, x25519, reveal both, over loopback mutual-TLS gRPC. */
  static Figures nativePsi(int n, PsiWorkload w, int cores) throws Exception {
    EcdhPsiParameters params =
        EcdhPsiParameters.preset(SuiteId.X25519).toBuilder()
            .profile(IdentifierProfile.RAW)
            .revealMode(RevealMode.BOTH)
            .minPeerSetSize(0)
            .receiveTimeout(Duration.ofMinutes(30))
            .build();
    ExecutorService bankPool = Executors.newFixedThreadPool(cores);
    ExecutorService partnerPool = Executors.newFixedThreadPool(cores);
    try {
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, params, bankPool, cores);
      EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, params, partnerPool, cores);
      long start = System.nanoTime();
      PsiRun.Outcome o = PsiRun.run(PsiRun.Channel.GRPC_TLS, bank, partner, w.bank, w.partner);
      double seconds = (System.nanoTime() - start) / 1e9;
      PsiResult b = o.bank();
      return new Figures("native(x25519)", n, seconds, b.traffic().totalBytes(), b.intersectionSize().orElse(-1));
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }
}
