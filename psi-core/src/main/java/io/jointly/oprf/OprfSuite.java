package io.jointly.oprf;

import java.nio.charset.StandardCharsets;

/**
 * The RFC 9497 ciphersuites Jointly implements, with explicit wire codes (never {@code
 * ordinal()}). Only {@code ristretto255-SHA512} (RFC 9497 §4.1) in OPRF mode (mode 0, §3.3.1).
 *
 * <p>The context string of RFC 9497 §3.1 is {@code "OPRFV1-" || I2OSP(mode, 1) || "-" ||
 * identifier}; every domain-separation tag of the suite is derived from it (§4.1): {@code
 * "HashToGroup-" || contextString}, {@code "HashToScalar-" || contextString} and {@code
 * "DeriveKeyPair" || contextString} (§3.2.1, no hyphen).
 */
public enum OprfSuite {
  /** ristretto255 (RFC 9496) with SHA-512: 32-byte elements and scalars, 64-byte outputs. */
  RISTRETTO255_SHA512(1, "ristretto255-SHA512");

  /** The RFC 9497 mode this implementation runs: OPRF (0), neither verifiable nor partial. */
  public static final int MODE_OPRF = 0x00;

  private final int wireCode;
  private final String identifier;

  OprfSuite(int wireCode, String identifier) {
    this.wireCode = wireCode;
    this.identifier = identifier;
  }

  /** The code of this suite in handshakes and file headers. */
  public int wireCode() {
    return wireCode;
  }

  /** The RFC's identifier, such as {@code ristretto255-SHA512}. */
  public String identifier() {
    return identifier;
  }

  /** The length of a serialized element (RFC 9497 §4.1: Ne = 32). */
  public int elementLength() {
    return 32;
  }

  /** The length of a serialized scalar (Ns = 32). */
  public int scalarLength() {
    return 32;
  }

  /** The length of an OPRF output (Nh = 64, SHA-512). */
  public int outputLength() {
    return 64;
  }

  /** {@code "OPRFV1-" || I2OSP(0, 1) || "-" || identifier} (RFC 9497 §3.1), mode 0. */
  public byte[] contextString() {
    byte[] prefix = "OPRFV1-".getBytes(StandardCharsets.US_ASCII);
    byte[] id = identifier.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + 2 + id.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    out[prefix.length] = (byte) MODE_OPRF;
    out[prefix.length + 1] = '-';
    System.arraycopy(id, 0, out, prefix.length + 2, id.length);
    return out;
  }

  /** {@code "HashToGroup-" || contextString} (RFC 9497 §4.1). */
  public byte[] hashToGroupDst() {
    return concat("HashToGroup-", contextString());
  }

  /** {@code "HashToScalar-" || contextString} (RFC 9497 §4.1). */
  public byte[] hashToScalarDst() {
    return concat("HashToScalar-", contextString());
  }

  /** {@code "DeriveKeyPair" || contextString} (RFC 9497 §3.2.1). */
  public byte[] deriveKeyPairDst() {
    return concat("DeriveKeyPair", contextString());
  }

  /** The suite with this wire code, or {@code null}. */
  public static OprfSuite fromWireCode(int code) {
    for (OprfSuite s : values()) {
      if (s.wireCode == code) {
        return s;
      }
    }
    return null;
  }

  private static byte[] concat(String label, byte[] context) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[l.length + context.length];
    System.arraycopy(l, 0, out, 0, l.length);
    System.arraycopy(context, 0, out, l.length, context.length);
    return out;
  }

  @Override
  public String toString() {
    return identifier;
  }
}
