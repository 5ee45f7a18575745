package io.jointly.psi.pipeline.internal;

import java.io.IOException;

/** A work file failed its integrity check or ended early: it was altered, damaged or truncated. */
public final class WorkFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public WorkFileException(String message) {
    super(message);
  }

  public WorkFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
