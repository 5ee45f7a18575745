package io.jointly.compliance;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.compliance.internal.AgreementWire;
import io.jointly.compliance.internal.Signatures;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run both parties agreed to ({@link RunAgreement#open}): run the protocol over {@link
 * #channel()}, then end it with {@link #complete} (both sign the receipt) or, if the protocol
 * failed, {@link #fail} (a one-sided receipt of the failure). {@link #run} does both around a
 * protocol call.
 *
 * <pre>{@code
 * AgreedRun run = agreement.open(channel, "bank", terms, peerChain);
 * AgreedRun.Completed<PsiResult> done =
 *     run.run(ch -> psi.run(input, ch), r -> Learned.of("...", Map.of("intersection_size", ...)));
 * Receipt receipt = done.receipt();   // signed by both; already handed to the audit trail
 * }</pre>
 *
 * <p>Thread-safety: the protocol may use {@link #channel()} from one sending and one receiving
 * thread; {@code complete} and {@code fail} are called once, after the protocol returned.
 */
public final class AgreedRun {
  private static final int MAX_OUTCOME_BYTES = 64 * 1024;

  private final RunAgreement agreement;
  private final MessageChannel raw;
  private final TranscriptChannel transcript;
  private final PartyStatement own;
  private final PartyStatement peer;
  private final Optional<PolicyReference> policy;
  private boolean ended;

  AgreedRun(
      RunAgreement agreement,
      MessageChannel raw,
      PartyStatement own,
      PartyStatement peer,
      Optional<PolicyReference> policy) {
    this.agreement = agreement;
    this.raw = raw;
    this.transcript = new TranscriptChannel(raw);
    this.own = own;
    this.peer = peer;
    this.policy = policy;
  }

  /** A protocol run over the agreed channel. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run(MessageChannel channel) throws E, JointlyException;
  }

  /**
   * A completed run: the protocol's result and the receipt.
   *
   * @param result what the protocol returned
   * @param receipt the receipt both parties signed
   */
  public record Completed<T>(T result, Receipt receipt) {}

  /** The channel the protocol runs over: the agreed channel, digesting every message. */
  public MessageChannel channel() {
    return transcript;
  }

  /** This party's statement. */
  public PartyStatement own() {
    return own;
  }

  /** The peer's statement. */
  public PartyStatement peer() {
    return peer;
  }

  /** The policy and grant that allowed the run, if a policy is in force. */
  public Optional<PolicyReference> policy() {
    return policy;
  }

  /**
   * Runs {@code body} over {@link #channel()}; if it fails, records the failure ({@link #fail}) and
   * rethrows; otherwise completes the run with {@code learned} of the result.
   */
  public <T, E extends Exception> Completed<T> run(Body<T, E> body, Function<T, Learned> learned)
      throws E, JointlyException {
    T result;
    try {
      result = body.run(channel());
    } catch (Exception | Error e) {
      fail(e);
      throw e;
    }
    return new Completed<>(result, complete(learned.apply(result)));
  }

  /**
   * Ends a successful run: exchanges outcomes, checks that both parties saw the same messages,
   * signs the receipt and checks the peer's signature. The receipt goes to the audit trail first.
   * If any of it fails, the failure is recorded as by {@link #fail} and rethrown.
   *
   * @throws ProtocolAbortException {@code TRANSCRIPT_MISMATCH} if the parties saw different
   *     messages or the peer's signature does not verify over the receipt, {@code
   *     MALFORMED_MESSAGE} for a malformed message
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public synchronized Receipt complete(Learned learned) throws JointlyException {
    Objects.requireNonNull(learned, "learned");
    startEnding();
    try {
      byte[] sent = transcript.sentDigest();
      byte[] received = transcript.receivedDigest();
      PartyOutcome mine = new PartyOutcome(agreement.now(), learned);
      raw.send(
          RunAgreement.Round.OUTCOME.key(),
          AgreementWire.outcome(new AgreementWire.Outcome(mine, Bytes.wrap(sent), Bytes.wrap(received))));
      Bytes payload = raw.receive(RunAgreement.Round.OUTCOME.key(), agreement.timeout);
      Abort.unlessWellFormed(payload.length() <= MAX_OUTCOME_BYTES, "OUTCOME is too large");
      AgreementWire.Outcome theirs = AgreementWire.decodeOutcome(payload);
      Abort.unless(
          MessageDigest.isEqual(theirs.sent().toByteArray(), received)
              && MessageDigest.isEqual(theirs.received().toByteArray(), sent),
          ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH,
          "the two parties saw different protocol messages");
      ReceiptBody body =
          new ReceiptBody(
              raw.sessionId(),
              RunAgreement.parties(own, Optional.of(mine), peer, Optional.of(theirs.outcome())),
              ReceiptBody.Status.COMPLETED,
              Optional.empty(),
              "",
              Optional.of(RunAgreement.transcriptDigest(own.party(), sent, peer.party(), received)));
      Bytes signed = body.encode();
      Optional<PartySignature> mySignature = agreement.identity.map(i -> i.sign(signed));
      raw.send(RunAgreement.Round.SIGNATURE.key(), AgreementWire.signature(mySignature));
      Optional<PartySignature> theirSignature =
          AgreementWire.decodeSignature(raw.receive(RunAgreement.Round.SIGNATURE.key(), agreement.timeout));
      checkPeerSignature(theirSignature, signed);
      List<PartySignature> signatures = new ArrayList<>(2);
      mySignature.ifPresent(signatures::add);
      theirSignature.ifPresent(signatures::add);
      signatures.sort(Comparator.comparing(PartySignature::party));
      Receipt receipt = new Receipt(body, signatures);
      agreement.trail.record(receipt, policy);
      return receipt;
    } catch (JointlyException | RuntimeException e) {
      recordFailure(e);
      throw e;
    }
  }

  /**
   * Records that the run failed after the agreement, with a receipt signed by this party alone:
   * both statements, this party's end time, how it failed, and its view of the transcript so far.
   * Returns the receipt (already handed to the audit trail).
   *
   * @throws IllegalStateException if the run already ended
   */
  public synchronized Receipt fail(Throwable cause) {
    startEnding();
    return recordFailure(cause);
  }

  private Receipt recordFailure(Throwable cause) {
    ReceiptBody body =
        new ReceiptBody(
            raw.sessionId(),
            RunAgreement.parties(own, Optional.of(new PartyOutcome(agreement.now(), Learned.NOTHING)), peer, Optional.empty()),
            ReceiptBody.Status.FAILED,
            Optional.of(own.party()),
            clip(describe(cause)),
            Optional.of(
                RunAgreement.transcriptDigest(
                    own.party(), transcript.sentDigest(), peer.party(), transcript.receivedDigest())));
    Receipt receipt = agreement.signedBySelf(body);
    agreement.trail.record(receipt, policy);
    return receipt;
  }

  private void startEnding() {
    if (ended) {
      throw new IllegalStateException("the run already ended");
    }
    ended = true;
  }

  private void checkPeerSignature(Optional<PartySignature> signature, Bytes signed)
      throws ProtocolAbortException {
    if (peer.certificates().isEmpty()) {
      Abort.unlessWellFormed(signature.isEmpty(), "the peer signed without a certificate");
      return;
    }
    Abort.unless(
        signature.isPresent(),
        ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH,
        "the peer has a certificate but did not sign the receipt");
    PublicKey key = peer.certificates().leaf().getPublicKey();
    PartySignature s = signature.get();
    Abort.unless(
        s.party().equals(peer.party())
            && s.algorithm().equals(Signatures.algorithmFor(key))
            && Signatures.verify(s.algorithm(), key, signed, s.value()),
        ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH,
        "the peer's signature does not verify over this party's receipt");
  }

  /** How a run failed, for a receipt: the exception's kind and message (which never hold data values). */
  static String describe(Throwable cause) {
    String m = cause.getMessage();
    return cause.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** {@code text} without control characters, at most {@link ReceiptBody#MAX_DETAIL_LENGTH} long. */
  static String clip(String text) {
    String t = text.replaceAll("\\p{Cntrl}", " ").strip();
    if (t.isEmpty()) {
      t = "(no detail)";
    }
    return t.length() <= ReceiptBody.MAX_DETAIL_LENGTH ? t : t.substring(0, ReceiptBody.MAX_DETAIL_LENGTH - 1) + "…";
  }
}
