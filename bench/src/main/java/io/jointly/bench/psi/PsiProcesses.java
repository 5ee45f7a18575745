package io.jointly.bench.psi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bank-scale ECDH PSI as an operator runs it: two {@code jointly psi} processes (the CLI jar) over
 * loopback mutual TLS, each with its own heap limit, on files of {@code 2^k} rows per side with half
 * shared. Measures wall time, each process's peak resident memory (VmHWM), the work directories'
 * peak disk (from the reports), time per stage and items per second per core, and checks the bank's
 * output: exactly the shared rows. With {@code --kill-at F} it also kills the bank (SIGKILL) when
 * its progress passes F, restarts both parties with {@code --resume}, and compares the resumed
 * run's time with what remained of the uninterrupted one.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.jointly.bench.psi.PsiProcesses LOG2 [options]
 *   --suite x25519|ristretto255|p256|sm2   (default x25519)
 *   --xmx 512m        heap limit of each party's JVM (default 512m)
 *   --memory SIZE     --memory of each party (default: the CLI's default)
 *   --batch N         --psi-batch of each party (default: the CLI's default)
 *   --threads N       --threads of each party (default: every core)
 *   --kill-at F       also run kill-and-resume, killing the bank at progress F (0..1)
 *   --dir DIR         where inputs (kept between runs), outputs and work directories go
 *   --jar FILE        the CLI jar (default examples/target/jointly.jar)
 * </pre>
 *
 * Both parties run on this machine, so they share its cores: items/s/core counts both sets' items
 * over all cores. The projection to 10^8 × 10^8 on 16 cores scales that per-core rate: ECDH PSI is
 * bound by its scalar multiplications (two per item of each set, one at each party), which grow
 * linearly with the sets and spread over cores.
 */
public final class PsiProcesses {
  private static final Pattern PERCENT = Pattern.compile("\\] +(\\d{1,3})%");

  private final Map<String, String> opts;
  private final int log2;
  private final long n;
  private final Path dir;
  private final Path jar;

  private PsiProcesses(int log2, Map<String, String> opts) {
    this.log2 = log2;
    this.n = 1L << log2;
    this.opts = opts;
    this.dir = Path.of(opts.getOrDefault("--dir", "bench/target/psi-processes")).toAbsolutePath();
    this.jar = Path.of(opts.getOrDefault("--jar", "examples/target/jointly.jar")).toAbsolutePath();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PsiProcesses LOG2 [--suite S] [--xmx 512m] [--memory SIZE] [--batch N]"
          + " [--threads N] [--kill-at F] [--dir DIR] [--jar FILE]");
      System.exit(2);
    }
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    new PsiProcesses(Integer.parseInt(args[0]), opts).run();
  }

  private void run() throws Exception {
    Files.createDirectories(dir);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build with ./mvnw -B -DskipTests package");
    }
    Path bank = dir.resolve("bank-" + log2 + ".csv");
    Path partner = dir.resolve("partner-" + log2 + ".csv");
    generate(bank, partner);
    Path tls = dir.resolve("tls");
    if (!Files.exists(tls.resolve("bank.key"))) {
      exec(List.of(java(), "-jar", jar.toString(), "tls-init", "--out", tls.toString(), "--parties", "bank,partner"));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT,
        "PsiProcesses: 2^%d x 2^%d rows (%,d shared), suite %s, -Xmx%s per party, %d cores, %s%n",
        log2, log2, n / 2, opts.getOrDefault("--suite", "x25519"), opts.getOrDefault("--xmx", "512m"), cores,
        Runtime.version());
    Run full = runPair("full", bank, partner, false, -1);
    full.print(n, cores);
    check(full);
    if (opts.containsKey("--kill-at")) {
      double at = Double.parseDouble(opts.get("--kill-at"));
      Run killed = runPair("killed", bank, partner, false, at);
      Run resumed = runPair("resumed", bank, partner, true, -1);
      check(resumed);
      double remaining = full.wallSeconds - killed.killedAtSeconds;
      System.out.printf(
          Locale.ROOT,
          "kill-and-resume: bank killed at %.0f%% of its progress, %.1f s in (uninterrupted run: %.1f s,"
              + " so %.1f s remained; the partner exited %.1f s in); resumed run (both restarted with"
              + " --resume) %.1f s = %.2f x the remaining time%n",
          100 * at, killed.killedAtSeconds, full.wallSeconds, remaining, killed.wallSeconds,
          resumed.wallSeconds, resumed.wallSeconds / remaining);
      resumed.print(n, cores);
    }
  }

  private String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Phones 13x..., the first half of each file's rows in the other file too; a `shared` column says which. */
  private void generate(Path bank, Path partner) throws IOException {
    if (Files.exists(bank) && Files.exists(partner)) {
      return;
    }
    long shared = n / 2;
    try (BufferedWriter b = Files.newBufferedWriter(bank, StandardCharsets.UTF_8);
        BufferedWriter p = Files.newBufferedWriter(partner, StandardCharsets.UTF_8)) {
      b.write("customer_no,mobile,shared\n");
      p.write("user_id,phone,shared\n");
      // rows in a scrambled order, so shared rows are spread over the files
      for (long i = 0; i < n; i++) {
        long k = permute(i);
        boolean isShared = k < shared;
        String bankPhone = phone(k);
        String partnerPhone = isShared ? phone(k) : phone(n + k);
        b.write("C" + i + "," + bankPhone + "," + (isShared ? 1 : 0) + "\n");
        p.write("U" + i + "," + partnerPhone + "," + (isShared ? 1 : 0) + "\n");
      }
    }
  }

  /** A bijection of [0, n) (an odd multiplier modulo 2^log2). */
  private long permute(long i) {
    return (i * 0x5851F42D4C957F2DL + 0x14057B7EF767814FL) & (n - 1);
  }

  /** The i-th of 2^33 distinct mainland mobile numbers: 13 and nine digits. */
  private static String phone(long i) {
    long v = 13_000_000_000L + (i * 2_654_435_761L % 5_999_999_999L);
    return Long.toString(v);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private List<String> command(String role, int port, Path input, boolean resume) {
    List<String> c = new ArrayList<>();
    c.add(java());
    c.add("-Xmx" + opts.getOrDefault("--xmx", "512m"));
    c.addAll(List.of("-jar", jar.toString(), "psi", "--role", role));
    c.addAll(role.equals("bank") ? List.of("--listen", "127.0.0.1:" + port) : List.of("--connect", "127.0.0.1:" + port));
    c.addAll(List.of(
        "--tls", dir.resolve("tls").toString(),
        "--input", input.toString(),
        "--id", role.equals("bank") ? "mobile" : "phone",
        "--normalize", "phone",
        "--suite", opts.getOrDefault("--suite", "x25519"),
        "--timeout", "10m",
        "--work-dir", dir.resolve("work").toString(),
        "--report", dir.resolve("out/" + role + ".json").toString()));
    if (role.equals("bank")) {
      c.addAll(List.of("--output", dir.resolve("out/bank-shared.csv").toString()));
    }
    for (String o : new String[] {"--memory", "--threads"}) {
      if (opts.containsKey(o)) {
        c.addAll(List.of(o, opts.get(o)));
      }
    }
    if (opts.containsKey("--batch")) {
      c.addAll(List.of("--psi-batch", opts.get("--batch")));
    }
    if (resume) {
      c.add("--resume");
    }
    return c;
  }

  /** One two-process run and what it measured. */
  private static final class Run {
    final String name;
    double wallSeconds;
    double killedAtSeconds = -1;
    final Map<String, Long> peakRss = new LinkedHashMap<>();
    final Map<String, Integer> exit = new LinkedHashMap<>();
    final Map<String, JsonNode> reports = new LinkedHashMap<>();

    Run(String name) {
      this.name = name;
    }

    void print(long n, int cores) {
      double items = 2.0 * n;
      System.out.printf(
          Locale.ROOT,
          "[%s] wall %.1f s; items/s %.0f; items/s/core %.0f (both sets over %d cores)%n",
          name, wallSeconds, items / wallSeconds, items / wallSeconds / cores, cores);
      for (String role : List.of("bank", "partner")) {
        JsonNode r = reports.get(role);
        System.out.printf(
            Locale.ROOT,
            "[%s] %s: exit %d, peak RSS %d MiB, peak heap %s MiB (live after GC %s MiB), peak work dir %s MiB,"
                + " stages %s%n",
            name, role, exit.get(role), peakRss.getOrDefault(role, 0L) >> 20,
            r == null ? "?" : r.get("peak_heap_bytes").asLong() >> 20,
            r == null ? "?" : r.get("peak_live_heap_bytes").asLong() >> 20,
            r == null ? "?" : r.get("peak_work_dir_bytes").asLong() >> 20,
            r == null ? "?" : r.get("stage_seconds"));
      }
      double perCore = items / wallSeconds / cores;
      double projected = 2e8 / (perCore * 16);
      System.out.printf(
          Locale.ROOT,
          "[%s] projection: 10^8 x 10^8 on 16 cores at %.0f items/s/core = %.0f s (%.1f h)%n",
          name, perCore, projected, projected / 3600);
    }
  }

  private Run runPair(String name, Path bank, Path partner, boolean resume, double killAt) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    if (!resume) {
      deleteTree(dir.resolve("work"));
    }
    Files.deleteIfExists(dir.resolve("out/bank-shared.csv"));
    int port = freePort();
    Run run = new Run(name);
    Path bankLog = dir.resolve("out/" + name + "-bank.log");
    Path partnerLog = dir.resolve("out/" + name + "-partner.log");
    long start = System.nanoTime();
    Process b = new ProcessBuilder(command("bank", port, bank, resume)).redirectErrorStream(true).redirectOutput(bankLog.toFile()).start();
    Thread.sleep(300);
    Process p = new ProcessBuilder(command("partner", port, partner, resume)).redirectErrorStream(true).redirectOutput(partnerLog.toFile()).start();
    boolean killed = false;
    while (b.isAlive() || p.isAlive()) {
      sampleRss(run, "bank", b);
      sampleRss(run, "partner", p);
      if (killAt >= 0 && !killed && b.isAlive() && progress(bankLog) >= 100 * killAt) {
        b.destroyForcibly();
        killed = true;
        run.killedAtSeconds = (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(200);
    }
    run.wallSeconds = (System.nanoTime() - start) / 1e9;
    run.exit.put("bank", b.waitFor());
    run.exit.put("partner", p.waitFor());
    if (killAt < 0) {
      for (String role : List.of("bank", "partner")) {
        Path rep = dir.resolve("out/" + role + ".json");
        if (Files.exists(rep)) {
          run.reports.put(role, new ObjectMapper().readTree(rep.toFile()));
        }
      }
    } else {
      System.out.printf(
          Locale.ROOT, "[%s] bank killed; bank exit %d, partner exit %d after %.1f s%n",
          name, run.exit.get("bank"), run.exit.get("partner"), run.wallSeconds);
    }
    return run;
  }

  private static void sampleRss(Run run, String role, Process proc) {
    if (!proc.isAlive()) {
      return;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + proc.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          run.peakRss.merge(role, kb << 10, Math::max);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just ended, or there is no /proc: no sample
    }
  }

  private static int progress(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    Matcher m = PERCENT.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  /** The bank's output must be the header and exactly the shared rows. */
  private void check(Run run) throws IOException {
    if (run.exit.get("bank") != 0 || run.exit.get("partner") != 0) {
      throw new IllegalStateException("[" + run.name + "] a party failed: " + run.exit + "; see " + dir.resolve("out"));
    }
    long rows = 0;
    try (Stream<String> lines = Files.lines(dir.resolve("out/bank-shared.csv"))) {
      for (String line : (Iterable<String>) lines.skip(1)::iterator) {
        if (!line.endsWith(",1")) {
          throw new IllegalStateException("[" + run.name + "] the output holds a row that is not shared");
        }
        rows++;
      }
    }
    long found = run.reports.get("bank").get("intersection_size").asLong();
    if (rows != n / 2 || found != n / 2) {
      throw new IllegalStateException("[" + run.name + "] expected " + n / 2 + " shared rows, got " + rows + " / " + found);
    }
    System.out.printf(Locale.ROOT, "[%s] exact intersection: %,d shared rows, every one marked shared%n", run.name, rows);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted((a, c) -> c.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  private static void exec(List<String> command) throws IOException, InterruptedException {
    Process proc = new ProcessBuilder(command).inheritIO().start();
    if (!proc.waitFor(5, TimeUnit.MINUTES) || proc.exitValue() != 0) {
      throw new IllegalStateException("failed: " + command);
    }
  }
}
