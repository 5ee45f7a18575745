package io.jointly.psi.pipeline.internal;

import io.jointly.core.Bytes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.SecureRandom;
import java.util.concurrent.Executor;

/**
 * What a protocol needs from the pipeline to run over a prepared input: the work directory, the
 * memory budget, the executor, the prepared set, the checkpoint store and what a resumed run
 * restored, and the stage clock. Created by {@link io.jointly.psi.pipeline.PreparedInput}; used by
 * one run on its calling thread.
 */
public final class RunContext {
  public final WorkDir dir;
  public final MemoryBudget budget;
  public final Executor executor;
  public final int parallelism;
  public final PreparedSet set;
  public final Bytes inputDigest;
  public final SecureRandom random;
  public final StageClock clock;
  private final CheckpointStore store;
  private final CheckpointStore.Contents contents;
  private final byte[] restoredState;
  private boolean keep;
  private boolean done;
  private long peakLiveHeap;

  public RunContext(
      WorkDir dir,
      MemoryBudget budget,
      Executor executor,
      int parallelism,
      PreparedSet set,
      Bytes inputDigest,
      SecureRandom random,
      StageClock clock,
      CheckpointStore store,
      CheckpointStore.Contents contents,
      byte[] restoredState) {
    this.dir = dir;
    this.budget = budget;
    this.executor = executor;
    this.parallelism = parallelism;
    this.set = set;
    this.inputDigest = inputDigest;
    this.random = random;
    this.clock = clock;
    this.store = store;
    this.contents = contents;
    this.restoredState = restoredState;
  }

  /** Whether the run checkpoints (everything on disk, forced at checkpoints). */
  public boolean checkpoints() {
    return store != null;
  }

  /** Whether spills may stay in memory (not in a checkpointing run). */
  public boolean memoryFirst() {
    return store == null;
  }

  /** The protocol state a resumed run restored, or null for a new run. */
  public byte[] restoredState() {
    return restoredState;
  }

  /** How many times this run has been resumed. */
  public int resumes() {
    return contents == null ? 0 : contents.epoch;
  }

  /** Writes a checkpoint with the protocol's state (its work files must be synced first). */
  public void checkpoint(byte[] protocolState) throws IOException {
    if (store == null) {
      throw new IllegalStateException("this run does not checkpoint");
    }
    contents.protocolState = protocolState;
    store.write(contents);
  }

  /**
   * The run failed in a way a resume can continue (it had agreed a run with the peer and
   * checkpointed): the work directory stays.
   */
  public void keepForResume() {
    keep = store != null;
  }

  public boolean keptForResume() {
    return keep;
  }

  /** The run succeeded: its work directory goes. */
  public void succeeded() throws IOException {
    done = true;
    keep = false;
    dir.deleteAll();
  }

  public boolean isDone() {
    return done;
  }

  /** Samples the heap in use after the last collection, for the peak live heap. */
  public void sampleHeap() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    peakLiveHeap = Math.max(peakLiveHeap, live);
  }

  /** The most heap the JVM had in use after a collection, over the samples. */
  public long peakLiveHeap() {
    return peakLiveHeap;
  }

  /** The most heap the JVM has had in use (garbage included) since it started. */
  public static long peakHeapUsed() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
