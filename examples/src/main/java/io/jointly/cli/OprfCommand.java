package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CHECKS;
import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.LIMITS;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.cli.HelpLayout.In;
import io.jointly.channel.MessageChannel;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.unbalanced.CacheDelta;
import io.jointly.psi.unbalanced.CacheEncoder;
import io.jointly.psi.unbalanced.CacheFetch;
import io.jointly.psi.unbalanced.CacheHeader;
import io.jointly.psi.unbalanced.CacheSpec;
import io.jointly.psi.unbalanced.IdentifierSource;
import io.jointly.psi.unbalanced.MembershipClient;
import io.jointly.psi.unbalanced.OprfCache;
import io.jointly.psi.unbalanced.OprfServerStore;
import io.jointly.psi.unbalanced.Purpose;
import io.jointly.psi.unbalanced.UnbalancedPsiParameters;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jointly oprf}: the cached-OPRF workflow around {@code jointly serve} — the partner encodes
 * its set and updates it; a client downloads the cache, keeps it current and checks identifiers
 * one at a time. Unbalanced PSI runs are {@code jointly psi --protocol oprf}.
 */
@Command(
    name = "oprf",
    mixinStandardHelpOptions = true,
    description = {
      "Encode, update, fetch and check a partner's cached OPRF set.",
      "For a partner set far larger than the bank's, or checks one customer at a time. The partner"
          + " encodes its set once under a secret OPRF key (encode, then update for changes) and serves"
          + " it with 'jointly serve'. A client downloads the encoded set, or only its changes (fetch;"
          + " apply for delta files), and checks identifiers one per line (check) or runs unbalanced PSI"
          + " ('jointly psi --protocol oprf'). The encoded set reveals the partner's set size and nothing"
          + " else; each check or run is counted against the client's daily budget.",
      "Run 'jointly oprf COMMAND --help' for each command's options."
    },
    customSynopsis = {"jointly oprf (encode | update | fetch | apply | check) [OPTIONS]"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  # the partner encodes its set (the key is created and sealed on first use)",
      "  jointly oprf encode --state state --input partner.csv --id phone \\",
      "      --normalize phone --key-passphrase-env OPRF_KEY_PASSPHRASE",
      "  # a client downloads the encoded set, then checks one identifier per line",
      "  jointly oprf fetch --connect partner.example.com:9450 --tls tls \\",
      "      --cache partner.jocache",
      "  jointly oprf check --connect partner.example.com:9450 --tls tls \\",
      "      --name bank-app --cache partner.jocache --purpose card-application \\",
      "      --input applicants.txt"
    },
    subcommands = {
      OprfCommand.Encode.class,
      OprfCommand.Update.class,
      OprfCommand.Fetch.class,
      OprfCommand.Apply.class,
      OprfCommand.Check.class
    })
final class OprfCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A file's identifier rows and how many there are. */
  record Rows(IdentifierSource source, long count) {}

  /**
   * The identifier columns of a CSV file as a source that streams the file (one record in memory at
   * a time), with its number of data rows for progress (a first pass that only splits records).
   */
  static Rows identifiers(Path file, List<String> idColumns, Character delimiter) throws CliException {
    List<String> keys = idColumns.stream().map(String::trim).toList();
    char fileDelimiter;
    long count = 0;
    try (CsvReader r = CsvReader.open(file, delimiter == null ? 0 : delimiter)) {
      for (String k : keys) {
        r.column(k);
      }
      fileDelimiter = r.delimiter();
      while (r.next()) {
        count++;
      }
    }
    return new Rows(IdentifierSource.of(new CsvRowSource(file, fileDelimiter, keys), keys.size()), count);
  }

  static String where(Path file, InputException e) {
    return file + (e.row() >= 1 ? ": data row " + e.row() : "") + ": " + e.getMessage().replaceFirst("^[A-Z_]+( at row \\d+)?: ", "");
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description = {
        "Encode the partner's set under its OPRF key for clients to download.",
        "Creates the key on first use and keeps it sealed in the --state directory; --rotate-key"
            + " draws a new one, after which every client must download the encoded set anew. The"
            + " encoded set holds 6 bytes per identifier and a false match has probability at most"
            + " 2^-40 per check. 'jointly serve' serves what this writes."
      },
      customSynopsis = {
        "jointly oprf encode --state DIR --input FILE --id COL --normalize PROFILE",
        "                    (--key-passphrase-env VAR | --key-file FILE) [OPTIONS]"
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  jointly oprf encode --state state --input partner.csv --id phone \\",
        "      --normalize phone --key-file /run/secrets/oprf-kek"
      })
  static final class Encode implements Callable<Integer> {
    @In(INPUT)
    @Option(names = "--state", paramLabel = "DIR", required = true, description = "The server's state directory (created if missing).")
    Path state;

    @In(INPUT)
    @Option(names = "--input", paramLabel = "FILE", required = true, description = "The set: a CSV file with a header.")
    Path input;

    @In(INPUT)
    @Option(names = "--id", paramLabel = "COL", required = true, split = ",", description = "Identifier column(s).")
    List<String> id;

    @In(PROTOCOL)
    @Option(names = "--normalize", paramLabel = "PROFILE", required = true, description = "phone, email, cn-id or raw (clients use the same).")
    String normalize;

    @In(CONNECTION)
    @Option(names = "--name", paramLabel = "NAME", defaultValue = "partner", description = "This party's name in its certificate (default ${DEFAULT-VALUE}).")
    String name;

    @In(OUTPUT)
    @Option(names = "--rotate-key", description = "Draw a new OPRF key: every client must download the new cache.")
    boolean rotateKey;

    @In(OUTPUT)
    @Option(names = "--capacity-log2", paramLabel = "K", defaultValue = "0", description = "Capacity 2^K entries (10..32); 0: twice the set, rounded up (default).")
    int capacityLog2;

    @In(CHECKS)
    @Option(names = "--invalid-ids", paramLabel = "POLICY", defaultValue = "fail", description = "fail or skip invalid identifiers (default ${DEFAULT-VALUE}).")
    String invalidIds;

    @In(OUTPUT)
    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the external sort's files go (default: the state directory).")
    Path workDir;

    @In(INPUT)
    @Option(names = "--delimiter", paramLabel = "CHAR", description = "CSV delimiter (default: detected).")
    Character delimiter;

    @Mixin KeySealingOptions sealing = new KeySealingOptions();

    @In(OUTPUT)
    @Option(names = "--quiet", description = "No progress or summary output.")
    boolean quiet;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
      IdentifierProfile profile = AlignedCommand.option("--normalize", () -> IdentifierProfile.fromName(normalize));
      CacheSpec spec;
      try {
        spec = new CacheSpec(name, profile, id.size(), invalidPolicy(invalidIds), capacityLog2);
      } catch (IllegalArgumentException e) {
        throw AlignedCommand.usage(e.getMessage());
      }
      OprfServerStore store = OprfServerStore.open(state, sealing.sealing());
      Rows rows = identifiers(input, id, delimiter);
      int cores = Runtime.getRuntime().availableProcessors();
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      try {
        CountBar bar = new CountBar(Terminal.of(err), quiet, name + " encode", "rows");
        CacheEncoder encoder =
            new CacheEncoder(pool, cores, workDir != null ? workDir : state).withListener(n -> bar.update(n, rows.count()));
        CacheEncoder.Result r;
        try {
          try (IdentifierSource source = rows.source()) {
            r = store.encode(encoder, spec, source, rotateKey);
          }
        } catch (InputException e) {
          throw CliException.input(where(input, e));
        }
        if (!quiet) {
          CacheHeader h = r.header();
          out.printf(
              Locale.ROOT,
              "%s: encoded %,d identifiers (%,d rows, %,d invalid skipped, %,d repeated) under key %s in %.1f s%n"
                  + "cache: %s, %,d bytes (%.2f bytes per identifier), capacity 2^%d, false positives <= 2^-40 per check%n",
              name, h.count(), r.rows(), r.invalidRowsSkipped(), r.duplicates(), h.keyId().toHex(),
              r.elapsed().toMillis() / 1000.0, store.current().cacheFile(), r.fileBytes(),
              h.count() == 0 ? 0.0 : (double) r.fileBytes() / h.count(), h.layout().capacityLog2());
        }
        return 0;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  static InvalidIdPolicy invalidPolicy(String v) throws CliException {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> InvalidIdPolicy.FAIL;
      case "skip" -> InvalidIdPolicy.SKIP;
      default -> throw AlignedCommand.usage("--invalid-ids must be fail or skip");
    };
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Add identifiers to and remove identifiers from the encoded set.",
        "Writes the next version as a delta that clients download instead of the whole set."
            + " Additions already in the set and removals not in it are counted and ignored."
      },
      customSynopsis = {
        "jointly oprf update --state DIR (--add FILE | --remove FILE) --id COL",
        "                    (--key-passphrase-env VAR | --key-file FILE) [OPTIONS]"
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  jointly oprf update --state state --add new-users.csv --remove closed.csv \\",
        "      --id phone --key-file /run/secrets/oprf-kek"
      })
  static final class Update implements Callable<Integer> {
    @In(INPUT)
    @Option(names = "--state", paramLabel = "DIR", required = true, description = "The server's state directory.")
    Path state;

    @In(INPUT)
    @Option(names = "--add", paramLabel = "FILE", description = "Identifiers to add: a CSV file with a header.")
    Path add;

    @In(INPUT)
    @Option(names = "--remove", paramLabel = "FILE", description = "Identifiers to remove: a CSV file with a header.")
    Path remove;

    @In(INPUT)
    @Option(names = "--id", paramLabel = "COL", required = true, split = ",", description = "Identifier column(s) of both files.")
    List<String> id;

    @In(CHECKS)
    @Option(names = "--invalid-ids", paramLabel = "POLICY", defaultValue = "fail", description = "fail or skip invalid identifiers (default ${DEFAULT-VALUE}).")
    String invalidIds;

    @In(INPUT)
    @Option(names = "--delimiter", paramLabel = "CHAR", description = "CSV delimiter (default: detected).")
    Character delimiter;

    @Mixin KeySealingOptions sealing = new KeySealingOptions();

    @In(OUTPUT)
    @Option(names = "--quiet", description = "No summary output.")
    boolean quiet;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
      if (add == null && remove == null) {
        throw AlignedCommand.usage("give --add, --remove or both");
      }
      InvalidIdPolicy policy = invalidPolicy(invalidIds);
      OprfServerStore store = OprfServerStore.open(state, sealing.sealing());
      IdentifierSource adds = add == null ? IdentifierSource.of(List.of()) : identifiers(add, id, delimiter).source();
      IdentifierSource removes =
          remove == null ? IdentifierSource.of(List.of()) : identifiers(remove, id, delimiter).source();
      int cores = Runtime.getRuntime().availableProcessors();
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      try {
        OprfServerStore.Update u;
        try {
          try (adds; removes) {
            u = store.update(new CacheEncoder(pool, cores, state), adds, removes, policy);
          }
        } catch (InputException e) {
          throw CliException.input("--add/--remove: " + e.getMessage());
        }
        if (!quiet) {
          out.printf(
              Locale.ROOT,
              "version %d: %,d identifiers (+%,d, -%,d; %,d already present, %,d not present); delta %s (%,d bytes)%n",
              u.header().version(), u.header().count(), u.added(), u.removed(), u.alreadyPresent(), u.notPresent(),
              u.deltaFile(), Files.size(u.deltaFile()));
        }
        return 0;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** The client side's connection: where the server is and who this party is. */
  static final class ClientConnection {
    @In(CONNECTION)
    @Option(names = "--connect", paramLabel = "HOST:PORT", required = true, description = "The server's HOST:PORT.")
    String connect;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ConnectionOptions.Security security;

    @In(CONNECTION)
    @Option(names = "--name", paramLabel = "NAME", defaultValue = "bank", description = "This party's name in its certificate (default ${DEFAULT-VALUE}).")
    String name;

    @In(CONNECTION)
    @Option(names = "--peer", paramLabel = "NAME", defaultValue = "partner", description = "The server's name in its certificate (default ${DEFAULT-VALUE}).")
    String peer;

    @In(CONNECTION)
    @Option(
        names = "--timeout", paramLabel = "DURATION",
        defaultValue = "120s",
        converter = ConnectionOptions.DurationConverter.class,
        description = "Dead-peer bound: how long the server may give no sign of life before this party gives up"
            + " (exit 4); a server busy evaluating is waited for (default ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    @In(CONNECTION)
    @Option(
        names = "--connect-timeout", paramLabel = "DURATION",
        defaultValue = "120s",
        converter = ConnectionOptions.DurationConverter.class,
        description = "How long to keep trying to reach the server (default ${DEFAULT-VALUE}).")
    java.time.Duration connectTimeout;

    /** Opens a channel with a fresh session id (each membership session, each download). */
    MembershipClient.Connector connector() throws CliException {
      TransportSecurity sec = ConnectionOptions.security(security, name);
      var target = ConnectionOptions.parse(connect, "--connect");
      TransportOptions options = ConnectionOptions.transportOptions(timeout, connectTimeout);
      return () -> {
        try {
          return GrpcTransport.connect(target, sec, "oprf-" + UUID.randomUUID(), peer, options);
        } catch (IllegalArgumentException e) {
          throw new io.jointly.core.ChannelException(io.jointly.core.ChannelException.Kind.IO, e.getMessage());
        }
      };
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Download the partner's encoded set, or only its changes.",
        "Brings the --cache file to the partner's current version: the deltas since its version if"
            + " the partner still has them, else the whole set. Run it before a campaign run, or when a"
            + " check or run reports that the partner's set changed. It spends no budget."
      },
      customSynopsis = {
        "jointly oprf fetch --connect HOST:PORT (--tls DIR | --insecure)",
        "                   --cache FILE [OPTIONS]"
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  jointly oprf fetch --connect partner.example.com:9450 --tls tls \\",
        "      --cache partner.jocache"
      })
  static final class Fetch implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ClientConnection connection;

    @In(INPUT)
    @Option(names = "--cache", paramLabel = "FILE", required = true, description = "The cache file (created or brought up to date).")
    Path cache;

    @In(LIMITS)
    @Option(names = "--purpose", paramLabel = "PURPOSE", defaultValue = "cache-download", description = "The purpose named to the server (default ${DEFAULT-VALUE}).")
    String purpose;

    @In(LIMITS)
    @Option(names = "--max-download", paramLabel = "SIZE", defaultValue = "16g", description = "The most to download, e.g. 500m or 16g (default ${DEFAULT-VALUE}).")
    String maxDownload;

    @In(OUTPUT)
    @Option(names = "--quiet", description = "No summary output.")
    boolean quiet;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
      long max = bytes(maxDownload);
      UnbalancedPsiParameters params =
          UnbalancedPsiParameters.forPurpose(ServeCommand.purpose(purpose, "--purpose"))
              .withReceiveTimeout(connection.timeout);
      CacheFetch.Result r;
      try (MessageChannel ch = connection.connector().connect()) {
        r = CacheFetch.run(cache, params, max, ch);
      }
      if (!quiet) {
        out.printf(
            Locale.ROOT,
            "%s: %s version %d of %s's set (%,d identifiers), %,d bytes received%n",
            cache,
            r.full() ? "downloaded" : r.files() == 0 ? "already at" : "updated by " + r.files() + " delta(s) to",
            r.header().version(), r.header().serverName(), r.header().count(), r.traffic().bytesReceived());
      }
      return 0;
    }

    static long bytes(String v) throws CliException {
      try {
        return ScaleOptions.parseSize(v);
      } catch (IllegalArgumentException e) {
        throw AlignedCommand.usage("--max-download must be a size such as 500m or 16g, got " + v);
      }
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Apply delta files, in version order, to an encoded set.",
        "For deltas delivered as files rather than by 'jointly oprf fetch'. A delta of another"
            + " partner, key or encoding, or one that does not follow the file's version, is refused."
      },
      customSynopsis = {"jointly oprf apply --cache FILE --delta FILE [--delta FILE...] [OPTIONS]"},
      footerHeading = "%nExamples:%n",
      footer = {
        "  jointly oprf apply --cache partner.jocache --delta delta-v1.jodelta \\",
        "      --delta delta-v2.jodelta"
      })
  static final class Apply implements Callable<Integer> {
    @In(INPUT)
    @Option(names = "--cache", paramLabel = "FILE", required = true, description = "The cache file (replaced by the new version).")
    Path cache;

    @In(INPUT)
    @Option(names = "--delta", paramLabel = "FILE", required = true, description = "A delta file; repeat in version order.")
    List<Path> deltas;

    @In(OUTPUT)
    @Option(names = "--quiet", description = "No summary output.")
    boolean quiet;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
      CacheHeader h = null;
      for (Path d : deltas) {
        CacheDelta delta = CacheDelta.read(d);
        Path next = cache.resolveSibling(cache.getFileName() + ".next");
        try (OprfCache c = OprfCache.open(cache)) {
          h = delta.apply(c, next);
        } catch (InputException e) {
          Files.deleteIfExists(next);
          throw CliException.input(d + ": " + e.getMessage());
        }
        Files.move(next, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      if (!quiet) {
        out.printf(Locale.ROOT, "%s: version %d, %,d identifiers%n", cache, h.version(), h.count());
      }
      return 0;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Check identifiers one at a time against the partner's set.",
        "Reads one identifier per line (from --input, or standard input) and prints yes, no or"
            + " invalid for each, in order. Each check spends one evaluation of the day's budget for"
            + " --purpose; the partner learns that a check was made, never which identifier. A spent"
            + " budget ends the run with exit code 4 until midnight UTC."
      },
      customSynopsis = {
        "jointly oprf check --connect HOST:PORT (--tls DIR | --insecure)",
        "                   --cache FILE --purpose PURPOSE [OPTIONS]"
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  jointly oprf check --connect partner.example.com:9450 --tls tls \\",
        "      --name bank-app --cache partner.jocache --purpose card-application \\",
        "      --input applicants.txt"
      })
  static final class Check implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ClientConnection connection;

    @In(INPUT)
    @Option(names = "--cache", paramLabel = "FILE", required = true, description = "The cache file ('jointly oprf fetch').")
    Path cache;

    @In(LIMITS)
    @Option(names = "--purpose", paramLabel = "PURPOSE", required = true, description = "Why: the purpose the partner budgets, e.g. card-application.")
    String purpose;

    @In(INPUT)
    @Option(names = "--input", paramLabel = "FILE", description = "A file with one identifier per line (default: standard input).")
    Path input;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
      UnbalancedPsiParameters params =
          UnbalancedPsiParameters.forPurpose(ServeCommand.purpose(purpose, "--purpose"))
              .withReceiveTimeout(connection.timeout);
      long yes = 0;
      long no = 0;
      long invalid = 0;
      try (OprfCache c = OprfCache.open(cache);
          BufferedReader in =
              input != null
                  ? Files.newBufferedReader(input, StandardCharsets.UTF_8)
                  : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          MembershipClient client = MembershipClient.open(c, params, connection.connector())) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          try {
            boolean member = client.contains(line);
            out.println(member ? "yes" : "no");
            if (member) {
              yes++;
            } else {
              no++;
            }
          } catch (InputException e) {
            if (e.kind() != InputException.Kind.INVALID_IDENTIFIER) {
              throw e;
            }
            out.println("invalid");
            invalid++;
          }
          out.flush();
        }
        MembershipClient.Usage u = client.usage();
        err.printf(Locale.ROOT, "%,d checks: %,d yes, %,d no, %,d invalid; budget for %s today: %,d of %,d used%n",
            yes + no + invalid, yes, no, invalid, purpose, u.used(), u.limit());
        return 0;
      } catch (ProtocolAbortException e) {
        if (e.reason() == ProtocolAbortException.Reason.BUDGET_EXHAUSTED) {
          err.printf(Locale.ROOT, "%,d checks answered before the budget ran out%n", yes + no + invalid);
        }
        throw e;
      }
    }
  }
}
