package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.LIMITS;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;

import io.jointly.cli.HelpLayout.In;
import io.jointly.core.InputException;
import io.jointly.psi.unbalanced.BudgetLedger;
import io.jointly.psi.unbalanced.OprfServer;
import io.jointly.psi.unbalanced.OprfServerListener;
import io.jointly.psi.unbalanced.OprfServerParameters;
import io.jointly.psi.unbalanced.OprfServerStore;
import io.jointly.psi.unbalanced.Purpose;
import io.jointly.psi.unbalanced.QueryBudgets;
import io.jointly.transport.Endpoint;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.SessionService;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.TransportServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jointly serve}: the partner's long-running OPRF service. It holds the OPRF key of a
 * state directory made by {@code jointly oprf encode} and, over mutual TLS, evaluates blinded
 * elements for the clients it names — membership checks one at a time and unbalanced PSI runs in
 * batches — within each client's daily budget per purpose, and hands out the cache and its deltas.
 * Runs until stopped (SIGTERM or Ctrl-C), then records the exact counts.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the partner's encoded set: checks and unbalanced PSI runs.",
      "The partner's long-running service. It holds the OPRF key of a state directory made by"
          + " 'jointly oprf encode' and, over mutual TLS, evaluates blinded identifiers for the clients"
          + " named in --clients: membership checks one at a time ('jointly oprf check') and whole"
          + " lists ('jointly psi --protocol oprf'); it also hands out the encoded set and its deltas"
          + " ('jointly oprf fetch'). It learns how many identifiers a client asked about, never which.",
      "Each client has a daily budget of evaluations per purpose (--budget PURPOSE=N, and"
          + " --client-budget CLIENT:PURPOSE=N for one client); a check or run beyond it is refused"
          + " until midnight UTC. The counts survive a restart (--ledger). The log counts evaluations"
          + " per client and purpose, never what was asked. Stop it with SIGTERM or Ctrl-C."
    },
    customSynopsis = {
      "jointly serve --state DIR --listen HOST:PORT (--tls DIR | --insecure)",
      "              --clients NAMES --budget PURPOSE=N",
      "              (--key-passphrase-env VAR | --key-file FILE) [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # the partner, after 'jointly oprf encode --state state ...'",
      "  jointly serve --state state --listen 0.0.0.0:9450 --tls tls \\",
      "      --clients bank,bank-app --budget card-application=10000 \\",
      "      --budget weekly-campaign=20000000 --key-passphrase-env OPRF_KEY_PASSPHRASE"
    })
final class ServeCommand implements Callable<Integer> {
  @In(INPUT)
  @Option(names = "--state", required = true, paramLabel = "DIR", description = "The state directory of 'jointly oprf encode': the sealed key and the encoded set.")
  Path state;

  @In(CONNECTION)
  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Listen on this address.")
  String listen;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ConnectionOptions.Security security;

  @In(CONNECTION)
  @Option(names = "--name", defaultValue = "partner", paramLabel = "NAME", description = "This party's name in its certificate (default ${DEFAULT-VALUE}).")
  String name;

  @In(CONNECTION)
  @Option(names = "--clients", required = true, split = ",", paramLabel = "NAMES", description = "The clients that may connect: their names in their certificates, separated by commas.")
  List<String> clients;

  @In(LIMITS)
  @Option(
      names = "--budget",
      required = true,
      paramLabel = "PURPOSE=N",
      description = "Each client's daily evaluations for a purpose; repeat for each purpose served (a purpose without one is refused).")
  List<String> budgets;

  @In(LIMITS)
  @Option(names = "--client-budget", paramLabel = "CLIENT:PURPOSE=N", description = "One client's own daily limit for a purpose, instead of --budget's.")
  List<String> clientBudgets = List.of();

  @In(OUTPUT)
  @Option(names = "--ledger", paramLabel = "FILE", description = "Where the budget counts are kept (default: budget.ledger in the state directory).")
  Path ledgerFile;

  @Mixin KeySealingOptions sealing = new KeySealingOptions();

  @In(LIMITS)
  @Option(names = "--max-sessions", defaultValue = "256", paramLabel = "N", description = "Sessions served at once (default ${DEFAULT-VALUE}).")
  int maxSessions;

  @In(LIMITS)
  @Option(names = "--max-sessions-per-client", defaultValue = "64", paramLabel = "N", description = "Sessions served at once for one client (default ${DEFAULT-VALUE}).")
  int maxPerClient;

  @In(LIMITS)
  @Option(
      names = "--min-client-size",
      defaultValue = "100",
      paramLabel = "N",
      description = "Refuse unbalanced PSI runs with fewer client identifiers (default ${DEFAULT-VALUE}).")
  long minClientSize;

  @In(LIMITS)
  @Option(
      names = "--idle-timeout",
      defaultValue = "10m",
      converter = ConnectionOptions.DurationConverter.class,
      paramLabel = "DURATION",
      description = "End a membership session after this long without a check; the client reconnects (default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @In(CONNECTION)
  @Option(
      names = "--timeout",
      defaultValue = "120s",
      converter = ConnectionOptions.DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "Dead-peer bound: how long a client may give no sign of life during a run or download before its"
              + " session ends; a client busy between batches is waited for (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @In(OUTPUT)
  @Option(
      names = "--log-interval",
      defaultValue = "60s",
      converter = ConnectionOptions.DurationConverter.class,
      paramLabel = "DURATION",
      description = "How often to log the evaluations per client and purpose (default ${DEFAULT-VALUE}).")
  Duration logInterval;

  PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    // The service logs at INFO (the CLI's default level is WARN): set before any logger exists.
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.setProperty("org.slf4j.simpleLogger.log.jointly.serve", "info");
    System.setProperty("org.slf4j.simpleLogger.log.io.jointly.transport.SessionService", "info");
    Logger log = LoggerFactory.getLogger("jointly.serve");

    QueryBudgets qb = budgets();
    Set<String> peers = new HashSet<>();
    for (String c : clients) {
      if (!c.matches("[A-Za-z0-9._-]{1,64}")) {
        throw AlignedCommand.usage("--clients: '" + c + "' is not a party name (1-64 of A-Z a-z 0-9 . _ -)");
      }
      peers.add(c);
    }
    if (peers.contains(name)) {
      throw AlignedCommand.usage("--clients must not name this server (" + name + ")");
    }
    if (maxSessions < 1 || maxPerClient < 1 || maxPerClient > maxSessions) {
      throw AlignedCommand.usage("--max-sessions-per-client must be 1..--max-sessions");
    }
    OprfServerParameters params;
    try {
      params =
          OprfServerParameters.DEFAULTS
              .withMinClientSetSize(minClientSize)
              .withIdleTimeout(idleTimeout)
              .withReceiveTimeout(timeout);
    } catch (IllegalArgumentException e) {
      throw AlignedCommand.usage(e.getMessage());
    }
    OprfServerStore store = OprfServerStore.open(state, sealing.sealing());
    OprfServerStore.Snapshot now;
    try {
      now = store.current();
    } catch (InputException e) {
      throw CliException.input("--state " + state + ": " + e.getMessage());
    }
    if (!now.header().serverName().equals(name)) {
      throw CliException.input(
          "--state " + state + " holds the set of server " + now.header().serverName() + ", not of " + name);
    }
    Path ledgerPath = ledgerFile != null ? ledgerFile : state.resolve("budget.ledger");
    BudgetLedger ledger = BudgetLedger.open(ledgerPath, qb, Clock.systemUTC());
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores, daemon("jointly-oprf-eval"));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("jointly-serve-log"));
    CountLog counts = new CountLog(log);
    SessionService service = null;
    try {
      OprfServer server = new OprfServer(store, ledger, params, pool, cores).withListener(counts);
      TransportSecurity sec = ConnectionOptions.security(security, name);
      TransportOptions options = TransportOptions.DEFAULTS.toBuilder().peerTimeout(timeout).build();
      Endpoint bind = ConnectionOptions.parse(listen, "--listen");
      TransportServer ts;
      try {
        ts = GrpcTransport.listen(bind, sec, peers, options);
      } catch (IllegalArgumentException e) {
        throw AlignedCommand.usage(e.getMessage());
      }
      service = SessionService.start(ts, new SessionService.Limits(maxSessions, maxPerClient), server::serve);
      log.info("serving {} ({} items, key {}, version {}) to {} at {}; budgets {}",
          name, now.header().count(), now.header().keyId().toHex(), now.header().version(), peers, ts.endpoint(),
          describe(qb));
      err.println(name + ": serving " + now.header().count() + " items at " + ts.endpoint() + " (Ctrl-C to stop)");
      ticker.scheduleAtFixedRate(counts::flush, logInterval.toMillis(), logInterval.toMillis(), TimeUnit.MILLISECONDS);
      // SIGTERM or Ctrl-C: stop serving and write the exact counts before the JVM halts (the
      // main thread's finally below may not get to run once shutdown has begun).
      SessionService running = service;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(running, counts, ledger, log), "jointly-serve-stop"));
      running.awaitClose();
      return 0;
    } finally {
      stop(service, counts, ledger, log);
      ticker.shutdownNow();
      pool.shutdownNow();
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

  /** Stops serving, logs the last counts and writes the ledger's exact counts; once. */
  private void stop(SessionService service, CountLog counts, BudgetLedger ledger, Logger log) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (service != null) {
      service.close();
    }
    counts.flush();
    try {
      ledger.close();
      log.info("stopped; budget counts written ({})", ledger);
    } catch (java.io.IOException e) {
      log.error("the budget counts could not be written: {}", e.getMessage());
    }
  }

  private QueryBudgets budgets() throws CliException {
    Map<Purpose, Long> perPurpose = new HashMap<>();
    for (String b : budgets) {
      String[] kv = b.split("=", 2);
      if (kv.length != 2) {
        throw AlignedCommand.usage("--budget must be PURPOSE=N, got " + b);
      }
      perPurpose.put(purpose(kv[0], "--budget"), count(kv[1], "--budget"));
    }
    QueryBudgets qb = QueryBudgets.of(perPurpose);
    for (String b : clientBudgets) {
      int colon = b.indexOf(':');
      String[] kv = b.substring(Math.max(0, colon + 1)).split("=", 2);
      if (colon <= 0 || kv.length != 2) {
        throw AlignedCommand.usage("--client-budget must be CLIENT:PURPOSE=N, got " + b);
      }
      qb = qb.withClientLimit(b.substring(0, colon), purpose(kv[0], "--client-budget"), count(kv[1], "--client-budget"));
    }
    return qb;
  }

  static Purpose purpose(String name, String option) throws CliException {
    try {
      return Purpose.of(name.trim());
    } catch (IllegalArgumentException e) {
      throw AlignedCommand.usage(option + ": " + e.getMessage());
    }
  }

  private static long count(String v, String option) throws CliException {
    try {
      long n = Long.parseLong(v.trim().replace("_", ""));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw AlignedCommand.usage(option + ": the limit must be a whole number >= 0, got " + v);
    }
  }

  private static String describe(QueryBudgets qb) {
    Map<String, Long> m = new TreeMap<>();
    qb.perPurpose().forEach((p, n) -> m.put(p.name(), n));
    return m + (qb.perClient().isEmpty() ? "" : " with overrides for " + new TreeMap<>(qb.perClient()).keySet());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Logs evaluations per client and purpose: a line per interval with the counts since the last
   * one and today's totals, and a line per refusal and per session end. Names and counts only.
   */
  static final class CountLog implements OprfServerListener {
    private final Logger log;
    private final Map<String, long[]> pending = new TreeMap<>(); // "client/purpose" -> {count, usedToday, limit}

    CountLog(Logger log) {
      this.log = log;
    }

    @Override
    public synchronized void onEvaluations(String client, Purpose purpose, long count, long usedToday, long dailyLimit) {
      long[] v = pending.computeIfAbsent(client + "/" + purpose, k -> new long[3]);
      v[0] += count;
      v[1] = Math.max(v[1], usedToday);
      v[2] = dailyLimit;
    }

    @Override
    public void onSession(String client, Purpose purpose, boolean batch, String refusal) {
      if (!refusal.isEmpty()) {
        log.warn("refused a {} session of {} for {}: {}", batch ? "batch" : "membership", client, purpose, refusal);
      }
    }

    @Override
    public void onQueryRefused(String client, Purpose purpose, String why) {
      log.warn("refused a check of {} for {}: {}", client, purpose, why);
    }

    @Override
    public void onSessionEnd(String client, Purpose purpose, long evaluations, OprfServer.Ending ending) {
      log.info("{} ended a session for {}: {} evaluations ({})", client, purpose, evaluations,
          ending.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    synchronized void flush() {
      if (pending.isEmpty()) {
        return;
      }
      StringBuilder line = new StringBuilder("evaluations since the last report:");
      pending.forEach(
          (k, v) -> line.append(String.format(Locale.ROOT, " %s +%,d (today %,d of %,d);", k, v[0], v[1], v[2])));
      log.info(line.toString());
      pending.clear();
    }
  }
}
