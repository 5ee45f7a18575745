package io.jointly.psi;

/** The two roles of ECDH PSI, with explicit wire codes. */
public enum PsiRole {
  /** The bank: by default the party that learns the intersection. */
  BANK(1, "bank"),
  /** The ecosystem partner. */
  PARTNER(2, "partner");

  private final int wireCode;
  private final String displayName;

  PsiRole(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  public int wireCode() {
    return wireCode;
  }

  public String displayName() {
    return displayName;
  }

  /** The other role. */
  public PsiRole other() {
    return this == BANK ? PARTNER : BANK;
  }

  /** The role with this wire code, or {@code null}. */
  public static PsiRole fromWireCode(int code) {
    for (PsiRole r : values()) {
      if (r.wireCode == code) {
        return r;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return displayName;
  }
}
