package io.jointly.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

class IdentifierProfilePropertyTest {

  private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

  /** A mainland mobile number and one way of writing it. */
  record WrittenMobile(String mobile, String written) {}

  // ------------------------------------------------------------------ phone

  @Property
  void normalize_mobileInAnyFormatting_givesOneCanonicalValue(
      @ForAll("writtenMobiles") WrittenMobile m) {
    assertThat(IdentifierProfile.PHONE.normalize(m.written())).contains("+86" + m.mobile());
  }

  @Property
  void normalize_twoFormattingsOfOneMobile_areEqual(
      @ForAll("mobiles") String mobile,
      @ForAll("formattings") Formatting a,
      @ForAll("formattings") Formatting b) {
    assertThat(IdentifierProfile.PHONE.normalize(a.apply(mobile)))
        .isPresent()
        .isEqualTo(IdentifierProfile.PHONE.normalize(b.apply(mobile)));
  }

  // ------------------------------------------------------------------ every profile

  @Property(tries = 2000)
  void normalize_canonicalValue_isFixedPoint(
      @ForAll IdentifierProfile profile, @ForAll("candidates") String value) {
    Optional<String> once = profile.normalize(value);
    Statistics.label(profile.displayName()).collect(once.isPresent() ? "valid" : "invalid");
    // The property is only worth something if every profile sees canonical values too.
    Statistics.label(profile.displayName())
        .coverage(c -> c.check("valid").percentage(p -> p >= 5.0));
    assertThat(once.flatMap(profile::normalize)).isEqualTo(once);
  }

  @Property(tries = 2000)
  void normalize_arbitraryString_neverThrowsAndNeverReturnsNull(
      @ForAll IdentifierProfile profile, @ForAll("candidates") String value) {
    Optional<String> result = profile.normalize(value);
    assertThat(result).isNotNull();
    result.ifPresent(
        canonical -> {
          assertThat(canonical).isNotEmpty();
          assertThat(Normalization.isWellFormedUtf16(canonical)).isTrue();
        });
  }

  // ------------------------------------------------------------------ detection (ProfileMatch)

  @Property(tries = 2000)
  void normalize_anyValue_isValidForAtMostOneSpecificProfile(@ForAll("candidates") String value) {
    // ProfileMatch.of relies on it: at most one specific profile can fit most of a sample.
    long fits =
        java.util.stream.Stream.of(
                IdentifierProfile.PHONE, IdentifierProfile.EMAIL, IdentifierProfile.CN_ID)
            .filter(p -> p.normalize(value).isPresent())
            .count();
    assertThat(fits).isLessThanOrEqualTo(1);
  }

  @Property(tries = 500)
  void profileMatch_anySample_isTheProfileMostValuesFitWhenMoreThanHalfDo(
      @ForAll("samples") List<String> sample) {
    List<String> nonBlank =
        sample.stream().filter(v -> v != null && !Normalization.trim(v).isEmpty()).toList();
    Optional<ProfileMatch> m = ProfileMatch.of(sample);
    for (IdentifierProfile p :
        List.of(IdentifierProfile.PHONE, IdentifierProfile.EMAIL, IdentifierProfile.CN_ID)) {
      long valid = nonBlank.stream().filter(v -> p.normalize(v).isPresent()).count();
      boolean majority = 2 * valid > nonBlank.size();
      Statistics.label("majority").collect(majority ? p.displayName() : "none");
      if (majority) {
        assertThat(m).contains(new ProfileMatch(p, (int) valid, nonBlank.size()));
      } else {
        assertThat(m.map(ProfileMatch::profile)).isNotEqualTo(Optional.of(p));
      }
    }
  }

  /** Samples of one kind of value with a varying share of other values and blanks mixed in. */
  @Provide
  Arbitrary<List<String>> samples() {
    Arbitrary<String> emails =
        Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8))
            .as((local, domain) -> local + "@" + domain + ".com");
    Arbitrary<Arbitrary<String>> kind =
        Arbitraries.of(
            List.of(writtenMobiles().map(WrittenMobile::written), emails, cnIds()));
    Arbitrary<String> other =
        Arbitraries.oneOf(
            candidates(),
            Arbitraries.of("", " ", "\u3000"),
            Arbitraries.just((String) null),
            Arbitraries.strings().alpha());
    return Combinators.combine(kind, Arbitraries.integers().between(1, 99))
        .flatAs(
            (main, percentMain) ->
                Arbitraries.frequencyOf(
                        Tuple.of(percentMain, main), Tuple.of(100 - percentMain, other))
                    .list()
                    .ofMaxSize(40));
  }

  // ------------------------------------------------------------------ cn-id

  @Property
  void normalize_generatedValidCnId_isAcceptedUnchanged(@ForAll("cnIds") String id) {
    assertThat(IdentifierProfile.CN_ID.normalize(id)).contains(id);
  }

  @Property
  void normalize_cnIdWithOneCharacterChanged_isEmpty(
      @ForAll("cnIds") String id,
      @ForAll @IntRange(min = 0, max = 17) int position,
      @ForAll("checkCharacters") char replacement) {
    Assume.that(id.charAt(position) != replacement);
    String changed = id.substring(0, position) + replacement + id.substring(position + 1);
    assertThat(IdentifierProfile.CN_ID.normalize(changed)).isEmpty();
  }

  @Property
  void normalize_cnIdBirthDate_acceptedExactlyWhenJavaTimeAcceptsIt(
      @ForAll @IntRange(min = 0, max = 9999) int year,
      @ForAll @IntRange(min = 0, max = 13) int month,
      @ForAll @IntRange(min = 0, max = 32) int day) {
    String date = String.format("%04d%02d%02d", year, month, day);
    String id = CnIds.of("110101", date, "123");
    boolean expected;
    try {
      LocalDate.of(year, month, day);
      expected = true;
    } catch (DateTimeException e) {
      expected = false;
    }
    Statistics.collect(expected);
    assertThat(IdentifierProfile.CN_ID.normalize(id).isPresent()).isEqualTo(expected);
  }

  // ------------------------------------------------------------------ generators

  /** Where the separators go and which digits are typed full-width. */
  record Formatting(
      String prefix, List<String> separators, List<Boolean> fullWidth, String lead, String trail) {
    String apply(String mobile) {
      StringBuilder b = new StringBuilder(lead).append(prefix);
      for (int i = 0; i < mobile.length(); i++) {
        char c = mobile.charAt(i);
        b.append(fullWidth.get(i) ? (char) (c - '0' + '\uFF10') : c);
        b.append(separators.get(i));
      }
      return b.append(trail).toString();
    }
  }

  @Provide
  Arbitrary<String> mobiles() {
    return Combinators.combine(
            Arbitraries.chars().range('3', '9'), Arbitraries.strings().numeric().ofLength(9))
        .as((second, rest) -> "1" + second + rest);
  }

  @Provide
  Arbitrary<Formatting> formattings() {
    Arbitrary<String> prefix =
        Arbitraries.of(
            "",
            "+86",
            "86",
            "0086",
            "+86 ",
            "86 ",
            "0086 ",
            "00 86-",
            "(+86)",
            "(+86) ",
            "+(86)",
            "+ 86 ",
            "(86)",
            "+86-",
            "\uFF0B86",
            "\uFF0B\uFF18\uFF16\u3000",
            "\uFF08+86\uFF09");
    Arbitrary<String> separator =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just("")),
            Tuple.of(1, Arbitraries.of(" ", "-", ".", "  ", " - ", "\u3000", "\uFF0D", "(", ")")));
    Arbitrary<List<String>> separators = separator.list().ofSize(11);
    Arbitrary<List<Boolean>> fullWidth =
        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3, false)).list().ofSize(11);
    Arbitrary<String> padding = Arbitraries.of("", "", " ", "\t", "\u3000", "\u00A0", " \r\n");
    return Combinators.combine(prefix, separators, fullWidth, padding, padding).as(Formatting::new);
  }

  @Provide
  Arbitrary<WrittenMobile> writtenMobiles() {
    return Combinators.combine(mobiles(), formattings())
        .as((mobile, f) -> new WrittenMobile(mobile, f.apply(mobile)));
  }

  @Provide
  Arbitrary<String> cnIds() {
    Arbitrary<String> region = Arbitraries.strings().numeric().ofLength(6);
    Arbitrary<String> birth =
        Arbitraries.longs()
            .between(LocalDate.of(1900, 1, 1).toEpochDay(), LocalDate.of(2099, 12, 31).toEpochDay())
            .map(d -> LocalDate.ofEpochDay(d).format(YYYYMMDD));
    Arbitrary<String> sequence = Arbitraries.strings().numeric().ofLength(3);
    return Combinators.combine(region, birth, sequence).as(CnIds::of);
  }

  @Provide
  Arbitrary<Character> checkCharacters() {
    return Arbitraries.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X');
  }

  /**
   * Inputs for the properties that must hold for every string: arbitrary UTF-16 (including unpaired
   * surrogates and control characters), strings over the phone and e-mail alphabets, and valid
   * values of each profile written in non-canonical ways, so that the idempotence property sees
   * canonical outputs of every profile.
   */
  @Provide
  Arbitrary<String> candidates() {
    Arbitrary<String> anyUtf16 = Arbitraries.strings().all().ofMaxLength(60);
    Arbitrary<String> phoneAlphabet =
        Arbitraries.strings()
            .withChars("0123456789+-. ()\uFF10\uFF18\uFF16\uFF0B\u3000x")
            .ofMaxLength(24);
    Arbitrary<String> emailAlphabet =
        Arbitraries.strings()
            .withChars("aZ\u00C9\u0130\u03A3@. \t\u00A0\uFEFF\uD83D\uDE00")
            .ofMaxLength(16);
    Arbitrary<String> cnIdsWritten =
        Combinators.combine(cnIds(), Arbitraries.of("", " ", "\u3000"), Arbitraries.of(true, false))
            .as((id, pad, lower) -> pad + (lower ? id.toLowerCase() : id) + pad);
    Arbitrary<String> emailsWritten =
        Combinators.combine(
                Arbitraries.strings()
                    .withChars("aZ\u00C9\u0130\u03A3.+ ")
                    .ofMinLength(1)
                    .ofMaxLength(8),
                Arbitraries.strings()
                    .withChars("aZ\u00C9\u0130\u03A3.-")
                    .ofMinLength(1)
                    .ofMaxLength(8),
                Arbitraries.of("", " ", "\u3000", "\t"))
            .as((local, domain, pad) -> pad + local + "@" + domain + pad);
    return Arbitraries.frequencyOf(
        Tuple.of(3, anyUtf16),
        Tuple.of(2, phoneAlphabet),
        Tuple.of(2, emailAlphabet),
        Tuple.of(2, writtenMobiles().map(WrittenMobile::written)),
        Tuple.of(2, cnIdsWritten),
        Tuple.of(2, emailsWritten),
        Tuple.of(
            1,
            Arbitraries.of("", " ", "+", "@", "a@b", " A@B.C ", "+12345678", "+1 234 567 8901")));
  }
}
