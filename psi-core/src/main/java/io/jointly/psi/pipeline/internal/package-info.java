/**
 * The pipeline's machinery, for protocol implementations: {@link
 * io.jointly.psi.pipeline.internal.ItemPreparer} (rows to a {@link
 * io.jointly.psi.pipeline.internal.PreparedSet}), {@link
 * io.jointly.psi.pipeline.internal.ExternalSorter}, {@link io.jointly.psi.pipeline.internal.HashJoin},
 * {@link io.jointly.psi.pipeline.internal.Spill} (memory first, sealed file beyond the budget),
 * {@link io.jointly.psi.pipeline.internal.WorkDir} and {@link
 * io.jointly.psi.pipeline.internal.SealedFile} (the run's sealed work files), {@link
 * io.jointly.psi.pipeline.internal.CheckpointStore}, {@link
 * io.jointly.psi.pipeline.internal.MemoryBudget} and {@link
 * io.jointly.psi.pipeline.internal.RunContext}. The security model is the one of {@link
 * io.jointly.psi.pipeline}. Not thread-safe unless a class says so: each object belongs to one run.
 */
package io.jointly.psi.pipeline.internal;
