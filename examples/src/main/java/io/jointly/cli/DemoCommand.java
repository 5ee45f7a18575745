package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.DATA;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.HelpLayout.In;
import io.jointly.lr.TrainingMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jointly demo}: the whole two-party flow on freshly generated data, both parties in this
 * process but talking only through loopback mutual TLS, each through the same {@code psi} command an
 * operator would run. Steps: data, certificates, PSI in {@code both} mode, federated statistics by
 * bank segment, federated training and scoring, the campaign list, reports.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole two-party flow on synthetic data, on this machine.",
      "Generates files for a bank and an e-commerce partner, makes a throwaway CA, and runs psi,"
          + " stats, train and score between the two over loopback mutual TLS, each step through the"
          + " same command an operator runs. Writes to --out the reports (report.html among them),"
          + " both parties' models and the campaign list, the top decile of the scores."
    },
    customSynopsis = "jointly demo [OPTIONS]",
    footerHeading = "%nExamples:%n",
    footer = {
      "  jointly demo",
      "  # faster: fewer customers, and the mode that shows the bank partial scores",
      "  jointly demo --customers 5000 --mode aggregated-scores --out out/fast"
    })
final class DemoCommand implements Callable<Integer> {
  @In(OUTPUT)
  @Option(
      names = "--out",
      defaultValue = "out/demo",
      paramLabel = "DIR",
      description = "The directory for every file the demo writes (default ${DEFAULT-VALUE}).")
  Path out;

  @In(DATA)
  @Option(
      names = "--customers",
      defaultValue = "20000",
      paramLabel = "N",
      description = "The bank's number of customers, at least 500 (default ${DEFAULT-VALUE}).")
  int customers;

  @In(DATA)
  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "The seed of the data and of the training split (default ${DEFAULT-VALUE}).")
  long seed;

  @In(OUTPUT)
  @Option(
      names = "--quiet",
      order = HelpLayout.LAST,
      description = "Print only the final summary.")
  boolean quiet;

  @In(PROTOCOL)
  @Option(
      names = "--mode",
      defaultValue = "secret-shared",
      paramLabel = "MODE",
      description = "The training mode: secret-shared or aggregated-scores (default ${DEFAULT-VALUE}).")
  String mode;

  /** The fewest bank customers for which every step has enough rows (PSI's peer-set minimum, a holdout). */
  static final int MIN_CUSTOMERS = 500;

  @Override
  public Integer call() throws Exception {
    if (customers < MIN_CUSTOMERS) {
      throw AlignedCommand.usage("--customers must be at least " + MIN_CUSTOMERS + " for the demo's steps to have enough rows");
    }
    long start = System.nanoTime();
    TrainingMode trainingMode = TrainCommand.parseMode(mode);
    mode = trainingMode.displayName();
    Path data = out.resolve("data");
    Path tls = out.resolve("tls");
    step("1/6 synthetic data: " + customers + " bank customers, 40 % known to the partner");
    expectOk(Main.run(args("gen-data", "--out", data, "--customers", customers, "--seed", seed), quiet ? sink() : stdout(), err()), "gen-data");
    step("2/6 throwaway CA and certificates for bank and partner");
    // The demo's CA is its own and throwaway: make a fresh one each run.
    for (String f : new String[] {"ca.crt", "bank.crt", "bank.key", "partner.crt", "partner.key"}) {
      java.nio.file.Files.deleteIfExists(tls.resolve(f));
    }
    expectOk(Main.run(args("tls-init", "--out", tls, "--parties", "bank,partner"), quiet ? sink() : stdout(), err()), "tls-init");

    step("3/6 private set intersection over loopback mutual TLS (both learn their shared rows)");
    int port = freePort();
    runParties(
        "psi",
        psiArgs("bank", "--listen", "127.0.0.1:" + port, data.resolve("bank.csv"), "mobile"),
        psiArgs("partner", "--connect", "127.0.0.1:" + port, data.resolve("partner.csv"), "phone"));

    step("4/6 federated statistics by bank segment (the bank never sees a customer's partner data)");
    int statsPort = freePort();
    runParties(
        "stats",
        statsArgs(
            "bank", "--listen", "127.0.0.1:" + statsPort, data.resolve("bank.csv"), "mobile",
            "--group-by", "lifecycle_stage",
            "--output", out.resolve("bank-segments.csv").toString()),
        statsArgs(
            "partner", "--connect", "127.0.0.1:" + statsPort, data.resolve("partner.csv"), "phone",
            "--values", "order_frequency,travel_frequency,spend_band,category_pref",
            "--bound", "order_frequency=60",
            "--bound", "travel_frequency=24"));

    step("5/6 federated training (mode " + mode + "): bank labels + both parties' features");
    int trainPort = freePort();
    runParties(
        "train",
        lrArgs(
            "train", "bank", "--listen", "127.0.0.1:" + trainPort, data.resolve("bank.csv"), "mobile",
            "--label", "responded", "--exclude", "customer_no", "--epochs", "8", "--seed", Long.toString(seed),
            "--model-out", out.resolve("model-bank").toString(),
            "--report", out.resolve("bank-train.json").toString(),
            "--html", out.resolve("model.html").toString()),
        lrArgs(
            "train", "partner", "--connect", "127.0.0.1:" + trainPort, data.resolve("partner.csv"), "phone",
            "--exclude", "member_id",
            "--model-out", out.resolve("model-partner").toString(),
            "--report", out.resolve("partner-train.json").toString()));

    step("6/6 federated scoring of the shared customers; the top decile is the campaign list");
    int scorePort = freePort();
    runParties(
        "score",
        lrArgs(
            "score", "bank", "--listen", "127.0.0.1:" + scorePort, data.resolve("bank.csv"), "mobile",
            "--model", out.resolve("model-bank").toString(),
            "--output", out.resolve("bank-scores.csv").toString(),
            "--output-id", "customer_no",
            "--report", out.resolve("bank-score.json").toString()),
        lrArgs(
            "score", "partner", "--connect", "127.0.0.1:" + scorePort, data.resolve("partner.csv"), "phone",
            "--model", out.resolve("model-partner").toString()));
    int campaign = writeCampaign(out.resolve("bank-scores.csv"), out.resolve("campaign.csv"));

    ObjectMapper mapper = new ObjectMapper();
    TypeReference<Map<String, Object>> type = new TypeReference<>() {};
    Map<String, Object> bankReport = mapper.readValue(out.resolve("bank-psi.json").toFile(), type);
    Map<String, Object> partnerReport = mapper.readValue(out.resolve("partner-psi.json").toFile(), type);
    Map<String, Object> statsReport = mapper.readValue(out.resolve("bank-stats.json").toFile(), type);
    Map<String, Object> trainReport = mapper.readValue(out.resolve("bank-train.json").toFile(), type);
    Map<String, Object> scoreReport = mapper.readValue(out.resolve("bank-score.json").toFile(), type);
    String html =
        HtmlReport.render(
            "Demo: a bank and an e-commerce partner find their shared customers for a credit-card "
                + "campaign without exchanging customer lists. 演示：银行与电商合作方在不交换客户名单的"
                + "前提下找出共同客户。",
            bankReport,
            partnerReport,
            statsReport,
            trainReport,
            scoreReport);
    Path report = out.resolve("report.html");
    AtomicOutput.write(report, w -> w.write(html));
    System.out.printf(
        Locale.ROOT,
        "%nshared customers: %,d of the bank's %,d (partner has %,d)%n"
            + "bank sent %,d bytes, received %,d bytes over all steps; total %.1f s%n"
            + "segments: %d (%d released)%n"
            + "model: %s%n"
            + "campaign list: %,d customers (top decile) in %s%n"
            + "outputs: %s, %s, %s, %s%n"
            + "reports: %s, %s, %s, %s, %s, %s%n",
        ((Number) bankReport.get("intersection_size")).longValue(),
        ((Number) bankReport.get("own_size")).longValue(),
        ((Number) partnerReport.get("own_size")).longValue(),
        bytes("bytes_sent", bankReport, statsReport, trainReport, scoreReport),
        bytes("bytes_received", bankReport, statsReport, trainReport, scoreReport),
        (System.nanoTime() - start) / 1e9,
        ((java.util.List<?>) statsReport.get("segments")).size(),
        ((java.util.List<?>) statsReport.get("segments"))
            .stream().filter(x -> !Boolean.TRUE.equals(((Map<?, ?>) x).get("suppressed"))).count(),
        modelLine(trainReport),
        campaign,
        out.resolve("campaign.csv"),
        out.resolve("bank-shared.csv"),
        out.resolve("partner-shared.csv"),
        out.resolve("bank-segments.csv"),
        out.resolve("bank-scores.csv"),
        out.resolve("bank-psi.json"),
        out.resolve("partner-psi.json"),
        out.resolve("bank-stats.json"),
        out.resolve("bank-train.json"),
        out.resolve("bank-score.json"),
        report);
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static String modelLine(Map<String, Object> train) {
    Object ev = train.get("evaluation");
    if (!(ev instanceof Map)) {
      return "trained (holdout too small to evaluate)";
    }
    Map<String, Object> joint = (Map<String, Object>) ((Map<String, Object>) ev).get("joint");
    Map<String, Object> bank = (Map<String, Object>) ((Map<String, Object>) ev).get("bank_only");
    return String.format(
        Locale.ROOT,
        "holdout AUC %.3f with the partner's data vs %.3f bank-only; top-decile lift %.2f vs %.2f",
        ((Number) joint.get("auc")).doubleValue(),
        ((Number) bank.get("auc")).doubleValue(),
        ((Number) joint.get("top_decile_lift")).doubleValue(),
        ((Number) bank.get("top_decile_lift")).doubleValue());
  }

  /** The top decile of the ranked scores as the campaign list; returns its size. */
  private static int writeCampaign(Path scores, Path campaign) throws IOException, CliException {
    CsvTable t = CsvTable.read(scores, (char) 0);
    int n = Math.max(1, (int) Math.ceil(t.rowCount() / 10.0));
    AtomicOutput.write(
        campaign,
        w -> {
          w.write("rank,id,score\n");
          for (int i = 0; i < Math.min(n, t.rowCount()); i++) {
            String[] r = t.row(i);
            w.write((i + 1) + "," + CsvTable.quote(r[0], ',') + "," + r[1] + "\n");
          }
        });
    return Math.min(n, t.rowCount());
  }

  private String[] lrArgs(String command, String role, String how, String where, Path input, String column, String... extra) {
    List<String> a = partyArgs(command, role, how, where, input, column, "300s", "demo-" + command);
    a.addAll(List.of("--mode", mode));
    if (command.equals("train") && mode.equals(TrainingMode.SECRET_SHARED.displayName())) {
      // Both parties agree to show the bank the loss per epoch (the report's history).
      a.add("--epoch-loss");
    }
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  /** What every two-party step of the demo passes: role, connection, TLS, input, identifiers, and --quiet but at a non-quiet bank. */
  private List<String> partyArgs(
      String command, String role, String how, String where, Path input, String column, String timeout, String session) {
    List<String> a =
        new ArrayList<>(
            List.of(
                command,
                "--role", role,
                how, where,
                "--tls", out.resolve("tls").toString(),
                "--input", input.toString(),
                "--id", column,
                "--normalize", "phone",
                "--timeout", timeout,
                "--session", session));
    if (quiet || !role.equals("bank")) {
      a.add("--quiet"); // the bank's progress is shown: one display is enough
    }
    return a;
  }

  /** Runs the bank's and the partner's command concurrently; both must exit 0. */
  private void runParties(String name, String[] bankArgs, String[] partnerArgs) throws Exception {
    ExecutorService parties = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> bank = parties.submit(() -> Main.run(bankArgs, sink(), err()));
      Future<Integer> partner = parties.submit(() -> Main.run(partnerArgs, sink(), err()));
      expectOk(bank.get(10, TimeUnit.MINUTES), name + " (bank)");
      expectOk(partner.get(10, TimeUnit.MINUTES), name + " (partner)");
    } finally {
      parties.shutdownNow();
    }
  }

  private String[] statsArgs(String role, String how, String where, Path input, String column, String... extra) {
    List<String> a = partyArgs("stats", role, how, where, input, column, "120s", "demo-stats");
    a.addAll(List.of("--report", out.resolve(role + "-stats.json").toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private String[] psiArgs(String role, String how, String where, Path input, String column) {
    List<String> a = partyArgs("psi", role, how, where, input, column, "60s", "demo");
    a.addAll(
        List.of(
            "--reveal", "both",
            "--output", out.resolve(role + "-shared.csv").toString(),
            "--report", out.resolve(role + "-psi.json").toString()));
    return a.toArray(String[]::new);
  }

  private static String[] args(Object... parts) {
    return java.util.Arrays.stream(parts).map(String::valueOf).toArray(String[]::new);
  }

  private void step(String s) {
    if (!quiet) {
      System.err.println("demo: " + s);
    }
  }

  private static PrintWriter sink() {
    return new PrintWriter(new StringWriter());
  }

  @SafeVarargs
  private static long bytes(String key, Map<String, Object>... reports) {
    long sum = 0;
    for (Map<String, Object> r : reports) {
      sum += ((Number) r.get(key)).longValue();
    }
    return sum;
  }

  private static PrintWriter stdout() {
    return new PrintWriter(System.out, true);
  }

  private static PrintWriter err() {
    return new PrintWriter(System.err, true);
  }

  private static void expectOk(int code, String step) throws CliException {
    if (code != 0) {
      throw new CliException(code, "demo: step '" + step + "' failed (exit " + code + ")");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
