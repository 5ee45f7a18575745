package io.jointly.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProfileMatchTest {

  @Test
  void of_phonesWrittenInManyWays_isPhoneWithEveryValueCounted() {
    List<String> sample =
        List.of("13800138000", "+86 138-0013-8000", "(+86) 139 0000 1111", "0086-150-1234-5678");

    assertThat(ProfileMatch.of(sample)).contains(new ProfileMatch(IdentifierProfile.PHONE, 4, 4));
  }

  @Test
  void of_emailAddresses_isEmail() {
    List<String> sample = List.of("li.wei@example.com", " Zhang@Example.CN ", "x@y");

    assertThat(ProfileMatch.of(sample)).contains(new ProfileMatch(IdentifierProfile.EMAIL, 3, 3));
  }

  @Test
  void of_idNumbers_isCnId() {
    List<String> sample =
        List.of(
            CnIds.of("110101", "19900307", "123"),
            CnIds.of("440305", "20010228", "045").toLowerCase(),
            CnIds.of("310104", "19751231", "998"));

    assertThat(ProfileMatch.of(sample)).contains(new ProfileMatch(IdentifierProfile.CN_ID, 3, 3));
  }

  @Test
  void of_customerNumbersNamesOrDates_isEmpty() {
    assertThat(ProfileMatch.of(List.of("C10000000", "C10000001", "M300000000"))).isEmpty();
    assertThat(ProfileMatch.of(List.of("王伟", "Li Na", "张 敏"))).isEmpty();
    assertThat(ProfileMatch.of(List.of("1990-03-07", "2001-02-28"))).isEmpty();
    // Account numbers of 10 or 12 digits are no mainland mobile numbers without a '+'.
    assertThat(ProfileMatch.of(List.of("6222021234", "622202123456"))).isEmpty();
  }

  @Test
  void of_messyPhoneColumn_countsTheShareThatFits() {
    List<String> sample = new ArrayList<>(Collections.nCopies(9, "13800138000"));
    sample.add("n/a");

    Optional<ProfileMatch> m = ProfileMatch.of(sample);

    assertThat(m).contains(new ProfileMatch(IdentifierProfile.PHONE, 9, 10));
    assertThat(m.orElseThrow().share()).isEqualTo(0.9);
  }

  @Test
  void of_blankAndNullValues_areLeftOutOfTheShare() {
    List<String> sample = Arrays.asList("13800138000", "", null, " \u3000", "not a phone", "13900001111");

    assertThat(ProfileMatch.of(sample)).contains(new ProfileMatch(IdentifierProfile.PHONE, 2, 3));
  }

  @Test
  void of_exactlyHalf_isNoMajorityAndEmpty() {
    assertThat(ProfileMatch.of(List.of("13800138000", "C1"))).isEmpty();
    assertThat(ProfileMatch.of(List.of("13800138000", "13900001111", "C1")))
        .contains(new ProfileMatch(IdentifierProfile.PHONE, 2, 3));
  }

  @Test
  void of_emptyOrAllBlankSample_isEmpty() {
    assertThat(ProfileMatch.of(List.of())).isEmpty();
    assertThat(ProfileMatch.of(Arrays.asList("", null, "  "))).isEmpty();
  }

  @Test
  void constructor_rawOrImpossibleCounts_areRejected() {
    assertThatThrownBy(() -> new ProfileMatch(IdentifierProfile.RAW, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProfileMatch(IdentifierProfile.PHONE, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProfileMatch(IdentifierProfile.PHONE, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProfileMatch(IdentifierProfile.PHONE, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
