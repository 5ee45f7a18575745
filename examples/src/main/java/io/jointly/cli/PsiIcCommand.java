package io.jointly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jointly.core.InputException;
import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ic.IcInput;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.PartyCredentials;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.ic.IcSession;
import io.jointly.transport.ic.IcTransport;
import io.jointly.transport.ic.IcTransportOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jointly psi-ic}: one party of ECDH-PSI as the interconnection standard (隐私计算互联互通)
 * defines it, against a SecretFlow party or any other conformant platform (or another Jointly).
 *
 * <p>A command of its own rather than {@code psi --interop ic}: the standard's parties are ranks 0
 * and 1 that each serve and push (so both {@code --listen} and {@code --connect} are given), the
 * result goes to a rank ({@code --result-to-rank}, the partner's own setting), the suites, hashed
 * bytes and guardrail differ, and Jointly's handshake, reveal modes and suites do not apply: as
 * options of {@code psi} half of each set would be invalid in the other mode.
 */
@Command(
    name = "psi-ic",
    mixinStandardHelpOptions = true,
    description = {
      "Private set intersection with a partner that runs SecretFlow or another platform of the",
      "interconnection standard (隐私计算互联互通, CAICT/BFIA ECDH-PSI). Each side serves at its own",
      "address and pushes to the other's: give --listen (yours) and --connect (the partner's).",
      "Rank 0 answers the handshake, rank 1 asks; the two must differ."
    })
final class PsiIcCommand implements Callable<Integer> {
  @Option(names = "--rank", required = true, description = "This party's rank: 0 or 1 (the partner has the other).")
  int rank;

  @Option(names = "--listen", required = true, description = "HOST:PORT where this party's ReceiverService listens.")
  String listen;

  @Option(names = "--connect", required = true, description = "HOST:PORT of the partner's ReceiverService.")
  String connect;

  static final class Security {
    @Option(names = "--tls", description = "Directory with ca.crt, NAME.crt and NAME.key (mutual TLS 1.3).")
    Path tls;

    @Option(names = "--insecure", description = "Plaintext, allowed on loopback addresses only.")
    boolean insecure;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Security security;

  @Option(names = "--name", description = "This party's name in its certificate (default: rank0 or rank1).")
  String name;

  @Option(names = "--peer", description = "The partner's name in its certificate (default: rank0 or rank1).")
  String peer;

  @Option(names = "--input", required = true, description = "This party's CSV file (with a header).")
  Path input;

  @Option(
      names = "--id",
      required = true,
      split = ",",
      description = "Key column(s), in the order the partner names its fields; values are joined with ','.")
  List<String> idColumns;

  @Option(
      names = "--result-to-rank",
      defaultValue = "-1",
      description = "Who learns the intersection: -1 both (default), 0 or 1 that rank only. Must equal the partner's.")
  int resultToRank;

  @Option(
      names = "--suite",
      defaultValue = "curve25519",
      description = "curve25519 (CURVE25519+SHA_256+DIRECT_HASH_AS_POINT_X, default) or sm2 (SM2+SHA_256+TRY_AND_REHASH).")
  String suite;

  @Option(
      names = "--normalize",
      defaultValue = "reference",
      description = "reference (trim ASCII whitespace only, as SecretFlow reads its CSV; default), or phone, email, cn-id, raw after that (the partner must feed the same normalised values).")
  String normalize;

  @Option(
      names = "--second-stage",
      defaultValue = "reference",
      description = "reference: send 12-byte second-stage values as SecretFlow does (default); negotiated: what the handshake agreed.")
  String secondStage;

  @Option(
      names = "--truncation-bits",
      defaultValue = "-1",
      description = "Offer truncation of second-stage values to this many bits (-1: none, the default; else a multiple of 8).")
  int truncationBits;

  @Option(
      names = "--keys",
      defaultValue = "sequenced",
      description = "sequenced: SecretFlow's keys with sequence suffix, ACKs and FIN (default); plain: the written standard's keys only.")
  String keys;

  @Option(names = "--invalid-ids", defaultValue = "fail", description = "fail or skip empty/invalid identifiers (default ${DEFAULT-VALUE}).")
  String invalidIds;

  @Option(names = "--duplicates", defaultValue = "deduplicate", description = "reject or deduplicate repeated identifiers (default ${DEFAULT-VALUE}).")
  String duplicates;

  @Option(
      names = "--min-peer-size",
      defaultValue = "100",
      description = "If the partner learns the result, refuse to answer fewer of its items than this (default ${DEFAULT-VALUE}).")
  long minPeerSize;

  @Option(
      names = "--timeout",
      defaultValue = "120s",
      converter = ConnectionOptions.DurationConverter.class,
      description = "Longest wait for the partner: to come up, per message and for its FIN (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--output", description = "Write this party's shared rows (all columns) here.")
  Path output;

  @Option(names = "--report", description = "Write a JSON report here.")
  Path report;

  @Option(names = "--delimiter", description = "CSV delimiter (default: detected from the header).")
  Character delimiter;

  @Option(names = "--quiet", description = "No progress or summary output.")
  boolean quiet;

  PrintStream err = System.err;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    IcParameters params = parameters();
    boolean learns = IcParameters.gets(params.resultToRank(), params.rank());
    if (output != null && !learns) {
      throw usage("--output: with --result-to-rank " + resultToRank + " rank " + rank + " learns no rows");
    }
    checkOutput(output, "--output");
    checkOutput(report, "--report");
    if (output != null && report != null && AlignedCommand.samePath(output, report)) {
      throw usage("--output and --report name the same file");
    }
    String self = name != null ? name : "rank" + rank;
    String other = peer != null ? peer : "rank" + (1 - rank);
    Endpoint bind = ConnectionOptions.parse(listen, "--listen");
    Endpoint target = ConnectionOptions.parse(connect, "--connect");
    TransportSecurity sec = security(self);
    IcTransportOptions transport =
        IcTransportOptions.DEFAULTS
            .withKeys(option("--keys", () -> keyStyle(keys)))
            .withConnectTimeout(timeout)
            .withFinTimeout(timeout);

    CsvTable table = CsvTable.read(input, delimiter == null ? 0 : delimiter);
    if (table.rowCount() == 0) {
      throw CliException.input(input + ": no data rows, only a header");
    }
    List<List<String>> columns = new ArrayList<>();
    for (String c : idColumns) {
      columns.add(table.columnValues(table.column(c.trim())));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      InterconnectionPsi psi =
          new InterconnectionPsi(params, pool, cores).withListener(new ProgressBar(err, quiet, "rank " + rank));
      IcInput prepared;
      try {
        prepared = psi.prepare(PsiInput.ofColumns(columns));
      } catch (InputException e) {
        throw CliException.input(locate(table, e));
      }
      if (prepared.distinctItems() == 0) {
        throw CliException.input(input + ": no valid identifier in column " + String.join("+", idColumns));
      }
      IcPsiResult result;
      IcTransport.Listener listener;
      try {
        listener = IcTransport.listen(rank, bind, sec, other, transport);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      try (IcTransport.Listener l = listener) {
        if (!quiet) {
          err.println(self + " (rank " + rank + "): listening on " + l.endpoint() + ", connecting to " + other + " at " + target);
        }
        IcSession session;
        try {
          session = l.connect(target);
        } catch (IllegalArgumentException e) {
          throw usage(e.getMessage());
        }
        try (IcSession s = session) {
          result = s.run(psi, prepared);
        }
      }
      if (output != null) {
        writeRows(table, result.sharedRows().orElseThrow(), output);
      }
      if (report != null) {
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(reportFields(result));
        AtomicOutput.write(report, w -> w.write(json + "\n"));
      }
      if (!quiet) {
        out.println(summary(result));
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  IcParameters parameters() throws CliException {
    if (rank != 0 && rank != 1) {
      throw usage("--rank must be 0 or 1");
    }
    if (resultToRank < -1 || resultToRank > 1) {
      throw usage("--result-to-rank must be -1 (both), 0 or 1");
    }
    if (idColumns.isEmpty() || idColumns.stream().anyMatch(String::isBlank)) {
      throw usage("--id: name one or more columns, separated by commas");
    }
    if (minPeerSize < 0) {
      throw usage("--min-peer-size must be 0 or more");
    }
    InterconnectionSuite s = option("--suite", () -> InterconnectionSuite.fromName(suite));
    IdentifierProfile profile =
        normalize.trim().equalsIgnoreCase("reference")
            ? null
            : option("--normalize", () -> IdentifierProfile.fromName(normalize));
    IcParameters.SecondStage stage =
        switch (secondStage.trim().toLowerCase(Locale.ROOT)) {
          case "reference" -> IcParameters.SecondStage.REFERENCE;
          case "negotiated" -> IcParameters.SecondStage.NEGOTIATED;
          default -> throw usage("--second-stage must be reference or negotiated");
        };
    InvalidIdPolicy invalid =
        switch (invalidIds.trim().toLowerCase(Locale.ROOT)) {
          case "fail" -> InvalidIdPolicy.FAIL;
          case "skip" -> InvalidIdPolicy.SKIP;
          default -> throw usage("--invalid-ids must be fail or skip");
        };
    DuplicatePolicy dup =
        switch (duplicates.trim().toLowerCase(Locale.ROOT)) {
          case "reject" -> DuplicatePolicy.REJECT;
          case "deduplicate" -> DuplicatePolicy.DEDUPLICATE;
          default -> throw usage("--duplicates must be reject or deduplicate");
        };
    try {
      return IcParameters.defaults(rank).toBuilder()
          .suite(s)
          .resultToRank(resultToRank)
          .secondStage(stage)
          .bitLengthAfterTruncated(truncationBits)
          .minPeerSetSize(minPeerSize)
          .receiveTimeout(timeout)
          .profile(profile)
          .invalidIdPolicy(invalid)
          .duplicatePolicy(dup)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static IcTransportOptions.Keys keyStyle(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "sequenced" -> IcTransportOptions.Keys.SEQUENCED;
      case "plain" -> IcTransportOptions.Keys.PLAIN;
      default -> throw new IllegalArgumentException("must be sequenced or plain");
    };
  }

  private TransportSecurity security(String self) throws CliException {
    if (security.insecure) {
      return TransportSecurity.insecurePlaintext(self);
    }
    Path dir = security.tls;
    for (String f : new String[] {"ca.crt", self + ".crt", self + ".key"}) {
      if (!Files.isReadable(dir.resolve(f))) {
        throw new CliException(CliException.PEER, "--tls: " + dir.resolve(f) + " is missing or unreadable");
      }
    }
    try {
      return TransportSecurity.mutualTls(PartyCredentials.fromPemDirectory(dir, self));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(CliException.PEER, "--tls " + dir + ": " + e.getMessage());
    }
  }

  private void checkOutput(Path target, String option) throws CliException {
    if (target == null) {
      return;
    }
    if (AlignedCommand.samePath(target, input)) {
      throw usage(option + " " + target + " is the --input file");
    }
    AtomicOutput.checkWritable(target, option);
  }

  private String locate(CsvTable table, InputException e) {
    String where = table.file().toString();
    if (e.row() >= 1 && e.row() <= table.rowCount()) {
      where += ": line " + table.lineOf((int) e.row() - 1) + ", column " + String.join("+", idColumns);
    }
    String reason =
        switch (e.kind()) {
          case INVALID_IDENTIFIER -> "identifier is empty or not valid for --normalize " + normalize
              + " (use --invalid-ids skip to leave such rows out)";
          case DUPLICATE_IDENTIFIER -> "identifier repeats an earlier row (use --duplicates deduplicate)";
          case INVALID_INPUT -> e.getMessage();
        };
    return where + ": " + reason;
  }

  private static void writeRows(CsvTable table, RowIndexes rows, Path target) throws IOException {
    AtomicOutput.write(
        target,
        w -> {
          w.write(table.format(table.header().toArray(String[]::new)));
          w.write('\n');
          for (int i = 0; i < rows.size(); i++) {
            w.write(table.format(table.row(rows.get(i))));
            w.write('\n');
          }
        });
  }

  static Map<String, Object> reportFields(IcPsiResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", "interconnection-ecdh-psi");
    m.put("standard", "CAICT PPCA 9-2023 ECDH-PSI, handshake version 2, white-box transport");
    m.put("rank", r.rank());
    m.put("suite", r.suite().displayName());
    m.put("result_to_rank", r.resultToRank());
    m.put("bit_length_after_truncated", r.bitLengthAfterTruncated());
    m.put("second_stage_bytes_sent", r.secondStageBytesSent());
    m.put("second_stage_bytes_received", r.secondStageBytesReceived());
    if (r.intersectionSize().isPresent()) {
      m.put("intersection_size", r.intersectionSize().getAsLong());
    }
    r.sharedRows().ifPresent(rows -> m.put("shared_rows", rows.size()));
    m.put("own_size", r.ownSetSize());
    m.put("peer_size", r.peerSetSize());
    m.put("input_rows", r.input().rows());
    m.put("invalid_rows_skipped", r.input().invalidRowsSkipped());
    m.put("duplicate_rows", r.input().duplicateRows());
    m.put("bytes_sent", r.traffic().bytesSent());
    m.put("bytes_received", r.traffic().bytesReceived());
    m.put("elapsed_seconds", Math.round(r.elapsed().toMillis() / 10.0) / 100.0);
    learned(IcParameters.gets(r.resultToRank(), r.rank())).put(m, "learned");
    learned(IcParameters.gets(r.resultToRank(), 1 - r.rank())).put(m, "peer_learned");
    return m;
  }

  static ReportText learned(boolean learnsRows) {
    return learnsRows
        ? new ReportText(
            "which of its own rows are shared, and the other party's number of items",
            "自身哪些记录属于共同客户，以及对方的数据条数")
        : new ReportText("only the other party's number of items", "仅对方的数据条数");
  }

  static String summary(IcPsiResult r) {
    String shared =
        r.intersectionSize().isPresent()
            ? String.format(Locale.ROOT, "%,d shared", r.intersectionSize().getAsLong())
            : "intersection not revealed to this rank";
    return String.format(
        Locale.ROOT,
        "rank %d (%s): %s; own %,d, peer %,d items; %,d bytes sent, %,d received; %.1f s",
        r.rank(),
        r.suite().displayName(),
        shared,
        r.ownSetSize(),
        r.peerSetSize(),
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        r.elapsed().toMillis() / 1000.0);
  }

  private static <T> T option(String name, java.util.function.Supplier<T> parse) throws CliException {
    return AlignedCommand.option(name, parse);
  }

  private static CliException usage(String message) {
    return new CliException(CliException.USAGE, message);
  }
}
