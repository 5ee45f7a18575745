package io.jointly.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file through a temporary file in the same directory and renames it into place
 * only when complete, so a failed run never leaves a partial output.
 */
final class AtomicOutput {
  private AtomicOutput() {}

  /** The body of a file: writes everything to {@code w}. */
  @FunctionalInterface
  interface Body {
    void writeTo(Writer w) throws IOException;
  }

  /**
   * Checks, creating nothing, that {@link #write} could put a file at {@code target}: it is not a
   * directory, and its nearest existing ancestor is a writable directory (missing directories below
   * it are created when writing).
   *
   * @param option the command-line option that named the file, for the message
   */
  static void checkWritable(Path target, String option) throws CliException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      throw CliException.input(option + ": " + target + " is a directory");
    }
    Path dir = abs.getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw CliException.input(
          option + ": " + target + " cannot be written (" + (dir == null ? "no such directory" : dir
              + " is not a writable directory") + ")");
    }
  }

  static void write(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.writeTo(w);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
