package io.jointly.compliance;

import java.util.Locale;

/**
 * The legal basis a party processes personal information on, after the lawful bases of the PIPL
 * (个人信息保护法, Article 13). A marketing campaign usually rests on {@link #CONSENT}; {@link
 * #CONTRACT} covers processing needed to perform a contract with the customer. Each basis has an
 * explicit wire code (never the ordinal) and the token the command line and policy files use.
 */
public enum LegalBasis {
  /** The individual's consent (Art. 13(1)); separate consent where the law asks for it. */
  CONSENT(1, "consent"),
  /** Needed to conclude or perform a contract with the individual (Art. 13(2)). */
  CONTRACT(2, "contract"),
  /** Needed to fulfil a statutory duty or obligation (Art. 13(3)). */
  LEGAL_OBLIGATION(3, "legal-obligation"),
  /** Needed in a public-health emergency or to protect life, health or property (Art. 13(4)). */
  VITAL_INTERESTS(4, "vital-interests"),
  /** News reporting or public-opinion supervision in the public interest (Art. 13(5)). */
  PUBLIC_INTEREST(5, "public-interest"),
  /** Information the individual disclosed or that was otherwise lawfully disclosed (Art. 13(6)). */
  DISCLOSED_INFORMATION(6, "disclosed-information"),
  /** Another circumstance laid down by laws and administrative regulations (Art. 13(7)). */
  OTHER_LAW(7, "other-law");

  private final int wireCode;
  private final String token;

  LegalBasis(int wireCode, String token) {
    this.wireCode = wireCode;
    this.token = token;
  }

  /** The code in encodings. */
  public int wireCode() {
    return wireCode;
  }

  /** The token the command line and policy files use, such as {@code consent}. */
  public String token() {
    return token;
  }

  /** The basis with this wire code. */
  public static LegalBasis fromWireCode(int code) {
    for (LegalBasis b : values()) {
      if (b.wireCode == code) {
        return b;
      }
    }
    throw new IllegalArgumentException("unknown legal basis code " + code);
  }

  /** The basis with this token (case-insensitive). */
  public static LegalBasis fromToken(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    for (LegalBasis b : values()) {
      if (b.token.equals(t)) {
        return b;
      }
    }
    throw new IllegalArgumentException("unknown legal basis '" + token + "'");
  }

  /** Every token, for messages: {@code consent, contract, ...}. */
  public static String tokens() {
    StringBuilder b = new StringBuilder();
    for (LegalBasis l : values()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(l.token);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return token;
  }
}
