package io.jointly.compliance;

/**
 * Decides whether this party takes part in a run. {@link UsagePolicy} is the implementation the
 * CLI loads from a policy file; an embedding service can implement its own over its policy store.
 * Called once per run, after the purposes agreed and before any data item moves.
 */
@FunctionalInterface
public interface Authorizer {
  /** Allows every run (no policy in force). */
  Authorizer ALLOW_ALL = (request, meter) -> PolicyDecision.withoutPolicy();

  /**
   * The decision on {@code request}; limits read past use from {@code meter}.
   *
   * @return never null
   */
  PolicyDecision decide(RunRequest request, UsageMeter meter);
}
