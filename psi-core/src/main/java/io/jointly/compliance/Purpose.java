package io.jointly.compliance;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a run is for: a campaign or project identifier, a purpose text a reader can understand, and
 * the legal basis. Both parties of a run state their purpose and the run goes ahead only if the two
 * are equal field by field ({@link #firstDifference}).
 *
 * @param campaign the campaign or project identifier, 1–64 of {@code [A-Za-z0-9._-]} starting with a
 *     letter or digit, such as {@code cc-cross-sell-2026q4}
 * @param text what the data is used for, in words, 1–500 characters, no control characters
 * @param legalBasis the legal basis of the processing
 */
public record Purpose(String campaign, String text, LegalBasis legalBasis) {
  /** The form of a campaign identifier. */
  public static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The longest purpose text. */
  public static final int MAX_TEXT_LENGTH = 500;

  public Purpose {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(legalBasis, "legalBasis");
    if (!CAMPAIGN.matcher(campaign).matches()) {
      throw new IllegalArgumentException(
          "a campaign identifier is 1-64 of letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    if (text.isBlank() || text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException("a purpose text is 1-" + MAX_TEXT_LENGTH + " characters");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a purpose text has no control characters");
    }
  }

  /**
   * The first field in which {@code other} differs from this purpose, as its name ({@code
   * campaign}, {@code text}, {@code legal_basis}), or empty if the two are equal.
   */
  public Optional<String> firstDifference(Purpose other) {
    if (!campaign.equals(other.campaign)) {
      return Optional.of("campaign");
    }
    if (!text.equals(other.text)) {
      return Optional.of("text");
    }
    if (legalBasis != other.legalBasis) {
      return Optional.of("legal_basis");
    }
    return Optional.empty();
  }
}
