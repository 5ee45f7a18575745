package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.cli.CliProcess.Result;
import io.jointly.psi.IdentifierProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How {@code jointly psi} fails: bad input exits 3 before any network wait (the peer need not
 * exist), naming file, line and column but never a value, and leaves no output; usage errors exit
 * 2; peer, protocol and TLS failures exit 4 on both sides. No process ever prints an identifier.
 */
class PsiCliErrorsTest {
  /** Long enough that a process which waited for the network could never look quick. */
  private static final String LONG_TIMEOUT = "60s";

  /** JVM start-up and reading a few hundred rows, on a busy 2-core machine, with a wide margin. */
  private static final Duration QUICK = Duration.ofSeconds(25);

  @TempDir static Path shared;

  private static PsiFixtures data;
  private static Path tls;
  private static Path otherTls;

  @TempDir Path work;

  @BeforeAll
  static void setUp() throws IOException {
    data = new PsiFixtures(shared.resolve("data"));
    tls = shared.resolve("tls");
    otherTls = shared.resolve("tls-other-ca");
    for (Path d : List.of(tls, otherTls)) {
      Result r =
          CliProcess.runInProcess("tls-init", "--out", d.toString(), "--parties", "bank,partner");
      assertThat(r.exitCode()).as(r.describe()).isZero();
    }
  }

  // --- bad input: exit 3, before any network wait ----------------------------------------------

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_missingIdColumn_exitsThreeNamingFileAndColumn() throws Exception {
    Path file = data.phones.bank().file();
    Result r = badInput("bank", file, "mobile,msisdn");

    assertThat(r.stderr()).contains(file.toString()).contains("'msisdn'");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_rowWithWrongFieldCount_exitsThreeNamingFileAndLine() throws Exception {
    Result r = badInput("bank", data.malformed, "mobile");

    assertThat(r.stderr())
        .contains(data.malformed.toString())
        .contains("line " + data.malformedLine + " ")
        .contains("5 fields, the header has 4");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_emptyFile_exitsThreeNamingFile() throws Exception {
    Result r = badInput("partner", data.empty, "phone");

    assertThat(r.stderr()).contains(data.empty.toString()).contains("empty");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_headerButNoDataRows_exitsThreeNamingFile() throws Exception {
    Path file = work.resolve("header-only.csv");
    Files.writeString(file, data.phones.bank().headerText() + "\n");
    Result r = badInput("bank", file, "mobile");

    assertThat(r.stderr()).contains(file.toString()).contains("no data rows");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_everyIdentifierInvalidWithInvalidIdsSkip_exitsThreeNamingFile() throws Exception {
    Path file = work.resolve("all-invalid.csv");
    Files.writeString(file, "customer_no,mobile\nC1,12345\nC2,+86 0138\nC3,n/a\n");
    Result r = badInput("bank", file, "mobile", "--invalid-ids", "skip");

    assertThat(r.stderr())
        .contains(file.toString())
        .contains("no valid phone identifier")
        .contains("3 rows");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_noSuchInputFile_exitsThreeNamingFile() throws Exception {
    Path file = work.resolve("missing.csv");
    Result r = badInput("partner", file, "phone");

    assertThat(r.stderr()).contains(file.toString()).contains("no such file");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_outputThatCannotBeWritten_exitsThreeBeforeAnyNetworkWait() throws Exception {
    // The output's directory would have to be created inside a regular file: no run can write
    // it, so finding out after the whole protocol would waste the peer's time too.
    Path blocked = data.empty.resolve("shared.csv");
    Result r =
        badInput("bank", data.phones.bank().file(), "mobile", "--output", blocked.toString());

    assertThat(r.stderr()).contains("--output").contains(blocked.toString());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_invalidIdentifierWithInvalidIdsFail_exitsThreeNamingLineAndColumn() throws Exception {
    Path file = data.bankWithInvalid.file();
    Result r = badInput("bank", file, "mobile", "--invalid-ids", "fail");

    // The first invalid row comes after a field with a line break and a blank line: the message
    // must give the physical line a text editor shows, not the row number.
    assertThat(data.invalidLines.get(0)).isEqualTo(45);
    assertThat(r.stderr())
        .contains(file.toString())
        .contains("line " + data.invalidLines.get(0) + ",")
        .contains("column mobile")
        .contains("not a valid phone");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_duplicateWithDuplicatesReject_exitsThreeNamingBothLines() throws Exception {
    PsiFixtures.Table bank = data.phones.bank();
    int[] lines = firstDuplicate(bank);
    Result r = badInput("bank", bank.file(), "mobile", "--duplicates", "reject");

    assertThat(r.stderr())
        .contains(bank.file().toString())
        .contains("line " + lines[1] + ",")
        .contains("column mobile")
        .contains("repeats line " + lines[0]);
  }

  // --- usage errors: exit 2 ----------------------------------------------------------------------

  /**
   * A usage error: the options that make it (values without spaces; OUT, TLS and INPUT stand for
   * paths), the options of an otherwise valid command line to leave out, and what the message must
   * name.
   */
  private static Arguments usage(String what, String options, String mentions, String... omit) {
    return Arguments.of(
        what, options.isEmpty() ? List.of() : List.of(options.split(" ")), List.of(omit), mentions);
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        usage(
            "--output at the partner in reveal mode bank",
            "--role partner --reveal bank --output OUT",
            "--output"),
        usage(
            "--output at the bank in reveal mode count", "--reveal count --output OUT", "--output"),
        usage("unknown --reveal", "--reveal everyone", "--reveal"),
        usage("missing --role", "", "--role", "--role"),
        usage("unknown --role", "--role auditor", "--role"),
        usage("unknown --suite", "--suite rsa", "--suite"),
        usage("unknown --normalize", "--normalize fax", "--normalize"),
        usage("missing --normalize", "", "--normalize=phone|email|cn-id|raw", "--normalize"),
        usage("unknown --invalid-ids", "--invalid-ids ignore", "--invalid-ids"),
        usage("unknown --duplicates", "--duplicates keep", "--duplicates"),
        usage("bad --timeout", "--timeout soon", "--timeout"),
        usage("bad --connect-timeout", "--connect-timeout 0s", "--connect-timeout"),
        usage("negative --min-peer-size", "--min-peer-size -1", "--min-peer-size"),
        usage("--listen and --connect", "--listen 127.0.0.1:0 --connect 127.0.0.1:9", "--connect"),
        usage("neither --listen nor --connect", "", "--connect", "--listen"),
        usage("--tls and --insecure", "--tls TLS --insecure", "--insecure"),
        usage("neither --tls nor --insecure", "", "--insecure", "--tls"),
        usage("--listen without a port", "--listen localhost", "HOST:PORT"),
        usage("missing --input", "", "--input", "--input"),
        usage("missing --id", "", "--id", "--id"),
        usage("no column named in --id", "--id ,", "--id", "--id"),
        usage("an empty name in --id", "--id mobile,,segment", "--id", "--id"),
        usage("--output onto the --input file", "--output INPUT", "--input"),
        usage(
            "--output and --report the same file",
            "--output OUT --report OUT",
            "--report",
            "--report"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_usageError_exitsTwoAndWritesNothing(
      String what, List<String> options, List<String> omit, String mentions) throws Exception {
    Path out = work.resolve("out");
    List<String> a = new ArrayList<>(List.of("psi"));
    for (String o : options) {
      a.add(
          switch (o) {
            case "OUT" -> out.resolve("shared.csv").toString();
            case "TLS" -> tls.toString();
            case "INPUT" -> data.phones.bank().file().toString();
            default -> o;
          });
    }
    // The rest of a valid command line, unless the case sets or omits it.
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("--role", "bank");
    defaults.put("--listen", "127.0.0.1:" + CliProcess.freePort());
    defaults.put("--tls", tls.toString());
    defaults.put("--input", data.phones.bank().file().toString());
    defaults.put("--id", "mobile");
    defaults.put("--normalize", "phone");
    defaults.put("--timeout", "3s");
    defaults.put("--report", out.resolve("report.json").toString());
    Map<String, String> sameGroup = Map.of("--listen", "--connect", "--tls", "--insecure");
    defaults.forEach(
        (option, value) -> {
          boolean set = a.contains(option) || a.contains(sameGroup.getOrDefault(option, option));
          if (!set && !omit.contains(option)) {
            a.add(option);
            a.add(value);
          }
        });
    Result r = CliProcess.runInProcess(a.toArray(String[]::new));

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains(mentions);
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(3));
    assertNoOutput(out);
    CliProcess.assertPrintsNone(r, data.secrets());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void psi_insecureToANonLoopbackAddress_exitsTwoWithoutConnecting() throws Exception {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a real host.
    Result r =
        CliProcess.runInProcess(
            "psi",
            "--role",
            "partner",
            "--connect",
            "192.0.2.1:7000",
            "--insecure",
            "--input",
            data.phones.partner().file().toString(),
            "--id",
            "phone",
            "--normalize",
            "phone",
            "--timeout",
            "20s");

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("loopback");
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
  }

  // --- peer, protocol and TLS errors: exit 4 ---------------------------------------------------

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_mismatchedSuites_bothExitFourNamingTheSuite() throws Exception {
    List<Result> r =
        pair(
            List.of("--tls", tls.toString()),
            List.of("--tls", tls.toString(), "--suite", "p256"),
            LONG_TIMEOUT);

    for (Result p : r) {
      assertThat(p.exitCode()).as(p.describe()).isEqualTo(4);
      assertThat(p.stderr()).contains("suite").contains("p256").contains("ristretto255");
      assertThat(p.elapsed()).as("aborted at the handshake, not at a time-out").isLessThan(QUICK);
    }
    assertNoOutput(work.resolve("out"));
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_peerSetBelowMinimum_bothExitFour() throws Exception {
    List<Result> r =
        pair(
            List.of("--tls", tls.toString(), "--min-peer-size", "1000"),
            List.of("--tls", tls.toString()),
            LONG_TIMEOUT);

    for (Result p : r) {
      assertThat(p.exitCode()).as(p.describe()).isEqualTo(4);
      assertThat(p.stderr()).contains("1000");
      assertThat(p.elapsed()).isLessThan(QUICK);
    }
    assertNoOutput(work.resolve("out"));
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_certificateFromAnotherCa_bothExitFour() throws Exception {
    // The bank listens longer than the partner tries, so the partner surely reaches it (and fails
    // at TLS) even if its JVM starts late; the bank then sees no session until its connect
    // time-out.
    List<Result> r =
        pair(
            List.of("--tls", tls.toString(), "--timeout", "8s", "--connect-timeout", "8s"),
            List.of("--tls", otherTls.toString(), "--connect-timeout", "5s"),
            "5s");

    for (Result p : r) {
      assertThat(p.exitCode()).as(p.describe()).isEqualTo(4);
    }
    assertThat(r.get(1).stderr()).contains("TLS").contains("trust");
    assertNoOutput(work.resolve("out"));
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void psi_peerNeverShowsUp_exitsFourOnceTheConnectTimeoutPasses() throws Exception {
    PsiFixtures.Pair p = data.phones;
    Path out = work.resolve("out");
    // two ports nobody listens on but the bank: the OS may hand out the same free port twice, and
    // the partner must not find the bank there
    int bankPort = CliProcess.freePort();
    int partnerPort = CliProcess.freePort();
    while (partnerPort == bankPort) {
      partnerPort = CliProcess.freePort();
    }
    CliProcess.Running listening =
        CliProcess.start(
            work.resolve("logs"),
            "bank",
            psi(
                "bank",
                "--listen",
                bankPort,
                p.bank().file(),
                "mobile",
                "3s",
                out,
                "--connect-timeout",
                "3s",
                "--tls",
                tls.toString(),
                "--output",
                out.resolve("bank-out.csv").toString()));
    CliProcess.Running connecting =
        CliProcess.start(
            work.resolve("logs"),
            "partner",
            psi(
                "partner",
                "--connect",
                partnerPort,
                p.partner().file(),
                "phone",
                "3s",
                out,
                "--connect-timeout",
                "3s",
                "--tls",
                tls.toString()));
    List<Result> r =
        List.of(listening.await(Duration.ofSeconds(60)), connecting.await(Duration.ofSeconds(60)));

    for (Result x : r) {
      assertThat(x.exitCode()).as(x.describe()).isEqualTo(4);
      assertThat(x.stderr()).contains("partner".equals(x.name()) ? "bank" : "partner");
      assertThat(x.elapsed()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(3).plus(QUICK));
      CliProcess.assertPrintsNone(x, data.secrets());
    }
    assertNoOutput(out);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Runs one party whose input is bad, listening (bank) or connecting (partner) with a long
   * time-out and no peer at all: it must exit 3 quickly, print no identifier, and write nothing.
   */
  private Result badInput(String role, Path input, String id, String... extra) throws Exception {
    Path out = work.resolve("out");
    String how = role.equals("bank") ? "--listen" : "--connect";
    List<String> args =
        psi(
            role,
            how,
            CliProcess.freePort(),
            input,
            id,
            LONG_TIMEOUT,
            out,
            "--tls",
            tls.toString());
    if (role.equals("bank") && !Arrays.asList(extra).contains("--output")) {
      args.addAll(List.of("--output", out.resolve("bank-out.csv").toString()));
    }
    args.addAll(Arrays.asList(extra));
    Result r = CliProcess.run(work.resolve("logs"), role, Duration.ofSeconds(90), args);

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
    assertThat(r.elapsed())
        .as("failed before any network wait\n%s", r.describe())
        .isLessThan(QUICK);
    assertThat(r.stderr())
        .startsWith("jointly: ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertNoOutput(out);
    CliProcess.assertPrintsNone(r, data.secrets());
    return r;
  }

  /** The phone pair with extra options per side, over TLS, outputs in {@code work/out}. */
  private List<Result> pair(List<String> bankExtra, List<String> partnerExtra, String timeout)
      throws Exception {
    PsiFixtures.Pair p = data.phones;
    Path out = work.resolve("out");
    int port = CliProcess.freePort();
    List<String> bank =
        psi(
            "bank",
            "--listen",
            port,
            p.bank().file(),
            "mobile",
            timeout,
            out,
            bankExtra.toArray(String[]::new));
    bank.addAll(List.of("--reveal", "both", "--output", out.resolve("bank-out.csv").toString()));
    List<String> partner =
        psi(
            "partner",
            "--connect",
            port,
            p.partner().file(),
            "phone",
            timeout,
            out,
            partnerExtra.toArray(String[]::new));
    partner.addAll(
        List.of("--reveal", "both", "--output", out.resolve("partner-out.csv").toString()));
    List<Result> r =
        CliProcess.runPair(work.resolve("logs"), bank, partner, Duration.ofSeconds(90));
    for (Result x : r) {
      CliProcess.assertPrintsNone(x, data.secrets());
    }
    return r;
  }

  /**
   * A {@code psi} command line; {@code --timeout} and {@code --min-peer-size 10} unless {@code
   * extra} sets them.
   */
  private static List<String> psi(
      String role,
      String how,
      int port,
      Path input,
      String id,
      String timeout,
      Path out,
      String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "psi",
                "--role",
                role,
                how,
                "127.0.0.1:" + port,
                "--input",
                input.toString(),
                "--id",
                id,
                "--normalize",
                "phone",
                "--report",
                out.resolve(role + ".json").toString()));
    a.addAll(Arrays.asList(extra));
    if (!a.contains("--timeout")) {
      a.addAll(List.of("--timeout", timeout));
    }
    if (!a.contains("--min-peer-size")) {
      a.addAll(List.of("--min-peer-size", "10"));
    }
    return a;
  }

  /** Nothing was written: no output, no report, no temporary file left behind. */
  private static void assertNoOutput(Path out) throws IOException {
    if (Files.exists(out)) {
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files).as("files left in %s", out).isEmpty();
      }
    }
  }

  /** Lines (1-based) of the first row whose identifier repeats an earlier one, and of that one. */
  private static int[] firstDuplicate(PsiFixtures.Table t) {
    Map<String, Integer> first = new HashMap<>();
    List<Optional<String>> keys = t.keys(IdentifierProfile.PHONE, "mobile");
    for (int r = 0; r < keys.size(); r++) {
      Integer earlier = first.putIfAbsent(keys.get(r).orElseThrow(), r);
      if (earlier != null) {
        return new int[] {t.lineOfRow().get(earlier), t.lineOfRow().get(r)};
      }
    }
    throw new AssertionError("the fixture has no duplicate");
  }
}
