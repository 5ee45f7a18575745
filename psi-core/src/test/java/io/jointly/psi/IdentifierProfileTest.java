package io.jointly.psi;

import static io.jointly.psi.IdentifierProfile.CN_ID;
import static io.jointly.psi.IdentifierProfile.EMAIL;
import static io.jointly.psi.IdentifierProfile.PHONE;
import static io.jointly.psi.IdentifierProfile.RAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierProfileTest {

  // ------------------------------------------------------------------ names and wire codes

  @Test
  void wireCodes_fixed_matchHandshakeCodes() {
    assertThat(PHONE.wireCode()).isEqualTo(1);
    assertThat(EMAIL.wireCode()).isEqualTo(2);
    assertThat(CN_ID.wireCode()).isEqualTo(3);
    assertThat(RAW.wireCode()).isEqualTo(4);
    assertThat(Arrays.stream(IdentifierProfile.values()).map(IdentifierProfile::wireCode))
        .doesNotHaveDuplicates();
  }

  @Test
  void displayNames_fixed_matchCommandLineNames() {
    assertThat(PHONE.displayName()).isEqualTo("phone");
    assertThat(EMAIL.displayName()).isEqualTo("email");
    assertThat(CN_ID.displayName()).isEqualTo("cn-id");
    assertThat(RAW.displayName()).isEqualTo("raw");
    assertThat(CN_ID).hasToString("cn-id");
  }

  @ParameterizedTest
  @EnumSource(IdentifierProfile.class)
  void fromWireCode_knownCode_returnsProfile(IdentifierProfile p) {
    assertThat(IdentifierProfile.fromWireCode(p.wireCode())).isSameAs(p);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 5, 99, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void fromWireCode_unknownCode_returnsNull(int code) {
    assertThat(IdentifierProfile.fromWireCode(code)).isNull();
  }

  @ParameterizedTest
  @EnumSource(IdentifierProfile.class)
  void fromName_displayName_returnsProfile(IdentifierProfile p) {
    assertThat(IdentifierProfile.fromName(p.displayName())).isSameAs(p);
  }

  @Test
  void fromName_otherCaseAndSpaces_returnsProfile() {
    assertThat(IdentifierProfile.fromName(" CN-ID ")).isSameAs(CN_ID);
    assertThat(IdentifierProfile.fromName("Phone")).isSameAs(PHONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "cn_id", "CN_ID", "mobile", "e-mail"})
  void fromName_unknownName_throwsIllegalArgument(String name) {
    assertThatThrownBy(() -> IdentifierProfile.fromName(name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(IdentifierProfile.class)
  void normalize_null_isEmpty(IdentifierProfile p) {
    assertThat(p.normalize(null)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(IdentifierProfile.class)
  void normalize_blank_isEmpty(IdentifierProfile p) {
    assertThat(p.normalize("")).isEmpty();
    assertThat(p.normalize(" \t\u3000\u00A0\uFEFF\r\n")).isEmpty();
  }

  // ------------------------------------------------------------------ phone

  @Nested
  class Phone {
    private static final String CANONICAL = "+8613800138000";

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+86 138-0013-8000",
          "86 13800138000",
          "(+86) 138 0013 8000",
          "0086-138-0013-8000",
          "13800138000",
          "+8613800138000",
          "8613800138000",
          "+86.138.0013.8000",
          "+(86)13800138000",
          "  138 0013 8000\t",
          "138-0013-8000",
          "(138)00138000",
          "00 86 138 0013 8000",
          "+ 86 138 0013 8000",
        })
    void normalize_mainlandMobileFormats_giveCanonicalE164(String value) {
      assertThat(PHONE.normalize(value)).contains(CANONICAL);
    }

    @Test
    void normalize_formattedAndBare_areEquivalent() {
      assertThat(PHONE.normalize("+86 138-0013-8000")).isEqualTo(PHONE.normalize("13800138000"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          // １３８００１３８０００
          "\uFF11\uFF13\uFF18\uFF10\uFF10\uFF11\uFF13\uFF18\uFF10\uFF10\uFF10",
          // ＋８６　１３８－００１３－８０００
          "\uFF0B\uFF18\uFF16\u3000\uFF11\uFF13\uFF18\uFF0D"
              + "\uFF10\uFF10\uFF11\uFF13\uFF0D\uFF18\uFF10\uFF10\uFF10",
          // （＋86）138．0013．8000
          "\uFF08\uFF0B86\uFF09138\uFF0E0013\uFF0E8000",
          "+86 138\uFF10\uFF10138000",
        })
    void normalize_fullWidthInput_mapsToAscii(String value) {
      assertThat(PHONE.normalize(value)).contains(CANONICAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"13", "14", "15", "16", "17", "18", "19"})
    void normalize_everyMobilePrefix_isValid(String prefix) {
      assertThat(PHONE.normalize(prefix + "012345678")).contains("+86" + prefix + "012345678");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "12000138000", // second digit 2: not a mobile
          "10000138000", // second digit 0
          "11000138000", // second digit 1
          "23800138000", // does not start with 1
          "1380013800", // 10 digits
          "138001380000", // 12 digits
          "013800138000", // trunk 0 before a mobile: national form, cannot tell
          "8612000138000", // 86 then a non-mobile
          "86138001380", // 11 digits starting 86: not a mobile, and not 86 + 9 digits
          "861380013800", // 12 digits: 86 and only 10 digits
          "86138001380000", // 14 digits: 86 and 12 digits
          "8686 138 0013 8000", // doubled prefix without +
          "010 1234 5678", // a landline without + cannot be placed
          "4155552671", // a US number without + cannot be placed
        })
    void normalize_nationalFormNotMainlandMobile_isEmpty(String value) {
      assertThat(PHONE.normalize(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "138a0013800",
          "138-0013-8000 ext 1",
          "tel:13800138000",
          "138/0013/8000",
          "138#00138000",
          "138_0013_8000",
          "+86 138 0013 8000+",
          "++86 13800138000",
          "86+13800138000",
          "+",
          "()",
          "- . -",
          "\u0661\u0663\u0668", // Arabic-Indic digits are not accepted
          "138\u00000013\u00008000",
        })
    void normalize_lettersOrOtherCharacters_isEmpty(String value) {
      assertThat(PHONE.normalize(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+1 (415) 555-2671|+14155552671",
          "001 415 555 2671|+14155552671",
          "+44 20 7946 0958|+442079460958",
          "0044 20 7946 0958|+442079460958",
          "+852 6123 4567|+85261234567",
          "+12345678|+12345678", // 8 digits: shortest accepted
          "+123456789012345|+123456789012345", // 15 digits: longest accepted
          "+86 10 1234 5678|+861012345678", // Beijing landline
          "+86 21 1234 5678|+862112345678", // Shanghai landline
          "+86 755 1234 5678|+8675512345678", // Shenzhen landline
          "0086 10 1234 5678|+861012345678",
        })
    void normalize_otherE164_keepsPlusAndDigits(String pair) {
      String[] p = pair.split("\\|");
      assertThat(PHONE.normalize(p[0])).contains(p[1]);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+1234567", // 7 digits
          "+1234567890123456", // 16 digits
          "00 1234 5678 9012 3456", // 16 digits after 00
          "+0 123 4567 8901", // country code cannot start with 0
          "+0086 138 0013 8000",
          "000 86 138 0013 8000",
          "+86 0138 0013 8000", // trunk 0 after country code 86
          "+86 (0)10 1234 5678",
          "+86 120 0013 8000", // 11 digits starting 12: not a mobile
          "+86 138 0013 800", // truncated mobile (10 digits starting 13)
          "+86 138 0013 8000 0", // 12-digit national number
          "+86 86 138 0013 8000", // doubled prefix
          "+86 1234 5678", // 8-digit national number
        })
    void normalize_invalidInternational_isEmpty(String value) {
      assertThat(PHONE.normalize(value)).isEmpty();
    }

    @Test
    void normalize_veryLongDigitRun_isEmpty() {
      assertThat(PHONE.normalize("1".repeat(10_000))).isEmpty();
      assertThat(PHONE.normalize(" ".repeat(10_000) + "13800138000" + "-".repeat(10_000)))
          .contains(CANONICAL);
    }
  }

  // ------------------------------------------------------------------ email

  @Nested
  class Email {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "alice@example.com|alice@example.com",
          "  Alice.Smith@Example.COM \n|alice.smith@example.com",
          "\u3000BOB+promo@Mail.Example.CN\u00A0|bob+promo@mail.example.cn",
          "first.last@gmail.com|first.last@gmail.com", // no dot removal
          "firstlast+tag@gmail.com|firstlast+tag@gmail.com", // no +tag removal
          "a@b|a@b", // no dot required in the domain
          "\u5F20\u4E09@\u4F8B\u5B50.\u4E2D\u56FD|\u5F20\u4E09@\u4F8B\u5B50.\u4E2D\u56FD",
          "J\u00D6RG@EXAMPLE.DE|j\u00F6rg@example.de",
          "john doe@example.com|john doe@example.com", // only the domain is checked for spaces
        })
    void normalize_validAddress_isTrimmedAndLowerCased(String pair) {
      String[] p = pair.split("\\|");
      assertThat(EMAIL.normalize(p[0])).contains(p[1]);
    }

    @Test
    void normalize_turkishDefaultLocale_lowerCasesInRootLocale() {
      // With the default locale's rules "I" would become dotless "\u0131" under Turkish.
      Locale saved = Locale.getDefault();
      try {
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        assertThat(EMAIL.normalize("IVAN@EXAMPLE.COM")).contains("ivan@example.com");
      } finally {
        Locale.setDefault(saved);
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "alice.example.com", // no @
          "alice@@example.com", // two @
          "a@b@example.com",
          "@example.com", // empty local part
          "   @example.com",
          "alice@", // empty domain
          "alice@   ",
          "alice@exa mple.com", // space in the domain
          "alice@example.com\tx",
          "alice@exa\u3000mple.com",
          "alice@exa\u00A0mple.com",
          "alice@exa\u0000mple.com",
          "alice\uFF20example.com", // full-width at sign is not an @
          "ali\uD800ce@example.com", // unpaired surrogate
        })
    void normalize_invalidAddress_isEmpty(String value) {
      assertThat(EMAIL.normalize(value)).isEmpty();
    }

    @Test
    void normalize_supplementaryCharacter_isKept() {
      assertThat(EMAIL.normalize("\uD83D\uDE00@example.com")).contains("\uD83D\uDE00@example.com");
    }
  }

  // ------------------------------------------------------------------ cn-id

  @Nested
  class CnId {
    /** Made up: region 110101, born 1990-03-07, sequence 123; check computed by {@link CnIds}. */
    private final String valid = CnIds.of("110101", "19900307", "123");

    /** Sequence 002 happens to give the check character X. */
    private final String validWithX = CnIds.of("110101", "19900307", "002");

    @Test
    void testOracle_madeUpNumbers_haveExpectedCheckCharacters() {
      // Worked by hand: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 11010119900307123.
      assertThat(valid).isEqualTo("110101199003071233");
      assertThat(validWithX).isEqualTo("11010119900307002X");
    }

    @Test
    void normalize_validNumber_isUnchanged() {
      assertThat(CN_ID.normalize(valid)).contains(valid);
      assertThat(CN_ID.normalize(validWithX)).contains(validWithX);
    }

    @Test
    void normalize_lowerCaseX_isUpperCased() {
      assertThat(CN_ID.normalize(validWithX.toLowerCase())).contains(validWithX);
    }

    @Test
    void normalize_surroundingSpaces_areTrimmed() {
      assertThat(CN_ID.normalize("  " + valid + "\t\n")).contains(valid);
      assertThat(CN_ID.normalize("\u3000" + validWithX.replace('X', 'x') + " "))
          .contains(validWithX);
    }

    @Test
    void normalize_fullWidthDigitsAndX_mapToAscii() {
      assertThat(CN_ID.normalize(toFullWidth(valid))).contains(valid);
      assertThat(CN_ID.normalize(toFullWidth(validWithX))).contains(validWithX);
      assertThat(CN_ID.normalize(toFullWidth(validWithX).replace('\uFF38', '\uFF58')))
          .contains(validWithX);
    }

    @Test
    void normalize_everyWrongCheckCharacter_isEmpty() {
      String first17 = valid.substring(0, 17);
      for (char c : "0123456789X".toCharArray()) {
        if (c != valid.charAt(17)) {
          assertThat(CN_ID.normalize(first17 + c)).as("check %s", c).isEmpty();
        }
      }
    }

    @Test
    void normalize_wrongLength_isEmpty() {
      assertThat(CN_ID.normalize(valid.substring(0, 17))).isEmpty();
      assertThat(CN_ID.normalize(valid + "0")).isEmpty();
      assertThat(CN_ID.normalize("110101900307123")).isEmpty(); // 15-digit first generation
    }

    @Test
    void normalize_innerSpacesOrLetters_isEmpty() {
      assertThat(CN_ID.normalize("110101 19900307 1233")).isEmpty();
      assertThat(CN_ID.normalize("11010119900307123" + "Y")).isEmpty();
      assertThat(CN_ID.normalize("X10101199003071233")).isEmpty();
      assertThat(CN_ID.normalize("1101011990030712X" + CnIds.checkChar("11010119900307120")))
          .isEmpty(); // X only in the last position
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "19900230", // 30 February
          "19900229", // 1990 is not a leap year
          "19000229", // 1900: divisible by 100, not by 400
          "19901301", // month 13
          "19900001", // month 00
          "19900100", // day 00
          "19900431", // 31 April
          "19901232",
        })
    void normalize_invalidBirthDateWithValidChecksum_isEmpty(String date) {
      assertThat(CN_ID.normalize(CnIds.of("110101", date, "123"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"20000229", "20240229", "19991231", "20000101", "19900131"})
    void normalize_validBirthDate_isAccepted(String date) {
      String id = CnIds.of("110101", date, "123");
      assertThat(CN_ID.normalize(id)).contains(id);
    }

    private static String toFullWidth(String s) {
      StringBuilder b = new StringBuilder();
      for (char c : s.toCharArray()) {
        b.append(c == 'X' ? '\uFF38' : (char) (c - '0' + '\uFF10'));
      }
      return b.toString();
    }
  }

  // ------------------------------------------------------------------ raw

  @Nested
  class Raw {
    @Test
    void normalize_value_isTrimmedOnly() {
      assertThat(RAW.normalize("  Customer-00042 ")).contains("Customer-00042");
      assertThat(RAW.normalize("a  b")).contains("a  b");
      assertThat(RAW.normalize("\uFEFFAbC")).contains("AbC");
      assertThat(RAW.normalize("\u5F20\u4E09")).contains("\u5F20\u4E09");
    }

    @Test
    void normalize_unpairedSurrogate_isEmpty() {
      assertThat(RAW.normalize("a\uDC00")).isEmpty();
      assertThat(RAW.normalize("\uD800")).isEmpty();
    }
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void normalize_nullOrBlankRaw_isEmpty(String value) {
    assertThat(RAW.normalize(value)).isEmpty();
  }
}
