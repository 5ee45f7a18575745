package io.jointly.psi.unbalanced;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The server's policy of how many OPRF evaluations each client may have per day (UTC) and
 * purpose: a default limit per purpose for every client, and overrides for named clients. A
 * purpose without a limit is not served. Clients are named by their TLS certificate.
 *
 * @param perPurpose the daily limit of each served purpose, for any client
 * @param perClient overrides: client name → purpose → daily limit (0 refuses that client)
 */
public record QueryBudgets(Map<Purpose, Long> perPurpose, Map<String, Map<Purpose, Long>> perClient) {

  public QueryBudgets {
    perPurpose = Map.copyOf(perPurpose);
    Map<String, Map<Purpose, Long>> copy = new HashMap<>();
    perClient.forEach((c, m) -> copy.put(Objects.requireNonNull(c), Map.copyOf(m)));
    perClient = Map.copyOf(copy);
    for (long l : perPurpose.values()) {
      check(l);
    }
    for (Map<Purpose, Long> m : perClient.values()) {
      m.values().forEach(QueryBudgets::check);
    }
  }

  private static void check(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a daily limit must be >= 0");
    }
  }

  /** Budgets with these per-purpose daily limits and no overrides. */
  public static QueryBudgets of(Map<Purpose, Long> perPurpose) {
    return new QueryBudgets(perPurpose, Map.of());
  }

  /** These budgets with a limit for one client and purpose. */
  public QueryBudgets withClientLimit(String client, Purpose purpose, long limit) {
    Map<String, Map<Purpose, Long>> m = new HashMap<>(perClient);
    Map<Purpose, Long> c = new HashMap<>(m.getOrDefault(client, Map.of()));
    c.put(purpose, limit);
    m.put(client, c);
    return new QueryBudgets(perPurpose, m);
  }

  /** The daily limit of {@code client} for {@code purpose}, or empty if the purpose is not served. */
  public OptionalLong dailyLimit(String client, Purpose purpose) {
    Map<Purpose, Long> c = perClient.get(client);
    if (c != null && c.containsKey(purpose)) {
      return OptionalLong.of(c.get(purpose));
    }
    Long l = perPurpose.get(purpose);
    return l == null ? OptionalLong.empty() : OptionalLong.of(l);
  }
}
