/**
 * Purpose binding, usage policies and jointly signed receipts ("数据可用不可见，用途可控可计量": data
 * usable but not visible, its use controllable and measurable).
 *
 * <h2>The pieces</h2>
 *
 * <ul>
 *   <li>{@link io.jointly.compliance.Purpose} (campaign, purpose text, {@link
 *       io.jointly.compliance.LegalBasis}) and {@link io.jointly.compliance.RunTerms}: what a party
 *       states about a run before any data item moves.
 *   <li>{@link io.jointly.compliance.UsagePolicy}: which peers may run which commands for which
 *       purposes, protocols, reveal modes, guardrails, limits per peer and period, expiry. It is an
 *       {@link io.jointly.compliance.Authorizer}; a service with its own policy store implements
 *       that interface instead. Limits read past use from a {@link
 *       io.jointly.compliance.UsageMeter}.
 *   <li>{@link io.jointly.compliance.RunAgreement} and {@link io.jointly.compliance.AgreedRun}: the
 *       exchange around a protocol run (statements, verdicts, then outcomes and signatures), one
 *       mechanism for every two-party protocol. {@link io.jointly.compliance.UnilateralRun} is
 *       the fallback for a protocol whose wire leaves no room for the exchange (the
 *       interconnection standard's ECDH-PSI, {@code psi-ic}): this party's policy alone decides,
 *       and the receipt is this party's alone.
 *   <li>{@link io.jointly.compliance.Receipt}: what both parties sign at the end of a run (or one
 *       party alone for a failed or refused run); {@link io.jointly.compliance.AuditTrail} is where
 *       they go, {@link io.jointly.compliance.AuditRecord} an entry of a hash-chained log, and
 *       {@link io.jointly.compliance.ReceiptVerifier} checks both against a CA.
 * </ul>
 *
 * <h2>Wrapping a protocol (for authors of new commands and protocols)</h2>
 *
 * <pre>{@code
 * RunAgreement agreement = RunAgreement.builder("jointly 0.1.0")
 *     .identity(SigningIdentity.of("bank", chain, key, SecretAccess.insecure()))
 *     .trustRoots(List.of(caCertificate))
 *     .authorizer(policy).meter(auditLog).trail(auditLog)
 *     .timeout(Duration.ofMinutes(2))
 *     .build();
 * RunTerms terms = RunTerms.builder("psi", "ecdh-psi")
 *     .purpose(Optional.of(purpose)).reveal("bank")
 *     .parameter("suite", "ristretto255").minPeerSetSize(100).inputRows(rows)
 *     .build();
 * AgreedRun run = agreement.open(channel, "bank", terms, peerCertificateChainFromTls);
 * AgreedRun.Completed<PsiResult> done = run.run(
 *     ch -> psi.run(prepared, ch),                    // the protocol, unchanged
 *     r -> Learned.of("which of its rows are shared", Map.of("intersection_size", ...)));
 * }</pre>
 *
 * The protocol keeps its own handshake and transcript check; the agreement adds nothing inside it.
 * Round keys use the protocol name {@value io.jointly.compliance.RunAgreement#PROTOCOL}, so they
 * never collide with a protocol's.
 *
 * <h2>Security model</h2>
 *
 * Semi-honest parties over an authenticated channel (mutual TLS). What each party learns from the
 * agreement: the other's statement (name, role, software version, purpose, public parameters,
 * guardrails, input row count), whether it accepted, its end time and its account of what it
 * learned (counts, never values). A policy refusal tells the peer only that a policy refused, never
 * the rule. Receipts hold counts, names and parameters, never a customer identifier, feature value,
 * key or mask. A receipt proves that both parties' certificate keys signed the same account of a
 * run (statements, outcomes and the digest of the protocol messages both saw); it does not prove
 * that a party's account of its own input or of what it learned is true: a malicious party can
 * misstate its row count. The hash chain of an audit log shows a removed, reordered or altered
 * entry; removing the newest entries shows only against the peer's log. A unilateral receipt
 * proves less: only that this party's key signed its own account; the peer stated no purpose and
 * signed nothing, and its part (name, item count) is this party's account of it.
 *
 * <p>Thread-safety: the values are immutable; {@code RunAgreement}, {@code ReceiptVerifier} and
 * {@code UsagePolicy} are thread-safe; an {@code AgreedRun} serves one protocol run.
 */
package io.jointly.compliance;
