package io.jointly.compliance;

import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a receipt says about one run: the session, both parties' statements and outcomes, how the
 * run ended, and the digest of its transcript. Both parties build the same body from the values the
 * run agreement exchanged, so its canonical encoding ({@link #encode()}) is what both sign.
 *
 * <ul>
 *   <li>{@link Status#COMPLETED}: both outcomes, the transcript digest both parties computed, no
 *       {@code recordedBy} and no detail; signed by both parties.
 *   <li>{@link Status#FAILED}: the run failed after the agreement; {@code recordedBy} names the one
 *       party that records and signs it, whose outcome is present; the detail says how it failed;
 *       the transcript digest is that party's view of the messages so far.
 *   <li>{@link Status#REFUSED}: the agreement refused the run before any data item moved (purposes
 *       differ, a policy refused); one-sided like a failure, no transcript digest. The detail names
 *       the rule when this party's own policy refused, and says only "refused by the peer's policy"
 *       when the peer's did.
 *   <li>{@link Status#UNILATERAL}: the run completed over a protocol whose wire has no room for the
 *       run agreement ({@link RunAgreement#unilateral}); one-sided like a failure. The peer's part
 *       is the recorder's account of the peer, not its statement: the name the transport
 *       authenticated, software {@value RunAgreement#UNSTATED}, no purpose, and as input rows the
 *       item count the protocol revealed; the detail says so. No transcript digest.
 * </ul>
 *
 * A one-sided receipt of a failed unilateral run ({@code FAILED}) has no transcript digest either:
 * no agreement channel digested its messages.
 *
 * @param session the session id of the channel
 * @param parties exactly two, in order of party name, with distinct names
 * @param status how the run ended
 * @param recordedBy for a one-sided receipt, the party that alone signs it
 * @param detail empty for a completed run; otherwise how it failed or why it was refused (at most
 *     1,000 characters, no control characters; never a data value)
 * @param transcriptDigest the SHA-256 transcript digest (32 bytes), absent for a refused run
 */
public record ReceiptBody(
    String session,
    List<ReceiptParty> parties,
    Status status,
    Optional<String> recordedBy,
    String detail,
    Optional<Bytes> transcriptDigest) {

  /** The longest detail. */
  public static final int MAX_DETAIL_LENGTH = 1000;

  /** The length of a transcript digest (SHA-256). */
  public static final int DIGEST_LENGTH = 32;

  /** How a run ended, with explicit wire codes. */
  public enum Status {
    /** Both parties finished and signed. */
    COMPLETED(1),
    /** The run failed after the agreement; recorded by one party. */
    FAILED(2),
    /** The agreement refused the run; recorded by one party. */
    REFUSED(3),
    /**
     * The run completed over a protocol whose wire carries no run agreement (the interconnection
     * standard's ECDH-PSI); recorded and signed by one party, its peer part this party's account.
     */
    UNILATERAL(4);

    private final int wireCode;

    Status(int wireCode) {
      this.wireCode = wireCode;
    }

    public int wireCode() {
      return wireCode;
    }

    /** The status with this wire code. */
    public static Status fromWireCode(int code) {
      for (Status s : values()) {
        if (s.wireCode == code) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown receipt status " + code);
    }
  }

  /**
   * One party's part of the body.
   *
   * @param statement what it stated in the agreement
   * @param outcome how the run ended for it, if known to the recording party
   */
  public record ReceiptParty(PartyStatement statement, Optional<PartyOutcome> outcome) {
    public ReceiptParty {
      Objects.requireNonNull(statement, "statement");
      Objects.requireNonNull(outcome, "outcome");
    }

    public String name() {
      return statement.party();
    }
  }

  public ReceiptBody {
    Objects.requireNonNull(session, "session");
    if (session.isEmpty() || session.length() > 128 || session.chars().anyMatch(c -> c <= 0x20 || c > 0x7E)) {
      throw new IllegalArgumentException("a session id is 1-128 printable characters");
    }
    parties = List.copyOf(Objects.requireNonNull(parties, "parties"));
    if (parties.size() != 2 || parties.get(0).name().compareTo(parties.get(1).name()) >= 0) {
      throw new IllegalArgumentException("a receipt names two distinct parties, in order of name");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(recordedBy, "recordedBy");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(transcriptDigest, "transcriptDigest");
    if (detail.length() > MAX_DETAIL_LENGTH || detail.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a detail is at most " + MAX_DETAIL_LENGTH + " characters, no control characters");
    }
    if (transcriptDigest.isPresent() && transcriptDigest.get().length() != DIGEST_LENGTH) {
      throw new IllegalArgumentException("a transcript digest is " + DIGEST_LENGTH + " bytes");
    }
    switch (status) {
      case COMPLETED -> {
        if (recordedBy.isPresent() || !detail.isEmpty() || transcriptDigest.isEmpty()
            || parties.stream().anyMatch(p -> p.outcome().isEmpty())) {
          throw new IllegalArgumentException(
              "a completed receipt has both outcomes and a transcript digest, no recorder and no detail");
        }
      }
      case FAILED, REFUSED, UNILATERAL -> {
        if (recordedBy.isEmpty() || detail.isEmpty()) {
          throw new IllegalArgumentException("a one-sided receipt names its recorder and says why");
        }
        ReceiptParty recorder =
            parties.stream()
                .filter(p -> p.name().equals(recordedBy.get()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the recorder is not a party of the receipt"));
        if (recorder.outcome().isEmpty()) {
          throw new IllegalArgumentException("a one-sided receipt has its recorder's outcome");
        }
        if (status != Status.FAILED && transcriptDigest.isPresent()) {
          throw new IllegalArgumentException(
              "a refused or unilateral run has no transcript digest");
        }
      }
    }
  }

  /** The part of {@code party}. */
  public ReceiptParty party(String party) {
    return parties.stream()
        .filter(p -> p.name().equals(party))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + party + "' is not a party of this receipt"));
  }

  /** The other party than {@code party}. */
  public ReceiptParty other(String party) {
    party(party);
    return parties.get(0).name().equals(party) ? parties.get(1) : parties.get(0);
  }

  /** The parties whose signatures the receipt needs: both, or the recorder of a one-sided one. */
  public List<String> signers() {
    return recordedBy.map(List::of).orElseGet(() -> List.of(parties.get(0).name(), parties.get(1).name()));
  }

  /** The canonical encoding, which the parties sign. */
  public Bytes encode() {
    return Encoding.body(this);
  }

  /** The SHA-256 of {@link #encode()}: the receipt's digest, the same at both parties. */
  public Bytes digest() {
    return Encoding.sha256(encode());
  }
}
