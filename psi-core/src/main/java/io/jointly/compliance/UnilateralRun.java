package io.jointly.compliance;

import io.jointly.core.JointlyException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A run over a protocol whose wire carries no run agreement ({@link RunAgreement#unilateral}): this
 * party's own policy allowed it, and it ends with a receipt this party alone signs, {@code
 * UNILATERAL} if the protocol completed, {@code FAILED} if it did not. Both go to the audit trail
 * before the caller sees the result, and count towards the policy's limits like any run.
 *
 * <pre>{@code
 * UnilateralRun run = agreement.unilateral(session, "bank", "rank0", terms, "partner", "rank1");
 * UnilateralRun.Completed<IcPsiResult> done = run.run(
 *     () -> session.run(psi, prepared),
 *     r -> Learned.of("...", Map.of("intersection_size", ...)),
 *     r -> r.peerSetSize());                        // what the protocol revealed of the peer
 * }</pre>
 *
 * <p>What the receipt proves is less than a two-party receipt: that this party's key signed its own
 * account of the run. The peer neither stated a purpose nor signed; the peer's part is this party's
 * account (its authenticated name, its item count as the protocol revealed it).
 *
 * <p>Thread-safety: {@code complete} and {@code fail} are called once, from one thread.
 */
public final class UnilateralRun {
  private final RunAgreement agreement;
  private final String session;
  private final PartyStatement own;
  private final String peer;
  private final String peerRole;
  private Optional<PolicyReference> policy = Optional.empty();
  private boolean ended;

  UnilateralRun(RunAgreement agreement, String session, PartyStatement own, String peer, String peerRole) {
    this.agreement = agreement;
    this.session = session;
    this.own = own;
    this.peer = peer;
    this.peerRole = peerRole;
  }

  void allowedBy(Optional<PolicyReference> policy) {
    this.policy = policy;
  }

  /** A protocol run that needs no channel from the agreement (it brings its own transport). */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E, JointlyException;
  }

  /**
   * A completed run: the protocol's result and the receipt.
   *
   * @param result what the protocol returned
   * @param receipt the receipt this party signed
   */
  public record Completed<T>(T result, Receipt receipt) {}

  /** This party's statement. */
  public PartyStatement own() {
    return own;
  }

  /** The policy and grant that allowed the run, if a policy is in force. */
  public Optional<PolicyReference> policy() {
    return policy;
  }

  /**
   * Runs {@code body}; if it fails, records the failure ({@link #fail}) and rethrows; otherwise
   * completes the run with {@code learned} of the result and the peer's item count {@code peerItems}
   * of it.
   */
  public <T, E extends Exception> Completed<T> run(
      Body<T, E> body, Function<T, Learned> learned, ToLongFunction<T> peerItems) throws E, JointlyException {
    T result;
    try {
      result = body.run();
    } catch (Exception | Error e) {
      fail(e);
      throw e;
    }
    return new Completed<>(result, complete(learned.apply(result), peerItems.applyAsLong(result)));
  }

  /**
   * Ends a completed run: a {@code UNILATERAL} receipt with this party's account of what it learned
   * and of the peer's item count, signed by this party, handed to the audit trail and returned.
   *
   * @throws IllegalStateException if the run already ended
   */
  public synchronized Receipt complete(Learned learned, long peerItems) {
    return complete(
        learned,
        peerItems,
        "the protocol's wire carries no run agreement: the peer stated no purpose and signed nothing;"
            + " its part is this party's account (authenticated name, item count the protocol revealed)");
  }

  /**
   * As {@link #complete(Learned, long)}, with {@code why} the run is unilateral as the receipt's
   * detail (at most {@link ReceiptBody#MAX_DETAIL_LENGTH} characters; never a data value), for
   * example a resumed run that had only local work left and never contacted the peer.
   */
  public synchronized Receipt complete(Learned learned, long peerItems, String why) {
    startEnding();
    ReceiptBody body =
        new ReceiptBody(
            session,
            RunAgreement.parties(
                own, Optional.of(new PartyOutcome(agreement.now(), learned)), peerAccount(peerItems), Optional.empty()),
            ReceiptBody.Status.UNILATERAL,
            Optional.of(own.party()),
            AgreedRun.clip(why),
            Optional.empty());
    Receipt receipt = agreement.signedBySelf(body);
    agreement.trail.record(receipt, policy);
    return receipt;
  }

  /**
   * Records that the run failed, with a receipt signed by this party alone, and returns it.
   *
   * @throws IllegalStateException if the run already ended
   */
  public synchronized Receipt fail(Throwable cause) {
    startEnding();
    ReceiptBody body =
        new ReceiptBody(
            session,
            RunAgreement.parties(
                own, Optional.of(new PartyOutcome(agreement.now(), Learned.NOTHING)), peerAccount(0), Optional.empty()),
            ReceiptBody.Status.FAILED,
            Optional.of(own.party()),
            AgreedRun.clip(AgreedRun.describe(cause)),
            Optional.empty());
    Receipt receipt = agreement.signedBySelf(body);
    agreement.trail.record(receipt, policy);
    return receipt;
  }

  /** This party's account of the peer: its name and role, nothing stated, {@code items} as its input. */
  PartyStatement peerAccount(long items) {
    RunTerms t = own.terms();
    return new PartyStatement(
        peer,
        peerRole,
        RunAgreement.UNSTATED,
        RunTerms.builder(t.command(), t.protocol()).reveal(t.reveal()).inputRows(items).build(),
        own.start(),
        CertificateChain.NONE);
  }

  private void startEnding() {
    if (ended) {
      throw new IllegalStateException("the run already ended");
    }
    ended = true;
  }
}
