package io.jointly.compliance;

import io.jointly.compliance.internal.Certificates;
import io.jointly.compliance.internal.Signatures;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks receipts and audit entries against trust roots (the deployment's CA): every signature a
 * receipt needs is there and verifies, under the algorithm its certificate's key implies, with a
 * certificate that names the signer and chains to a root at the time the signer stated (so a
 * receipt stays verifiable after its certificates expire); an audit entry is in its place in the
 * chain and sealed by its owner.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReceiptVerifier {
  private final List<X509Certificate> roots;

  /** A verifier trusting {@code trustRoots} (at least one). */
  public ReceiptVerifier(List<X509Certificate> trustRoots) {
    this.roots = List.copyOf(Objects.requireNonNull(trustRoots, "trustRoots"));
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("name at least one trust root");
    }
  }

  /** Why {@code receipt} is not valid, or empty if it is. */
  public Optional<String> problem(Receipt receipt) {
    ReceiptBody body = receipt.body();
    List<String> signers = body.signers();
    for (PartySignature s : receipt.signatures()) {
      if (!signers.contains(s.party())) {
        return Optional.of("signed by '" + s.party() + "', who does not sign a one-sided receipt of '" + signers.get(0) + "'");
      }
    }
    for (String signer : signers) {
      Optional<PartySignature> s = receipt.signatureOf(signer);
      if (s.isEmpty()) {
        return Optional.of("no signature of '" + signer + "'");
      }
      Optional<String> p = signatureProblem(body.party(signer).statement(), s.get(), body.encode());
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code entry} is not valid where it stands, or empty: its sequence follows {@code
   * previous} (or is 1), its link holds, its receipt is valid and its owner's seal verifies.
   */
  public Optional<String> problem(AuditRecord entry, Optional<AuditRecord> previous) {
    long expected = previous.map(r -> r.sequence() + 1).orElse(1L);
    if (entry.sequence() != expected) {
      return Optional.of("entry " + entry.sequence() + " stands where entry " + expected + " belongs");
    }
    if (!entry.previous().equals(previous.map(AuditRecord::digest).orElse(AuditRecord.GENESIS))) {
      return Optional.of("the link to the entry before does not hold (an entry was removed, reordered or changed)");
    }
    if (!entry.receipt().body().signers().contains(entry.owner())) {
      return Optional.of("'" + entry.owner() + "' keeps a one-sided receipt it did not record");
    }
    Optional<String> receiptProblem = problem(entry.receipt());
    if (receiptProblem.isPresent()) {
      return Optional.of("receipt: " + receiptProblem.get());
    }
    if (entry.seal().isEmpty()) {
      return Optional.of("the entry is not sealed by '" + entry.owner() + "'");
    }
    return signatureProblem(
            entry.receipt().body().party(entry.owner()).statement(), entry.seal().get(), entry.sealedBytes())
        .map(p -> "seal: " + p);
  }

  private Optional<String> signatureProblem(PartyStatement statement, PartySignature signature, io.jointly.core.Bytes message) {
    String party = statement.party();
    if (statement.certificates().isEmpty()) {
      return Optional.of("'" + party + "' ran without a certificate, so its signature cannot be checked");
    }
    List<X509Certificate> chain;
    try {
      chain = statement.certificates().certificates();
    } catch (IllegalArgumentException e) {
      return Optional.of("'" + party + "''s certificate is not a valid X.509 certificate");
    }
    Optional<String> certificate = Certificates.problem(chain, roots, party, statement.start());
    if (certificate.isPresent()) {
      return Optional.of("'" + party + "': " + certificate.get());
    }
    String algorithm;
    try {
      algorithm = Signatures.algorithmFor(chain.get(0).getPublicKey());
    } catch (IllegalArgumentException e) {
      return Optional.of("'" + party + "': " + e.getMessage());
    }
    if (!algorithm.equals(signature.algorithm())) {
      return Optional.of(
          "'" + party + "' signed with " + signature.algorithm() + ", but its certificate's key signs with " + algorithm);
    }
    if (!Signatures.verify(algorithm, chain.get(0).getPublicKey(), message, signature.value())) {
      return Optional.of("the signature of '" + party + "' does not verify");
    }
    return Optional.empty();
  }
}
