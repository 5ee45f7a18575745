package io.jointly.psi;

/** What to do with an identifier that fails its normalisation profile. */
public enum InvalidIdPolicy {
  /** Fail with an {@code InputException} naming the row (never the value). */
  FAIL,
  /** Leave the row out of the protocol; the number skipped is reported. */
  SKIP
}
