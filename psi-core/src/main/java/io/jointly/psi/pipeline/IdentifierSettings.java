package io.jointly.psi.pipeline;

import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import java.util.Objects;

/**
 * How rows become items, whatever the protocol: the key columns' normalisation profile and count,
 * and the policies for invalid and repeated identifiers.
 */
public record IdentifierSettings(
    IdentifierProfile profile, int keyColumns, InvalidIdPolicy invalidIds, DuplicatePolicy duplicates) {
  public IdentifierSettings {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(invalidIds, "invalidIds");
    Objects.requireNonNull(duplicates, "duplicates");
    if (keyColumns < 1) {
      throw new IllegalArgumentException("at least one key column");
    }
  }
}
