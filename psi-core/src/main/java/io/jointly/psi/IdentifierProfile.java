package io.jointly.psi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How an identifier column is normalised before it is hashed, so that the two parties produce
 * byte-identical canonical strings for the same customer. Both parties must use the same profile;
 * the handshake compares {@link #wireCode()}s before any item moves.
 *
 * <p>{@link #normalize(String)} returns the canonical form, or empty if the value is not valid for
 * the profile. It never throws ({@code null} is invalid), runs in time linear in the input with no
 * regular expressions, and depends on nothing but its argument (no default locale, clock or
 * configuration), so that it gives the same answer at both parties. It is idempotent: a canonical
 * form normalises to itself. Canonical forms are what {@link ItemEncoder} turns into the bytes that
 * are hashed.
 *
 * <h2>Whitespace</h2>
 *
 * <p>"Trimmed" means removing, at both ends, the characters U+0009–U+000D (tab, line feed, vertical
 * tab, form feed, carriage return), U+0020 space, U+00A0 no-break space (common in spreadsheet
 * exports), U+3000 ideographic space (typed by Chinese input methods) and U+FEFF (a byte-order mark
 * left at the start of a file). This fixed set, not {@link String#trim()} or {@link
 * String#strip()}, is the definition, so another implementation can reproduce it exactly.
 *
 * <h2>{@code phone}</h2>
 *
 * <p>The canonical form is E.164: {@code +} followed by the country code and national number,
 * digits only, for example {@code +8613800138000}.
 *
 * <ul>
 *   <li>Accepted characters: digits, one {@code +} before the first digit, and separators
 *       (whitespace as above, {@code - . ( )}), which may appear anywhere and are dropped.
 *       Full-width digits U+FF10–U+FF19 and the full-width forms of {@code + - . ( )} (U+FF0B,
 *       U+FF0D, U+FF0E, U+FF08, U+FF09), as typed with Chinese input methods, are read as their
 *       ASCII counterparts. Anything else (letters, {@code /}, {@code #}, an extension, a second
 *       {@code +} or one after a digit) makes the value invalid.
 *   <li>A mainland China mobile number is 11 digits, the first {@code 1}, the second {@code 3} to
 *       {@code 9}.
 *   <li><b>International form</b>: digits after a leading {@code +}, or after a leading {@code 00}
 *       international call prefix, are the country code and national number. They must number 8 to
 *       15 and must not start with {@code 0} (no country code does; {@code +0086…} is invalid).
 *   <li>For country code 86 the national number is checked against the mainland numbering plan,
 *       which we know: it must be 10 or 11 digits and must not start with the trunk prefix {@code
 *       0} ({@code +86 0138…} is invalid); if it starts with {@code 1} it must be a mobile number
 *       (11 digits, second digit 3–9) or a Beijing number ({@code 10} and 8 digits). This rejects
 *       truncated mobiles and a doubled prefix ({@code +86 86 138…}). Other country codes are kept
 *       as given (with the length check only): we do not know their numbering plans, so a national
 *       trunk digit written after the country code (as in {@code +44 (0)20…}) is kept and will not
 *       match the number without it.
 *   <li><b>National form</b> (no {@code +}, no {@code 00}): only mainland mobiles are accepted,
 *       because the country of any other number cannot be guessed. 11 digits that form a mobile
 *       number become {@code +86} and those digits. 13 digits that are {@code 86} followed by a
 *       mobile number are read as the country code without its {@code +} and give the same
 *       canonical form: no mobile number starts with {@code 8}, so this reading is never ambiguous
 *       with an 11-digit number, and a 13-digit string is never taken for a number of another
 *       country. Every other national-form value (12 digits, a leading trunk {@code 0}, {@code 86}
 *       and a non-mobile number, 10 digits, a landline) is invalid.
 * </ul>
 *
 * <p>So {@code "+86 138-0013-8000"}, {@code "86 13800138000"}, {@code "(+86) 138 0013 8000"},
 * {@code "0086-138-0013-8000"} and {@code "13800138000"} all give {@code "+8613800138000"}; {@code
 * "+1 (415) 555-2671"} and {@code "001 415 555 2671"} give {@code "+14155552671"}.
 *
 * <h2>{@code email}</h2>
 *
 * <p>Trimmed, then lower-cased with {@link String#toLowerCase(Locale)} in {@link Locale#ROOT} (the
 * local part too: in practice providers treat it case-insensitively). Valid if it then holds
 * exactly one {@code @}, a non-empty local part before it, and a non-empty domain after it that
 * contains no character of the whitespace set above, no other Java whitespace or Unicode space
 * separator (Zs) and no control character. No provider-specific rules are applied (no removal of
 * dots or {@code +tags} for Gmail, no alias folding), no Unicode normalisation and no IDNA
 * conversion of the domain: these change which customers match, and both parties would have to
 * agree on them. The full-width at sign U+FF20 is not an {@code @}. Case mapping and the character
 * classes follow the JDK's Unicode tables; ASCII addresses are unaffected, but parties on Java
 * versions with different Unicode versions could in principle disagree on a newly encoded letter.
 *
 * <h2>{@code cn-id}</h2>
 *
 * <p>The 18-character PRC resident identity number of GB 11643-1999: a 6-digit region code, the
 * birth date as {@code YYYYMMDD}, a 3-digit sequence number, and a check character. Trimmed;
 * full-width digits and {@code Ｘ/ｘ} are read as ASCII and a lower-case {@code x} is upper-cased, so
 * the canonical form is 17 ASCII digits and a digit or {@code X}. Valid only if:
 *
 * <ul>
 *   <li>it has exactly 18 characters after trimming (inner spaces are not removed; the 15-digit
 *       first-generation numbers are invalid);
 *   <li>characters 7–14 (counting from 1) are a date of the proleptic Gregorian calendar (month
 *       01–12, day within the month, 29 February only in leap years). The date is not compared with
 *       today, which would make the answer depend on the clock;
 *   <li>the check character is the ISO 7064 MOD 11-2 check of the first 17 digits: with weights
 *       {@code 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2} ({@code 2^(18-i) mod 11} for position {@code
 *       i}), the weighted sum modulo 11 indexes {@code "10X98765432"}.
 * </ul>
 *
 * <h2>{@code raw}</h2>
 *
 * <p>The trimmed value, otherwise unchanged; invalid if empty after trimming.
 *
 * <h2>Text that cannot be encoded</h2>
 *
 * <p>A value containing an unpaired UTF-16 surrogate has no UTF-8 encoding ({@link String#getBytes}
 * would silently replace it, making different values hash alike), so it is invalid under {@code
 * email} and {@code raw}. The canonical forms of {@code phone} and {@code cn-id} are ASCII.
 *
 * <p>Profiles are stateless and thread-safe.
 */
public enum IdentifierProfile {
  /** Phone numbers, canonical E.164 ({@code +8613800138000}); mainland mobiles without a prefix. */
  PHONE(1, "phone"),
  /** E-mail addresses, trimmed and lower-cased. */
  EMAIL(2, "email"),
  /** GB 11643-1999 resident identity numbers, checksum and birth date verified. */
  CN_ID(3, "cn-id"),
  /** Any non-empty text, trimmed. */
  RAW(4, "raw");

  private final int wireCode;
  private final String displayName;

  IdentifierProfile(int wireCode, String displayName) {
    this.wireCode = wireCode;
    this.displayName = displayName;
  }

  /** The code this profile has in handshakes. */
  public int wireCode() {
    return wireCode;
  }

  /** The name used on command lines and in reports ({@code phone}, {@code cn-id}...). */
  public String displayName() {
    return displayName;
  }

  /** The profile with the given wire code, or {@code null} if there is none. */
  public static IdentifierProfile fromWireCode(int code) {
    for (IdentifierProfile p : values()) {
      if (p.wireCode == code) {
        return p;
      }
    }
    return null;
  }

  /**
   * Parses a display name, case-insensitively and ignoring surrounding spaces.
   *
   * @throws IllegalArgumentException if no profile has that name
   */
  public static IdentifierProfile fromName(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (IdentifierProfile p : values()) {
      if (p.displayName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown identifier profile: " + name);
  }

  /**
   * The canonical form of {@code value} under this profile (see the class documentation), or empty
   * if it is not a valid value for the profile. Never throws; {@code null} gives empty.
   */
  public Optional<String> normalize(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String canonical =
        switch (this) {
          case PHONE -> Normalization.phone(value);
          case EMAIL -> Normalization.email(value);
          case CN_ID -> Normalization.cnId(value);
          case RAW -> Normalization.raw(value);
        };
    return Optional.ofNullable(canonical);
  }

  @Override
  public String toString() {
    return displayName;
  }
}
