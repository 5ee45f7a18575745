package io.jointly.psi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a PSI run used this party's machine, for reports: threads, the memory budget and what the
 * heap and the work directory actually took, and wall time per stage.
 *
 * @param threads the parallelism the run used
 * @param memoryBudgetBytes the budget for the run's data
 * @param peakHeapBytes the most heap in use (garbage included) in this JVM since it started
 * @param peakLiveHeapBytes the most heap in use after a garbage collection, sampled during the run
 * @param peakWorkDirBytes the most bytes the run's work directory held
 * @param stages wall time per stage ({@code prepare}, {@code connect}, {@code exchange}, {@code
 *     match}...), in the order they ran; a resumed run counts its own stages only
 * @param resumes how many times the run was resumed
 */
public record RunStats(
    int threads,
    long memoryBudgetBytes,
    long peakHeapBytes,
    long peakLiveHeapBytes,
    long peakWorkDirBytes,
    Map<String, Duration> stages,
    int resumes) {
  public RunStats {
    stages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(stages)));
  }
}
