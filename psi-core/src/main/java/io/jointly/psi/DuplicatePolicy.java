package io.jointly.psi;

/** What to do when the same normalised identifier occurs in several input rows. */
public enum DuplicatePolicy {
  /** Fail with an {@code InputException} naming the first duplicate row. */
  REJECT,
  /**
   * Run the protocol on each identifier once; every row carrying a shared identifier is reported
   * as shared. The number of duplicate rows is reported.
   */
  DEDUPLICATE
}
