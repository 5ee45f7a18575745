package io.jointly.psi.pipeline.internal;

import java.io.IOException;

/**
 * A stream of records: {@link #next()} advances, then {@link #buffer()}, {@link #offset()} and
 * {@link #length()} name the current record's bytes, valid until the next call. Not thread-safe.
 */
public interface RecordCursor extends AutoCloseable {
  /** Moves to the next record; false at the end. */
  boolean next() throws IOException;

  byte[] buffer();

  int offset();

  int length();

  @Override
  void close() throws IOException;

  /** A cursor over nothing. */
  static RecordCursor empty() {
    return new RecordCursor() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public byte[] buffer() {
        throw new IllegalStateException("no record");
      }

      @Override
      public int offset() {
        throw new IllegalStateException("no record");
      }

      @Override
      public int length() {
        throw new IllegalStateException("no record");
      }

      @Override
      public void close() {}
    };
  }
}
