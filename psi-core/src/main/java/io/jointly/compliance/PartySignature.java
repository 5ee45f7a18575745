package io.jointly.compliance;

import io.jointly.core.Bytes;
import java.util.Objects;

/**
 * One party's signature over the canonical encoding of a receipt body (or of an audit record):
 * which party signed, with which JCA algorithm (the one its certificate's key implies: {@code
 * SHA256withECDSA} for a P-256 key, {@code SM3withSM2} for an SM2 key...), and the signature.
 *
 * @param party the signer's name, as in its statement
 * @param algorithm the JCA signature algorithm (1–32 printable characters)
 * @param value the signature (1–1024 bytes)
 */
public record PartySignature(String party, String algorithm, Bytes value) {
  /** The largest signature. */
  public static final int MAX_SIGNATURE_BYTES = 1024;

  public PartySignature {
    Objects.requireNonNull(party, "party");
    if (!PartyStatement.PARTY.matcher(party).matches()) {
      throw new IllegalArgumentException("a party name is 1-64 of [A-Za-z0-9._-]");
    }
    Objects.requireNonNull(algorithm, "algorithm");
    if (algorithm.isEmpty() || algorithm.length() > 32 || algorithm.chars().anyMatch(c -> c <= 0x20 || c > 0x7E)) {
      throw new IllegalArgumentException("an algorithm name is 1-32 printable characters");
    }
    Objects.requireNonNull(value, "value");
    if (value.length() == 0 || value.length() > MAX_SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature is 1-" + MAX_SIGNATURE_BYTES + " bytes");
    }
  }
}
