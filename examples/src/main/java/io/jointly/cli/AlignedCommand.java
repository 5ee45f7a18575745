package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CHECKS;
import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;
import static io.jointly.cli.HelpLayout.Section.PROTOCOL;

import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.RunTerms;
import io.jointly.core.InputException;
import io.jointly.group.SuiteId;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.ProfileMatch;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options and checks shared by the commands that start with a PSI run over the parties'
 * identifier columns ({@code psi}, {@code stats}): role, connection, input file, identifier
 * columns and their normalisation, suite, policies for invalid and repeated identifiers, the
 * report, and how input errors are located in the operator's file.
 */
abstract class AlignedCommand implements Callable<Integer> {
  private static final Pattern REPEATS_ROW = Pattern.compile("repeats row (\\d{1,19})");

  /**
   * How many identifiers of each key column the {@code raw} check looks at: a few thousand tell the
   * kind of a column as well as all of them, at a negligible cost at any input size.
   */
  static final int PROFILE_SAMPLE = 5_000;

  /** The choices of {@code --normalize}, as its help and a missing-option error show them. */
  static final String PROFILES = "phone|email|cn-id|raw";

  @In(CONNECTION)
  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "bank or partner.")
  String role;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Mixin ComplianceOptions complianceOptions = new ComplianceOptions();

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
          "The identifier column. Several columns, separated by commas, form one composite key;"
              + " both parties give the same number of columns.")
  List<String> idColumns;

  @In(PROTOCOL)
  @Option(
      names = "--normalize",
      required = true,
      paramLabel = PROFILES,
      description =
          "How identifiers are written before they are compared: phone (+86 138-0013-8000 and"
              + " 13800138000 match), email (trimmed, lower-cased), cn-id (resident ID numbers,"
              + " checksum verified) or raw (the text as it is, trimmed). No default: phone"
              + " numbers compared as raw text rarely match.")
  String normalize;

  @In(PROTOCOL)
  @Option(
      names = "--suite",
      defaultValue = "ristretto255",
      paramLabel = "SUITE",
      description = "The elliptic-curve suite: ristretto255, x25519, p256 or sm2 (default ${DEFAULT-VALUE}).")
  String suite;

  @In(CHECKS)
  @Option(
      names = "--invalid-ids",
      defaultValue = "fail",
      paramLabel = "fail|skip",
      description =
          "An identifier that is not valid for the profile stops the run, naming its line (fail), or"
              + " its row is left out (skip) (default ${DEFAULT-VALUE}).")
  String invalidIds;

  @In(CHECKS)
  @Option(
      names = "--duplicates",
      defaultValue = "deduplicate",
      paramLabel = "deduplicate|reject",
      description =
          "A repeated identifier is matched once (deduplicate) or stops the run, naming both lines"
              + " (reject) (default ${DEFAULT-VALUE}).")
  String duplicates;

  @In(CHECKS)
  @Option(
      names = "--min-peer-size",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "Refuse a peer with fewer identifiers than this, so that a handful of probes cannot test"
              + " who is a customer (default ${DEFAULT-VALUE}).")
  long minPeerSize;

  @In(OUTPUT)
  @Option(
      names = "--report",
      order = HelpLayout.LATER,
      paramLabel = "FILE",
      description = "Write a JSON report here: sizes, traffic, and what each party learned.")
  Path report;

  @In(INPUT)
  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "The CSV delimiter (default: detected from the header line).")
  Character delimiter;

  @In(OUTPUT)
  @Option(
      names = "--quiet",
      order = HelpLayout.LAST,
      description = "Print no progress and no summary; warnings and errors are still printed.")
  boolean quiet;

  /** Where progress and the summary go (stderr and stdout; the demo captures them). */
  PrintStream err = System.err;

  PrintStream out = System.out;

  /** The identifier columns of {@code table}, each as a list of values in row order. */
  List<List<String>> idValues(CsvTable table) throws CliException {
    List<List<String>> columns = new ArrayList<>();
    for (String c : idColumns) {
      columns.add(table.columnValues(table.column(c.trim())));
    }
    return columns;
  }

  /**
   * Reads {@code --input}, refusing a file with a header only, and checks the {@code raw} profile
   * on the first rows' identifiers.
   */
  CsvTable readInput() throws CliException {
    CsvTable table = CsvTable.read(input, delimiter == null ? 0 : delimiter);
    if (table.rowCount() == 0) {
      throw CliException.input(input + ": no data rows, only a header");
    }
    List<List<String>> sample = new ArrayList<>();
    for (String c : idColumns) {
      int column = table.column(c.trim());
      List<String> values = new ArrayList<>();
      for (int r = 0; r < Math.min(table.rowCount(), PROFILE_SAMPLE); r++) {
        values.add(table.row(r)[column]);
      }
      sample.add(values);
    }
    warnIfRawLooksLikeAProfile(sample);
    return table;
  }

  /**
   * Warns, before anything is matched, when {@code --normalize raw} is in effect but this party's
   * identifiers look like phone numbers, e-mail addresses or ID numbers: raw compares the text as
   * written, so {@code 13800138000} at one party and {@code +86 138-0013-8000} at the other would
   * silently not match. Every key column must look like the same profile (a composite key of a
   * phone and a name is rightly raw). The warning names the column, the profile to use and counts,
   * never a value.
   *
   * @param sample each key column's values from the first rows; at most {@link #PROFILE_SAMPLE} of
   *     each are looked at, so a caller that streams its input passes what it has read first
   */
  void warnIfRawLooksLikeAProfile(List<List<String>> sample) throws CliException {
    if (profile() != IdentifierProfile.RAW) {
      return;
    }
    List<ProfileMatch> matches = new ArrayList<>();
    for (List<String> column : sample) {
      Optional<ProfileMatch> m = ProfileMatch.of(column.subList(0, Math.min(column.size(), PROFILE_SAMPLE)));
      if (m.isEmpty() || (!matches.isEmpty() && m.get().profile() != matches.get(0).profile())) {
        return;
      }
      matches.add(m.get());
    }
    if (matches.isEmpty()) {
      return;
    }
    IdentifierProfile profile = matches.get(0).profile();
    int matching = matches.stream().mapToInt(ProfileMatch::matching).min().orElseThrow();
    int sampled = matches.stream().mapToInt(ProfileMatch::sampled).max().orElseThrow();
    String kind =
        switch (profile) {
          case PHONE -> "phone numbers";
          case EMAIL -> "e-mail addresses";
          case CN_ID -> "resident ID numbers";
          case RAW -> throw new IllegalStateException("raw is never a match");
        };
    err.printf(
        Locale.ROOT,
        "jointly: warning: --normalize raw, but %,d of the first %,d identifiers in %s %s look like"
            + " %s. Raw compares the text as written, so the same identifier written another way"
            + " does not match: use --normalize %s at both parties.%n",
        matching,
        sampled,
        idColumns.size() == 1 ? "column" : "columns",
        keyColumnNames(),
        kind,
        profile.displayName());
  }

  /**
   * The protocol parameters from the options. Every usage error names the option it is about, in
   * the operator's terms rather than the library's.
   */
  EcdhPsiParameters parameters(RevealMode revealMode) throws CliException {
    SuiteId suiteId = option("--suite", "ristretto255, x25519, p256 or sm2", () -> SuiteId.fromName(suite));
    IdentifierProfile profile = profile();
    InvalidIdPolicy invalidIdPolicy = invalidIdPolicy(invalidIds);
    DuplicatePolicy duplicatePolicy = duplicatePolicy(duplicates);
    if (idColumns.isEmpty() || idColumns.stream().anyMatch(String::isBlank)) {
      throw usage("--id: name one or more columns, separated by commas");
    }
    if (minPeerSize < 0) {
      throw usage("--min-peer-size must be 0 or more");
    }
    if (idColumns.size() > EcdhPsiParameters.MAX_KEY_COLUMNS) {
      throw usage("--id: at most " + EcdhPsiParameters.MAX_KEY_COLUMNS + " key columns");
    }
    try {
      return EcdhPsiParameters.preset(suiteId).toBuilder()
          .profile(profile)
          .keyColumns(idColumns.size())
          .revealMode(revealMode)
          .invalidIdPolicy(invalidIdPolicy)
          .duplicatePolicy(duplicatePolicy)
          .minPeerSetSize(minPeerSize)
          .receiveTimeout(connection.timeout)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** {@code --invalid-ids}: fail or skip. */
  static InvalidIdPolicy invalidIdPolicy(String value) throws CliException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> InvalidIdPolicy.FAIL;
      case "skip" -> InvalidIdPolicy.SKIP;
      default -> throw usage("--invalid-ids must be fail or skip");
    };
  }

  /** {@code --duplicates}: reject or deduplicate. */
  static DuplicatePolicy duplicatePolicy(String value) throws CliException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "reject" -> DuplicatePolicy.REJECT;
      case "deduplicate" -> DuplicatePolicy.DEDUPLICATE;
      default -> throw usage("--duplicates must be reject or deduplicate");
    };
  }

  /**
   * Checks the purpose, policy and audit-log options and loads them, before any connection: the run
   * goes through the returned {@link Compliance}.
   */
  Compliance compliance(PsiRole psiRole) throws CliException {
    String self = connection.self(psiRole);
    return complianceOptions.load(self, connection.security(self), connection.timeout);
  }

  /**
   * The terms this party states for a run of {@code command} with {@code protocol}: the reveal
   * mode, the identifier parameters the PSI handshake exchanges anyway (suite, profile, number of
   * key columns), the peer-set guardrail and its number of input rows. The command adds the
   * parameters its own protocol exchanges; nothing the protocol keeps from the peer (the bank's
   * segment or feature columns) goes into a statement.
   */
  RunTerms.Builder terms(String command, String protocol, String reveal, long inputRows) {
    return RunTerms.builder(command, protocol)
        .reveal(reveal)
        .parameter("suite", suite.trim().toLowerCase(Locale.ROOT))
        .parameter("normalize", normalize.trim().toLowerCase(Locale.ROOT))
        .parameter("id_columns", idColumns.size())
        .minPeerSetSize(minPeerSize)
        .inputRows(inputRows);
  }

  /** {@code --normalize} as a profile; an unknown name is a usage error naming the choices. */
  IdentifierProfile profile() throws CliException {
    return profile(normalize);
  }

  /** A {@code --normalize} value as a profile; an unknown name is a usage error naming the choices. */
  static IdentifierProfile profile(String normalize) throws CliException {
    return option("--normalize", "phone, email, cn-id or raw", () -> IdentifierProfile.fromName(normalize));
  }

  /** Parses one option's value; a bad value is a usage error that names the option and its choices. */
  static <T> T option(String name, String choices, Supplier<T> parse) throws CliException {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw usage(name + " must be " + choices);
    }
  }

  /** Parses one option's value; a bad value is a usage error that names the option. */
  static <T> T option(String name, Supplier<T> parse) throws CliException {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw usage(name + ": " + e.getMessage());
    }
  }

  /**
   * Fails now, rather than after the whole protocol, if {@code target} could not be written or
   * would overwrite this party's input.
   */
  void checkOutput(Path target, String option) throws CliException {
    checkOutput(target, option, input);
  }

  /** {@link #checkOutput(Path, String)} for a command whose input file is {@code input}. */
  static void checkOutput(Path target, String option, Path input) throws CliException {
    if (target == null) {
      return;
    }
    if (samePath(target, input)) {
      throw usage(option + " " + target + " is the --input file");
    }
    AtomicOutput.checkWritable(target, option);
  }

  static boolean samePath(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // fall through to comparing the names
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** The key columns as a message names them: {@code name+birth_date}. */
  String keyColumnNames() {
    return String.join("+", idColumns.stream().map(String::trim).toList());
  }

  static CliException usage(String message) {
    return new CliException(CliException.USAGE, message);
  }

  static PsiRole parseRole(String role) throws CliException {
    return switch (role.trim().toLowerCase(Locale.ROOT)) {
      case "bank" -> PsiRole.BANK;
      case "partner" -> PsiRole.PARTNER;
      default -> throw new CliException(CliException.USAGE, "--role must be bank or partner");
    };
  }

  /** Maps a 0-based data row to the line it starts on (-1 if unknown). */
  interface RowLines {
    long lineOf(long row);
  }

  /** The input error with the row turned into the file's line and the key column names. */
  String locate(CsvTable table, InputException e) {
    return locate(e, row -> row >= 0 && row < table.rowCount() ? table.lineOf((int) row) : -1);
  }

  /** The input error with the rows turned into the file's lines and the key column names. */
  String locate(InputException e, RowLines lines) {
    String where = input.toString();
    long line = e.row() >= 1 ? lines.lineOf(e.row() - 1) : -1;
    if (line >= 1) {
      where += ": line " + line + ", column " + keyColumnNames();
    }
    String reason =
        switch (e.kind()) {
          case INVALID_IDENTIFIER -> "identifier is not a valid " + normalize + " value"
              + " (use --invalid-ids skip to leave such rows out)";
          case DUPLICATE_IDENTIFIER -> repeatsLine(lines, e.detail())
              + " (use --duplicates deduplicate to merge repeats)";
          case INVALID_INPUT, MALFORMED_INPUT, WORK_DIR, CHECKPOINT, MALFORMED_FILE, CACHE_MISMATCH -> e.detail();
        };
    return e.kind() == InputException.Kind.MALFORMED_INPUT
            || e.kind() == InputException.Kind.WORK_DIR
            || e.kind() == InputException.Kind.CHECKPOINT
        ? reason
        : where + ": " + reason;
  }

  /**
   * The library names the earlier occurrence of a duplicate by its 1-based row ("repeats row 4");
   * an operator looks for lines, and this message already names the duplicate's line, so the
   * earlier row becomes its line too.
   */
  private static String repeatsLine(RowLines lines, String reason) {
    Matcher m = REPEATS_ROW.matcher(reason);
    if (m.find()) {
      long row = Long.parseLong(m.group(1));
      long line = lines.lineOf(row - 1);
      if (line >= 1) {
        return reason.substring(0, m.start()) + "repeats line " + line + reason.substring(m.end());
      }
    }
    return reason;
  }

}
