package io.jointly.psi;

import java.util.Locale;

/**
 * The scanners behind {@link IdentifierProfile#normalize(String)}; the rules are documented there.
 * Each takes a non-null string and returns the canonical form or {@code null} if invalid. Single
 * left-to-right passes over the characters, no regular expressions, no exceptions.
 *
 * <p>Package-private rather than in an {@code .internal} package: nothing outside {@code
 * io.jointly.psi} needs it, and this keeps it off the public surface entirely.
 */
final class Normalization {
  /** The most digits a valid phone value can hold: the {@code 00} prefix and 15 E.164 digits. */
  private static final int MAX_PHONE_DIGITS = 17;

  /** E.164 length bounds (country code and national number) used by {@code phone}. */
  private static final int MIN_E164_DIGITS = 8;

  private static final int MAX_E164_DIGITS = 15;

  /** ISO 7064 MOD 11-2 weights for the 17 digits of a GB 11643 number: 2^(18-i) mod 11. */
  private static final int[] CN_ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  /** The check character for each value of the weighted sum modulo 11. */
  private static final String CN_ID_CHECK = "10X98765432";

  private static final int CN_ID_LENGTH = 18;

  private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private Normalization() {}

  // ---------------------------------------------------------------- whitespace

  /** The fixed whitespace set that "trimmed" removes (see {@link IdentifierProfile}). */
  static boolean isTrimmable(char c) {
    if (c <= ' ') {
      return c == ' ' || (c >= '\t' && c <= '\r');
    }
    return c == '\u00A0' || c == '\u3000' || c == '\uFEFF';
  }

  /** {@code s} without leading and trailing {@linkplain #isTrimmable trimmable} characters. */
  static String trim(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && isTrimmable(s.charAt(begin))) {
      begin++;
    }
    while (end > begin && isTrimmable(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(begin, end);
  }

  /** Whether {@code s} is well-formed UTF-16: every surrogate is part of a high-low pair. */
  static boolean isWellFormedUtf16(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- phone

  static String phone(String s) {
    char[] digits = new char[MAX_PHONE_DIGITS];
    int count = 0;
    boolean plus = false;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int d = digitValue(c);
      if (d >= 0) {
        if (count == MAX_PHONE_DIGITS) {
          return null;
        }
        digits[count++] = (char) ('0' + d);
      } else if (c == '+' || c == '\uFF0B') {
        if (plus || count > 0) {
          return null;
        }
        plus = true;
      } else if (!isPhoneSeparator(c)) {
        return null;
      }
    }

    int start;
    if (plus) {
      start = 0;
    } else if (count >= 2 && digits[0] == '0' && digits[1] == '0') {
      start = 2; // international call prefix 00
    } else {
      // National form: mainland mobiles only, bare or behind "86".
      if (count == 11 && isMainlandMobile(digits, 0)) {
        return e164(digits, 0, count, true);
      }
      if (count == 13 && digits[0] == '8' && digits[1] == '6' && isMainlandMobile(digits, 2)) {
        return e164(digits, 0, count, false);
      }
      return null;
    }

    int length = count - start;
    if (length < MIN_E164_DIGITS || length > MAX_E164_DIGITS || digits[start] == '0') {
      return null;
    }
    if (digits[start] == '8'
        && digits[start + 1] == '6'
        && !isMainlandNational(digits, start + 2, count)) {
      return null;
    }
    return e164(digits, start, count, false);
  }

  /** A digit's value, ASCII or full-width, or -1. */
  private static int digitValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= '\uFF10' && c <= '\uFF19') {
      return c - '\uFF10';
    }
    return -1;
  }

  private static boolean isPhoneSeparator(char c) {
    switch (c) {
      case '-', '.', '(', ')', '\uFF0D', '\uFF0E', '\uFF08', '\uFF09':
        return true;
      default:
        return isTrimmable(c);
    }
  }

  /**
   * Whether the 11 ASCII digits from {@code from} are a mainland mobile number: {@code 1}, then
   * {@code 3}–{@code 9} (the upper bound holds for any digit), then 9 digits.
   */
  private static boolean isMainlandMobile(char[] digits, int from) {
    return digits[from] == '1' && digits[from + 1] >= '3';
  }

  /**
   * Whether {@code digits[from, to)}, the national number after country code 86, fits the mainland
   * plan: 10 or 11 digits, no trunk 0, and if it starts with 1 a mobile (11 digits) or Beijing
   * ({@code 10} and 8 digits).
   */
  private static boolean isMainlandNational(char[] digits, int from, int to) {
    int length = to - from;
    if ((length != 10 && length != 11) || digits[from] == '0') {
      return false;
    }
    if (digits[from] != '1') {
      return true;
    }
    return length == 11 ? isMainlandMobile(digits, from) : digits[from + 1] == '0';
  }

  /** "+" and {@code digits[from, to)}, with "86" inserted first if {@code addChina}. */
  private static String e164(char[] digits, int from, int to, boolean addChina) {
    int prefix = addChina ? 3 : 1;
    char[] out = new char[prefix + to - from];
    out[0] = '+';
    if (addChina) {
      out[1] = '8';
      out[2] = '6';
    }
    System.arraycopy(digits, from, out, prefix, to - from);
    return new String(out);
  }

  // ---------------------------------------------------------------- email

  static String email(String s) {
    String t = trim(s);
    if (t.isEmpty() || !isWellFormedUtf16(t)) {
      return null;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    int at = lower.indexOf('@');
    if (at <= 0 || at != lower.lastIndexOf('@') || at == lower.length() - 1) {
      return null;
    }
    for (int i = at + 1; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (isTrimmable(c)
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || Character.isISOControl(c)) {
        return null;
      }
    }
    return lower;
  }

  // ---------------------------------------------------------------- cn-id

  static String cnId(String s) {
    String t = trim(s);
    if (t.length() != CN_ID_LENGTH) {
      return null;
    }
    char[] out = new char[CN_ID_LENGTH];
    int sum = 0;
    for (int i = 0; i < CN_ID_LENGTH - 1; i++) {
      int d = digitValue(t.charAt(i));
      if (d < 0) {
        return null;
      }
      out[i] = (char) ('0' + d);
      sum += d * CN_ID_WEIGHTS[i];
    }
    char check = t.charAt(CN_ID_LENGTH - 1);
    int checkDigit = digitValue(check);
    if (checkDigit >= 0) {
      check = (char) ('0' + checkDigit);
    } else if (check == 'X' || check == 'x' || check == '\uFF38' || check == '\uFF58') {
      check = 'X';
    } else {
      return null;
    }
    if (check != CN_ID_CHECK.charAt(sum % 11)) {
      return null;
    }
    out[CN_ID_LENGTH - 1] = check;
    if (!isValidDate(number(out, 6, 4), number(out, 10, 2), number(out, 12, 2))) {
      return null;
    }
    return new String(out);
  }

  /** The decimal number of {@code length} ASCII digits from {@code from}. */
  private static int number(char[] digits, int from, int length) {
    int v = 0;
    for (int i = from; i < from + length; i++) {
      v = v * 10 + (digits[i] - '0');
    }
    return v;
  }

  /** A date of the proleptic Gregorian calendar, year 0000–9999. */
  private static boolean isValidDate(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1) {
      return false;
    }
    boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = month == 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
    return day <= max;
  }

  // ---------------------------------------------------------------- raw

  static String raw(String s) {
    String t = trim(s);
    return t.isEmpty() || !isWellFormedUtf16(t) ? null : t;
  }
}
