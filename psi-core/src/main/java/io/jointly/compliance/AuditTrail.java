package io.jointly.compliance;

import java.util.Optional;

/**
 * Where a party keeps the receipts of its runs. The run agreement hands it every receipt it makes
 * (completed, failed and refused runs alike) with the policy that allowed the run, before it
 * returns the result to the caller. The CLI's trail is a hash-chained audit log ({@link
 * AuditRecord}); an embedding service can keep receipts in its own database. A trail that cannot
 * record throws, and the run's caller sees that exception instead of a result.
 */
@FunctionalInterface
public interface AuditTrail {
  /** Keeps nothing. */
  AuditTrail NONE = (receipt, policy) -> {};

  /**
   * Keeps {@code receipt}.
   *
   * @param policy the policy and grant that allowed the run (empty for a refused run, or when no
   *     policy is in force)
   */
  void record(Receipt receipt, Optional<PolicyReference> policy);
}
