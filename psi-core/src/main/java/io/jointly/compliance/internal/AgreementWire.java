package io.jointly.compliance.internal;

import io.jointly.compliance.PartyOutcome;
import io.jointly.compliance.PartySignature;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.util.Optional;

/**
 * The payloads of the run agreement's rounds after the statements: the verdict, the outcome (with
 * the sender's two transcript digests) and the signature.
 */
public final class AgreementWire {
  private static final String OUTCOME_LABEL = "jointly run outcome v1";
  private static final String SIGNATURE_LABEL = "jointly receipt signature v1";

  private AgreementWire() {}

  /** The verdict on the statements, with an explicit wire code. */
  public enum Verdict {
    /** This party takes part. */
    ACCEPT(0),
    /** The two statements disagree on purpose, command, protocol or reveal mode. */
    DISAGREE(1),
    /** The peer's identity does not check out (name, certificate). */
    IDENTITY(2),
    /** This party's policy refuses the run (the rule is not sent). */
    POLICY(3);

    public final int wireCode;

    Verdict(int wireCode) {
      this.wireCode = wireCode;
    }

    public Bytes encode() {
      return Bytes.wrap(new byte[] {(byte) wireCode});
    }

    public static Verdict decode(Bytes b) throws ProtocolAbortException {
      Abort.unlessWellFormed(b.length() == 1, "VERDICT has " + b.length() + " bytes, expected 1");
      for (Verdict v : values()) {
        if (v.wireCode == (b.get(0) & 0xFF)) {
          return v;
        }
      }
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "VERDICT has an unknown code " + (b.get(0) & 0xFF));
    }
  }

  /**
   * An outcome message.
   *
   * @param outcome the sender's outcome
   * @param sent the digest of the protocol messages the sender sent
   * @param received the digest of the protocol messages the sender received
   */
  public record Outcome(PartyOutcome outcome, Bytes sent, Bytes received) {}

  public static Bytes outcome(Outcome o) {
    Codec.Writer w = new Codec.Writer().string(OUTCOME_LABEL).bytes(Encoding.outcome(o.outcome()));
    return w.bytes(o.sent()).bytes(o.received()).toBytes();
  }

  public static Outcome decodeOutcome(Bytes b) throws ProtocolAbortException {
    Codec.Reader r = new Codec.Reader(b, "OUTCOME");
    Encoding.label(r, OUTCOME_LABEL);
    Codec.Reader o = new Codec.Reader(r.bytes("outcome", 64 * 1024), "OUTCOME");
    Encoding.label(o, Encoding.OUTCOME_LABEL);
    PartyOutcome outcome = Encoding.readOutcomeFields(o);
    o.end();
    Bytes sent = r.bytes("sent digest", 32);
    Bytes received = r.bytes("received digest", 32);
    Abort.unlessWellFormed(sent.length() == 32 && received.length() == 32, "OUTCOME digests are 32 bytes");
    r.end();
    return new Outcome(outcome, sent, received);
  }

  public static Bytes signature(Optional<PartySignature> s) {
    Codec.Writer w = new Codec.Writer().string(SIGNATURE_LABEL).bool(s.isPresent());
    s.ifPresent(x -> Encoding.writeSignature(w, x));
    return w.toBytes();
  }

  public static Optional<PartySignature> decodeSignature(Bytes b) throws ProtocolAbortException {
    Codec.Reader r = new Codec.Reader(b, "SIGNATURE");
    Encoding.label(r, SIGNATURE_LABEL);
    Optional<PartySignature> s = r.bool("signature") ? Optional.of(Encoding.readSignature(r)) : Optional.empty();
    r.end();
    return s;
  }
}
