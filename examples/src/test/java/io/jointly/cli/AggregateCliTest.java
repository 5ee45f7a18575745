package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly aggregate} end to end: a server and its clients through {@link Main#run} in this
 * JVM over loopback (mutual TLS from {@code jointly tls-init}, or plaintext), plus a client run as
 * its own OS process and killed after it joined. The server's table is compared with the plain
 * cell-by-cell sums computed here.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AggregateCliTest {
  private static final String[] KEYS = {"segment-a", "segment-b", "segment-c"};

  @TempDir static Path shared;

  private static Path tls;
  private static ExecutorService pool;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    tls = shared.resolve("tls");
    Result init = CliProcess.runInProcess(
        "tls-init", "--out", tls.toString(), "--parties", "aggregator,client-1,client-2,client-3,client-4");
    assertThat(init.exitCode()).as(init.describe()).isZero();
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void tearDown() {
    pool.shutdownNow();
  }

  /** Client i's figures: visits and spend per segment (exact binary fractions). */
  private static double[][] figures(int i) {
    double[][] v = new double[KEYS.length][2];
    for (int r = 0; r < KEYS.length; r++) {
      v[r][0] = 100 * i + 7 * r;
      v[r][1] = (i * 13.25 - r * 2.5) * (r % 2 == 0 ? 1 : -1);
    }
    return v;
  }

  private Path table(int i) throws IOException {
    StringBuilder sb = new StringBuilder("key,visits,spend\n");
    double[][] v = figures(i);
    for (int r = 0; r < KEYS.length; r++) {
      sb.append(KEYS[r]).append(',').append(v[r][0]).append(',').append(v[r][1]).append('\n');
    }
    Path p = work.resolve("client-" + i + ".csv");
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  private static String expected(int... clients) {
    StringBuilder sb = new StringBuilder("key,visits,spend\n");
    for (int r = 0; r < KEYS.length; r++) {
      BigDecimal visits = BigDecimal.ZERO;
      BigDecimal spend = BigDecimal.ZERO;
      for (int i : clients) {
        visits = visits.add(BigDecimal.valueOf(figures(i)[r][0]));
        spend = spend.add(BigDecimal.valueOf(figures(i)[r][1]));
      }
      sb.append(KEYS[r]).append(',').append(plain(visits)).append(',').append(plain(spend)).append('\n');
    }
    return sb.toString();
  }

  private static String plain(BigDecimal v) {
    return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
  }

  private CompletableFuture<Result> async(String... args) {
    return CompletableFuture.supplyAsync(() -> CliProcess.runInProcess(args), pool);
  }

  private CompletableFuture<Result> server(int port, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "aggregate", "--role", "server", "--listen", "127.0.0.1:" + port,
        "--output", work.resolve("sums.csv").toString(), "--report", work.resolve("report.json").toString(),
        "--phase-timeout", "20s", "--quiet"));
    args.addAll(List.of(extra));
    return async(args.toArray(String[]::new));
  }

  private CompletableFuture<Result> client(int i, int port, String... security) throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "aggregate", "--role", "client", "--name", "client-" + i, "--connect", "127.0.0.1:" + port,
        "--input", table(i).toString(), "--timeout", "60s", "--quiet"));
    args.addAll(List.of(security));
    return async(args.toArray(String[]::new));
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(work.resolve("report.json").toFile());
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aggregate_threeClientsOverMutualTls_serverWritesThePlainSums() throws Exception {
    int port = CliProcess.freePort();
    CompletableFuture<Result> server = server(port, "--clients", "3", "--tls", tls.toString());
    List<CompletableFuture<Result>> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clients.add(client(i, port, "--tls", tls.toString()));
    }
    Result s = server.get(2, TimeUnit.MINUTES);
    assertThat(s.exitCode()).as(s.describe()).isZero();
    for (CompletableFuture<Result> c : clients) {
      Result r = c.get(1, TimeUnit.MINUTES);
      assertThat(r.exitCode()).as(r.describe()).isZero();
    }
    assertThat(Files.readString(work.resolve("sums.csv"), StandardCharsets.UTF_8)).isEqualTo(expected(1, 2, 3));
    JsonNode rep = report();
    assertThat(names(rep.get("included_clients"))).containsExactly("client-1", "client-2", "client-3");
    assertThat(names(rep.get("dropped_clients"))).isEmpty();
    assertThat(rep.get("values").asInt()).isEqualTo(6);
    assertThat(rep.get("bytes_received").asLong()).isPositive();
    assertThat(rep.get("learned").asText()).contains("sum over the included clients");
    assertThat(rep.get("learned_zh").asText()).contains("总和");
    assertThat(rep.get("clients_learned_zh").asText()).contains("不获知其他客户端");
    // One receipt per client, signed by the server and that client.
    assertThat(rep.get("compliance")).hasSize(3);
    for (JsonNode c : rep.get("compliance")) {
      List<String> signers = new ArrayList<>();
      c.get("receipt").get("signatures").forEach(x -> signers.add(x.get("party").asText()));
      assertThat(signers).hasSize(2).contains("aggregator");
      assertThat(c.get("receipt").get("status").asText()).isEqualTo("completed");
    }
  }

  @Test
  void aggregate_withPurposeAndAuditLogs_eachClientHoldsTheReceiptTheServerHolds() throws Exception {
    int port = CliProcess.freePort();
    String[] purpose = {"--purpose", "branch-totals", "--purpose-text", "Monthly totals of the branches", "--legal-basis", "contract"};
    List<String> serverArgs = new ArrayList<>(List.of("--clients", "3", "--tls", tls.toString(), "--audit-log", work.resolve("server.log").toString()));
    serverArgs.addAll(List.of(purpose));
    CompletableFuture<Result> server = server(port, serverArgs.toArray(String[]::new));
    List<CompletableFuture<Result>> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      List<String> a = new ArrayList<>(List.of("--tls", tls.toString(), "--audit-log", work.resolve("client-" + i + ".log").toString()));
      a.addAll(List.of(purpose));
      clients.add(client(i, port, a.toArray(String[]::new)));
    }
    Result s = server.get(2, TimeUnit.MINUTES);
    assertThat(s.exitCode()).as(s.describe()).isZero();
    for (CompletableFuture<Result> c : clients) {
      Result r = c.get(1, TimeUnit.MINUTES);
      assertThat(r.exitCode()).as(r.describe()).isZero();
    }
    var serverLog = AuditCommand.verified(work.resolve("server.log"), AuditCommand.roots(tls.resolve("ca.crt")));
    assertThat(serverLog).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      var clientLog = AuditCommand.verified(work.resolve("client-" + i + ".log"), AuditCommand.roots(tls.resolve("ca.crt")));
      assertThat(clientLog).hasSize(1);
      assertThat(serverLog).extracting(e -> e.receipt()).contains(clientLog.get(0).receipt());
      assertThat(clientLog.get(0).receipt().body().party("client-" + i).statement().terms().purpose().orElseThrow().campaign())
          .isEqualTo("branch-totals");
    }
  }

  @Test
  void aggregate_clientNeverJoins_serverSumsTheOthersAfterTheJoinTimeout() throws Exception {
    int port = CliProcess.freePort();
    CompletableFuture<Result> server = server(
        port, "--clients", "4", "--min-clients", "3", "--join-timeout", "3s", "--insecure");
    List<CompletableFuture<Result>> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clients.add(client(i, port, "--insecure"));
    }
    Result s = server.get(2, TimeUnit.MINUTES);
    assertThat(s.exitCode()).as(s.describe()).isZero();
    for (CompletableFuture<Result> c : clients) {
      assertThat(c.get(1, TimeUnit.MINUTES).exitCode()).isZero();
    }
    assertThat(Files.readString(work.resolve("sums.csv"), StandardCharsets.UTF_8)).isEqualTo(expected(1, 2, 3));
    JsonNode rep = report();
    assertThat(names(rep.get("included_clients"))).containsExactly("client-1", "client-2", "client-3");
    assertThat(names(rep.get("dropped_clients"))).containsExactly("client-4");
    assertThat(rep.get("clients_joined").asInt()).isEqualTo(3);
  }

  @Test
  void aggregate_clientKilledAfterJoining_serverFinishesWithTheOthers() throws Exception {
    int port = CliProcess.freePort();
    CompletableFuture<Result> server = server(
        port, "--clients", "4", "--min-clients", "3", "--join-timeout", "90s", "--tls", tls.toString());
    CliProcess.Running doomed = CliProcess.start(work.resolve("logs"), "client-4", List.of(
        "aggregate", "--role", "client", "--name", "client-4", "--connect", "127.0.0.1:" + port,
        "--input", table(4).toString(), "--timeout", "60s", "--tls", tls.toString()));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!doomed.stderrSoFar().contains("joined") && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50); // polling a log file, not ordering parties
    }
    assertThat(doomed.stderrSoFar()).contains("joined");
    doomed.kill();
    List<CompletableFuture<Result>> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clients.add(client(i, port, "--tls", tls.toString()));
    }
    Result s = server.get(2, TimeUnit.MINUTES);
    assertThat(s.exitCode()).as(s.describe()).isZero();
    for (CompletableFuture<Result> c : clients) {
      assertThat(c.get(1, TimeUnit.MINUTES).exitCode()).isZero();
    }
    assertThat(Files.readString(work.resolve("sums.csv"), StandardCharsets.UTF_8)).isEqualTo(expected(1, 2, 3));
    JsonNode rep = report();
    assertThat(names(rep.get("dropped_clients"))).containsExactly("client-4");
    assertThat(rep.get("clients_joined").asInt()).isEqualTo(4);
  }

  @Test
  void aggregate_tooFewJoin_serverExitsWithPeerErrorAndWritesNothing() throws Exception {
    int port = CliProcess.freePort();
    CompletableFuture<Result> server = server(
        port, "--clients", "4", "--min-clients", "4", "--join-timeout", "2s", "--insecure");
    List<CompletableFuture<Result>> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clients.add(client(i, port, "--insecure"));
    }
    Result s = server.get(2, TimeUnit.MINUTES);
    assertThat(s.exitCode()).as(s.describe()).isEqualTo(CliException.PEER);
    assertThat(s.stderr()).contains("only 3 of 4 clients joined");
    for (CompletableFuture<Result> c : clients) {
      assertThat(c.get(1, TimeUnit.MINUTES).exitCode()).isEqualTo(CliException.PEER);
    }
    assertThat(work.resolve("sums.csv")).doesNotExist();
  }

  @Test
  void aggregate_serverWithoutClientsOption_isAUsageError() {
    Result r = CliProcess.runInProcess(
        "aggregate", "--role", "server", "--listen", "127.0.0.1:0", "--output", work.resolve("x.csv").toString(),
        "--insecure");
    assertThat(r.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(r.stderr()).contains("--clients");
  }

  @Test
  void aggregate_nonNumericCell_isAnInputErrorNamingLineAndColumn() throws IOException {
    Path bad = work.resolve("bad.csv");
    Files.writeString(bad, "key,visits\nsegment-a,12\nsegment-b,lots\n", StandardCharsets.UTF_8);
    Result r = CliProcess.runInProcess(
        "aggregate", "--role", "client", "--name", "client-1", "--connect", "127.0.0.1:1",
        "--input", bad.toString(), "--insecure");
    assertThat(r.exitCode()).isEqualTo(CliException.INPUT);
    assertThat(r.stderr()).contains("line 3, column visits").doesNotContain("lots");
  }
}
