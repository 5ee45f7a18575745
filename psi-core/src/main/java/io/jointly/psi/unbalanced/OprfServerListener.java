package io.jointly.psi.unbalanced;

/**
 * What an {@link OprfServer} reports for its log: who asked for how many evaluations, never what
 * was evaluated (the server cannot know it). Called from the session's thread; must be fast and
 * must not throw. Clients are named by their TLS certificate.
 */
public interface OprfServerListener {
  /** Reports nothing. */
  OprfServerListener NONE = new OprfServerListener() {};

  /**
   * A client's hello was answered.
   *
   * @param client the client's party name
   * @param purpose the purpose it named
   * @param batch whether it is a batch run (else membership checks)
   * @param refusal empty if accepted, else why not (for the log)
   */
  default void onSession(String client, Purpose purpose, boolean batch, String refusal) {}

  /**
   * {@code count} evaluations were granted and counted.
   *
   * @param usedToday the client's evaluations for the purpose today, these included
   * @param dailyLimit its daily limit for the purpose
   */
  default void onEvaluations(String client, Purpose purpose, long count, long usedToday, long dailyLimit) {}

  /** A membership query was refused ({@code why}: budget exhausted, stale cache, ...). */
  default void onQueryRefused(String client, Purpose purpose, String why) {}

  /** A session ended; {@code evaluations} were granted in it. */
  default void onSessionEnd(String client, Purpose purpose, long evaluations, OprfServer.Ending ending) {}
}
