package io.jointly.psi;

import java.util.Locale;

/**
 * The PSI protocols Jointly runs. Both parties must run the same one; a run's handshake names it,
 * and reports say which one produced a result and on what assumptions.
 */
public enum PsiProtocol {
  /**
   * ECDH PSI ({@code io.jointly.psi.ecdh}): commutative encryption {@code k·H(x)} in a prime-order
   * group; DDH with H a random oracle. The default, and the interconnection standard's protocol.
   */
  ECDH(1, "ecdh"),
  /**
   * VOLE PSI ({@code io.jointly.psi.vole}, Raghuraman–Rindal CCS 2022): an OKVS masked by subfield
   * VOLE; dual LPN, fixed-key AES and SHA-256 as random oracles, CDH for the base OTs, a 2^-40
   * statistical failure probability.
   */
  VOLE(2, "vole");

  private final int wireCode;
  private final String displayName;

  PsiProtocol(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  public int wireCode() {
    return wireCode;
  }

  public String displayName() {
    return displayName;
  }

  /** The protocol with this wire code, or {@code null}. */
  public static PsiProtocol fromWireCode(int code) {
    for (PsiProtocol p : values()) {
      if (p.wireCode == code) {
        return p;
      }
    }
    return null;
  }

  /** Parses {@code ecdh} or {@code vole}. */
  public static PsiProtocol fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (PsiProtocol p : values()) {
      if (p.displayName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown PSI protocol: " + name);
  }

  @Override
  public String toString() {
    return displayName;
  }
}
