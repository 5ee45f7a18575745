package io.jointly.compliance;

import io.jointly.core.Bytes;
import java.util.Objects;

/**
 * Which policy allowed a run: the policy's id, the grant that allowed it, and the SHA-256 of the
 * policy's canonical encoding ({@link UsagePolicy#digest()}), so a reader can tell which version of
 * the policy was in force.
 *
 * @param policy the policy's id
 * @param grant the grant's id
 * @param digest the policy's digest (32 bytes)
 */
public record PolicyReference(String policy, String grant, Bytes digest) {
  public PolicyReference {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(digest, "digest");
    if (!UsagePolicy.ID.matcher(policy).matches() || !UsagePolicy.ID.matcher(grant).matches()) {
      throw new IllegalArgumentException("policy and grant ids are 1-64 of [A-Za-z0-9._-]");
    }
    if (digest.length() != 32) {
      throw new IllegalArgumentException("a policy digest is 32 bytes");
    }
  }
}
