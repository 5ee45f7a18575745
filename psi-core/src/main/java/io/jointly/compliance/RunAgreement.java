package io.jointly.compliance;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.compliance.internal.AgreementWire.Verdict;
import io.jointly.compliance.internal.Certificates;
import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The run agreement: a short exchange over the same {@link MessageChannel} before a protocol runs,
 * and another after it, that binds the run to a purpose, checks each party's usage policy, and ends
 * with a receipt both parties sign. One mechanism for every two-party protocol: the protocol itself
 * is unchanged and runs over {@link AgreedRun#channel()}.
 *
 * <h2>Rounds (protocol {@value #PROTOCOL})</h2>
 *
 * <ol>
 *   <li>{@code STATEMENT}: each party sends its {@link PartyStatement}: name, role, software,
 *       {@link RunTerms} (purpose, command, protocol, reveal mode, public parameters, guardrails,
 *       input rows), start time and certificate chain.
 *   <li>Each party checks, in order: the peer's name is the channel's authenticated peer and its
 *       certificate chains to this party's trust roots, names the peer and is the one it
 *       authenticated with in TLS; purpose (field by field), command, protocol and reveal mode are
 *       the same on both sides (a difference names the field); its own {@link Authorizer} allows
 *       the run. {@code VERDICT}: each sends accept, or the kind of refusal. A policy refusal sends
 *       no rule: the peer learns only that a policy refused. Either refusal ends the run on both
 *       sides before any protocol message; each keeps a one-sided receipt of the refusal.
 *   <li>The protocol runs over {@link AgreedRun#channel()}, which digests every message each way.
 *   <li>{@code OUTCOME}: each sends its end time, what it learned (counts, never values) and the
 *       digests of what it sent and received; each checks the peer's against its own. The
 *       transcript digest is SHA-256 over both directions, labelled by sender, the same at both.
 *   <li>{@code SIGNATURE}: each signs the receipt body (both statements, both outcomes, transcript
 *       digest) with its certificate's key and sends the signature; each verifies the peer's. Both
 *       now hold the same receipt with both signatures.
 * </ol>
 *
 * A run that fails after the verdicts (in the protocol, or in the last two rounds) leaves a receipt
 * of the failure signed by the recording party alone ({@link AgreedRun#fail}). Every receipt goes
 * to the {@link AuditTrail} before the caller gets the result.
 *
 * <h2>What each party learns</h2>
 *
 * The other's statement (its name, role, software version, purpose, the command's public
 * parameters, its guardrails and its input row count, which the PSI-based protocols reveal as a set
 * size anyway), whether the other accepted, and at the end its account of what it learned (counts)
 * and its end time. Never a data value, never the other's policy.
 *
 * <p>Thread-safety: an instance is immutable and may open any number of runs concurrently.
 */
public final class RunAgreement {
  /** The protocol name in round keys. */
  public static final String PROTOCOL = "run-agreement";

  /** The software a unilateral receipt records for a peer that stated nothing. */
  public static final String UNSTATED = "unstated";

  private static final String TRANSCRIPT_LABEL = "jointly run transcript v1";

  /** Rounds, with explicit wire codes. */
  enum Round {
    STATEMENT(1),
    VERDICT(2),
    OUTCOME(3),
    SIGNATURE(4);

    private final int wireCode;

    Round(int wireCode) {
      this.wireCode = wireCode;
    }

    RoundKey key() {
      return RoundKey.of(PROTOCOL, wireCode);
    }
  }

  final String software;
  final Optional<SigningIdentity> identity;
  final List<X509Certificate> trustRoots;
  final Authorizer authorizer;
  final UsageMeter meter;
  final AuditTrail trail;
  final Clock clock;
  final Duration timeout;

  private RunAgreement(Builder b) {
    this.software = b.software;
    this.identity = b.identity;
    this.trustRoots = List.copyOf(b.trustRoots);
    this.authorizer = b.authorizer;
    this.meter = b.meter;
    this.trail = b.trail;
    this.clock = b.clock;
    this.timeout = b.timeout;
  }

  /** An agreement for runs of {@code software} (its name and version, such as {@code jointly 0.1.0}). */
  public static Builder builder(String software) {
    return new Builder(software);
  }

  /**
   * Runs the opening rounds on {@code channel} as {@code role} with {@code terms}, and returns the
   * agreed run. Nothing of the protocol has moved yet.
   *
   * @param authenticatedPeerChain the certificate chain the transport authenticated the peer with
   *     (leaf first), or empty if it exposes none; when given, the peer's statement must carry the
   *     same leaf
   * @throws ProtocolAbortException {@code HANDSHAKE_MISMATCH} if the statements disagree (naming
   *     the field) or the peer's identity does not check out, {@code POLICY_REFUSED} if this
   *     party's policy (naming the rule) or the peer's (naming none) refuses the run, {@code
   *     MALFORMED_MESSAGE} for a malformed message
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public AgreedRun open(
      MessageChannel channel, String role, RunTerms terms, List<X509Certificate> authenticatedPeerChain)
      throws JointlyException {
    if (identity.isPresent() && !identity.get().party().equals(channel.self())) {
      throw new IllegalArgumentException(
          "the signing identity is '" + identity.get().party() + "', the channel's party '" + channel.self() + "'");
    }
    PartyStatement mine =
        new PartyStatement(
            channel.self(), role, software, terms, now(), identity.map(SigningIdentity::chain).orElse(CertificateChain.NONE));
    channel.send(Round.STATEMENT.key(), Encoding.statement(mine));
    PartyStatement theirs = Encoding.decodeStatement(channel.receive(Round.STATEMENT.key(), timeout));

    Verdict verdict = Verdict.ACCEPT;
    String refusal = null;
    Optional<PolicyReference> allowedBy = Optional.empty();
    Optional<String> identityProblem = identityProblem(channel, theirs, authenticatedPeerChain);
    Optional<String> disagreement = mine.terms().firstDisagreement(theirs.terms());
    if (identityProblem.isPresent()) {
      verdict = Verdict.IDENTITY;
      refusal = identityProblem.get();
    } else if (disagreement.isPresent()) {
      verdict = Verdict.DISAGREE;
      refusal = disagreementText(disagreement.get(), mine.terms(), theirs.terms());
    } else {
      PolicyDecision decision = authorizer.decide(new RunRequest(mine, theirs, now()), meter);
      if (decision instanceof PolicyDecision.Refused r) {
        verdict = Verdict.POLICY;
        refusal = "refused by this party's policy (rule " + r.rule() + "): " + r.reason();
      } else {
        allowedBy = ((PolicyDecision.Allowed) decision).policy();
      }
    }
    channel.send(Round.VERDICT.key(), verdict.encode());
    Verdict peerVerdict = Verdict.decode(channel.receive(Round.VERDICT.key(), timeout));
    if (verdict == Verdict.ACCEPT && peerVerdict == Verdict.ACCEPT) {
      return new AgreedRun(this, channel, mine, theirs, allowedBy);
    }
    ProtocolAbortException.Reason reason;
    if (verdict != Verdict.ACCEPT) {
      reason = verdict == Verdict.POLICY
          ? ProtocolAbortException.Reason.POLICY_REFUSED
          : ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
    } else {
      reason = peerVerdict == Verdict.POLICY
          ? ProtocolAbortException.Reason.POLICY_REFUSED
          : ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
      refusal =
          switch (peerVerdict) {
            case POLICY -> "refused by the peer's policy";
            case DISAGREE -> "the peer finds that the two parties' statements disagree";
            case IDENTITY -> "the peer did not accept this party's name or certificate";
            case ACCEPT -> throw new IllegalStateException("unreachable");
          };
    }
    recordRefusal(channel, mine, theirs, refusal);
    throw new ProtocolAbortException(reason, refusal);
  }

  /**
   * Opens a unilateral run: for a protocol whose wire has no room for the agreement's rounds (the
   * interconnection standard's ECDH-PSI, whose messages and order the standard fixes), so the peer
   * states no purpose and signs nothing. This party states its terms, checks its own {@link
   * Authorizer} (a refusal is recorded as a {@code REFUSED} receipt and thrown, before any
   * connection), and at the end records a receipt it alone signs ({@link UnilateralRun}). Purpose
   * binding between the parties does not apply: only this party's policy binds the run to its
   * purpose. The peer appears as this party's account of it: {@code peer} as the transport
   * authenticates it, software {@value #UNSTATED}, no purpose, and, once the run ends, as input
   * rows the item count the protocol revealed.
   *
   * @param session an identifier of the run for the receipt (1–128 printable characters)
   * @param self this party's name (the signing identity's, if any)
   * @param role this party's role in the protocol
   * @param terms this party's terms
   * @param peer the peer's name, as the transport authenticates it
   * @param peerRole the peer's role in the protocol
   * @throws ProtocolAbortException {@code POLICY_REFUSED} if this party's policy refuses the run
   *     (naming the rule)
   */
  public UnilateralRun unilateral(
      String session, String self, String role, RunTerms terms, String peer, String peerRole)
      throws ProtocolAbortException {
    if (identity.isPresent() && !identity.get().party().equals(self)) {
      throw new IllegalArgumentException(
          "the signing identity is '" + identity.get().party() + "', this party '" + self + "'");
    }
    if (self.equals(peer)) {
      throw new IllegalArgumentException("a run needs two distinct parties");
    }
    Instant start = now();
    PartyStatement mine =
        new PartyStatement(self, role, software, terms, start, identity.map(SigningIdentity::chain).orElse(CertificateChain.NONE));
    UnilateralRun run = new UnilateralRun(this, session, mine, peer, peerRole);
    PolicyDecision decision = authorizer.decide(new RunRequest(mine, run.peerAccount(0), start, false), meter);
    if (decision instanceof PolicyDecision.Refused r) {
      String refusal = "refused by this party's policy (rule " + r.rule() + "): " + r.reason();
      ReceiptBody body =
          new ReceiptBody(
              session,
              parties(mine, Optional.of(new PartyOutcome(now(), Learned.NOTHING)), run.peerAccount(0), Optional.empty()),
              ReceiptBody.Status.REFUSED,
              Optional.of(self),
              AgreedRun.clip(refusal),
              Optional.empty());
      trail.record(signedBySelf(body), Optional.empty());
      throw new ProtocolAbortException(ProtocolAbortException.Reason.POLICY_REFUSED, refusal);
    }
    run.allowedBy(((PolicyDecision.Allowed) decision).policy());
    return run;
  }

  private void recordRefusal(MessageChannel channel, PartyStatement mine, PartyStatement theirs, String detail) {
    if (mine.party().equals(theirs.party())) {
      return; // a peer stating this party's own name: no receipt can name two parties
    }
    ReceiptBody body =
        new ReceiptBody(
            channel.sessionId(),
            parties(mine, Optional.of(new PartyOutcome(now(), Learned.NOTHING)), theirs, Optional.empty()),
            ReceiptBody.Status.REFUSED,
            Optional.of(mine.party()),
            AgreedRun.clip(detail),
            Optional.empty());
    trail.record(signedBySelf(body), Optional.empty());
  }

  /** The receipt signed by this party alone (or unsigned without an identity). */
  Receipt signedBySelf(ReceiptBody body) {
    return new Receipt(body, identity.map(i -> List.of(i.sign(body.encode()))).orElse(List.of()));
  }

  /** Both parties' parts, in order of name. */
  static List<ReceiptBody.ReceiptParty> parties(
      PartyStatement a, Optional<PartyOutcome> aOutcome, PartyStatement b, Optional<PartyOutcome> bOutcome) {
    List<ReceiptBody.ReceiptParty> parties = new ArrayList<>(2);
    parties.add(new ReceiptBody.ReceiptParty(a, aOutcome));
    parties.add(new ReceiptBody.ReceiptParty(b, bOutcome));
    parties.sort(Comparator.comparing(ReceiptBody.ReceiptParty::name));
    return parties;
  }

  /** The transcript digest both parties compute: SHA-256 over each sender's name and message digest, by name. */
  static Bytes transcriptDigest(String self, byte[] sent, String peer, byte[] received) {
    boolean selfFirst = self.compareTo(peer) < 0;
    io.jointly.compliance.internal.Codec.Writer w =
        new io.jointly.compliance.internal.Codec.Writer().string(TRANSCRIPT_LABEL);
    if (selfFirst) {
      w.string(self).bytes(Bytes.wrap(sent)).string(peer).bytes(Bytes.wrap(received));
    } else {
      w.string(peer).bytes(Bytes.wrap(received)).string(self).bytes(Bytes.wrap(sent));
    }
    return Encoding.sha256(w.toBytes());
  }

  private Optional<String> identityProblem(
      MessageChannel channel, PartyStatement theirs, List<X509Certificate> authenticated) {
    if (!theirs.party().equals(channel.peer())) {
      return Optional.of(
          "the peer states the name '" + theirs.party() + "', but the channel's peer is '" + channel.peer() + "'");
    }
    if (trustRoots.isEmpty()) {
      return Optional.empty();
    }
    if (theirs.certificates().isEmpty()) {
      return Optional.of("the peer sent no certificate");
    }
    List<X509Certificate> chain;
    try {
      chain = theirs.certificates().certificates();
    } catch (IllegalArgumentException e) {
      return Optional.of("the peer's certificate is not a valid X.509 certificate");
    }
    Optional<String> problem = Certificates.problem(chain, trustRoots, channel.peer(), now());
    if (problem.isPresent()) {
      return Optional.of("the peer's certificate: " + problem.get());
    }
    if (!authenticated.isEmpty()) {
      try {
        if (!theirs.certificates().der().get(0).equals(Bytes.wrap(authenticated.get(0).getEncoded()))) {
          return Optional.of("the peer's certificate is not the one it authenticated with in TLS");
        }
      } catch (CertificateEncodingException e) {
        return Optional.of("the transport's peer certificate cannot be encoded");
      }
    }
    return Optional.empty();
  }

  private static String disagreementText(String field, RunTerms mine, RunTerms theirs) {
    return "the two parties state different " + field + ": this party "
        + fieldValue(field, mine) + ", the peer " + fieldValue(field, theirs);
  }

  private static String fieldValue(String field, RunTerms t) {
    String v =
        switch (field) {
          case "purpose" -> t.purpose().map(p -> p.campaign()).orElse("(none)");
          case "purpose.campaign" -> t.purpose().orElseThrow().campaign();
          case "purpose.text" -> t.purpose().orElseThrow().text();
          case "purpose.legal_basis" -> t.purpose().orElseThrow().legalBasis().token();
          case "command" -> t.command();
          case "protocol" -> t.protocol();
          case "reveal" -> t.reveal();
          default -> throw new IllegalArgumentException(field);
        };
    return "'" + v + "'";
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Configures a {@link RunAgreement}. Not thread-safe. */
  public static final class Builder {
    private final String software;
    private Optional<SigningIdentity> identity = Optional.empty();
    private List<X509Certificate> trustRoots = List.of();
    private Authorizer authorizer = Authorizer.ALLOW_ALL;
    private UsageMeter meter = UsageMeter.NONE;
    private AuditTrail trail = AuditTrail.NONE;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofMinutes(2);

    private Builder(String software) {
      this.software = Objects.requireNonNull(software, "software");
    }

    /** Signs receipts as this identity (the party's TLS certificate and key). Default: unsigned. */
    public Builder identity(SigningIdentity identity) {
      this.identity = Optional.of(identity);
      return this;
    }

    /**
     * Checks the peer's certificate against these roots (the TLS trust roots). Default: none, and
     * no certificate is checked (plaintext trials only).
     */
    public Builder trustRoots(List<X509Certificate> roots) {
      this.trustRoots = List.copyOf(roots);
      return this;
    }

    /** Decides on every run with this authorizer. Default: {@link Authorizer#ALLOW_ALL}. */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer);
      return this;
    }

    /** Reads past use from this meter. Default: {@link UsageMeter#NONE}. */
    public Builder meter(UsageMeter meter) {
      this.meter = Objects.requireNonNull(meter);
      return this;
    }

    /** Hands every receipt to this trail. Default: {@link AuditTrail#NONE}. */
    public Builder trail(AuditTrail trail) {
      this.trail = Objects.requireNonNull(trail);
      return this;
    }

    /** Reads times from this clock. Default: the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Waits at most this long for each of the peer's agreement messages. Default: 2 minutes. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the software name is not 1–64 printable characters
     */
    public RunAgreement build() {
      if (software.isEmpty() || software.length() > 64 || software.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
        throw new IllegalArgumentException("a software version is 1-64 printable ASCII characters");
      }
      return new RunAgreement(this);
    }
  }
}
