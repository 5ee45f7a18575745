package io.jointly.cli;

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
      "Cached-OPRF matching: the partner encodes its large set once (encode, update) and serves it",
      "('jointly serve'); clients download the encoded set (fetch, apply) and check one identifier",
      "at a time (check) or run unbalanced PSI ('jointly psi --protocol oprf')."
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
  record Rows(IdentifierSource source, int count) {}

  /**
   * The identifier columns of a CSV file, as a source. The file is read whole (CsvTable) until the
   * streaming row source of the bank-scale PSI work lands; the encoder itself streams.
   */
  static Rows identifiers(Path file, List<String> idColumns, Character delimiter) throws CliException {
    CsvTable table = CsvTable.read(file, delimiter == null ? 0 : delimiter);
    List<List<String>> columns = new ArrayList<>();
    for (String c : idColumns) {
      columns.add(table.columnValues(table.column(c.trim())));
    }
    return new Rows(IdentifierSource.of(io.jointly.psi.PsiInput.ofColumns(columns)), table.rowCount());
  }

  static String where(Path file, InputException e) {
    return file + (e.row() >= 1 ? ": data row " + e.row() : "") + ": " + e.getMessage().replaceFirst("^[A-Z_]+( at row \\d+)?: ", "");
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description = {
        "Encode the partner's set under its OPRF key into a cache clients download once.",
        "Creates the key (sealed) on first use; --rotate-key draws a new one, which invalidates",
        "every client's cache. Writes into the --state directory that 'jointly serve' reads."
      })
  static final class Encode implements Callable<Integer> {
    @Option(names = "--state", required = true, description = "The server's state directory (created if missing).")
    Path state;

    @Option(names = "--input", required = true, description = "The set: a CSV file with a header.")
    Path input;

    @Option(names = "--id", required = true, split = ",", description = "Identifier column(s).")
    List<String> id;

    @Option(names = "--normalize", required = true, description = "phone, email, cn-id or raw (clients use the same).")
    String normalize;

    @Option(names = "--name", defaultValue = "partner", description = "This party's name in its certificate (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--rotate-key", description = "Draw a new OPRF key: every client must download the new cache.")
    boolean rotateKey;

    @Option(names = "--capacity-log2", defaultValue = "0", description = "Capacity 2^K entries (10..32); 0: twice the set, rounded up (default).")
    int capacityLog2;

    @Option(names = "--invalid-ids", defaultValue = "fail", description = "fail or skip invalid identifiers (default ${DEFAULT-VALUE}).")
    String invalidIds;

    @Option(names = "--work-dir", description = "Where the external sort's files go (default: the state directory).")
    Path workDir;

    @Option(names = "--delimiter", description = "CSV delimiter (default: detected).")
    Character delimiter;

    @Mixin KeySealingOptions sealing = new KeySealingOptions();

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
        CountBar bar = new CountBar(err, quiet, name + " encode", "rows");
        CacheEncoder encoder =
            new CacheEncoder(pool, cores, workDir != null ? workDir : state).withListener(n -> bar.update(n, rows.count()));
        CacheEncoder.Result r;
        try {
          r = store.encode(encoder, spec, rows.source(), rotateKey);
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
        "Add identifiers to and remove identifiers from the partner's encoded set: writes a delta",
        "(the next version) that clients download instead of the whole cache."
      })
  static final class Update implements Callable<Integer> {
    @Option(names = "--state", required = true, description = "The server's state directory.")
    Path state;

    @Option(names = "--add", description = "Identifiers to add: a CSV file with a header.")
    Path add;

    @Option(names = "--remove", description = "Identifiers to remove: a CSV file with a header.")
    Path remove;

    @Option(names = "--id", required = true, split = ",", description = "Identifier column(s) of both files.")
    List<String> id;

    @Option(names = "--invalid-ids", defaultValue = "fail", description = "fail or skip invalid identifiers (default ${DEFAULT-VALUE}).")
    String invalidIds;

    @Option(names = "--delimiter", description = "CSV delimiter (default: detected).")
    Character delimiter;

    @Mixin KeySealingOptions sealing = new KeySealingOptions();

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
          u = store.update(new CacheEncoder(pool, cores, state), adds, removes, policy);
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
    @Option(names = "--connect", required = true, description = "The server's HOST:PORT.")
    String connect;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ConnectionOptions.Security security;

    @Option(names = "--name", defaultValue = "bank", description = "This party's name in its certificate (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--peer", defaultValue = "partner", description = "The server's name in its certificate (default ${DEFAULT-VALUE}).")
    String peer;

    @Option(
        names = "--timeout",
        defaultValue = "120s",
        converter = ConnectionOptions.DurationConverter.class,
        description = "Longest wait for the server, at connection and per message (default ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    /** Opens a channel with a fresh session id (each membership session, each download). */
    MembershipClient.Connector connector() throws CliException {
      TransportSecurity sec = ConnectionOptions.security(security, name);
      var target = ConnectionOptions.parse(connect, "--connect");
      TransportOptions options = TransportOptions.DEFAULTS.toBuilder().connectTimeout(timeout).build();
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
        "Download the partner's encoded set, or only its changes since the --cache file's version.",
        "Run it before a campaign run or when a check reports that the partner's set changed."
      })
  static final class Fetch implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ClientConnection connection;

    @Option(names = "--cache", required = true, description = "The cache file (created or brought up to date).")
    Path cache;

    @Option(names = "--purpose", defaultValue = "cache-download", description = "The purpose named to the server (default ${DEFAULT-VALUE}).")
    String purpose;

    @Option(names = "--max-download", defaultValue = "16g", description = "The most to download, e.g. 500m or 16g (default ${DEFAULT-VALUE}).")
    String maxDownload;

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
      String s = v.trim().toLowerCase(Locale.ROOT);
      long unit = 1;
      if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
        unit = switch (s.charAt(s.length() - 1)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          default -> 1L << 30;
        };
        s = s.substring(0, s.length() - 1);
      }
      try {
        long n = Long.parseLong(s);
        if (n <= 0) {
          throw new NumberFormatException();
        }
        return Math.multiplyExact(n, unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw AlignedCommand.usage("--max-download must be a size such as 500m or 16g, got " + v);
      }
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = "Apply delta files, in order, to a cache file (for deltas delivered as files).")
  static final class Apply implements Callable<Integer> {
    @Option(names = "--cache", required = true, description = "The cache file (replaced by the new version).")
    Path cache;

    @Option(names = "--delta", required = true, description = "A delta file; repeat in version order.")
    List<Path> deltas;

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
        "Check identifiers one at a time against the partner's set: reads one identifier per line",
        "(from --input or standard input) and prints yes, no or invalid for each, in order. Each",
        "check spends one evaluation of the daily budget for --purpose; the partner learns only",
        "that a check was made."
      })
  static final class Check implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ClientConnection connection;

    @Option(names = "--cache", required = true, description = "The cache file ('jointly oprf fetch').")
    Path cache;

    @Option(names = "--purpose", required = true, description = "Why: the purpose the partner budgets, e.g. card-application.")
    String purpose;

    @Option(names = "--input", description = "A file with one identifier per line (default: standard input).")
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
