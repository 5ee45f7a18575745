package io.jointly.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * A run as a policy sees it: both parties' statements (the peer's name is authenticated: the
 * agreement checked it against the channel and the peer's certificate) and the time of the check.
 *
 * <p>In a {@linkplain RunAgreement#unilateral unilateral run} (a protocol whose wire carries no
 * run agreement) the peer states nothing: {@code peer} is then this party's account of it (the
 * name the transport authenticated, no purpose, no input size) and {@code peerStated} is false,
 * so a policy judges only what this party knows. A peer-size rule then holds through this party's
 * own guardrail, which the protocol enforces once the peer's size arrives with its data.
 *
 * @param own this party's statement
 * @param peer the peer's statement, or this party's account of the peer
 * @param now when the check runs
 * @param peerStated whether {@code peer} is what the peer stated in the run agreement
 */
public record RunRequest(PartyStatement own, PartyStatement peer, Instant now, boolean peerStated) {
  public RunRequest {
    Objects.requireNonNull(own, "own");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(now, "now");
  }

  /** A run whose peer stated {@code peer} in the run agreement. */
  public RunRequest(PartyStatement own, PartyStatement peer, Instant now) {
    this(own, peer, now, true);
  }
}
