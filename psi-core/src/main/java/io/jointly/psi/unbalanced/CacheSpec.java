package io.jointly.psi.unbalanced;

import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import java.util.Objects;

/**
 * What a server's cache is made of, besides its items and key: whose it is, how identifiers are
 * normalised, and its capacity.
 *
 * @param serverName the server's party name as its TLS certificate names it; clients refuse a
 *     cache whose server is not the party they are connected to
 * @param profile the normalisation profile (clients must use the same)
 * @param keyColumns how many key columns form an identifier
 * @param invalidIds what to do with a row whose identifier fails the profile
 * @param capacityLog2 the capacity {@code 2^k} (room for growth through deltas), or 0 for the
 *     default: the least power of two of at least twice the items ({@link CacheLayout#forItems})
 */
public record CacheSpec(
    String serverName, IdentifierProfile profile, int keyColumns, InvalidIdPolicy invalidIds, int capacityLog2) {

  public CacheSpec {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(invalidIds, "invalidIds");
    if (!CacheHeader.isPartyName(serverName)) {
      throw new IllegalArgumentException("server name must be 1-64 of [A-Za-z0-9._-]");
    }
    if (keyColumns < 1 || keyColumns > UnbalancedPsiParameters.MAX_KEY_COLUMNS) {
      throw new IllegalArgumentException("keyColumns must be 1.." + UnbalancedPsiParameters.MAX_KEY_COLUMNS);
    }
    if (capacityLog2 != 0
        && (capacityLog2 < CacheLayout.MIN_CAPACITY_LOG2 || capacityLog2 > CacheLayout.MAX_CAPACITY_LOG2)) {
      throw new IllegalArgumentException(
          "capacity must be 0 (automatic) or 2^" + CacheLayout.MIN_CAPACITY_LOG2 + "..2^" + CacheLayout.MAX_CAPACITY_LOG2);
    }
  }

  /** One key column, invalid identifiers refused, automatic capacity. */
  public static CacheSpec of(String serverName, IdentifierProfile profile) {
    return new CacheSpec(serverName, profile, 1, InvalidIdPolicy.FAIL, 0);
  }
}
