package io.jointly.psi.unbalanced.internal;

import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.ItemEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One row's key values turned into the bytes that are hashed ({@link ItemEncoder}) after
 * normalisation by the profile, exactly as ECDH PSI prepares them, so that both kinds of run agree
 * on what an identifier is. Stateless.
 */
public final class Items {
  private Items() {}

  /** The encoded item of a row, or {@code null} if a key value is invalid for the profile. */
  public static byte[] encode(List<String> values, IdentifierProfile profile) {
    if (values.size() == 1) {
      Optional<String> v = profile.normalize(values.get(0));
      return v.map(ItemEncoder::encode).orElse(null);
    }
    List<String> parts = new ArrayList<>(values.size());
    for (String raw : values) {
      Optional<String> v = profile.normalize(raw);
      if (v.isEmpty()) {
        return null;
      }
      parts.add(v.get());
    }
    return ItemEncoder.encode(parts);
  }
}
