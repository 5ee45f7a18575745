package io.jointly.psi.pipeline;

import java.io.IOException;

/**
 * Receives the rows of this party whose identifier is shared, as 0-based positions in its {@link
 * RowSource}'s order, strictly increasing, one call each, at the end of a run that reveals them to
 * this party. A caller that writes them somewhere publishes the result only once the run has
 * returned successfully (the CLI writes to a temporary file and renames it).
 */
@FunctionalInterface
public interface SharedRowSink {
  /** One shared row; rows arrive in increasing order. */
  void accept(long row) throws IOException;
}
