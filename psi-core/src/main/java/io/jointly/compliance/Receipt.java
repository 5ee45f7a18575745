package io.jointly.compliance;

import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed record of one run: the {@link ReceiptBody} and the parties' signatures over its
 * canonical encoding. A completed run's receipt carries both parties' signatures and each party
 * keeps a copy; a failed or refused run's carries its recorder's alone (or none, for a party that
 * ran without a certificate). {@link ReceiptVerifier} checks one against a trust root.
 *
 * @param body what the receipt says
 * @param signatures at most one per party of the body, in order of party name
 */
public record Receipt(ReceiptBody body, List<PartySignature> signatures) {
  public Receipt {
    Objects.requireNonNull(body, "body");
    signatures = List.copyOf(Objects.requireNonNull(signatures, "signatures"));
    String previous = null;
    for (PartySignature s : signatures) {
      body.party(s.party());
      if (previous != null && previous.compareTo(s.party()) >= 0) {
        throw new IllegalArgumentException("signatures are in order of party name, one per party");
      }
      previous = s.party();
    }
  }

  /** The receipt's digest: the SHA-256 of the body's canonical encoding. */
  public Bytes digest() {
    return body.digest();
  }

  /** The signature of {@code party}, if the receipt has one. */
  public Optional<PartySignature> signatureOf(String party) {
    return signatures.stream().filter(s -> s.party().equals(party)).findFirst();
  }

  /** The canonical encoding of the whole receipt: body and signatures. */
  public Bytes encode() {
    return Encoding.receipt(this);
  }

  /**
   * Decodes {@link #encode()}.
   *
   * @throws ProtocolAbortException {@code MALFORMED_MESSAGE} if the bytes are not a receipt
   */
  public static Receipt decode(Bytes encoded) throws ProtocolAbortException {
    return Encoding.decodeReceipt(encoded);
  }
}
