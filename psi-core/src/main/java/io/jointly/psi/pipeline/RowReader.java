package io.jointly.psi.pipeline;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import java.util.Optional;

/**
 * One pass over a {@link RowSource}'s rows. Not thread-safe: PSI calls it from one thread.
 */
public interface RowReader extends AutoCloseable {
  /**
   * Reads the next row's key values into {@code keys} (one entry per key column, {@code null} for a
   * missing value, which the identifier profile then treats as invalid).
   *
   * @return false once there are no more rows
   * @throws InputException ({@code MALFORMED_INPUT}) if the row cannot be read; the message names
   *     where (file, line, column), never a value
   */
  boolean next(String[] keys) throws InputException;

  /** Bytes of the source consumed so far, for progress; -1 if unknown. */
  default long bytesRead() {
    return -1;
  }

  /**
   * After {@link #next} returned false: a digest of everything the pass read, if the reader keeps
   * one (a file reader hashes the bytes as it reads them); empty to let PSI hash the key values.
   */
  default Optional<Bytes> contentDigest() {
    return Optional.empty();
  }

  @Override
  void close();
}
