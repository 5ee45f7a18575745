package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.oprf.OprfKey;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cache file says about itself: which server's set it encodes, under which key, in which
 * encoding and version, and how many entries it holds. Everything here is public: the client reads
 * it, and it is what binds a cache to its server.
 *
 * @param suite the OPRF suite
 * @param profile how identifiers were normalised (the client must normalise the same way)
 * @param keyColumns how many key columns form an identifier
 * @param layout the capacity and entry layout (the false-positive bound follows from it)
 * @param serverName the server's party name, as its TLS certificate names it
 * @param keyId the id of the OPRF key the set was encoded under ({@link OprfKey#keyId()})
 * @param lineage 16 random bytes naming one full encoding; every delta of it carries the same
 *     lineage, so a delta of another encoding (even under the same key) is refused
 * @param version 0 for the full encoding, +1 with each delta
 * @param count the number of entries: the server's set size (distinct items)
 * @param created when this version was written (informational)
 */
public record CacheHeader(
    OprfSuite suite,
    IdentifierProfile profile,
    int keyColumns,
    CacheLayout layout,
    String serverName,
    Bytes keyId,
    Bytes lineage,
    long version,
    long count,
    Instant created) {

  /** Length of {@link #lineage()}. */
  public static final int LINEAGE_LENGTH = 16;

  private static final Pattern PARTY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public CacheHeader {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(created, "created");
    if (keyColumns < 1 || keyColumns > UnbalancedPsiParameters.MAX_KEY_COLUMNS) {
      throw new IllegalArgumentException("keyColumns must be 1.." + UnbalancedPsiParameters.MAX_KEY_COLUMNS);
    }
    if (!PARTY.matcher(serverName).matches()) {
      throw new IllegalArgumentException("server name must be 1-64 of [A-Za-z0-9._-]");
    }
    if (keyId.length() != OprfKey.KEY_ID_LENGTH || lineage.length() != LINEAGE_LENGTH) {
      throw new IllegalArgumentException("key id and lineage have 16 bytes");
    }
    if (version < 0 || count < 0 || count > layout.capacity()) {
      throw new IllegalArgumentException("version and count must be >= 0 and count <= capacity");
    }
  }

  /** Whether a party name is well-formed (1–64 of {@code [A-Za-z0-9._-]}). */
  static boolean isPartyName(String name) {
    return name != null && PARTY.matcher(name).matches();
  }

  /** Whether {@code other} is the same encoding (server, key, lineage, layout and profile). */
  public boolean sameEncodingAs(CacheHeader other) {
    return suite == other.suite
        && profile == other.profile
        && keyColumns == other.keyColumns
        && layout.equals(other.layout)
        && serverName.equals(other.serverName)
        && keyId.equals(other.keyId)
        && lineage.equals(other.lineage);
  }

  /** This header at another version and count. */
  public CacheHeader withVersion(long newVersion, long newCount, Instant when) {
    return new CacheHeader(suite, profile, keyColumns, layout, serverName, keyId, lineage, newVersion, newCount, when);
  }

  /** A short description for messages: server, key id, lineage prefix and version. */
  public String describe() {
    return "server " + serverName + ", key " + keyId.toHex() + ", encoding " + lineage.toHex().substring(0, 8)
        + ", version " + version;
  }
}
