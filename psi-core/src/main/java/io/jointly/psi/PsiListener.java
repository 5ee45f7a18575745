package io.jointly.psi;

/**
 * Progress of a PSI run, for progress bars and logs. Called from the protocol's thread; must be
 * fast and must not throw. Receives counts only, never data.
 */
public interface PsiListener {
  /** A listener that ignores everything. */
  PsiListener NONE = new PsiListener() {};

  /** The stages of a run. */
  enum Stage {
    /** Hashing and blinding this party's own items. */
    BLIND_OWN,
    /** Re-blinding the peer's items. */
    REBLIND_PEER,
    /** Receiving the double-blinded values for this party's items. */
    MATCH,
    /**
     * After the exchange, finding which of this party's items are shared (local work over the
     * values received and computed; counted in items of both sets).
     */
    JOIN
  }

  /**
   * Rows read so far while this party's input is prepared, before any connection ({@code
   * bytesTotal} is -1 when the source's size is unknown). Called every few tens of thousands of
   * rows and once at the end.
   */
  default void onInputRead(long rows, long bytesRead, long bytesTotal) {}

  /**
   * The handshake succeeded: the (deduplicated) set sizes, the peer's -1 if its protocol does not
   * state it before the data (interconnection PSI at rank 1 with a rank 0 that answers the
   * standard's way).
   */
  default void onHandshake(long ownSetSize, long peerSetSize) {}

  /**
   * {@code done} of {@code total} items of a stage are finished. Right after the handshake, every
   * stage this party will run is reported once with {@code done} = 0 (matching only at a party that
   * learns the intersection or its size), so the sum of the totals is the whole run's work from then
   * on; {@code done} then grows to {@code total} for each stage.
   */
  default void onProgress(Stage stage, long done, long total) {}
}
