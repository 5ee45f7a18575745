package io.jointly.psi.pipeline;

import io.jointly.psi.pipeline.internal.MemoryBudget;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run uses this party's machine: its memory budget, the directory it owns for what does not
 * fit (and for checkpoints), and whether it checkpoints and resumes. Local only: the peer never sees
 * any of it.
 *
 * <ul>
 *   <li>{@code memoryBytes}: what the run's data may take in memory, whatever the set sizes
 *       (default {@value #DEFAULT_MEMORY_MIB} MiB, at least 1 MiB). The JVM needs room beyond it
 *       for itself and the transport: with {@code -Xmx512m} the default leaves half free.
 *   <li>{@code workDir}: the run's own directory, created when first needed and deleted when the
 *       run succeeds; absent: a new directory under the system's temporary directory (a run that
 *       may need to resume after a power loss should name a directory on persistent storage).
 *   <li>{@code checkpointKey}: if present, the run keeps everything it needs to resume in {@code
 *       workDir}, sealed under this key, and checkpoints at batch boundaries.
 *   <li>{@code resume}: continue the interrupted run whose checkpoint is in {@code workDir} (it must
 *       be there, for this input, role and parameters, sealed under this key).
 * </ul>
 */
public record PipelineOptions(
    long memoryBytes, Optional<Path> workDir, Optional<CheckpointKey> checkpointKey, boolean resume) {
  /** Default memory budget in MiB. */
  public static final int DEFAULT_MEMORY_MIB = 256;

  /** In memory unless the sets are large; a temporary work directory; no checkpoints. */
  public static final PipelineOptions DEFAULTS =
      new PipelineOptions((long) DEFAULT_MEMORY_MIB << 20, Optional.empty(), Optional.empty(), false);

  public PipelineOptions {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(checkpointKey, "checkpointKey");
    if (memoryBytes < MemoryBudget.MIN_BYTES) {
      throw new IllegalArgumentException("the memory budget must be at least " + (MemoryBudget.MIN_BYTES >> 20) + " MiB");
    }
    if (resume && (checkpointKey.isEmpty() || workDir.isEmpty())) {
      throw new IllegalArgumentException("resuming needs the work directory and the checkpoint key");
    }
    if (checkpointKey.isPresent() && workDir.isEmpty()) {
      throw new IllegalArgumentException("checkpoints need a work directory the caller names");
    }
  }

  public PipelineOptions withMemoryBytes(long bytes) {
    return new PipelineOptions(bytes, workDir, checkpointKey, resume);
  }

  public PipelineOptions withWorkDir(Path dir) {
    return new PipelineOptions(memoryBytes, Optional.of(dir), checkpointKey, resume);
  }

  /** Checkpoints under {@code key} (null: no checkpoints). */
  public PipelineOptions withCheckpointKey(CheckpointKey key) {
    return new PipelineOptions(memoryBytes, workDir, Optional.ofNullable(key), resume);
  }

  public PipelineOptions withResume(boolean resume) {
    return new PipelineOptions(memoryBytes, workDir, checkpointKey, resume);
  }

  /** Whether the run checkpoints. */
  public boolean checkpoints() {
    return checkpointKey.isPresent();
  }
}
