package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.RESOURCES;

import io.jointly.cli.HelpLayout.In;
import io.jointly.core.InputException;
import io.jointly.psi.PsiRole;
import io.jointly.psi.pipeline.CheckpointKey;
import io.jointly.psi.pipeline.PipelineOptions;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * How {@code jointly psi} uses this machine: memory budget, work directory, threads, checkpoints
 * and resume. Local only: the peer never sees any of it.
 */
final class ScaleOptions {
  @In(RESOURCES)
  @Option(
      names = "--memory",
      converter = SizeConverter.class,
      paramLabel = "SIZE",
      description =
          "Memory for the run's data, whatever the file sizes: beyond it, data goes to the work"
              + " directory (default 256m, or half the JVM's heap if that is less; k, m, g suffixes)."
              + " The JVM needs room beyond it: raise its heap with JOINTLY_JAVA_OPTS=-Xmx...")
  Long memoryBytes;

  @In(RESOURCES)
  @Option(
      names = "--work-dir",
      defaultValue = ".jointly-work",
      paramLabel = "DIR",
      description =
          "Where the run keeps what does not fit in --memory and its checkpoints, in a subdirectory"
              + " per role and session that is deleted when the run succeeds (default ${DEFAULT-VALUE}).")
  Path workDir;

  @In(RESOURCES)
  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "Threads for hashing, blinding and sorting (default: every core).")
  int threads;

  @In(RESOURCES)
  @Option(
      names = "--psi-batch",
      defaultValue = "4096",
      paramLabel = "N",
      description =
          "Items per message, 1-65536 (default ${DEFAULT-VALUE}); checkpoints fall on batch boundaries,"
              + " so smaller batches lose less work to a crash.")
  int batchSize;

  @In(RESOURCES)
  @Option(
      names = "--resume",
      description =
          "Continue the interrupted run whose checkpoint is in the work directory (run the same command"
              + " at both parties, each with --resume).")
  boolean resume;

  @In(RESOURCES)
  @Option(
      names = "--checkpoint-key",
      paramLabel = "FILE",
      description =
          "Seal checkpoints under the secret in this file (a key or passphrase file). Default with"
              + " --tls: derived from this party's TLS private key; with --insecure: no checkpoints.")
  Path checkpointKey;

  @In(RESOURCES)
  @Option(names = "--no-checkpoint", description = "Do not checkpoint (a failed run cannot be resumed).")
  boolean noCheckpoint;

  /** The threads to use. */
  int threads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The run's own directory: one per role and session under --work-dir. */
  Path runDirectory(PsiRole role, String session) {
    StringBuilder safe = new StringBuilder();
    for (char c : session.toCharArray()) {
      safe.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    return workDir.resolve("psi-" + role.displayName() + "-" + safe);
  }

  /**
   * The pipeline options, after checking them against each other and the JVM.
   *
   * @param tlsKey this party's TLS private key file, or null with --insecure
   */
  PipelineOptions pipeline(PsiRole role, String session, Path tlsKey) throws CliException {
    if (threads < 0) {
      throw new CliException(CliException.USAGE, "--threads must be 1 or more");
    }
    long max = Runtime.getRuntime().maxMemory();
    long memory =
        memoryBytes != null
            ? memoryBytes
            : Math.min((long) PipelineOptions.DEFAULT_MEMORY_MIB << 20, max == Long.MAX_VALUE ? Long.MAX_VALUE : max / 2);
    if (max != Long.MAX_VALUE && memory > max * 4 / 5) {
      throw new CliException(
          CliException.USAGE,
          String.format(
              Locale.ROOT,
              "--memory %d MiB is more than this JVM may use for data (it may use %d MiB of heap in all):"
                  + " lower --memory, or give the JVM more with JOINTLY_JAVA_OPTS=-Xmx...",
              memory >> 20,
              max >> 20));
    }
    if (noCheckpoint && (resume || checkpointKey != null)) {
      throw new CliException(CliException.USAGE, "--no-checkpoint cannot be combined with --resume or --checkpoint-key");
    }
    CheckpointKey key = null;
    if (!noCheckpoint) {
      // A missing TLS key is reported when the connection is made, as without checkpoints.
      Path keyFile =
          checkpointKey != null ? checkpointKey : (tlsKey != null && java.nio.file.Files.isReadable(tlsKey) ? tlsKey : null);
      if (keyFile == null && resume) {
        throw new CliException(
            CliException.USAGE, "--resume needs the key the checkpoint was sealed with: --checkpoint-key FILE or --tls");
      }
      if (keyFile != null) {
        try {
          key = CheckpointKey.fromFile(keyFile);
        } catch (InputException e) {
          throw CliException.input("--checkpoint-key: " + e.detail());
        }
      }
    }
    try {
      return PipelineOptions.DEFAULTS
          .withMemoryBytes(memory)
          .withWorkDir(runDirectory(role, session))
          .withCheckpointKey(key)
          .withResume(resume);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "--memory: " + e.getMessage());
    }
  }

  /** Parses {@code 512m}, {@code 2g}, {@code 65536k} or a number of bytes. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parseSize(value);
    }
  }

  static long parseSize(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("ib") || v.endsWith("b")) {
      v = v.substring(0, v.length() - (v.endsWith("ib") ? 2 : 1));
    }
    long unit = 1;
    if (!v.isEmpty()) {
      switch (v.charAt(v.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    if (unit > 1) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n <= 0) {
        throw new IllegalArgumentException();
      }
      return Math.multiplyExact(n, unit);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a size such as 256m or 2g: " + value);
    }
  }
}
