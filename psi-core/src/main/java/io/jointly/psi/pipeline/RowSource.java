package io.jointly.psi.pipeline;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import java.util.Optional;

/**
 * Where a party's rows come from: a file, a database query, a Kafka topic, a Spark partition. PSI
 * reads the key columns of every row once, in one pass, and never keeps the rows; results name rows
 * by their 0-based position in this order ({@link SharedRowSink}).
 *
 * <p>{@link #open()} may be called more than once (a resumed run checks that the input is the one
 * it started with) and must then deliver the same rows in the same order.
 */
public interface RowSource {
  /**
   * Starts a pass over the rows.
   *
   * @throws InputException ({@code MALFORMED_INPUT}) if the source cannot be opened
   */
  RowReader open() throws InputException;

  /** Names the source in messages (a file name, a table): never data. */
  String description();

  /** The source's size in bytes if known, for progress and estimates; -1 otherwise. */
  default long sizeBytes() {
    return -1;
  }

  /**
   * A digest of the source's whole content computed without parsing it (a file's bytes), if the
   * source can give one; it must equal what {@link RowReader#contentDigest()} gives after a full
   * pass. Empty: a resumed run reads the rows again and compares their key values instead.
   */
  default Optional<Bytes> contentDigest() throws InputException {
    return Optional.empty();
  }
}
