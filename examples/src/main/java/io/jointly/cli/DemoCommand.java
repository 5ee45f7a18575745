package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.DATA;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

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
    step("1/7 synthetic data: " + customers + " bank customers, 40 % known to the partner");
    expectOk(Main.run(args("gen-data", "--out", data, "--customers", customers, "--seed", seed), quiet ? sink() : stdout(), err()), "gen-data");
    step("2/7 throwaway CA and certificates for bank and partner; each party's usage policy, a fresh audit log each");
    // The demo's CA is its own and throwaway: make a fresh one each run.
    for (String f : new String[] {"ca.crt", "bank.crt", "bank.key", "partner.crt", "partner.key"}) {
      java.nio.file.Files.deleteIfExists(tls.resolve(f));
    }
    expectOk(Main.run(args("tls-init", "--out", tls, "--parties", "bank,partner"), quiet ? sink() : stdout(), err()), "tls-init");
    // The logs hold receipts signed under the throwaway CA: they start afresh with it.
    for (String role : new String[] {"bank", "partner"}) {
      java.nio.file.Files.deleteIfExists(auditLog(role));
      writePolicy(role);
    }

    step("3/7 private set intersection over loopback mutual TLS (both learn their shared rows)");
    int port = freePort();
    runParties(
        "psi",
        psiArgs("bank", "--listen", "127.0.0.1:" + port, data.resolve("bank.csv"), "mobile"),
        psiArgs("partner", "--connect", "127.0.0.1:" + port, data.resolve("partner.csv"), "phone"));

    step("4/7 federated statistics by bank segment (the bank never sees a customer's partner data)");
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

    step("5/7 federated training (mode " + mode + "): bank labels + both parties' features");
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

    step("6/7 federated scoring of the shared customers; the top decile is the campaign list");
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

    step("7/7 audit: each party's log of signed receipts verified against the CA, and the bank's summarised");
    for (String role : new String[] {"bank", "partner"}) {
      expectOk(
          Main.run(args("audit", "verify", auditLog(role), "--ca", tls.resolve("ca.crt")), quiet ? sink() : stdout(), err()),
          "audit verify (" + role + ")");
    }
    expectOk(
        Main.run(
            args("audit", "report", auditLog("bank"), "--ca", tls.resolve("ca.crt"), "--output", out.resolve("bank-audit.html")),
            quiet ? sink() : stdout(),
            err()),
        "audit report");

    PsiReport bankReport = Json.readReport(out.resolve("bank-psi.json"), PsiReport.class);
    PsiReport partnerReport = Json.readReport(out.resolve("partner-psi.json"), PsiReport.class);
    StatsReport.Bank statsReport = Json.readReport(out.resolve("bank-stats.json"), StatsReport.Bank.class);
    TrainReport.Bank trainReport = Json.readReport(out.resolve("bank-train.json"), TrainReport.Bank.class);
    ScoreReport scoreReport = Json.readReport(out.resolve("bank-score.json"), ScoreReport.class);
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
    long receipts = AuditCommand.read(auditLog("bank")).size();
    System.out.printf(
        Locale.ROOT,
        "%nshared customers: %,d of the bank's %,d (partner has %,d)%n"
            + "bank sent %,d bytes, received %,d bytes over all steps; total %.1f s%n"
            + "segments: %d (%d released)%n"
            + "model: %s%n"
            + "campaign list: %,d customers (top decile) in %s%n"
            + "purpose: %s; %d receipts signed by both parties in each party's audit log, verified%n"
            + "outputs: %s, %s, %s, %s%n"
            + "reports: %s, %s, %s, %s, %s, %s, %s%n",
        bankReport.intersectionSize(),
        bankReport.ownSize(),
        partnerReport.ownSize(),
        bankReport.bytesSent() + statsReport.bytesSent() + trainReport.bytesSent() + scoreReport.bytesSent(),
        bankReport.bytesReceived() + statsReport.bytesReceived() + trainReport.bytesReceived() + scoreReport.bytesReceived(),
        (System.nanoTime() - start) / 1e9,
        statsReport.segments().size(),
        statsReport.released(),
        modelLine(trainReport),
        campaign,
        out.resolve("campaign.csv"),
        CAMPAIGN,
        receipts,
        out.resolve("bank-shared.csv"),
        out.resolve("partner-shared.csv"),
        out.resolve("bank-segments.csv"),
        out.resolve("bank-scores.csv"),
        out.resolve("bank-psi.json"),
        out.resolve("partner-psi.json"),
        out.resolve("bank-stats.json"),
        out.resolve("bank-train.json"),
        out.resolve("bank-score.json"),
        out.resolve("bank-audit.html"),
        report);
    return 0;
  }

  private static String modelLine(TrainReport.Bank train) {
    TrainReport.Evaluation ev = train.evaluation();
    if (ev == null) {
      return "trained (holdout too small to evaluate)";
    }
    return String.format(
        Locale.ROOT,
        "holdout AUC %.3f with the partner's data vs %.3f bank-only; top-decile lift %.2f vs %.2f",
        ev.joint().auc(),
        ev.bankOnly().auc(),
        ev.joint().topDecileLift(),
        ev.bankOnly().topDecileLift());
  }

  /** The campaign every step of the demo states as its purpose (both policies define it). */
  static final String CAMPAIGN = "cc-cross-sell-demo";

  /** This party's audit log. */
  private Path auditLog(String role) {
    return out.resolve(role + "-audit.log");
  }

  /** This party's policy file. */
  private Path policy(String role) {
    return out.resolve(role + "-policy.json");
  }

  /**
   * Writes a party's usage policy: the demo's purpose, the commands of the campaign with the other
   * party only, the guardrails the demo runs with, limits per month, valid for a year.
   */
  private void writePolicy(String role) throws IOException {
    String peer = role.equals("bank") ? "partner" : "bank";
    String json =
        String.format(
            Locale.ROOT,
            "{%n"
                + "  \"policy\": \"demo-%s-policy\",%n"
                + "  \"expires\": \"%s\",%n"
                + "  \"time_zone\": \"Asia/Shanghai\",%n"
                + "  \"purposes\": {%n"
                + "    \"%s\": {%n"
                + "      \"text\": \"Credit-card cross-sell campaign to the customers the bank and the e-commerce partner share (demo)\",%n"
                + "      \"legal_basis\": \"consent\"%n"
                + "    }%n"
                + "  },%n"
                + "  \"grants\": [%n"
                + "    {%n"
                + "      \"id\": \"campaign-with-%s\",%n"
                + "      \"peers\": [\"%s\"],%n"
                + "      \"commands\": [\"psi\", \"stats\", \"train\", \"score\"],%n"
                + "      \"purposes\": [\"%s\"],%n"
                + "      \"reveal\": [\"both\", \"bank\", \"secret-shared\", \"aggregated-scores\"],%n"
                + "      \"min_peer_set_size\": 100,%n"
                + "      \"min_cell_size\": 20,%n"
                + "      \"limits\": {\"period\": \"month\", \"max_runs\": 100, \"max_records\": 10000000}%n"
                + "    }%n"
                + "  ]%n"
                + "}%n",
            role, java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusYears(1), CAMPAIGN, peer, peer, CAMPAIGN);
    AtomicOutput.write(policy(role), w -> w.write(json));
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
                "--session", session,
                "--purpose", CAMPAIGN,
                "--policy", policy(role).toString(),
                "--audit-log", auditLog(role).toString()));
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
