package io.jointly.bench.psi;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.group.SuiteId;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.vole.VolePsi;
import io.jointly.psi.vole.VolePsiParameters;
import io.jointly.transport.Endpoint;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.LoopbackTransport;
import io.jointly.transport.PartyCredentials;
import io.jointly.transport.ThrowawayCa;
import io.jointly.transport.TransportChannel;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.TransportServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One large VOLE PSI, {@code 2^k} phone-number identifiers per side, half shared ({@link
 * PsiWorkload}), and optionally the same sets through ECDH PSI (x25519) for the speed ratio.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.jointly.bench.psi.VolePsiScale [log2=20] [mode=bank]
 *     [channel=two-process|grpc-tls|memory] [ecdh=none|x25519|ristretto255] [repeat=1]
 * </pre>
 *
 * {@code two-process}: this JVM is the bank and listens on 127.0.0.1 with mutual TLS 1.3
 * (certificates from a throwaway CA in a temporary directory); it starts the partner as a second
 * JVM ({@code java} of this JVM, same class path and heap flags) which connects. Each party times
 * its own run from the handshake to its result ({@code PsiResult.elapsed}); the wall time quoted is
 * the bank's, from just before its handshake to its result, the partner's is printed beside it.
 * Identifiers are generated in each process before the clock starts. {@code repeat} runs the
 * protocol that many times over fresh sessions in the same processes (the first run includes the
 * JIT's warm-up; each is reported).
 *
 * <p>Bytes are those counted by the protocol (payload plus round-key framing, both directions) and,
 * over gRPC, the bank's wire bytes. Single-shot runs: quote medians of several invocations.
 */
public final class VolePsiScale {
  private VolePsiScale() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("partner-process")) {
      partnerProcess(args);
      return;
    }
    int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    RevealMode mode = args.length > 1 ? RevealMode.fromName(args[1]) : RevealMode.BANK;
    String channel = args.length > 2 ? args[2] : "two-process";
    String ecdh = args.length > 3 ? args[3] : "none";
    int repeat = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    int n = 1 << log2;
    PsiWorkload w = PsiWorkload.of(n, n / 2);
    int cores = Runtime.getRuntime().availableProcessors();
    VolePsiParameters params = voleParams(mode);
    System.out.printf(
        Locale.ROOT, "vole-psi items_per_side=%d shared=%d mode=%s channel=%s cores=%d%n", n, n / 2, mode, channel, cores);
    List<Double> voleSeconds = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      Result v =
          switch (channel) {
            case "memory" -> inOneJvm(w, params, cores, false);
            case "grpc-tls" -> inOneJvm(w, params, cores, true);
            case "two-process" -> twoProcesses(log2, mode, cores, w);
            default -> throw new IllegalArgumentException("channel must be two-process, grpc-tls or memory");
          };
      report("vole", r, v, n);
      if (v.bank.intersectionSize().orElse(-1) != n / 2) {
        throw new IllegalStateException("wrong intersection size: " + v.bank.intersectionSize());
      }
      voleSeconds.add(v.seconds);
    }
    double median = median(voleSeconds);
    System.out.printf(Locale.ROOT, "vole median_wall_seconds=%.3f over %d runs%n", median, voleSeconds.size());
    if (!ecdh.equals("none")) {
      EcdhPsiParameters e =
          EcdhPsiParameters.preset(SuiteId.fromName(ecdh)).toBuilder()
              .profile(IdentifierProfile.PHONE)
              .revealMode(mode == RevealMode.BOTH ? RevealMode.BOTH : RevealMode.BANK)
              .batchSize(EcdhPsiParameters.MAX_BATCH_SIZE / 4)
              .receiveTimeout(Duration.ofMinutes(30))
              .build();
      ExecutorService bankPool = Executors.newFixedThreadPool(cores);
      ExecutorService partnerPool = Executors.newFixedThreadPool(cores);
      try {
        EcdhPsi bank = new EcdhPsi(PsiRole.BANK, e, bankPool, cores);
        EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, e, partnerPool, cores);
        long start = System.nanoTime();
        PsiRun.Outcome o = PsiRun.run(PsiRun.Channel.GRPC_TLS, bank, partner, w.bank, w.partner);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "ecdh suite=%s (both parties in this JVM, loopback mutual TLS) wall_seconds=%.1f bytes_per_item_one_set=%.2f%n",
            ecdh,
            seconds,
            (double) o.bank().traffic().totalBytes() / n);
        System.out.printf(Locale.ROOT, "ratio ecdh/vole (median vole run) = %.1f%n", seconds / median);
      } finally {
        bankPool.shutdownNow();
        partnerPool.shutdownNow();
      }
    }
  }

  static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  static VolePsiParameters voleParams(RevealMode mode) {
    return VolePsiParameters.DEFAULT.toBuilder()
        .profile(IdentifierProfile.PHONE)
        .revealMode(mode)
        .receiveTimeout(Duration.ofMinutes(30))
        .build();
  }

  private record Result(PsiResult bank, double seconds, double partnerSeconds, long wireBytes) {}

  private static void report(String label, int run, Result v, int n) {
    System.out.printf(
        Locale.ROOT,
        "%s run=%d wall_seconds=%.3f partner_seconds=%.3f found=%d bytes_total=%d bytes_per_item_one_set=%.2f%s%n",
        label,
        run,
        v.seconds,
        v.partnerSeconds,
        v.bank.intersectionSize().orElse(-1),
        v.bank.traffic().totalBytes(),
        (double) v.bank.traffic().totalBytes() / n,
        v.wireBytes > 0 ? String.format(Locale.ROOT, " wire_bytes_per_item_one_set=%.2f", (double) v.wireBytes / n) : "");
  }

  private static Result inOneJvm(PsiWorkload w, VolePsiParameters params, int cores, boolean tls) throws Exception {
    ExecutorService bankPool = Executors.newFixedThreadPool(cores);
    ExecutorService partnerPool = Executors.newFixedThreadPool(cores);
    try {
      VolePsi bank = new VolePsi(PsiRole.BANK, params, bankPool, cores);
      VolePsi partner = new VolePsi(PsiRole.PARTNER, params, partnerPool, cores);
      PreparedInput b = bank.prepare(PsiInput.ofColumn(w.bank));
      PreparedInput p = partner.prepare(PsiInput.ofColumn(w.partner));
      if (!tls) {
        long cpu0 = processCpuNanos();
        var o = TwoPartyRun.run(InMemoryChannel.pair("bench", "bank", "partner"), ch -> bank.run(b, ch), ch -> partner.run(p, ch), Duration.ofHours(1));
        System.out.printf(
            Locale.ROOT, "process_cpu_seconds (both parties, GC and JIT included)=%.3f%n", (processCpuNanos() - cpu0) / 1e9);
        return new Result(o.first().value(), seconds(o.first().value()), seconds(o.second().value()), 0);
      }
      try (LoopbackTransport loop = LoopbackTransport.mutualTls("bench", "bank", "partner", TransportOptions.DEFAULTS)) {
        var o = TwoPartyRun.run(loop.pair(), ch -> bank.run(b, ch), ch -> partner.run(p, ch), Duration.ofHours(1));
        return new Result(o.first().value(), seconds(o.first().value()), seconds(o.second().value()), loop.listening().wireStats().totalBytes());
      }
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  /** CPU time of this process so far: every thread's, GC and JIT included. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double seconds(PsiResult r) {
    return r.elapsed().toNanos() / 1e9;
  }

  /** The bank here, the partner in a child JVM, mutual TLS over 127.0.0.1. */
  private static Result twoProcesses(int log2, RevealMode mode, int cores, PsiWorkload w) throws Exception {
    Path dir = Files.createTempDirectory("vole-bench-tls");
    ThrowawayCa.create(Duration.ofDays(1)).writeFiles(dir, List.of("bank", "partner"));
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    String session = "bench-" + System.nanoTime();
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(PartyCredentials.fromPemDirectory(dir, "bank")),
            Set.of("partner"),
            TransportOptions.DEFAULTS)) {
      int port = ((Endpoint.Tcp) server.endpoint()).port();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("-Xm") || a.startsWith("-XX:")) {
          cmd.add(a);
        }
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              VolePsiScale.class.getName(),
              "partner-process",
              dir.toString(),
              Integer.toString(port),
              Integer.toString(log2),
              mode.displayName(),
              session));
      Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      VolePsi bank = new VolePsi(PsiRole.BANK, voleParams(mode), pool, cores);
      PreparedInput b = bank.prepare(PsiInput.ofColumn(w.bank));
      PsiResult result;
      try (TransportChannel ch = server.accept(session, "partner", Duration.ofMinutes(2))) {
        result = bank.run(b, ch);
        double partnerSeconds = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("partner_seconds=")) {
              partnerSeconds = Double.parseDouble(line.substring("partner_seconds=".length()));
            } else {
              System.out.println("partner: " + line);
            }
          }
        }
        if (child.waitFor() != 0) {
          throw new IllegalStateException("the partner process failed");
        }
        return new Result(result, seconds(result), partnerSeconds, ch.wireStats().totalBytes());
      }
    } finally {
      pool.shutdownNow();
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static void partnerProcess(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    int n = 1 << Integer.parseInt(args[3]);
    RevealMode mode = RevealMode.fromName(args[4]);
    String session = args[5];
    int cores = Runtime.getRuntime().availableProcessors();
    PsiWorkload w = PsiWorkload.of(n, n / 2);
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      VolePsi partner = new VolePsi(PsiRole.PARTNER, voleParams(mode), pool, cores);
      PreparedInput p = partner.prepare(PsiInput.ofColumn(w.partner));
      try (MessageChannel ch =
          GrpcTransport.connect(
              Endpoint.loopback(port),
              TransportSecurity.mutualTls(PartyCredentials.fromPemDirectory(dir, "partner")),
              session,
              "bank",
              TransportOptions.DEFAULTS)) {
        PsiResult r = partner.run(p, ch);
        System.out.printf(Locale.ROOT, "partner_seconds=%.3f%n", r.elapsed().toNanos() / 1e9);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
