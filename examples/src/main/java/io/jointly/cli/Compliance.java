package io.jointly.cli;

import io.jointly.channel.MessageChannel;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.RunAgreement;
import io.jointly.compliance.RunTerms;
import io.jointly.compliance.UnilateralRun;
import io.jointly.compliance.UsagePolicy;
import io.jointly.core.JointlyException;
import java.util.Optional;

/**
 * A command's compliance for one process: the run's purpose, the policy in force, the audit log
 * and the {@link RunAgreement} every protocol run goes through ({@link #open}). Made by {@link
 * ComplianceOptions#load}; closing it releases the audit log.
 *
 * @param purpose the run's purpose, if one is stated
 * @param policy the party's policy, if one is in force
 * @param log the audit log, if one is kept
 * @param agreement the agreement runs open with
 */
record Compliance(
    Optional<Purpose> purpose, Optional<UsagePolicy> policy, Optional<AuditLog> log, RunAgreement agreement)
    implements AutoCloseable {

  /**
   * Opens the agreed run on {@code channel}: this party's statement ({@code terms} with the
   * purpose), the peer's, both checks, and the protocol may start on {@link AgreedRun#channel()}.
   */
  AgreedRun open(MessageChannel channel, String role, RunTerms.Builder terms) throws JointlyException {
    return agreement.open(channel, role, terms.purpose(purpose).build(), ConnectionOptions.peerCertificates(channel));
  }

  /**
   * Opens a unilateral run for a protocol whose wire has no room for the agreement ({@code
   * psi-ic}): this party's terms ({@code terms} with the purpose) checked against its own policy;
   * the receipt will be this party's alone.
   *
   * @throws JointlyException {@code POLICY_REFUSED} if this party's policy refuses the run
   */
  UnilateralRun unilateral(String session, String role, RunTerms.Builder terms, String peer, String peerRole, String self)
      throws JointlyException {
    return agreement.unilateral(session, self, role, terms.purpose(purpose).build(), peer, peerRole);
  }

  @Override
  public void close() {
    log.ifPresent(AuditLog::close);
  }
}
