package io.jointly.cli;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.psi.pipeline.RowReader;
import io.jointly.psi.pipeline.RowSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The key columns of a CSV file as a PSI {@link RowSource}: one pass, one record in memory at a
 * time. The reader's errors (file, line, column) become {@code MALFORMED_INPUT} input errors whose
 * detail is the reader's message; the content digest is the SHA-256 of the file's bytes.
 */
final class CsvRowSource implements RowSource {
  private final Path file;
  private final char delimiter;
  private final List<String> keyColumns;

  CsvRowSource(Path file, char delimiter, List<String> keyColumns) {
    this.file = file;
    this.delimiter = delimiter;
    this.keyColumns = List.copyOf(keyColumns);
  }

  private static InputException malformed(CliException e) {
    return new InputException(InputException.Kind.MALFORMED_INPUT, -1, e.getMessage());
  }

  @Override
  public RowReader open() throws InputException {
    CsvReader r;
    int[] columns = new int[keyColumns.size()];
    try {
      r = CsvReader.open(file, delimiter);
    } catch (CliException e) {
      throw malformed(e);
    }
    try {
      for (int i = 0; i < columns.length; i++) {
        columns[i] = r.column(keyColumns.get(i));
      }
    } catch (CliException e) {
      r.close();
      throw malformed(e);
    }
    return new RowReader() {
      private Bytes digest;

      @Override
      public boolean next(String[] keys) throws InputException {
        try {
          if (!r.next()) {
            digest = r.digest();
            return false;
          }
        } catch (CliException e) {
          throw malformed(e);
        }
        for (int i = 0; i < columns.length; i++) {
          keys[i] = r.field(columns[i]);
        }
        return true;
      }

      @Override
      public long bytesRead() {
        return r.bytesRead();
      }

      @Override
      public Optional<Bytes> contentDigest() {
        return Optional.ofNullable(digest);
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  @Override
  public String description() {
    return file.toString();
  }

  @Override
  public long sizeBytes() {
    return file.toFile().length();
  }

  @Override
  public Optional<Bytes> contentDigest() throws InputException {
    try {
      return Optional.of(CsvReader.digestOf(file));
    } catch (CliException e) {
      throw malformed(e);
    }
  }
}
