package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.COMPLIANCE;

import io.jointly.cli.HelpLayout.In;
import io.jointly.compliance.LegalBasis;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.RunAgreement;
import io.jointly.compliance.SigningIdentity;
import io.jointly.compliance.UsagePolicy;
import io.jointly.core.InputException;
import io.jointly.core.SecretAccess;
import io.jointly.transport.TransportSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The purpose of a run, the party's usage policy and its audit log: the options every two-party
 * command shares ({@code --purpose}, {@code --purpose-text}, {@code --legal-basis}, {@code
 * --policy}, {@code --audit-log}). {@link #load} checks them and reads the policy before any
 * connection, and returns the {@link Compliance} the command runs its protocol through.
 */
final class ComplianceOptions {
  @In(COMPLIANCE)
  @Option(
      names = "--purpose",
      paramLabel = "CAMPAIGN",
      description =
          "The campaign or project this run is for, such as cc-cross-sell-2026q4; both parties give"
              + " the same purpose, or the run is refused before any identifier moves. With --policy,"
              + " the purpose text and legal basis come from the policy's definition of the campaign.")
  String campaign;

  @In(COMPLIANCE)
  @Option(
      names = "--purpose-text",
      paramLabel = "TEXT",
      description = "What the data is used for, in words (without --policy: required with --purpose).")
  String text;

  @In(COMPLIANCE)
  @Option(
      names = "--legal-basis",
      paramLabel = "BASIS",
      description =
          "The legal basis of the processing: consent, contract, legal-obligation, vital-interests,"
              + " public-interest, disclosed-information or other-law (without --policy: required with"
              + " --purpose).")
  String legalBasis;

  @In(COMPLIANCE)
  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "This party's usage policy (JSON, see docs/compliance): which peers may run which commands"
              + " for which purposes, and the limits. A run outside it is refused before any"
              + " identifier moves; the peer learns only that a policy refused.")
  Path policy;

  @In(COMPLIANCE)
  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description =
          "Append the run's signed receipt to this hash-chained log (one JSON line per run; 'jointly"
              + " audit verify' checks it). A policy's limits are counted from it.")
  Path auditLog;

  /**
   * Checks the options, reads the policy and opens the audit log, before any connection.
   *
   * @param self this party's name
   * @param security how this party connects (its certificate signs the receipts)
   * @param timeout the longest wait for each of the peer's agreement messages
   * @throws CliException usage (exit 2) for inconsistent options, input (exit 3) for a bad policy
   *     file or audit log, peer (exit 4) for unusable credentials
   */
  Compliance load(String self, TransportSecurity security, Duration timeout) throws CliException {
    if (campaign == null && (text != null || legalBasis != null)) {
      throw usage("--purpose-text and --legal-basis describe a --purpose CAMPAIGN: give it too");
    }
    if (campaign == null && policy != null) {
      throw usage("--policy " + policy + " allows named purposes only: give --purpose CAMPAIGN");
    }
    Optional<UsagePolicy> usagePolicy = Optional.empty();
    if (policy != null) {
      try {
        usagePolicy = Optional.of(PolicyFile.read(policy));
      } catch (InputException e) {
        throw CliException.input("--policy " + e.getMessage().replaceFirst("^INVALID_INPUT: ", ""));
      } catch (IOException e) {
        throw CliException.input("--policy " + policy + ": cannot read it (" + e.getMessage() + ")");
      }
    }
    Optional<Purpose> purpose = purpose(usagePolicy);
    if (usagePolicy.isPresent()
        && auditLog == null
        && usagePolicy.get().grants().stream().anyMatch(g -> g.limits().isPresent())) {
      throw usage(
          "--policy " + policy + " sets limits per period, which are counted in the audit log: give --audit-log FILE");
    }
    Optional<SigningIdentity> identity = Optional.empty();
    List<java.security.cert.X509Certificate> roots = List.of();
    if (security instanceof TransportSecurity.MutualTls tls) {
      try {
        identity =
            Optional.of(
                SigningIdentity.of(
                    self,
                    tls.credentials().certificateChain(),
                    tls.credentials().privateKey(SecretAccess.insecure()), // signs receipts, never leaves the process
                    SecretAccess.insecure()));
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.PEER, "--tls: the certificate cannot sign receipts: " + e.getMessage());
      }
      roots = tls.credentials().trustRoots();
    }
    Optional<AuditLog> log = Optional.empty();
    if (auditLog != null) {
      log = Optional.of(AuditLog.open(auditLog, self, identity));
    }
    RunAgreement.Builder b = RunAgreement.builder(Main.SOFTWARE).trustRoots(roots).timeout(timeout);
    identity.ifPresent(b::identity);
    usagePolicy.ifPresent(b::authorizer);
    log.ifPresent(l -> b.meter(l).trail(l));
    return new Compliance(purpose, usagePolicy, log, b.build());
  }

  /** The run's purpose from the options and the policy's definitions. */
  private Optional<Purpose> purpose(Optional<UsagePolicy> usagePolicy) throws CliException {
    if (campaign == null) {
      return Optional.empty();
    }
    if (!Purpose.CAMPAIGN.matcher(campaign).matches()) {
      throw usage("--purpose: a campaign is 1-64 of letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    LegalBasis basis = null;
    if (legalBasis != null) {
      basis = AlignedCommand.option("--legal-basis", LegalBasis.tokens(), () -> LegalBasis.fromToken(legalBasis));
    }
    Purpose defined = usagePolicy.map(p -> p.purposes().get(campaign)).orElse(null);
    if (defined != null) {
      if (text != null && !text.equals(defined.text())) {
        throw usage("--purpose-text differs from the text policy " + usagePolicy.get().id() + " gives " + campaign + "; leave it out to use the policy's");
      }
      if (basis != null && basis != defined.legalBasis()) {
        throw usage("--legal-basis differs from the basis policy " + usagePolicy.get().id() + " gives " + campaign + " (" + defined.legalBasis() + ")");
      }
      return Optional.of(defined);
    }
    if (text == null || basis == null) {
      throw usage(
          "--purpose " + campaign + " needs --purpose-text and --legal-basis"
              + (usagePolicy.isPresent() ? " (policy " + usagePolicy.get().id() + " does not define it)" : ""));
    }
    try {
      return Optional.of(new Purpose(campaign, text, basis));
    } catch (IllegalArgumentException e) {
      throw usage("--purpose-text: " + e.getMessage());
    }
  }

  private static CliException usage(String message) {
    return new CliException(CliException.USAGE, message);
  }
}
