package io.jointly.compliance;

import java.util.Objects;
import java.util.Optional;

/** What a party's policy says about a run: allowed (and by which grant), or refused by a rule. */
public sealed interface PolicyDecision permits PolicyDecision.Allowed, PolicyDecision.Refused {

  /** Allowed with no policy in force. */
  static Allowed withoutPolicy() {
    return new Allowed(Optional.empty());
  }

  /**
   * The run may go ahead.
   *
   * @param policy the policy and grant that allowed it, or empty if no policy is in force
   */
  record Allowed(Optional<PolicyReference> policy) implements PolicyDecision {
    public Allowed {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /**
   * The run is refused. Only this party sees the rule: the peer is told that a policy refused.
   *
   * @param rule the rule that refused, by its name in the policy ({@code peers}, {@code commands},
   *     {@code purposes}, {@code protocols}, {@code reveal}, {@code min_peer_set_size}, {@code
   *     min_cell_size}, {@code max_runs}, {@code max_records}, {@code expires})
   * @param reason the refusal in words, naming the policy, the grant and the figures
   */
  record Refused(String rule, String reason) implements PolicyDecision {
    public Refused {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
