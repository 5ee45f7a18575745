package io.jointly.compliance;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a party learned in a run, as counts, never values: for example {@code peer_set_size},
 * {@code intersection_size}, {@code segments_released}. A receipt carries each party's own account.
 *
 * @param counts named counts (at most 32; names 1–64 of {@code [a-z0-9_]}; values ≥ 0), in name
 *     order
 * @param description the same in words, for a reader of the receipt (at most 1,000 characters, no
 *     control characters; may be empty)
 */
public record Learned(SortedMap<String, Long> counts, String description) {
  /** The form of count names. */
  public static final Pattern COUNT = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");

  /** The most counts. */
  public static final int MAX_COUNTS = 32;

  /** The longest description. */
  public static final int MAX_DESCRIPTION_LENGTH = 1000;

  /** Nothing: the account of a party whose run failed or was refused. */
  public static final Learned NOTHING = new Learned(new TreeMap<>(), "");

  public Learned {
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(description, "description");
    if (counts.size() > MAX_COUNTS) {
      throw new IllegalArgumentException("at most " + MAX_COUNTS + " counts");
    }
    TreeMap<String, Long> copy = new TreeMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (!COUNT.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("count names are 1-64 of [a-z0-9_]: " + e.getKey());
      }
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("count " + e.getKey() + " must be >= 0");
      }
      copy.put(e.getKey(), e.getValue());
    }
    counts = Collections.unmodifiableSortedMap(copy);
    if (description.length() > MAX_DESCRIPTION_LENGTH
        || description.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "a description is at most " + MAX_DESCRIPTION_LENGTH + " characters, no control characters");
    }
  }

  /** An account with these counts (name, value pairs) and description. */
  public static Learned of(String description, Map<String, Long> counts) {
    return new Learned(new TreeMap<>(counts), description);
  }
}
