package io.jointly.cli;

/**
 * A failure the CLI reports with a specific exit code and a message that names files, lines and
 * columns but never a data value.
 */
final class CliException extends Exception {
  /** Exit code: usage error. */
  static final int USAGE = 2;

  /** Exit code: bad input (missing column, malformed row, empty file, invalid identifier). */
  static final int INPUT = 3;

  /** Exit code: peer, protocol, channel or TLS failure. */
  static final int PEER = 4;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException input(String message) {
    return new CliException(INPUT, message);
  }
}
