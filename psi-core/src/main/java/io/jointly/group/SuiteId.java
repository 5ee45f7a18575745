package io.jointly.group;

import java.util.Locale;

/**
 * The group suites Jointly's ECDH protocols run over, with explicit wire codes (never {@code
 * ordinal()}).
 */
public enum SuiteId {
  /** RFC 9496 ristretto255, hash-to-group by RFC 9380 expand_message_xmd(SHA-512). The default. */
  RISTRETTO255(1, "ristretto255"),
  /**
   * RFC 7748 X25519 with SHA-256 of the item taken as the u-coordinate ("direct hash as point x"
   * of the BFIA/CAICT interconnection standard and SecretFlow).
   */
  X25519(2, "x25519"),
  /** NIST P-256 with RFC 9380 P256_XMD:SHA-256_SSWU_RO_, compressed SEC1 points. */
  P256(3, "p256"),
  /** GB/T 32918 SM2 curve (sm2p256v1) with SSWU hash-to-curve over expand_message_xmd(SM3). */
  SM2(4, "sm2");

  private final int wireCode;
  private final String displayName;

  SuiteId(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  /** The code this suite has in handshakes. */
  public int wireCode() {
    return wireCode;
  }

  /** The name used on command lines and in reports ({@code ristretto255}, {@code sm2}...). */
  public String displayName() {
    return displayName;
  }

  /** The suite with the given wire code, or {@code null} if there is none. */
  public static SuiteId fromWireCode(int code) {
    for (SuiteId s : values()) {
      if (s.wireCode == code) {
        return s;
      }
    }
    return null;
  }

  /** Parses a display name, case-insensitively. */
  public static SuiteId fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (SuiteId s : values()) {
      if (s.displayName.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown suite: " + name);
  }

  @Override
  public String toString() {
    return displayName;
  }
}
