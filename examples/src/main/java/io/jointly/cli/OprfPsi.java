package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.channel.MessageChannel;
import io.jointly.core.InputException;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.unbalanced.CacheHeader;
import io.jointly.psi.unbalanced.OprfCache;
import io.jointly.psi.unbalanced.UnbalancedPsiClient;
import io.jointly.psi.unbalanced.UnbalancedPsiParameters;
import io.jointly.psi.unbalanced.UnbalancedPsiResult;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code jointly psi --protocol oprf}: the bank's side of unbalanced PSI against the partner's
 * OPRF service. It takes the same input, identifier, output, report and resource options as any
 * PSI run, so the steps after it do not care which protocol found the shared customers, and like
 * any PSI run it streams: the bank's file is read once through the PSI pipeline (within
 * {@code --memory}, the rest in {@code --work-dir}), its items go through the batches as they are
 * read, and the shared rows are copied from a second pass over the file. Runs do not checkpoint
 * (the partner charges the evaluations at the handshake), so {@code --resume} and {@code
 * --checkpoint-key} are refused.
 *
 * <p>Why an option of {@code psi} and not a command of its own: for the bank it is the same task
 * with the same inputs and outputs (its shared rows, a report); only where the partner's set comes
 * from differs. The partner's side is not a run but {@code jointly serve}, which keeps the key and
 * the budgets in one long-running process.
 */
final class OprfPsi {
  /** The purpose whose budget a run spends when {@code --purpose} is not given. */
  static final String DEFAULT_PURPOSE = "weekly-campaign";

  private OprfPsi() {}

  static int run(PsiCommand c) throws Exception {
    if (AlignedCommand.parseRole(c.role) != PsiRole.BANK) {
      throw AlignedCommand.usage(
          "--protocol oprf: only the bank runs 'jointly psi'; the partner runs 'jointly serve'");
    }
    if (c.connection.where.connect == null) {
      throw AlignedCommand.usage("--protocol oprf: --connect to the partner's 'jointly serve'");
    }
    if (c.cache == null) {
      throw AlignedCommand.usage("--protocol oprf needs --cache (download it with 'jointly oprf fetch')");
    }
    if (!c.suite.trim().equalsIgnoreCase("ristretto255")) {
      throw AlignedCommand.usage("--protocol oprf runs on ristretto255 only (RFC 9497 ristretto255-SHA512)");
    }
    RevealMode mode = AlignedCommand.option("--reveal", () -> RevealMode.fromName(c.reveal));
    if (mode != RevealMode.BANK) {
      throw AlignedCommand.usage("--protocol oprf: only the bank learns, so --reveal must be bank");
    }
    IdentifierProfile profile = AlignedCommand.option("--normalize", () -> IdentifierProfile.fromName(c.normalize));
    c.checkOutput(c.output, "--output");
    c.checkOutput(c.report, "--report");
    if (c.minPeerSize < 0) {
      throw AlignedCommand.usage("--min-peer-size must be 0 or more");
    }
    UnbalancedPsiParameters params;
    try {
      params =
          UnbalancedPsiParameters.forPurpose(ServeCommand.purpose(
                  c.complianceOptions.campaign == null ? DEFAULT_PURPOSE : c.complianceOptions.campaign,
                  "--purpose"))
              .withMinServerSetSize(c.minPeerSize)
              .withReceiveTimeout(c.connection.timeout)
              .withPolicies(invalid(c.invalidIds), duplicates(c.duplicates));
    } catch (IllegalArgumentException e) {
      throw AlignedCommand.usage(e.getMessage());
    }
    try (OprfCache cache = OprfCache.open(c.cache)) {
      CacheHeader h = cache.header();
      if (h.profile() != profile) {
        throw AlignedCommand.usage(
            "--normalize " + c.normalize + ": the partner's cache was encoded with " + h.profile().displayName());
      }
      if (h.keyColumns() != c.idColumns.size()) {
        throw AlignedCommand.usage("--id: the partner's cache has " + h.keyColumns() + " key column(s)");
      }
      if (c.scale.resume || c.scale.checkpointKey != null) {
        throw AlignedCommand.usage(
            "--protocol oprf runs do not checkpoint (the partner charges the run at its start): drop --resume and"
                + " --checkpoint-key");
      }
      List<String> keys = c.idColumns.stream().map(String::trim).toList();
      char fileDelimiter;
      try (CsvReader header = CsvReader.open(c.input, c.delimiter == null ? 0 : c.delimiter)) {
        for (String k : keys) {
          header.column(k);
        }
        fileDelimiter = header.delimiter();
      }
      CsvRowSource source = new CsvRowSource(c.input, fileDelimiter, keys);
      PipelineOptions pipeline = c.scale.pipeline(PsiRole.BANK, c.connection.session, null).withCheckpointKey(null);
      int threads = c.scale.threads();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        UnbalancedPsiClient client =
            new UnbalancedPsiClient(params, pool, threads)
                .withListener(new ProgressBar(c.err, c.quiet, "bank"))
                .withOptions(pipeline);
        String self = c.connection.name != null ? c.connection.name : "bank";
        String peer = c.connection.peer != null ? c.connection.peer : "partner";
        TransportOptions options = ConnectionOptions.transportOptions(c.connection.timeout, c.connection.connectTimeout);
        TransportSecurity security = c.connection.security(self);
        var target = ConnectionOptions.parse(c.connection.where.connect, "--connect");
        UnbalancedPsiResult r;
        PreparedInput prepared;
        try {
          prepared = client.prepare(source, cache);
        } catch (InputException e) {
          throw CliException.input(c.locate(e));
        }
        try (prepared) {
          if (prepared.rowCount() == 0) {
            throw CliException.input(c.input + ": no data rows, only a header");
          }
          SharedRowsWriter rows = c.output != null ? SharedRowsWriter.start(c.input, fileDelimiter, c.output) : null;
          try {
            r =
                client.run(
                    prepared,
                    cache,
                    () -> {
                      if (!c.quiet) {
                        c.err.println(self + ": connecting to " + peer + " at " + c.connection.where.connect);
                      }
                      return GrpcTransport.connect(
                          target, security, c.connection.session + "-" + UUID.randomUUID(), peer, options);
                    },
                    rows != null ? rows : row -> {});
            if (rows != null) {
              rows.commit(prepared.inputDigest());
            }
          } catch (InputException e) {
            throw e.row() >= 1 ? CliException.input(c.locate(e)) : e;
          } finally {
            if (rows != null) {
              rows.close();
            }
          }
        }
        PsiCommand.removeIfEmpty(c.scale.workDir);
        if (c.report != null) {
          Json.writeReport(report(r), c.report);
        }
        if (!c.quiet) {
          c.out.printf(
              Locale.ROOT,
              "bank: %,d shared; own %,d, partner %,d distinct identifiers (cache version %d); %,d bytes sent, %,d"
                  + " received; budget for %s today: %,d of %,d; %.1f s%n",
              r.intersectionSize(), r.ownSetSize(), r.serverSetSize(), r.cache().version(), r.traffic().bytesSent(),
              r.traffic().bytesReceived(), params.purpose(), r.budgetUsed(), r.budgetLimit(),
              r.elapsed().toMillis() / 1000.0);
        }
        return 0;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The report of a {@code psi --protocol oprf} run: the fields of any PSI report this run has,
   * the cache it ran against and the budget it spent, and what each party learned.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Report(
      String protocol,
      String role,
      String suite,
      String revealMode,
      long intersectionSize,
      long ownSize,
      long peerSize,
      long inputRows,
      long invalidRowsSkipped,
      long duplicateRows,
      long sharedRows,
      long cacheVersion,
      String cacheKeyId,
      long budgetUsedToday,
      long budgetDailyLimit,
      long bytesSent,
      long bytesReceived,
      double elapsedSeconds,
      String learned,
      String learnedZh,
      String peerLearned,
      String peerLearnedZh) {}

  static Report report(UnbalancedPsiResult r) {
    ReportText learned =
        new ReportText(
            "which of its own rows are in the partner's set, and the partner's set size",
            "自身哪些记录在合作方的集合中，以及合作方的集合规模");
    ReportText peerLearned =
        new ReportText("only the bank's set size (and the run's purpose)", "仅银行的集合规模（及本次运行的用途）");
    return new Report(
        "oprf-psi",
        "bank",
        "ristretto255-SHA512",
        "bank",
        r.intersectionSize(),
        r.ownSetSize(),
        r.serverSetSize(),
        r.input().rows(),
        r.input().invalidRowsSkipped(),
        r.input().duplicateRows(),
        r.sharedRowCount(),
        r.cache().version(),
        r.cache().keyId().toHex(),
        r.budgetUsed(),
        r.budgetLimit(),
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        Reports.seconds(r.elapsed()),
        learned.en(),
        learned.zh(),
        peerLearned.en(),
        peerLearned.zh());
  }

  private static InvalidIdPolicy invalid(String v) throws CliException {
    return OprfCommand.invalidPolicy(v);
  }

  private static DuplicatePolicy duplicates(String v) throws CliException {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "reject" -> DuplicatePolicy.REJECT;
      case "deduplicate" -> DuplicatePolicy.DEDUPLICATE;
      default -> throw AlignedCommand.usage("--duplicates must be reject or deduplicate");
    };
  }
}
