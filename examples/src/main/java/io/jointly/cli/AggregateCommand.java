package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.channel.MessageChannel;
import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Learned;
import io.jointly.compliance.RunTerms;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.secagg.SecureAggregationClient;
import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationParameters.Graph;
import io.jointly.secagg.SecureAggregationResult;
import io.jointly.secagg.SecureAggregationServer;
import io.jointly.transport.Endpoint;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.PendingSession;
import io.jointly.transport.TransportChannel;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.TransportServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jointly aggregate}: secure aggregation of several parties' tables. Every client brings a
 * table with a key column and numeric columns (the same keys and columns in the same order); the
 * server learns only the cell-by-cell sum over the clients it names as included, and writes it as
 * the same table.
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = {
      "Sum several parties' tables; no one sees another party's figures.",
      "One party runs --role server and listens. Each contributor runs --role client with its own"
          + " --name (the name in its certificate), connects, and brings its --input table: a key"
          + " column (--key) and numeric columns, the same keys and columns in the same order at"
          + " every client. The server learns only the cell-by-cell sum over the clients it names"
          + " as included, and writes it as the same table; a client that drops out is left out if"
          + " at least --min-clients remain."
    },
    customSynopsis = {
      "jointly aggregate --role server --listen HOST:PORT --clients N",
      "                         --output FILE (--tls DIR | --insecure) [OPTIONS]",
      "       jointly aggregate --role client --connect HOST:PORT --name NAME",
      "                         --input FILE (--tls DIR | --insecure) [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # the server, expecting client-1, client-2 and client-3",
      "  jointly aggregate --role server --listen 0.0.0.0:9447 --tls pki \\",
      "      --clients 3 --min-clients 2 --output sums.csv",
      "  # each client, with its own name and table",
      "  jointly aggregate --role client --name client-1 --tls pki \\",
      "      --connect hq.example.com:9447 --input figures-1.csv"
    })
final class AggregateCommand implements Callable<Integer> {
  private static final String DEFAULT_SERVER_NAME = "aggregator";
  private static final int LAYOUT_MAGIC = 0x4A414731; // "JAG1"

  @In(CONNECTION)
  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "server or client.")
  String role;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Mixin ComplianceOptions complianceOptions = new ComplianceOptions();

  @In(CONNECTION)
  @Option(
      names = "--clients",
      paramLabel = "N",
      description =
          "Server: how many clients to expect. Client: the most it accepts (default: as many as the"
              + " overflow bound allows).")
  Integer clients;

  @In(CONNECTION)
  @Option(
      names = "--client-names",
      split = ",",
      paramLabel = "NAME",
      description = "Server: the clients' names in their certificates (default client-1 to client-N).")
  List<String> clientNames;

  @In(CONNECTION)
  @Option(
      names = "--min-clients",
      paramLabel = "N",
      description =
          "Server: the fewest clients that must stay to the end (default: the threshold). Client:"
              + " the fewest it accepts (default 2).")
  Integer minClients;

  @In(CONNECTION)
  @Option(
      names = "--join-timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      converter = ConnectionOptions.DurationConverter.class,
      description = "Server: how long to wait for the clients to join (default ${DEFAULT-VALUE}).")
  Duration joinTimeout;

  @In(CONNECTION)
  @Option(
      names = "--phase-timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      converter = ConnectionOptions.DurationConverter.class,
      description = "Server: how long a client may give no sign of life, while the server waits for its message, before it counts as dropped; a busy client is waited for (default ${DEFAULT-VALUE}).")
  Duration phaseTimeout;

  @In(OUTPUT)
  @Option(names = "--output", paramLabel = "FILE", description = "Server: write the summed table here, as CSV.")
  Path output;

  @In(OUTPUT)
  @Option(
      names = "--report",
      order = HelpLayout.LATER,
      paramLabel = "FILE",
      description = "Server: write a JSON report here: clients included and dropped, sizes, traffic.")
  Path report;

  @In(INPUT)
  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "Client: this party's table, a CSV file with a header line.")
  Path input;

  @In(INPUT)
  @Option(
      names = "--key",
      defaultValue = "key",
      paramLabel = "COL",
      description = "Client: the key column (default ${DEFAULT-VALUE}).")
  String keyColumn;

  @In(INPUT)
  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "The CSV delimiter (default: detected from the header line).")
  Character delimiter;

  @In(PROTOCOL)
  @Option(
      names = "--graph",
      defaultValue = "auto",
      paramLabel = "GRAPH",
      description =
          "Which clients pair up to mask each other's values: complete, sparse, or auto (complete"
              + " up to 64 clients) (default ${DEFAULT-VALUE}).")
  String graph;

  @In(PROTOCOL)
  @Option(
      names = "--degree",
      defaultValue = "0",
      paramLabel = "N",
      description = "The sparse graph's degree, an even number; 0 for 2·⌈log2 n⌉ (default ${DEFAULT-VALUE}).")
  int degree;

  @In(PROTOCOL)
  @Option(
      names = "--max-abs",
      defaultValue = "1e9",
      paramLabel = "X",
      description = "A bound on the magnitude of every value (default ${DEFAULT-VALUE}).")
  double maxAbs;

  @In(PROTOCOL)
  @Option(
      names = "--fractional-bits",
      defaultValue = "24",
      paramLabel = "N",
      description = "The fixed-point encoding's fractional bits (default ${DEFAULT-VALUE}).")
  int fractionalBits;

  @In(OUTPUT)
  @Option(
      names = "--quiet",
      order = HelpLayout.LAST,
      description = "Print no progress and no summary; warnings and errors are still printed.")
  boolean quiet;

  PrintStream err = System.err;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    return switch (role.trim().toLowerCase(Locale.ROOT)) {
      case "server" -> server();
      case "client" -> client();
      default -> throw usage("--role must be server or client");
    };
  }

  // ---------------------------------------------------------------- server

  private int server() throws Exception {
    if (connection.where.listen == null) {
      throw usage("--role server needs --listen HOST:PORT");
    }
    if (clients == null) {
      throw usage("--role server needs --clients N");
    }
    if (output == null) {
      throw usage("--role server needs --output CSV");
    }
    if (input != null) {
      throw usage("--input is for clients; the server brings no data");
    }
    List<String> names = expectedNames();
    String self = connection.name != null ? connection.name : DEFAULT_SERVER_NAME;
    if (names.contains(self)) {
      throw usage("--client-names must not contain the server's own name " + self);
    }
    SecureAggregationParameters params = parameters(clients, minClients, true);
    AtomicOutput.checkWritable(output, "--output");
    if (report != null) {
      AtomicOutput.checkWritable(report, "--report");
      if (report.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
        throw usage("--output and --report name the same file");
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newCachedThreadPool();
    SecureAggregationServer aggregator;
    try {
      aggregator = new SecureAggregationServer(params, pool, cores);
    } catch (IllegalArgumentException e) {
      pool.shutdownNow();
      throw usage("--min-clients: " + e.getMessage());
    }
    TransportSecurity sec = connection.security(self);
    Endpoint bind = ConnectionOptions.parse(connection.where.listen, "--listen");
    Map<String, TransportChannel> joined = new TreeMap<>();
    Compliance compliance;
    try {
      compliance = complianceOptions.load(self, sec, connection.timeout);
    } catch (CliException e) {
      pool.shutdownNow();
      throw e;
    }
    TransportServer server;
    try {
      server =
          GrpcTransport.listen(
              bind, sec, Set.copyOf(names), TransportOptions.DEFAULTS.toBuilder().peerTimeout(phaseTimeout).build());
    } catch (IllegalArgumentException e) {
      pool.shutdownNow();
      compliance.close();
      throw usage(e.getMessage());
    }
    try {
      log(self + ": listening on " + server.endpoint() + " for " + names.size() + " clients");
      Map<String, PendingSession> pending = new LinkedHashMap<>();
      for (String name : names) {
        pending.put(name, server.expect(connection.session, name));
      }
      long deadline = System.nanoTime() + joinTimeout.toNanos();
      List<String> neverJoined = new ArrayList<>();
      for (var e : pending.entrySet()) {
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
        try {
          joined.put(e.getKey(), e.getValue().await(left));
        } catch (ChannelException ex) {
          e.getValue().cancel();
          neverJoined.add(e.getKey());
        }
      }
      log(self + ": " + joined.size() + " of " + names.size() + " clients joined");
      if (joined.size() < params.minClients()) {
        throw new CliException(
            CliException.PEER,
            "only " + joined.size() + " of " + names.size() + " clients joined within " + joinTimeout
                + "; at least " + params.minClients() + " are required (missing: " + String.join(", ", neverJoined) + ")");
      }
      // Each client that joined runs the agreement with the server; one refused is left out.
      Map<String, AgreedRun> agreed = new TreeMap<>();
      for (var e : joined.entrySet()) {
        try {
          agreed.put(e.getKey(), compliance.open(e.getValue(), "server", serverTerms(params)));
        } catch (JointlyException ex) {
          e.getValue().close();
          neverJoined.add(e.getKey());
          err.println(self + ": " + e.getKey() + " is left out: " + ex.getMessage());
        }
      }
      if (agreed.size() < params.minClients()) {
        throw new CliException(
            CliException.PEER,
            "only " + agreed.size() + " of " + names.size() + " clients agreed to the run; at least " + params.minClients()
                + " are required (left out: " + String.join(", ", neverJoined) + ")");
      }
      Map<String, MessageChannel> channels = new TreeMap<>();
      agreed.forEach((client, run) -> channels.put(client, run.channel()));
      SecureAggregationResult result;
      try {
        result = aggregator.run(channels);
      } catch (JointlyException | RuntimeException ex) {
        agreed.values().forEach(run -> run.fail(ex));
        throw ex;
      }
      List<ComplianceReport> receipts = new ArrayList<>();
      for (var e : agreed.entrySet()) {
        if (!result.includedClients().contains(e.getKey())) {
          e.getValue().fail(new ChannelException(ChannelException.Kind.CLOSED, e.getKey() + " dropped out before the sum"));
          continue;
        }
        try {
          receipts.add(ComplianceReport.of(e.getValue(), e.getValue().complete(serverLearned(result))));
        } catch (JointlyException ex) {
          // The sum stands (the client took part to the end); the log keeps a receipt of the failure.
          err.println(self + ": the receipt with " + e.getKey() + " could not be signed by both: " + ex.getMessage());
        }
      }
      Layout layout = Layout.decode(result.layout());
      if ((long) layout.keys.size() * layout.columns.size() != result.length()) {
        throw new CliException(CliException.PEER, "the clients' table layout does not match the length of their vectors");
      }
      List<String> dropped = new ArrayList<>(result.droppedClients());
      dropped.addAll(neverJoined);
      dropped.sort(null);
      int decimals = decimals(params.fixedPoint(), result.includedClients().size());
      writeTable(layout, result, decimals, output);
      if (report != null) {
        Json.writeReport(
            AggregateReport.of(params, names.size(), joined.size(), result, dropped, layout.keys.size(), layout.columns, receipts),
            report);
      }
      if (!quiet) {
        out.println(String.format(Locale.ROOT,
            "%s: summed %,d rows x %,d columns over %d clients (%d dropped); %,d bytes received, %,d sent; %.1f s",
            self, layout.keys.size(), layout.columns.size(), result.includedClients().size(), dropped.size(),
            result.traffic().bytesReceived(), result.traffic().bytesSent(), result.elapsed().toMillis() / 1000.0));
      }
      return 0;
    } finally {
      joined.values().forEach(TransportChannel::close);
      server.close();
      compliance.close();
      pool.shutdownNow();
    }
  }

  private List<String> expectedNames() throws CliException {
    if (clients < 3 || clients > SecureAggregationParameters.MAX_CLIENTS) {
      throw usage("--clients must be 3.." + SecureAggregationParameters.MAX_CLIENTS);
    }
    List<String> names = new ArrayList<>();
    if (clientNames == null || clientNames.isEmpty()) {
      for (int i = 1; i <= clients; i++) {
        names.add("client-" + i);
      }
    } else {
      for (String n : clientNames) {
        names.add(n.trim());
      }
      if (names.size() != clients) {
        throw usage("--client-names lists " + names.size() + " names but --clients is " + clients);
      }
      if (new HashSet<>(names).size() != names.size() || names.stream().anyMatch(String::isEmpty)) {
        throw usage("--client-names must be distinct and non-empty");
      }
    }
    return names;
  }

  // ---------------------------------------------------------------- client

  private int client() throws Exception {
    if (connection.where.connect == null) {
      throw usage("--role client needs --connect HOST:PORT");
    }
    if (connection.name == null) {
      throw usage("--role client needs --name (the name in this client's certificate)");
    }
    if (input == null) {
      throw usage("--role client needs --input CSV");
    }
    if (output != null || report != null) {
      throw usage("--output and --report are for the server; a client learns no sum");
    }
    FixedPoint fp = fixedPoint();
    int limit = clients != null ? clients
        : (int) Math.min(SecureAggregationParameters.MAX_CLIENTS, fp.additionsWithin(maxAbs, 64));
    if (limit < 3) {
      throw usage("--max-abs " + maxAbs + " leaves no room for 3 clients in Z_2^64; lower it or --fractional-bits");
    }
    SecureAggregationParameters params = parameters(limit, minClients == null ? 2 : minClients, false);
    CsvTable table = CsvTable.read(input, delimiter == null ? 0 : delimiter);
    if (table.rowCount() == 0) {
      throw CliException.input(input + ": no data rows, only a header");
    }
    int key = table.column(keyColumn);
    List<String> columns = new ArrayList<>();
    List<Integer> columnIndex = new ArrayList<>();
    for (int c = 0; c < table.header().size(); c++) {
      if (c != key) {
        columns.add(table.header().get(c));
        columnIndex.add(c);
      }
    }
    if (columns.isEmpty()) {
      throw CliException.input(input + ": no numeric columns besides the key column '" + keyColumn + "'");
    }
    List<String> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    double[] values = new double[table.rowCount() * columns.size()];
    for (int r = 0; r < table.rowCount(); r++) {
      String[] row = table.row(r);
      if (!seen.add(row[key])) {
        throw CliException.input(input + ": line " + table.lineOf(r) + ": the key repeats an earlier row's");
      }
      keys.add(row[key]);
      for (int c = 0; c < columns.size(); c++) {
        String cell = row[columnIndex.get(c)].trim();
        try {
          values[r * columns.size() + c] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw CliException.input(input + ": line " + table.lineOf(r) + ", column " + columns.get(c) + ": not a number");
        }
      }
    }
    Bytes layout = new Layout(keyColumn, columns, keys).encode();
    String peer = connection.peer != null ? connection.peer : DEFAULT_SERVER_NAME;
    TransportSecurity sec = connection.security(connection.name);
    Endpoint target = ConnectionOptions.parse(connection.where.connect, "--connect");
    TransportOptions options = ConnectionOptions.transportOptions(connection.timeout, connection.connectTimeout);
    log(connection.name + ": connecting to " + peer + " at " + target);
    SecureAggregationResult result;
    RunTerms.Builder terms =
        RunTerms.builder("aggregate", AggregateReport.PROTOCOL)
            .reveal("sum")
            .parameter("columns", columns.size())
            .parameter("max_abs", maxAbs)
            .parameter("fractional_bits", fractionalBits)
            .inputRows(table.rowCount());
    try (Compliance compliance = complianceOptions.load(connection.name, sec, connection.timeout);
        TransportChannel ch = GrpcTransport.connect(target, sec, connection.session, peer, options)) {
      log(connection.name + ": joined; waiting for the other clients");
      AgreedRun run = compliance.open(ch, "client", terms);
      result = run.run(c -> new SecureAggregationClient(params).run(values, layout, c), AggregateCommand::clientLearned).result();
    } catch (InputException e) {
      long i = e.row() - 1;
      int r = (int) (i / columns.size());
      throw CliException.input(input + ": line " + table.lineOf(r) + ", column " + columns.get((int) (i % columns.size()))
          + ": value is not finite or exceeds --max-abs " + maxAbs);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (!quiet) {
      out.println(String.format(Locale.ROOT,
          "%s: contributed %,d values; the server summed over %d clients (%d dropped); %,d bytes sent; %.1f s",
          connection.name, values.length, result.includedClients().size(), result.droppedClients().size(),
          result.traffic().bytesSent(), result.elapsed().toMillis() / 1000.0));
    }
    return 0;
  }

  // ---------------------------------------------------------------- shared

  private FixedPoint fixedPoint() throws CliException {
    try {
      return new FixedPoint(fractionalBits);
    } catch (IllegalArgumentException e) {
      throw usage("--fractional-bits: " + e.getMessage());
    }
  }

  private SecureAggregationParameters parameters(int expected, Integer min, boolean server) throws CliException {
    Graph g;
    try {
      g = switch (graph.trim().toLowerCase(Locale.ROOT)) {
        case "complete" -> Graph.COMPLETE;
        case "auto" -> Graph.AUTO;
        case "sparse" -> Graph.sparse(degree);
        default -> throw usage("--graph must be complete, sparse or auto");
      };
      if (degree != 0 && g.kind() != Graph.Kind.SPARSE) {
        throw usage("--degree applies to --graph sparse only");
      }
    } catch (IllegalArgumentException e) {
      throw usage("--degree: " + e.getMessage());
    }
    FixedPoint fp = fixedPoint();
    int minimum = min != null ? min : Math.max(2, g.threshold(expected));
    try {
      return new SecureAggregationParameters(
          fp,
          maxAbs,
          expected,
          minimum,
          g,
          SecureAggregationParameters.DEFAULT_MAX_VECTOR_LENGTH,
          server ? phaseTimeout : connection.timeout,
          connection.timeout);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /**
   * Decimals the sum is printed with: those the encoding guarantees, given that each of the
   * {@code clients} values was rounded by at most half a step of {@code 2^−f}.
   */
  static int decimals(FixedPoint fp, int clients) {
    double error = Math.max(1, clients) * fp.resolution() / 2;
    return (int) Math.max(0, Math.min(12, Math.floor(-Math.log10(error))));
  }

  private static void writeTable(Layout layout, SecureAggregationResult result, int decimals, Path target)
      throws IOException {
    int cols = layout.columns.size();
    AtomicOutput.write(target, w -> {
      List<String> header = new ArrayList<>();
      header.add(layout.keyColumn);
      header.addAll(layout.columns);
      w.write(csv(header));
      w.write('\n');
      for (int r = 0; r < layout.keys.size(); r++) {
        List<String> row = new ArrayList<>();
        row.add(layout.keys.get(r));
        for (int c = 0; c < cols; c++) {
          BigDecimal v = BigDecimal.valueOf(result.sum(r * cols + c)).setScale(decimals, RoundingMode.HALF_EVEN);
          row.add(v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString());
        }
        w.write(csv(row));
        w.write('\n');
      }
    });
  }

  private static String csv(List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(CsvTable.quote(fields.get(i), ','));
    }
    return sb.toString();
  }

  /** The server's terms: it brings no rows, and learns the sum. */
  private RunTerms.Builder serverTerms(SecureAggregationParameters params) {
    return RunTerms.builder("aggregate", AggregateReport.PROTOCOL)
        .reveal("sum")
        .parameter("clients", params.expectedClients())
        .parameter("min_clients", params.minClients())
        .parameter("max_abs", params.maxAbs())
        .parameter("fractional_bits", params.fixedPoint().fractionalBits())
        .inputRows(0);
  }

  /** What the server learned, for each client's receipt: counts only. */
  private static Learned serverLearned(SecureAggregationResult r) {
    return Learned.of(
        AggregateReport.SERVER_LEARNED.en(),
        Map.of(
            "included_clients", (long) r.includedClients().size(),
            "dropped_clients", (long) r.droppedClients().size(),
            "summed_values", (long) r.length()));
  }

  /** What a client learned, for its receipt: counts only. */
  private static Learned clientLearned(SecureAggregationResult r) {
    return Learned.of(
        AggregateReport.CLIENTS_LEARNED.en(),
        Map.of("included_clients", (long) r.includedClients().size(), "dropped_clients", (long) r.droppedClients().size()));
  }

  private void log(String line) {
    if (!quiet) {
      err.println(line);
    }
  }

  private static CliException usage(String message) {
    return new CliException(CliException.USAGE, message);
  }

  /**
   * The public shape of the table every client must share: key column name, value column names and
   * keys, in order. Sent in the handshake; the server checks all clients sent the same.
   */
  record Layout(String keyColumn, List<String> columns, List<String> keys) {
    Bytes encode() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream d = new DataOutputStream(bytes)) {
        d.writeInt(LAYOUT_MAGIC);
        d.writeUTF(keyColumn);
        d.writeInt(columns.size());
        for (String c : columns) {
          d.writeUTF(c);
        }
        d.writeInt(keys.size());
        for (String k : keys) {
          d.writeUTF(k);
        }
      }
      return Bytes.wrap(bytes.toByteArray());
    }

    static Layout decode(Bytes b) throws CliException {
      try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(b.toByteArray()))) {
        if (d.readInt() != LAYOUT_MAGIC) {
          throw new IOException("magic");
        }
        String key = d.readUTF();
        int nc = d.readInt();
        if (nc < 1 || nc > b.length()) {
          throw new IOException("columns");
        }
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < nc; i++) {
          cols.add(d.readUTF());
        }
        int nk = d.readInt();
        if (nk < 1 || nk > b.length()) {
          throw new IOException("keys");
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < nk; i++) {
          keys.add(d.readUTF());
        }
        if (d.available() != 0) {
          throw new IOException("trailing bytes");
        }
        return new Layout(key, cols, keys);
      } catch (IOException e) {
        throw new CliException(CliException.PEER, "the clients' table layout is malformed");
      }
    }
  }
}
