package io.jointly.psi;

import java.util.Objects;
import java.util.Optional;

/**
 * What a sample of raw identifier values looks like: the specific profile ({@code phone}, {@code
 * email} or {@code cn-id}) that most of them are valid for, with how many were. A caller that is
 * about to match the values under {@link IdentifierProfile#RAW} uses it to warn that {@code
 * 13800138000} and {@code +86 138-0013-8000} will then not match, and which profile would make them
 * match. It holds counts only, never a value.
 *
 * @param profile the specific profile most of the sampled values are valid for (never {@code raw})
 * @param matching how many sampled values are valid for {@code profile}
 * @param sampled how many non-blank values were sampled (blank values are invalid for every
 *     profile, so they say nothing about which one fits)
 */
public record ProfileMatch(IdentifierProfile profile, int matching, int sampled) {

  public ProfileMatch {
    Objects.requireNonNull(profile, "profile");
    if (profile == IdentifierProfile.RAW) {
      throw new IllegalArgumentException("raw fits any text: it is never the profile a sample looks like");
    }
    if (sampled < 1 || matching < 0 || matching > sampled) {
      throw new IllegalArgumentException("need 0 <= matching <= sampled, sampled >= 1");
    }
  }

  /**
   * The share of the sampled non-blank values that are valid for {@link #profile}; above one half
   * for a match found by {@link #of}.
   */
  public double share() {
    return (double) matching / sampled;
  }

  /**
   * The specific profile that more than half of the non-blank values in {@code sample} are valid
   * for, or empty if there is none (the values are names, account numbers or a mix; or the sample
   * holds no non-blank value).
   *
   * <p>The specific profiles accept disjoint sets of values: an e-mail address holds an {@code @},
   * which no phone number or ID number does, and a valid ID number has 18 characters with at least
   * 17 digits, more than the 17 digits a phone value can hold. So at most one profile can fit more
   * than half of a sample, and the answer does not depend on an order of preference.
   *
   * <p>Runs in time linear in the total length of the sample; the caller bounds the sample (a few
   * thousand values say as much as a whole column). Never throws for any values, {@code null}
   * elements included (they count as blank).
   */
  public static Optional<ProfileMatch> of(Iterable<String> sample) {
    Objects.requireNonNull(sample, "sample");
    IdentifierProfile[] candidates = {
      IdentifierProfile.PHONE, IdentifierProfile.EMAIL, IdentifierProfile.CN_ID
    };
    int[] valid = new int[candidates.length];
    int sampled = 0;
    for (String value : sample) {
      if (value == null || Normalization.trim(value).isEmpty()) {
        continue;
      }
      sampled++;
      for (int p = 0; p < candidates.length; p++) {
        if (candidates[p].normalize(value).isPresent()) {
          valid[p]++;
        }
      }
    }
    for (int p = 0; p < candidates.length; p++) {
      if (2L * valid[p] > sampled) {
        return Optional.of(new ProfileMatch(candidates[p], valid[p], sampled));
      }
    }
    return Optional.empty();
  }
}
