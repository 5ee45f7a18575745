package io.jointly.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * A run as a policy sees it: both parties' statements (the peer's name is authenticated: the
 * agreement checked it against the channel and the peer's certificate) and the time of the check.
 *
 * @param own this party's statement
 * @param peer the peer's statement
 * @param now when the check runs
 */
public record RunRequest(PartyStatement own, PartyStatement peer, Instant now) {
  public RunRequest {
    Objects.requireNonNull(own, "own");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(now, "now");
  }
}
