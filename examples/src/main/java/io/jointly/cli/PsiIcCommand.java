package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CHECKS;
import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.Learned;
import io.jointly.compliance.RunTerms;
import io.jointly.compliance.UnilateralRun;
import io.jointly.core.InputException;
import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiInput;
import io.jointly.psi.ic.IcInput;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.ic.IcSession;
import io.jointly.transport.ic.IcTransport;
import io.jointly.transport.ic.IcTransportOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 *
 * <h2>{@code --normalize} in this mode</h2>
 *
 * Required, as in every command (issue 27: no silent default). The standard does not say which
 * bytes are hashed; a SecretFlow party hashes each key value as written in its CSV, trimmed of
 * ASCII whitespace, values joined with {@code ","}, and normalises nothing. So {@code raw} here is
 * exactly that rule ({@link IcParameters#profile()}), the choice for an unmodified partner: both
 * files must then write identifiers the same way. {@code phone}, {@code email} and {@code cn-id}
 * apply Jointly's profile after the trimming; the partner must then feed the profile's canonical
 * form ({@code +8613800138000}), which a SecretFlow partner does by converting its file beforehand.
 * The raw-profile warning of {@code psi} is not given here: raw is the normal choice with such a
 * partner, and the advice to switch profiles would be wrong for it.
 *
 * <h2>Compliance options in this mode</h2>
 *
 * {@code --purpose}, {@code --policy} and {@code --audit-log} apply as in {@code psi}, except that
 * the standard fixes every message of the run, so there is no room for the run agreement: the
 * partner states no purpose and signs no receipt. This party checks its own policy before it
 * listens (a refusal names the rule; the partner sees no connection), and records a receipt it
 * alone signs ({@link UnilateralRun}: {@code unilateral} if the run completed, {@code failed} if
 * not) in its audit log, metered against the policy's limits like any run.
 */
@Command(
    name = "psi-ic",
    mixinStandardHelpOptions = true,
    description = {
      "Find the shared customers with a partner on SecretFlow or the like.",
      "Runs ECDH-PSI as the interconnection standard defines it (隐私计算互联互通, the CAICT/BFIA"
          + " ECDH-PSI with SecretFlow as its reference), so the partner needs no Jointly and no"
          + " change to its platform. Each party serves at its own address and pushes to the"
          + " other's: give --listen (yours) and --connect (the partner's). Rank 0 answers the"
          + " handshake and rank 1 asks; the two parties take different ranks.",
      "This party's server takes the partner's pushes in gRPC or in SecretFlow's own baidu_std,"
          + " on the one port. A SecretFlow partner runs without TLS by default: then run both ends"
          + " through a mutual-TLS tunnel, since plaintext is refused off loopback. The README's"
          + " interoperability section gives the partner's exact configuration."
    },
    customSynopsis = {
      "jointly psi-ic --rank 0|1 --listen HOST:PORT --connect HOST:PORT",
      "               (--tls DIR | --insecure) --input FILE --id COL[,COL...]",
      "               --normalize PROFILE [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # the bank as rank 0, its partner (on SecretFlow) as rank 1",
      "  jointly psi-ic --rank 0 --listen 0.0.0.0:9443 --connect partner.example.com:9444 \\",
      "      --tls tls --input bank.csv --id mobile --normalize raw --output shared.csv",
      "  # the same run with Jointly at the partner too, as rank 1",
      "  jointly psi-ic --rank 1 --listen 0.0.0.0:9444 --connect bank.example.com:9443 \\",
      "      --tls tls --input partner.csv --id phone --normalize raw"
    })
final class PsiIcCommand implements Callable<Integer> {
  @In(CONNECTION)
  @Option(
      names = "--rank",
      required = true,
      paramLabel = "0|1",
      description = "This party's rank; the partner has the other.")
  int rank;

  @In(CONNECTION)
  @Option(
      names = "--listen",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Where this party's ReceiverService listens; 0.0.0.0 listens on every interface.")
  String listen;

  @In(CONNECTION)
  @Option(
      names = "--connect",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The partner's ReceiverService.")
  String connect;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ConnectionOptions.Security security;

  @Mixin ComplianceOptions complianceOptions = new ComplianceOptions();

  @In(CONNECTION)
  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "This party's name in its certificate (default: rank0 or rank1).")
  String name;

  @In(CONNECTION)
  @Option(
      names = "--peer",
      paramLabel = "NAME",
      description = "The partner's name in its certificate (default: rank0 or rank1).")
  String peer;

  @In(CONNECTION)
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "120s",
      converter = ConnectionOptions.DurationConverter.class,
      description =
          "Longest wait for the partner: to come up, for each message and for its final FIN"
              + " (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @In(INPUT)
  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "This party's CSV file, with a header line.")
  Path input;

  @In(INPUT)
  @Option(
      names = "--id",
      required = true,
      split = ",",
      paramLabel = "COL",
      description =
          "The identifier column. Several columns, separated by commas, are joined with a comma"
              + " before hashing, in the order given: the order the partner names its fields.")
  List<String> idColumns;

  @In(INPUT)
  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "The CSV delimiter (default: detected from the header line).")
  Character delimiter;

  @In(PROTOCOL)
  @Option(
      names = "--normalize",
      required = true,
      paramLabel = AlignedCommand.PROFILES,
      description =
          "How identifiers are written before they are hashed. raw: as in the file, trimmed of"
              + " ASCII spaces, exactly what a SecretFlow partner hashes; both files must write"
              + " identifiers alike. phone, email or cn-id: Jointly's canonical form (phone"
              + " +8613800138000), which the partner's file must then hold too.")
  String normalize;

  @In(PROTOCOL)
  @Option(
      names = "--result-to-rank",
      defaultValue = "-1",
      paramLabel = "-1|0|1",
      description =
          "Who learns the intersection: -1 both, 0 or 1 that rank only; the partner's setting must"
              + " be the same (default ${DEFAULT-VALUE}).")
  int resultToRank;

  @In(PROTOCOL)
  @Option(
      names = "--suite",
      defaultValue = "curve25519",
      paramLabel = "SUITE",
      description =
          "curve25519 (CURVE25519, SHA_256, DIRECT_HASH_AS_POINT_X) or sm2 (SM2, SHA_256,"
              + " TRY_AND_REHASH), the two suites SecretFlow runs (default ${DEFAULT-VALUE}).")
  String suite;

  @In(PROTOCOL)
  @Option(
      names = "--second-stage",
      defaultValue = "reference",
      paramLabel = "reference|negotiated",
      description =
          "reference: send 12-byte second-stage values, as SecretFlow does whatever the handshake"
              + " says; negotiated: what the handshake agreed (default ${DEFAULT-VALUE}).")
  String secondStage;

  @In(PROTOCOL)
  @Option(
      names = "--truncation-bits",
      defaultValue = "-1",
      paramLabel = "BITS",
      description =
          "Offer to truncate second-stage values to this many bits, a multiple of 8; -1 offers no"
              + " truncation, as SecretFlow (default ${DEFAULT-VALUE}).")
  int truncationBits;

  @In(PROTOCOL)
  @Option(
      names = "--keys",
      defaultValue = "sequenced",
      paramLabel = "sequenced|plain",
      description =
          "sequenced: SecretFlow's message keys with a sequence suffix, ACKs and FIN; plain: the"
              + " written standard's keys only (default ${DEFAULT-VALUE}).")
  String keys;

  @In(CHECKS)
  @Option(
      names = "--invalid-ids",
      defaultValue = "fail",
      paramLabel = "fail|skip",
      description =
          "An identifier that is empty or not valid for the profile stops the run, naming its line"
              + " (fail), or its row is left out (skip) (default ${DEFAULT-VALUE}).")
  String invalidIds;

  @In(CHECKS)
  @Option(
      names = "--duplicates",
      defaultValue = "deduplicate",
      paramLabel = "deduplicate|reject",
      description =
          "A repeated identifier is sent once and all its rows are matched (deduplicate), or it"
              + " stops the run (reject) (default ${DEFAULT-VALUE}).")
  String duplicates;

  @In(CHECKS)
  @Option(
      names = "--min-peer-size",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "If the partner learns the result, refuse to answer fewer of its items than this, so"
              + " that a handful of probes cannot test who is a customer (default ${DEFAULT-VALUE}).")
  long minPeerSize;

  @In(OUTPUT)
  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write this party's shared rows here, with all their columns (if this rank learns them).")
  Path output;

  @In(OUTPUT)
  @Option(
      names = "--report",
      order = HelpLayout.LATER,
      paramLabel = "FILE",
      description = "Write a JSON report here: sizes, traffic, and what each party learned.")
  Path report;

  @In(OUTPUT)
  @Option(
      names = "--quiet",
      order = HelpLayout.LAST,
      description = "Print no progress and no summary; warnings and errors are still printed.")
  boolean quiet;

  /** Where progress and the summary go (stderr and stdout, through the terminal writer). */
  PrintStream err = System.err;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    IcParameters params = parameters();
    boolean learns = IcParameters.gets(params.resultToRank(), params.rank());
    if (output != null && !learns) {
      throw usage("--output: with --result-to-rank " + resultToRank + " rank " + rank + " learns no rows");
    }
    AlignedCommand.checkOutput(output, "--output", input);
    AlignedCommand.checkOutput(report, "--report", input);
    if (output != null && report != null && AlignedCommand.samePath(output, report)) {
      throw usage("--output and --report name the same file");
    }
    String self = name != null ? name : "rank" + rank;
    String other = peer != null ? peer : "rank" + (1 - rank);
    Endpoint bind = ConnectionOptions.parse(listen, "--listen");
    Endpoint target = ConnectionOptions.parse(connect, "--connect");
    TransportSecurity sec = ConnectionOptions.security(security, self);
    IcTransportOptions transport =
        IcTransportOptions.DEFAULTS
            .withKeys(AlignedCommand.option("--keys", "sequenced or plain", () -> keyStyle(keys)))
            .withConnectTimeout(timeout)
            .withFinTimeout(timeout);

    // The input is read and prepared before this party listens: the reference gives a peer 30 s
    // between the connect phase and each message, so no slow local work may come after it.
    CsvTable table = CsvTable.read(input, delimiter == null ? 0 : delimiter);
    if (table.rowCount() == 0) {
      throw CliException.input(input + ": no data rows, only a header");
    }
    Compliance compliance = complianceOptions.load(self, sec, timeout);
    try (compliance) {
      return run(params, table, compliance, self, other, bind, target, sec, transport);
    }
  }

  private int run(
      IcParameters params,
      CsvTable table,
      Compliance compliance,
      String self,
      String other,
      Endpoint bind,
      Endpoint target,
      TransportSecurity sec,
      IcTransportOptions transport)
      throws Exception {
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
        throw CliException.input(
            input + ": no valid " + normalize + " identifier in column " + keyColumnNames()
                + " (" + prepared.invalidRowsSkipped() + " rows skipped as invalid)");
      }
      UnilateralRun run =
          compliance.unilateral(
              "psi-ic-" + UUID.randomUUID(), "rank" + rank, terms(params, table.rowCount()), other, "rank" + (1 - rank), self);
      UnilateralRun.Completed<IcPsiResult> done =
          run.run(() -> exchange(psi, prepared, self, other, bind, target, sec, transport), PsiIcCommand::learnedCounts, IcPsiResult::peerSetSize);
      IcPsiResult result = done.result();
      if (output != null) {
        PsiCommand.writeRows(table, result.sharedRows().orElseThrow(), output);
      }
      if (report != null) {
        Json.writeReport(PsiIcReport.of(result, ComplianceReport.of(run, done.receipt())), report);
      }
      if (!quiet) {
        out.println(summary(result));
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Listens, connects and runs the standard's exchange with the partner. */
  private IcPsiResult exchange(
      InterconnectionPsi psi,
      IcInput prepared,
      String self,
      String other,
      Endpoint bind,
      Endpoint target,
      TransportSecurity sec,
      IcTransportOptions transport)
      throws Exception {
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
        return s.run(psi, prepared);
      }
    }
  }

  /**
   * The terms this party states for its receipt and checks against its policy: the reveal mode
   * ({@code both}, {@code rank0} or {@code rank1}: who learns the intersection), the standard's
   * public parameters, the identifier options, the peer-set guardrail and the input rows.
   */
  RunTerms.Builder terms(IcParameters params, long inputRows) {
    return RunTerms.builder("psi-ic", "interconnection-ecdh-psi")
        .reveal(params.resultToRank() < 0 ? "both" : "rank" + params.resultToRank())
        .parameter("suite", params.suite().displayName())
        .parameter("normalize", normalize.trim().toLowerCase(Locale.ROOT))
        .parameter("id_columns", idColumns.size())
        .parameter("invalid_ids", invalidIds.trim().toLowerCase(Locale.ROOT))
        .parameter("duplicates", duplicates.trim().toLowerCase(Locale.ROOT))
        .parameter("result_to_rank", params.resultToRank())
        .parameter("second_stage", secondStage.trim().toLowerCase(Locale.ROOT))
        .parameter("bit_length_after_truncated", params.bitLengthAfterTruncated())
        .parameter("keys", keys.trim().toLowerCase(Locale.ROOT))
        .minPeerSetSize(params.minPeerSetSize())
        .inputRows(inputRows);
  }

  /** What this party learned, for its receipt: counts only. */
  static Learned learnedCounts(IcPsiResult r) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("peer_set_size", r.peerSetSize());
    r.intersectionSize().ifPresent(n -> counts.put("intersection_size", n));
    r.sharedRows().ifPresent(rows -> counts.put("shared_rows", (long) rows.size()));
    return Learned.of(learned(IcParameters.gets(r.resultToRank(), r.rank())).en(), counts);
  }

  /** The run's parameters from the options; every bad value is a usage error naming its option. */
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
    InterconnectionSuite s = AlignedCommand.option("--suite", "curve25519 or sm2", () -> InterconnectionSuite.fromName(suite));
    IdentifierProfile profile = AlignedCommand.profile(normalize);
    IcParameters.SecondStage stage =
        switch (secondStage.trim().toLowerCase(Locale.ROOT)) {
          case "reference" -> IcParameters.SecondStage.REFERENCE;
          case "negotiated" -> IcParameters.SecondStage.NEGOTIATED;
          default -> throw usage("--second-stage must be reference or negotiated");
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
          .invalidIdPolicy(AlignedCommand.invalidIdPolicy(invalidIds))
          .duplicatePolicy(AlignedCommand.duplicatePolicy(duplicates))
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static IcTransportOptions.Keys keyStyle(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "sequenced" -> IcTransportOptions.Keys.SEQUENCED;
      case "plain" -> IcTransportOptions.Keys.PLAIN;
      default -> throw new IllegalArgumentException("unknown key style: " + v);
    };
  }

  private String keyColumnNames() {
    return String.join("+", idColumns.stream().map(String::trim).toList());
  }

  /** The input error with the row turned into the file's line and the key column names. */
  private String locate(CsvTable table, InputException e) {
    String where = table.file().toString();
    if (e.row() >= 1 && e.row() <= table.rowCount()) {
      where += ": line " + table.lineOf((int) e.row() - 1) + ", column " + keyColumnNames();
    }
    String reason =
        switch (e.kind()) {
          case INVALID_IDENTIFIER -> "identifier is empty or not valid for --normalize " + normalize
              + " (use --invalid-ids skip to leave such rows out)";
          case DUPLICATE_IDENTIFIER -> "identifier repeats an earlier row (use --duplicates deduplicate)";
          case INVALID_INPUT, MALFORMED_INPUT, WORK_DIR, CHECKPOINT, MALFORMED_FILE, CACHE_MISMATCH -> e.getMessage();
        };
    return where + ": " + reason;
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

  private static CliException usage(String message) {
    return new CliException(CliException.USAGE, message);
  }
}
