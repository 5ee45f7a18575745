package io.jointly.compliance;

import java.time.Instant;
import java.util.Objects;

/**
 * How a run ended for one party: when, by its own clock, and what it learned.
 *
 * @param end when the party finished
 * @param learned its account of what it learned
 */
public record PartyOutcome(Instant end, Learned learned) {
  public PartyOutcome {
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(learned, "learned");
  }
}
