package io.jointly.cli;

import io.jointly.core.Bytes;
import io.jointly.psi.pipeline.SharedRowSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the shared rows of {@code jointly psi} while the run hands them over in increasing order:
 * a second pass over the input file copies each shared record (all its columns, re-quoted with the
 * file's delimiter) to a temporary file beside the target, so no row is held in memory. {@link
 * #commit} checks that the input still has the digest it had when the run read it, then renames the
 * file into place; until then, and whenever the run fails, there is no output file.
 *
 * <p>A process killed mid-run cannot remove its temporary file; it is named {@code .NAME.*.jointly-tmp}
 * and the next run writing NAME removes it.
 */
final class SharedRowsWriter implements SharedRowSink, AutoCloseable {
  private static final String SUFFIX = ".jointly-tmp";

  private final Path target;
  private final CsvReader reader;
  private final Path tmp;
  private final Writer out;
  private boolean committed;

  private SharedRowsWriter(Path target, CsvReader reader, Path tmp, Writer out) {
    this.target = target;
    this.reader = reader;
    this.tmp = tmp;
    this.out = out;
  }

  /** Starts the output: removes stale temporary files of earlier runs, writes the header. */
  static SharedRowsWriter start(Path input, char delimiter, Path target) throws CliException, IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String prefix = "." + target.getFileName() + ".";
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, prefix + "*" + SUFFIX)) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
    CsvReader reader = CsvReader.open(input, delimiter);
    Path tmp = Files.createTempFile(dir, prefix, SUFFIX);
    Writer out =
        new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
    SharedRowsWriter w = new SharedRowsWriter(target, reader, tmp, out);
    try {
      w.write(reader.header().toArray(String[]::new));
    } catch (IOException e) {
      w.close();
      throw e;
    }
    return w;
  }

  private void write(String[] fields) throws IOException {
    char d = reader.delimiter();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.write(d);
      }
      out.write(CsvTable.quote(fields[i], d));
    }
    out.write('\n');
  }

  @Override
  public void accept(long row) throws IOException {
    try {
      while (reader.row() < row) {
        if (!reader.next()) {
          throw new IOException("the input has fewer rows than the run read: it changed during the run");
        }
      }
    } catch (CliException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (reader.row() != row) {
      throw new IOException("shared rows arrived out of order");
    }
    write(reader.fields());
  }

  /**
   * Publishes the output if the input is unchanged since the run read it (same SHA-256).
   *
   * @throws CliException (exit 3) if the input changed: no output is left
   */
  void commit(Bytes expectedDigest) throws CliException, IOException {
    try {
      while (reader.next()) {
        // read to the end, for the digest
      }
    } catch (CliException e) {
      throw CliException.input(reader.file() + " changed during the run (" + e.getMessage() + "); no output written");
    }
    if (!reader.digest().equals(expectedDigest)) {
      throw CliException.input(reader.file() + " changed during the run; no output written");
    }
    out.close();
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  /** Closes the second pass; removes the temporary file unless it was published. */
  @Override
  public void close() {
    reader.close();
    try {
      out.close();
    } catch (IOException e) {
      // the file is deleted below anyway
    }
    if (!committed) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // the next run writing this target removes it
      }
    }
  }
}
