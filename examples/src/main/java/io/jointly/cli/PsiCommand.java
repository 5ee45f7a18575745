package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Learned;
import io.jointly.compliance.Receipt;
import io.jointly.compliance.RunTerms;
import io.jointly.compliance.UnilateralRun;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiProtocol;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.pipeline.ChannelOpener;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.pipeline.RowSource;
import io.jointly.psi.pipeline.SharedRowSink;
import io.jointly.psi.vole.VolePsi;
import io.jointly.psi.vole.VolePsiParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jointly psi}: one party of private set intersection — ECDH PSI, or VOLE PSI with {@code
 * --protocol vole} — run against the other party's process over mutual TLS.
 */
@Command(
    name = "psi",
    mixinStandardHelpOptions = true,
    description = {
      "Find the shared customers; neither party sees the other's list.",
      "Both parties run it at the same time, the bank with --role bank and the partner with --role"
          + " partner; one of them listens (--listen), the other connects (--connect). The handshake"
          + " checks that both give the same --protocol, --normalize, --suite, --reveal and number"
          + " of --id columns before any identifier moves.",
      "With --reveal bank (the default) the bank learns which of its rows are shared and the"
          + " partner only the bank's set size; with both, each party learns which of its own rows"
          + " are shared; with count, the bank learns only how many identifiers are shared.",
      "With --protocol oprf, for a partner set far larger than the bank's, only the bank runs this"
          + " command: it connects to the partner's 'jointly serve' with the partner's encoded set"
          + " (--cache, from 'jointly oprf fetch') and learns which of its rows are in the partner's"
          + " set; the partner learns the bank's set size, counted against the bank's daily budget"
          + " for --purpose."
    },
    customSynopsis = {
      "jointly psi --role ROLE (--listen | --connect) HOST:PORT",
      "                   (--tls DIR | --insecure) --input FILE --id COL",
      "                   --normalize PROFILE [OPTIONS]"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # at the bank: listens, writes its shared rows",
      "  jointly psi --role bank --listen 0.0.0.0:9443 --tls tls \\",
      "      --input bank.csv --id mobile --normalize phone --output shared.csv",
      "  # at the partner: connects, learns only the bank's set size",
      "  jointly psi --role partner --connect bank.example.com:9443 --tls tls \\",
      "      --input partner.csv --id phone --normalize phone",
      "  # the bank alone, against the partner's 'jointly serve' (--protocol oprf)",
      "  jointly psi --protocol oprf --role bank --connect partner.example.com:9450 \\",
      "      --tls tls --cache partner.jocache --input bank.csv --id mobile \\",
      "      --normalize phone --output shared.csv"
    })
final class PsiCommand extends AlignedCommand {
  @In(PROTOCOL)
  @Option(
      names = "--protocol",
      defaultValue = "ecdh",
      paramLabel = "PROTOCOL",
      description =
          "The PSI protocol: ecdh (elliptic-curve Diffie-Hellman, the simplest reviewed primitive;"
              + " default), vole (Raghuraman-Rindal PSI from VOLE and an OKVS: much faster on"
              + " large sets, on other assumptions, reveal bank or both only, no --suite) or oprf"
              + " (the bank's set against the partner's encoded set, served by 'jointly serve').")
  String protocol;

  @In(PROTOCOL)
  @Option(
      names = "--reveal",
      defaultValue = "bank",
      paramLabel = "MODE",
      description = "Who learns the result: bank, both or count, as above (default ${DEFAULT-VALUE}).")
  String reveal;

  @In(OUTPUT)
  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write this party's shared rows here, with all their columns (in a reveal mode that shows them to this party).")
  Path output;

  @Mixin ScaleOptions scale = new ScaleOptions();


  @In(INPUT)
  @Option(
      names = "--cache",
      paramLabel = "FILE",
      description = "With --protocol oprf: the partner's encoded set, from 'jointly oprf fetch'.")
  Path cache;

  @Override
  public Integer call() throws Exception {
    if ("oprf".equals(protocol.trim().toLowerCase(Locale.ROOT))) {
      return OprfPsi.run(this);
    }
    PsiProtocol psiProtocol = option("--protocol", "ecdh, vole or oprf", () -> PsiProtocol.fromName(protocol));
    if (cache != null) {
      throw usage("--cache belongs to --protocol oprf");
    }
    PsiRole psiRole = parseRole(role);
    EcdhPsiParameters params = parameters(option("--reveal", "bank, both or count", () -> RevealMode.fromName(reveal)));
    if (psiProtocol == PsiProtocol.VOLE && params.revealMode() == RevealMode.COUNT) {
      throw usage("--reveal count needs --protocol ecdh: VOLE PSI offers bank and both");
    }
    try {
      params = params.toBuilder().batchSize(scale.batchSize).build();
    } catch (IllegalArgumentException e) {
      throw usage("--psi-batch must be 1 to " + EcdhPsiParameters.MAX_BATCH_SIZE);
    }
    if (output != null && !params.revealMode().revealsRowsTo(psiRole)) {
      throw new CliException(
          CliException.USAGE,
          "--output: in reveal mode " + params.revealMode() + " the " + psiRole + " learns no rows");
    }
    // Everything about the input and the outputs is checked before any connection is made.
    checkOutput(output, "--output");
    checkOutput(report, "--report");
    if (output != null && report != null && samePath(output, report)) {
      throw usage("--output and --report name the same file");
    }
    connection.checkAddress();
    PipelineOptions pipeline = scale.pipeline(psiRole, connection.session, connection.tlsKey(psiRole));
    char delim = delimiter == null ? 0 : delimiter;
    List<String> keys = idColumns.stream().map(String::trim).toList();
    // The header and the key columns are checked at once, and the raw-profile check looks at the
    // first rows; then the rows stream through the run.
    char fileDelimiter;
    try (CsvReader header = CsvReader.open(input, delim)) {
      int[] columns = new int[keys.size()];
      List<List<String>> sample = new java.util.ArrayList<>();
      for (int i = 0; i < columns.length; i++) {
        columns[i] = header.column(keys.get(i));
        sample.add(new java.util.ArrayList<>());
      }
      for (int r = 0; r < PROFILE_SAMPLE && header.next(); r++) {
        for (int i = 0; i < columns.length; i++) {
          sample.get(i).add(header.field(columns[i]));
        }
      }
      fileDelimiter = header.delimiter();
      warnIfRawLooksLikeAProfile(sample);
    }
    CsvRowSource source = new CsvRowSource(input, fileDelimiter, keys);
    int threads = scale.threads();
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("jointly-psi"));
    ProgressBar bar = new ProgressBar(err, quiet, psiRole.displayName());
    try (Compliance compliance = compliance(psiRole)) {
      Party psi = party(psiProtocol, psiRole, params, pool, threads, bar, pipeline);
      PreparedInput prepared;
      try {
        prepared = psi.prepare(source);
      } catch (InputException e) {
        throw CliException.input(locate(e));
      }
      try (prepared) {
        if (prepared.rowCount() == 0) {
          throw CliException.input(input + ": no data rows, only a header");
        }
        if (prepared.distinctItems() == 0) {
          throw CliException.input(
              input + ": no valid " + normalize + " identifier in column " + keyColumnNames()
                  + " (" + prepared.invalidRowsSkipped() + " rows skipped as invalid)");
        }
        if (prepared.resumed() && !quiet) {
          err.println(psiRole.displayName() + ": resuming the interrupted run in " + prepared.workDir());
        }
        PsiResult result;
        Receipt receipt;
        UnilateralRun localRun = null;
        AgreedOpener opener =
            new AgreedOpener(
                compliance,
                psiRole.displayName(),
                terms("psi", "ecdh-psi", params.revealMode().displayName(), prepared.rowCount()),
                () -> connection.open(psiRole, quiet ? null : err));
        SharedRowsWriter rows = output != null ? SharedRowsWriter.start(input, fileDelimiter, output) : null;
        try {
          try {
            result = psi.run(prepared, opener, rows != null ? rows : row -> {});
          } catch (Exception | Error e) {
            opener.fail(e);
            throw e;
          }
          // the receipt both parties sign comes before the output is committed: a run whose
          // receipt fails writes nothing
          receipt = opener.complete(learnedCounts(result));
          if (opener.run() == null) {
            // a resumed run with only local work left: no peer, so a receipt of this party alone
            String self = connection.self(psiRole);
            UnilateralRun local =
                compliance.unilateral(
                    connection.session,
                    psiRole.displayName(),
                    terms("psi", "ecdh-psi", params.revealMode().displayName(), prepared.rowCount()),
                    connection.peer != null ? connection.peer : psiRole.other().displayName(),
                    psiRole.other().displayName(),
                    self);
            receipt =
                local.complete(
                    learnedCounts(result),
                    result.peerSetSize(),
                    "a resumed run with only local work left: the peer was not contacted (the agreement"
                        + " and the exchange were in the interrupted run); its part is this party's account");
            localRun = local;
          }
          if (rows != null) {
            rows.commit(prepared.inputDigest());
          }
        } catch (OpenFailure e) {
          throw e.failure;
        } catch (InputException e) {
          throw keptHint(prepared, CliException.input(e.detail()));
        } catch (JointlyException e) {
          throw keptHint(prepared, e);
        } finally {
          if (rows != null) {
            rows.close();
          }
          opener.close();
        }
        if (report != null) {
          writeReport(
              result,
              localRun != null ? ComplianceReport.of(localRun, receipt) : ComplianceReport.of(opener.run(), receipt),
              report);
        }
        if (!quiet) {
          out.println(summary(result));
        }
        removeIfEmpty(scale.workDir);
        return 0;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One party of the chosen protocol, as the pipeline drives it. */
  private interface Party {
    PreparedInput prepare(RowSource source) throws InputException;

    PsiResult run(PreparedInput prepared, ChannelOpener opener, SharedRowSink sink) throws JointlyException;
  }

  private static Party party(
      PsiProtocol protocol,
      PsiRole role,
      EcdhPsiParameters params,
      ExecutorService pool,
      int threads,
      ProgressBar bar,
      PipelineOptions pipeline) {
    if (protocol == PsiProtocol.VOLE) {
      VolePsiParameters vole =
          VolePsiParameters.DEFAULT.toBuilder()
              .profile(params.profile())
              .keyColumns(params.keyColumns())
              .revealMode(params.revealMode())
              .invalidIdPolicy(params.invalidIdPolicy())
              .duplicatePolicy(params.duplicatePolicy())
              .minPeerSetSize(params.minPeerSetSize())
              .receiveTimeout(params.receiveTimeout())
              .build();
      VolePsi psi = new VolePsi(role, vole, pool, threads).withListener(bar).withOptions(pipeline);
      return new Party() {
        @Override
        public PreparedInput prepare(RowSource source) throws InputException {
          return psi.prepare(source);
        }

        @Override
        public PsiResult run(PreparedInput prepared, ChannelOpener opener, SharedRowSink sink) throws JointlyException {
          return psi.run(prepared, opener, sink);
        }
      };
    }
    EcdhPsi psi = new EcdhPsi(role, params, pool, threads).withListener(bar).withOptions(pipeline);
    return new Party() {
      @Override
      public PreparedInput prepare(RowSource source) throws InputException {
        return psi.prepare(source);
      }

      @Override
      public PsiResult run(PreparedInput prepared, ChannelOpener opener, SharedRowSink sink) throws JointlyException {
        return psi.run(prepared, opener, sink);
      }
    };
  }

  /** Writes the header and {@code rows} of {@code table} to {@code target}, atomically. */
  static void writeRows(CsvTable table, RowIndexes rows, Path target) throws java.io.IOException {
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

  /** Removes the work directory's parent when the run left it empty (it was made for the run). */
  static void removeIfEmpty(Path dir) {
    try {
      java.nio.file.Files.deleteIfExists(dir);
    } catch (IOException e) {
      // not empty (another run's files) or not ours to remove
    }
  }

  /**
   * Opens the channel when the PSI run asks for it and runs the run agreement on it first: the
   * protocol gets the agreed channel, whose close the run's end leaves to this opener, so the
   * agreement's closing rounds ({@link #complete}) still have the channel. A resumed run with only
   * local work left never asks for the channel: then there is no agreement and no receipt.
   */
  private static final class AgreedOpener implements ChannelOpener {
    /** Opens the raw channel to the peer. */
    interface Connect {
      MessageChannel open() throws CliException, JointlyException;
    }

    private final Compliance compliance;
    private final String role;
    private final RunTerms.Builder terms;
    private final Connect connect;
    private MessageChannel raw;
    private AgreedRun run;

    AgreedOpener(Compliance compliance, String role, RunTerms.Builder terms, Connect connect) {
      this.compliance = compliance;
      this.role = role;
      this.terms = terms;
      this.connect = connect;
    }

    @Override
    public MessageChannel open() throws JointlyException {
      try {
        raw = connect.open();
      } catch (CliException e) {
        throw new OpenFailure(e);
      }
      run = compliance.open(raw, role, terms);
      MessageChannel agreed = run.channel();
      return new MessageChannel() {
        @Override
        public String sessionId() {
          return agreed.sessionId();
        }

        @Override
        public String self() {
          return agreed.self();
        }

        @Override
        public String peer() {
          return agreed.peer();
        }

        @Override
        public void send(RoundKey key, Bytes payload) throws ChannelException {
          agreed.send(key, payload);
        }

        @Override
        public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
          return agreed.receive(key, timeout);
        }

        @Override
        public void close() {
          // the opener closes the channel after the agreement's closing rounds
        }
      };
    }

    /** The agreed run, or null if the run never connected. */
    AgreedRun run() {
      return run;
    }

    /** Records the run's failure in a one-sided receipt, if the parties had agreed it. */
    void fail(Throwable cause) {
      if (run != null) {
        run.fail(cause);
      }
    }

    /** Ends the agreed run with the receipt both sign, or returns null if the run never connected. */
    Receipt complete(Learned learned) throws JointlyException {
      return run == null ? null : run.complete(learned);
    }

    void close() {
      if (raw != null) {
        raw.close();
      }
    }
  }

  /** A connection failure of the CLI's own (TLS files, addresses), carried through the library. */
  private static final class OpenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final CliException failure;

    OpenFailure(CliException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  /** After a failure: says where the checkpoint is when the run can be resumed. */
  private <E extends Exception> E keptHint(PreparedInput prepared, E e) {
    if (prepared.keptForResume()) {
      if (!quiet) {
        err.println(); // ends the progress line
      }
      err.println(
          "jointly: the checkpoint of this run is kept in " + prepared.workDir() + ": run the same command"
              + " with --resume, at both parties, to continue it");
    }
    return e;
  }

  /** Names the lines of the rows an input error is about (the file is read again to find them). */
  String locate(InputException e) {
    if (e.kind() != InputException.Kind.INVALID_IDENTIFIER && e.kind() != InputException.Kind.DUPLICATE_IDENTIFIER) {
      return e.detail();
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("repeats row (\\d{1,19})").matcher(e.detail());
    long earlier = m.find() ? Long.parseLong(m.group(1)) - 1 : -1;
    long[] lines = CsvReader.linesOf(input, delimiter == null ? 0 : delimiter, e.row() - 1, earlier);
    return locate(e, row -> row == e.row() - 1 ? lines[0] : row == earlier ? lines[1] : -1);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * What a party in {@code role} learns in {@code mode}, in words for the compliance officer; a
   * resumed run also tells each party that the other restarted, and from which checkpoint.
   */
  static ReportText learned(PsiRole role, RevealMode mode, boolean resumed) {
    ReportText t = learned(role, mode);
    if (!resumed) {
      return t;
    }
    return new ReportText(
        t.en() + "; the run was resumed, so also that the " + role.other().displayName()
            + " restarted and from which checkpoint",
        t.zh() + "；本次运行曾中断后续跑，因此还获知" + ReportText.zhName(role.other()) + "曾重启及其续跑的检查点");
  }

  /** What the guarantees of {@code protocol} rest on, in words for the compliance officer. */
  static ReportText assumptions(PsiProtocol protocol) {
    return switch (protocol) {
      case ECDH -> new ReportText(
          "ECDH PSI, semi-honest parties: the decisional Diffie-Hellman problem in the suite's group,"
              + " with hashing to the group as a random oracle",
          "ECDH 隐私求交，半诚实模型：所选群上的判定性迪菲–赫尔曼（DDH）假设，散列到群视为随机预言机");
      case VOLE -> new ReportText(
          "VOLE PSI (Raghuraman-Rindal, CCS 2022), semi-honest parties: the dual LPN assumption for"
              + " the expand-accumulate code, fixed-key AES as an ideal permutation and AES and SHA-256"
              + " as random oracles, CDH in ristretto255 for the base OTs; at most a 2^-40 chance of a"
              + " false match or of a run ending in an encoding error",
          "VOLE 隐私求交（Raghuraman–Rindal，CCS 2022），半诚实模型：扩展–累加码的对偶 LPN 假设，固定密钥 AES"
              + " 视为理想置换，AES 与 SHA-256 视为随机预言机，基础 OT 依赖 ristretto255 上的 CDH 假设；"
              + "误匹配或因编码失败而中止的概率至多 2^-40");
    };
  }

  /** What a party in {@code role} learns in {@code mode}, in words for the compliance officer. */
  static ReportText learned(PsiRole role, RevealMode mode) {
    return PsiReport.learned(role, mode);
  }

  static void writeReport(PsiResult r, ComplianceReport compliance, Path target) throws java.io.IOException {
    Json.writeReport(PsiReport.ofRun(r, compliance), target);
  }

  /** What this party learned, for the receipt: counts only. */
  static Learned learnedCounts(PsiResult r) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("peer_set_size", (long) r.peerSetSize());
    r.intersectionSize().ifPresent(n -> counts.put("intersection_size", n));
    r.sharedRowCount().ifPresent(rows -> counts.put("shared_rows", rows));
    return Learned.of(learned(r.role(), r.revealMode(), r.resources().resumes() > 0).en(), counts);
  }

  static String summary(PsiResult r) {
    String shared =
        r.intersectionSize().isPresent()
            ? String.format(Locale.ROOT, "%,d shared", r.intersectionSize().getAsLong())
            : "intersection not revealed to this party";
    return String.format(
        Locale.ROOT,
        "%s: %s; own %,d, peer %,d distinct identifiers; %,d bytes sent, %,d received; %.1f s",
        r.role().displayName(),
        shared,
        r.ownSetSize(),
        r.peerSetSize(),
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        r.elapsed().toMillis() / 1000.0);
  }
}
