package io.jointly.psi;

/**
 * Builds made-up GB 11643-1999 identity numbers for tests, computing the check character straight
 * from the ISO 7064 MOD 11-2 definition rather than from the production tables: the weight of the
 * character at position {@code i} counted from the right (the check character is position 1) is
 * {@code 2^(i-1) mod 11}, and the check value is {@code (12 - (sum mod 11)) mod 11}, written {@code
 * X} when it is 10. No real person's number is used anywhere in the tests.
 */
final class CnIds {
  private CnIds() {}

  /** The check character for 17 ASCII digits. */
  static char checkChar(String first17) {
    if (first17.length() != 17) {
      throw new IllegalArgumentException("need 17 digits");
    }
    int sum = 0;
    for (int k = 0; k < 17; k++) {
      int positionFromRight = 18 - k;
      int weight = 1;
      for (int e = 0; e < positionFromRight - 1; e++) {
        weight = weight * 2 % 11;
      }
      sum += (first17.charAt(k) - '0') * weight;
    }
    int check = (12 - sum % 11) % 11;
    return check == 10 ? 'X' : (char) ('0' + check);
  }

  /** A full number: region (6 digits), birth date YYYYMMDD, sequence (3 digits), check. */
  static String of(String region, String birthDate, String sequence) {
    String first17 = region + birthDate + sequence;
    return first17 + checkChar(first17);
  }
}
