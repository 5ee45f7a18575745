package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code jointly} the way an operator does: as its own OS process ({@code java -cp <this
 * test's class path> io.jointly.cli.Main ...}), with stdout and stderr captured to files, a hard
 * time limit, and the wall time until exit. Test support, not a test.
 */
final class CliProcess {
  /**
   * Child JVM options. The CLI's work on a few hundred rows is tiny; nearly all of a child's time
   * is JVM start-up and JIT. C1 only and the serial collector roughly halve that on a 2-core
   * machine.
   */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** How long a party may outlive its peer in {@link #runPair}; more than any short --timeout. */
  private static final Duration GRACE = Duration.ofSeconds(30);

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private CliProcess() {}

  /** What a finished run left behind. */
  record Result(String name, int exitCode, String stdout, String stderr, Duration elapsed) {
    /** For assertion messages. */
    String describe() {
      return name
          + " exited "
          + exitCode
          + " after "
          + elapsed.toMillis()
          + " ms\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }

  /** A started process. */
  static final class Running {
    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long started;

    private Running(String name, Process process, Path stdout, Path stderr, long started) {
      this.name = name;
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
      this.started = started;
    }

    /**
     * Waits until the process exits; kills it and fails the test if that takes over {@code limit}.
     */
    Result await(Duration limit) throws IOException, InterruptedException {
      boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      long ended = System.nanoTime();
      if (!exited) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Result r =
          new Result(
              name,
              exited ? process.exitValue() : -1,
              Files.readString(stdout, StandardCharsets.UTF_8),
              Files.readString(stderr, StandardCharsets.UTF_8),
              Duration.ofNanos(ended - started));
      assertThat(exited).as("%s finished within %s\n%s", name, limit, r.describe()).isTrue();
      return r;
    }

    void kill() {
      process.destroyForcibly();
    }

    /** Sends {@code signal} (for example {@code STOP}, {@code CONT}, {@code KILL}) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
      Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      assertThat(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0)
          .as("kill -%s %d", signal, process.pid())
          .isTrue();
    }

    /** Waits until the process has written {@code text} to stderr; fails if it exits first. */
    void awaitStderr(String text, Duration limit) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!stderrSoFar().contains(text)) {
        assertThat(process.isAlive())
            .as("%s still runs, waiting for '%s'; its stderr:%n%s", name, text, stderrSoFar())
            .isTrue();
        assertThat(System.nanoTime() - deadline).as("'%s' within %s", text, limit).isNegative();
        Thread.sleep(50); // polling a log file: nothing to wake us
      }
    }

    /** What the process has written to stderr so far. */
    String stderrSoFar() throws IOException {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    }
  }

  /** Starts {@code jointly args...}; its output files go to {@code logs}. */
  static Running start(Path logs, String name, List<String> args) throws IOException {
    Files.createDirectories(logs);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    int n = COUNTER.incrementAndGet();
    Path out = logs.resolve(n + "-" + name + ".stdout");
    Path err = logs.resolve(n + "-" + name + ".stderr");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    long started = System.nanoTime();
    return new Running(name, pb.start(), out, err, started);
  }

  /** Runs one process to its end. */
  static Result run(Path logs, String name, Duration limit, List<String> args)
      throws IOException, InterruptedException {
    return start(logs, name, args).await(limit);
  }

  /**
   * Runs two parties at once and waits for both. Once one has exited, the other has at most {@code
   * grace} more (a party whose peer failed should notice soon after); if either overruns, both are
   * killed and the test fails.
   */
  static List<Result> runPair(
      Path logs, List<String> bankArgs, List<String> partnerArgs, Duration limit)
      throws IOException, InterruptedException {
    Running bank = start(logs, "bank", bankArgs);
    Running partner;
    try {
      partner = start(logs, "partner", partnerArgs);
    } catch (IOException | RuntimeException e) {
      bank.kill();
      throw e;
    }
    try {
      long deadline = System.nanoTime() + limit.toNanos();
      try {
        CompletableFuture.anyOf(bank.process.onExit(), partner.process.onExit())
            .get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // neither exited in time: await() below reports it
      }
      long left = Math.max(1, Math.min(deadline - System.nanoTime(), GRACE.toNanos()));
      Result b = bank.await(Duration.ofNanos(left));
      Result p = partner.await(Duration.ofNanos(left));
      return List.of(b, p);
    } finally {
      bank.kill();
      partner.kill();
    }
  }

  /**
   * Runs {@code jointly} in this JVM (for usage errors and the demo): exit code, stdout, stderr.
   */
  static Result runInProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long started = System.nanoTime();
    int code;
    try (PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true)) {
      code = Main.run(args, o, e);
    }
    return new Result(
        "in-process " + (args.length > 0 ? args[0] : ""),
        code,
        out.toString(),
        err.toString(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** A TCP port on the loopback interface that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Fails if the process printed any of {@code secrets} (identifier values) on stdout or stderr.
   */
  static void assertPrintsNone(Result r, Collection<String> secrets) {
    for (String s : secrets) {
      assertThat(r.stderr())
          .as("%s: stderr must not contain an identifier value", r.name())
          .doesNotContain(s);
      assertThat(r.stdout())
          .as("%s: stdout must not contain an identifier value", r.name())
          .doesNotContain(s);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
