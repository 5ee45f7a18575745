package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;

import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.ReceiptBody;
import io.jointly.compliance.ReceiptVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jointly audit}: checks a party's audit log ({@code verify}) and summarises it for a
 * compliance officer ({@code report}).
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Check an audit log, or summarise it for a compliance officer.",
      "Every two-party command run with --audit-log appends one line per run: the receipt both"
          + " parties signed with their certificate keys (purpose, parties, command, protocol and"
          + " parameters, input rows, what each side learned as counts, the transcript digest,"
          + " start and end), chained to the line before and sealed by the log's keeper."
    },
    customSynopsis = {"jointly audit verify LOG --ca FILE", "       jointly audit report LOG --output FILE [--ca FILE]"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  jointly audit verify out/bank-audit.log --ca tls/ca.crt",
      "  jointly audit report out/bank-audit.log --ca tls/ca.crt --output out/audit.html"
    },
    subcommands = {AuditCommand.Verify.class, AuditCommand.Report.class})
final class AuditCommand implements Callable<Integer> {
  @Override
  public Integer call() throws CliException {
    throw new CliException(CliException.USAGE, "name what to do: jointly audit verify LOG --ca FILE, or jointly audit report LOG --output FILE");
  }

  /** {@code jointly audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check an audit log: its chain, every signature, and the certificates.",
        "Each line must be in its place (its sequence number and the digest of the line before),"
            + " sealed by the log's keeper, and carry a receipt whose signatures verify with"
            + " certificates that name the signers and chain to --ca at the time of the run. Names"
            + " the first line that fails (exit 3); exit 0 when every line holds."
      },
      customSynopsis = "jointly audit verify LOG --ca FILE",
      footerHeading = "%nExamples:%n",
      footer = "  jointly audit verify out/bank-audit.log --ca tls/ca.crt")
  static final class Verify implements Callable<Integer> {
    @In(INPUT)
    @Parameters(index = "0", paramLabel = "LOG", description = "The audit log (from --audit-log).")
    Path log;

    @In(INPUT)
    @Option(
        names = "--ca",
        required = true,
        paramLabel = "FILE",
        description = "The CA certificate(s), PEM, that the parties' certificates must chain to.")
    Path ca;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException {
      List<AuditRecord> records = verified(log, roots(ca));
      PrintWriter out = spec.commandLine().getOut();
      long completed =
          records.stream()
              .filter(r -> r.receipt().body().status() == ReceiptBody.Status.COMPLETED
                  || r.receipt().body().status() == ReceiptBody.Status.UNILATERAL)
              .count();
      long failed = records.stream().filter(r -> r.receipt().body().status() == ReceiptBody.Status.FAILED).count();
      out.printf(
          Locale.ROOT,
          "%s: %d lines verified: chain, seals, receipts and certificates (%d completed, %d failed, %d refused)%n",
          log, records.size(), completed, failed, records.size() - completed - failed);
      return 0;
    }
  }

  /** {@code jointly audit report}. */
  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Summarise an audit log as an HTML page, in English and Chinese.",
        "Runs per peer, purpose and month, the records used, what each side learned (counts), and"
            + " every run with its receipt digest. With --ca the log is verified first and the page"
            + " says so; a log that fails is not summarised (exit 3)."
      },
      customSynopsis = "jointly audit report LOG --output FILE [--ca FILE]",
      footerHeading = "%nExamples:%n",
      footer = "  jointly audit report out/bank-audit.log --ca tls/ca.crt --output out/audit.html")
  static final class Report implements Callable<Integer> {
    @In(INPUT)
    @Parameters(index = "0", paramLabel = "LOG", description = "The audit log (from --audit-log).")
    Path log;

    @In(INPUT)
    @Option(names = "--ca", paramLabel = "FILE", description = "Verify the log against these CA certificates first.")
    Path ca;

    @In(OUTPUT)
    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Write the HTML page here.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws CliException, IOException {
      PrintWriter out = spec.commandLine().getOut();
      AtomicOutput.checkWritable(output, "--output");
      boolean verified = ca != null;
      List<AuditRecord> records = verified ? verified(log, roots(ca)) : read(log);
      String page = AuditReport.render(log.getFileName().toString(), records, verified);
      AtomicOutput.write(output, w -> w.write(page));
      out.printf(Locale.ROOT, "%s: %d runs summarised in %s%s%n", log, records.size(), output, verified ? " (verified)" : " (not verified: give --ca)");
      return 0;
    }
  }

  /** The log's entries, each checked to be well formed and in the form this tool writes. */
  static List<AuditRecord> read(Path log) throws CliException {
    List<String> lines = AuditLog.lines(log);
    List<AuditRecord> records = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      records.add(AuditLog.parse(lines.get(i), i + 1, log));
    }
    return records;
  }

  /**
   * The log's entries, every one verified against {@code roots}.
   *
   * @throws CliException (input) naming the first line that fails and why
   */
  static List<AuditRecord> verified(Path log, List<X509Certificate> roots) throws CliException {
    List<AuditRecord> records = read(log);
    ReceiptVerifier verifier = new ReceiptVerifier(roots);
    Optional<AuditRecord> previous = Optional.empty();
    for (int i = 0; i < records.size(); i++) {
      Optional<String> problem = verifier.problem(records.get(i), previous);
      if (problem.isPresent()) {
        throw CliException.input(log + ": line " + (i + 1) + ": " + problem.get());
      }
      previous = Optional.of(records.get(i));
    }
    return records;
  }

  /** The certificates of a PEM file. */
  static List<X509Certificate> roots(Path pem) throws CliException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> roots = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.add((X509Certificate) c);
      }
      if (roots.isEmpty()) {
        throw CliException.input("--ca " + pem + ": no certificate in it");
      }
      return roots;
    } catch (IOException | CertificateException e) {
      throw CliException.input("--ca " + pem + ": not a PEM certificate file (" + e.getMessage() + ")");
    }
  }
}
