package io.jointly.psi;

import java.util.Locale;

/**
 * Who learns what from an ECDH PSI run (semi-honest model). Both parties always learn both set
 * sizes (they are exchanged in the handshake).
 */
public enum RevealMode {
  /**
   * The default: the bank learns which of its records are shared; the partner learns nothing but
   * the bank's set size.
   */
  BANK(1, "bank"),
  /** Both parties learn which of their own records are shared. */
  BOTH(2, "both"),
  /**
   * The bank learns only how many records are shared; the partner shuffles the values it returns
   * so that their positions reveal nothing, and learns nothing but the bank's set size.
   */
  COUNT(3, "count");

  private final int wireCode;
  private final String displayName;

  RevealMode(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  public int wireCode() {
    return wireCode;
  }

  public String displayName() {
    return displayName;
  }

  /** Whether a party in {@code role} learns which of its own records are shared. */
  public boolean revealsRowsTo(PsiRole role) {
    return this == BOTH || (this == BANK && role == PsiRole.BANK);
  }

  /** Whether a party in {@code role} learns the intersection size. */
  public boolean revealsSizeTo(PsiRole role) {
    return role == PsiRole.BANK || this == BOTH;
  }

  /** The mode with this wire code, or {@code null}. */
  public static RevealMode fromWireCode(int code) {
    for (RevealMode m : values()) {
      if (m.wireCode == code) {
        return m;
      }
    }
    return null;
  }

  /** Parses {@code bank}, {@code both} or {@code count}. */
  public static RevealMode fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (RevealMode m : values()) {
      if (m.displayName.equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown reveal mode: " + name);
  }

  @Override
  public String toString() {
    return displayName;
  }
}
