package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warning {@code psi}, {@code stats}, {@code train} and {@code score} print when {@code
 * --normalize raw} meets identifiers that look like another profile (the CLI-level run is in {@code
 * PsiCliEndToEndTest}; the detection itself is {@code ProfileMatch}'s, tested in {@code psi-core}).
 */
class RawProfileWarningTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private String warn(String normalize, List<String> idColumns, List<List<String>> sample)
      throws CliException {
    PsiCommand command = new PsiCommand();
    command.normalize = normalize;
    command.idColumns = idColumns;
    command.err = new PrintStream(printed, true, StandardCharsets.UTF_8);
    command.warnIfRawLooksLikeAProfile(sample);
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void raw_emailColumn_warnsNamingTheEmailProfileAndCountsButNoValue() throws CliException {
    List<String> emails = List.of("li.wei@example.com", "zhang.min@example.cn", "n/a");

    String w = warn("raw", List.of("email"), List.of(emails));

    assertThat(w)
        .isEqualTo(
            "jointly: warning: --normalize raw, but 2 of the first 3 identifiers in column email"
                + " look like e-mail addresses. Raw compares the text as written, so the same"
                + " identifier written another way does not match: use --normalize email at both"
                + " parties.\n");
    emails.forEach(v -> assertThat(w).doesNotContain(v));
  }

  @Test
  void raw_idNumberColumns_warnsNamingCnId() throws CliException {
    // Made-up numbers with valid dates and check characters (GB 11643-1999).
    String w =
        warn("raw", List.of("id_no"), List.of(List.of("11010519491231002X", "440305200102280450")));

    assertThat(w).contains("look like resident ID numbers").contains("use --normalize cn-id");
  }

  @Test
  void raw_compositeKeyOfPhoneAndName_isRightlyRawAndNotWarned() throws CliException {
    String w =
        warn(
            "raw",
            List.of("mobile", "name"),
            List.of(List.of("13800138000", "13900001111"), List.of("王伟", "Li Na")));

    assertThat(w).isEmpty();
  }

  @Test
  void raw_twoPhoneColumns_warnsNamingBoth() throws CliException {
    List<String> phones = List.of("13800138000", "+86 139 0000 1111");

    String w = warn("raw", List.of("mobile", " home_phone"), List.of(phones, phones));

    assertThat(w).contains("in columns mobile+home_phone look like phone numbers");
  }

  @Test
  void phoneProfile_orCustomerNumbersAsRaw_isNotWarned() throws CliException {
    assertThat(warn("phone", List.of("mobile"), List.of(List.of("13800138000")))).isEmpty();
    assertThat(warn("raw", List.of("customer_no"), List.of(List.of("C10000000", "C10000001"))))
        .isEmpty();
  }

  @Test
  void sample_longerThanTheBound_isLookedAtOnlyUpToTheBound() throws CliException {
    // The first PROFILE_SAMPLE values are phone numbers, the rest not: only the first count.
    List<String> column =
        new ArrayList<>(Collections.nCopies(AlignedCommand.PROFILE_SAMPLE, "13800138000"));
    column.addAll(Collections.nCopies(3 * AlignedCommand.PROFILE_SAMPLE, "C1"));

    String w = warn("raw", List.of("mobile"), List.of(column));

    assertThat(w).contains("5,000 of the first 5,000 identifiers");
  }
}
