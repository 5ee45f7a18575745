package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.LIMITS;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jointly.cli.HelpLayout.In;
import io.jointly.channel.MessageChannel;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.RunStats;
import java.io.IOException;
import java.nio.file.Path;
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
 * {@code jointly psi}: one party of ECDH private set intersection, run against the other party's
 * process over mutual TLS.
 */
@Command(
    name = "psi",
    mixinStandardHelpOptions = true,
    description = {
      "Find the shared customers; neither party sees the other's list.",
      "Both parties run it at the same time, the bank with --role bank and the partner with --role"
          + " partner; one of them listens (--listen), the other connects (--connect). The handshake"
          + " checks that both give the same --normalize, --suite, --reveal and number of --id"
          + " columns before any identifier moves.",
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


  @In(PROTOCOL)
  @Option(
      names = "--protocol",
      defaultValue = "ecdh",
      paramLabel = "PROTOCOL",
      description = "ecdh (both parties bring their sets) or oprf (the bank's set against the partner's"
          + " encoded set, served by 'jointly serve'), as above (default ${DEFAULT-VALUE}).")
  String protocol;

  @In(INPUT)
  @Option(
      names = "--cache",
      paramLabel = "FILE",
      description = "With --protocol oprf: the partner's encoded set, from 'jointly oprf fetch'.")
  Path cache;

  @In(LIMITS)
  @Option(
      names = "--purpose",
      defaultValue = "weekly-campaign",
      paramLabel = "PURPOSE",
      description = "With --protocol oprf: the purpose whose daily budget the run spends (default ${DEFAULT-VALUE}).")
  String purpose;

  @Override
  public Integer call() throws Exception {
    switch (protocol.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "ecdh" -> {
        if (cache != null) {
          throw usage("--cache belongs to --protocol oprf");
        }
      }
      case "oprf" -> {
        return OprfPsi.run(this);
      }
      default -> throw usage("--protocol must be ecdh or oprf");
    }
    PsiRole psiRole = parseRole(role);
    EcdhPsiParameters params = parameters(option("--reveal", "bank, both or count", () -> RevealMode.fromName(reveal)));
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
    try {
      EcdhPsi psi = new EcdhPsi(psiRole, params, pool, threads).withListener(bar).withOptions(pipeline);
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
        SharedRowsWriter rows = output != null ? SharedRowsWriter.start(input, fileDelimiter, output) : null;
        try {
          result =
              psi.run(
                  prepared,
                  () -> {
                    try {
                      return connection.open(psiRole, quiet ? null : err);
                    } catch (CliException e) {
                      throw new OpenFailure(e);
                    }
                  },
                  rows != null ? rows : row -> {});
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
        }
        if (report != null) {
          writeReport(result, report);
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

  static Map<String, Object> reportFields(PsiResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", "ecdh-psi");
    m.put("role", r.role().displayName());
    m.put("suite", r.suite().displayName());
    m.put("reveal_mode", r.revealMode().displayName());
    if (r.intersectionSize().isPresent()) {
      m.put("intersection_size", r.intersectionSize().getAsLong());
    }
    m.put("own_size", r.ownSetSize());
    m.put("peer_size", r.peerSetSize());
    m.put("input_rows", r.input().rows());
    m.put("invalid_rows_skipped", r.input().invalidRowsSkipped());
    m.put("duplicate_rows", r.input().duplicateRows());
    r.sharedRowCount().ifPresent(rows -> m.put("shared_rows", rows));
    m.put("bytes_sent", r.traffic().bytesSent());
    m.put("bytes_received", r.traffic().bytesReceived());
    m.put("elapsed_seconds", Math.round(r.elapsed().toMillis() / 10.0) / 100.0);
    resources(m, r);
    boolean resumed = r.resources().resumes() > 0;
    learned(r.role(), r.revealMode(), resumed).put(m, "learned");
    learned(r.role().other(), r.revealMode(), resumed).put(m, "peer_learned");
    return m;
  }

  /** Threads, memory, disk, time per stage and the rate per core: how the run used this machine. */
  static void resources(Map<String, Object> m, PsiResult r) {
    RunStats s = r.resources();
    double seconds = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
    m.put("threads", s.threads());
    m.put("memory_budget_bytes", s.memoryBudgetBytes());
    m.put("peak_heap_bytes", s.peakHeapBytes());
    m.put("peak_live_heap_bytes", s.peakLiveHeapBytes());
    m.put("peak_work_dir_bytes", s.peakWorkDirBytes());
    Map<String, Object> stages = new LinkedHashMap<>();
    s.stages().forEach((k, v) -> stages.put(k, Math.round(v.toMillis() / 10.0) / 100.0));
    m.put("stage_seconds", stages);
    m.put(
        "items_per_second_per_core",
        Math.round((r.ownSetSize() + r.peerSetSize()) / seconds / s.threads() * 10.0) / 10.0);
    m.put("resumes", s.resumes());
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

  /** What a party in {@code role} learns in {@code mode}, in words for the compliance officer. */
  static ReportText learned(PsiRole role, RevealMode mode) {
    String other = role.other().displayName();
    String otherZh = ReportText.zhName(role.other());
    if (mode.revealsRowsTo(role)) {
      return new ReportText(
          "which of its own rows are shared, and the " + other + "'s set size",
          "自身哪些记录属于共同客户，以及" + otherZh + "的集合规模");
    }
    if (mode.revealsSizeTo(role)) {
      return new ReportText(
          "how many identifiers are shared, and the " + other + "'s set size",
          "共同标识的数量，以及" + otherZh + "的集合规模");
    }
    return new ReportText("only the " + other + "'s set size", "仅" + otherZh + "的集合规模");
  }

  static void writeReport(PsiResult r, Path target) throws java.io.IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String json = mapper.writeValueAsString(reportFields(r));
    AtomicOutput.write(target, w -> w.write(json + "\n"));
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
