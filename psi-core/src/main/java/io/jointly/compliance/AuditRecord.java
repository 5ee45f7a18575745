package io.jointly.compliance;

import io.jointly.compliance.internal.Codec;
import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a party's hash-chained audit log: its position, the digest of the entry before it,
 * the party that keeps the log, the policy that allowed the run, the receipt, and the keeper's
 * seal (its signature over everything before the seal). The chain makes a removed, reordered or
 * altered entry visible at the first entry whose link no longer holds; the seal makes every entry
 * verifiable on its own, including the local fields the peer did not sign.
 *
 * <p>What the chain cannot show alone: entries removed from the end. The peer's log holds the same
 * completed receipts, so comparing the two logs shows them.
 *
 * @param sequence the entry's position, from 1
 * @param previous the {@link #digest()} of the entry before, or {@link #GENESIS} for the first
 * @param owner the party that keeps the log (one of the receipt's parties)
 * @param policy the policy and grant that allowed the run, if a policy was in force
 * @param receipt the receipt
 * @param seal the owner's signature over {@link #sealedBytes()}, absent for a party without a
 *     certificate
 */
public record AuditRecord(
    long sequence,
    Bytes previous,
    String owner,
    Optional<PolicyReference> policy,
    Receipt receipt,
    Optional<PartySignature> seal) {

  /** The {@code previous} of the first entry: 32 zero bytes. */
  public static final Bytes GENESIS = Bytes.wrap(new byte[32]);

  private static final String LABEL = "jointly audit record v1";

  public AuditRecord {
    if (sequence < 1) {
      throw new IllegalArgumentException("entries are numbered from 1");
    }
    Objects.requireNonNull(previous, "previous");
    if (previous.length() != 32) {
      throw new IllegalArgumentException("a previous-entry digest is 32 bytes");
    }
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(receipt, "receipt");
    receipt.body().party(owner);
    Objects.requireNonNull(seal, "seal");
    if (seal.isPresent() && !seal.get().party().equals(owner)) {
      throw new IllegalArgumentException("an entry is sealed by the owner of the log");
    }
  }

  /**
   * The entry that follows {@code last} (or the first entry), sealed by {@code keeper} if it has a
   * certificate.
   */
  public static AuditRecord next(
      Optional<AuditRecord> last,
      String owner,
      Optional<PolicyReference> policy,
      Receipt receipt,
      Optional<SigningIdentity> keeper) {
    long sequence = last.map(r -> r.sequence() + 1).orElse(1L);
    Bytes previous = last.map(AuditRecord::digest).orElse(GENESIS);
    AuditRecord unsealed = new AuditRecord(sequence, previous, owner, policy, receipt, Optional.empty());
    if (keeper.isEmpty()) {
      return unsealed;
    }
    if (!keeper.get().party().equals(owner)) {
      throw new IllegalArgumentException("the keeper of the log is its owner");
    }
    return new AuditRecord(
        sequence, previous, owner, policy, receipt, Optional.of(keeper.get().sign(unsealed.sealedBytes())));
  }

  /** The canonical encoding of everything but the seal: what the seal signs. */
  public Bytes sealedBytes() {
    Codec.Writer w = new Codec.Writer().string(LABEL).i64(sequence).bytes(previous).string(owner);
    w.bool(policy.isPresent());
    policy.ifPresent(p -> w.string(p.policy()).string(p.grant()).bytes(p.digest()));
    Encoding.writeReceipt(w, receipt);
    return w.toBytes();
  }

  /** The SHA-256 of the sealed bytes and the seal: what the next entry's {@code previous} holds. */
  public Bytes digest() {
    Codec.Writer w = new Codec.Writer().bytes(sealedBytes()).bool(seal.isPresent());
    seal.ifPresent(s -> Encoding.writeSignature(w, s));
    return Encoding.sha256(w.toBytes());
  }
}
