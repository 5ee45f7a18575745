package io.jointly.psi.pipeline;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.psi.PsiListener;
import io.jointly.psi.pipeline.internal.CheckpointStore;
import io.jointly.psi.pipeline.internal.ItemPreparer;
import io.jointly.psi.pipeline.internal.MemoryBudget;
import io.jointly.psi.pipeline.internal.PreparedSet;
import io.jointly.psi.pipeline.internal.RunContext;
import io.jointly.psi.pipeline.internal.StageClock;
import io.jointly.psi.pipeline.internal.WorkDir;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A party's input after preparation: its rows read once, identifiers normalised, validated and
 * de-duplicated, the distinct items in a pseudo-random send order with the rows that carry each —
 * the prepared-item stream every PSI protocol consumes. In memory while the budget allows, in the
 * run's work directory otherwise (and always when the run checkpoints). Preparing first lets a
 * caller report bad input before it opens any connection.
 *
 * <p>Owns the run's work directory: {@link #close()} deletes it unless the run failed after
 * agreeing a run with the peer and can be resumed ({@link #keptForResume()}). A protocol run over
 * it deletes it as soon as it succeeds.
 *
 * <p>Not thread-safe; holds normalised identifiers (in memory, or sealed on disk): {@code toString}
 * shows counts only.
 */
public final class PreparedInput implements AutoCloseable {
  private final RunContext context;
  private final Bytes bindingDigest;
  private final boolean resumed;
  private boolean closed;

  private PreparedInput(RunContext context, Bytes bindingDigest, boolean resumed) {
    this.context = context;
    this.bindingDigest = bindingDigest;
    this.resumed = resumed;
  }

  /**
   * Prepares {@code source} for a protocol run, or, with {@link PipelineOptions#resume()}, restores
   * the prepared input of the interrupted run whose checkpoint is in the work directory (after
   * checking that the checkpoint is of this protocol, role, parameters and input).
   *
   * @param protocol the protocol's name, role and parameter digest, bound into checkpoints
   * @throws InputException naming the first bad row, a malformed source, an unusable work
   *     directory, or a checkpoint that cannot be used
   */
  public static PreparedInput prepare(
      RowSource source,
      IdentifierSettings settings,
      CheckpointStore.Binding protocol,
      PipelineOptions options,
      Executor executor,
      int parallelism,
      PsiListener listener,
      SecureRandom random)
      throws InputException {
    Objects.requireNonNull(source, "source");
    StageClock clock = new StageClock();
    clock.start("prepare");
    MemoryBudget budget = new MemoryBudget(options.memoryBytes());
    Path path =
        options.workDir()
            .orElseGet(
                () -> {
                  byte[] r = new byte[6];
                  random.nextBytes(r);
                  return Path.of(System.getProperty("java.io.tmpdir"))
                      .resolve("jointly-" + protocol.protocol() + "-" + HexFormat.of().formatHex(r));
                });
    ItemPreparer.Progress progress = listener::onInputRead;
    if (options.checkpointKey().isEmpty()) {
      WorkDir dir = WorkDir.fresh(path, false, random);
      try {
        if (options.workDir().isPresent() && CheckpointStore.exists(dir)) {
          throw new InputException(
              InputException.Kind.CHECKPOINT,
              -1,
              path + " holds a checkpoint: give its checkpoint key to resume that run, or delete the directory");
        }
        ItemPreparer.Result r =
            ItemPreparer.prepare(source, settings, dir, budget, true, executor, parallelism, random, progress);
        RunContext ctx =
            new RunContext(dir, budget, executor, parallelism, r.set(), r.inputDigest(), random, clock, null, null, null);
        return new PreparedInput(ctx, protocol.settingsDigest(), false);
      } catch (IOException e) {
        deleteQuietly(dir);
        throw workDirFailure(path, e);
      } catch (InputException | RuntimeException | Error e) {
        deleteQuietly(dir);
        throw e;
      }
    }
    CheckpointKey key = options.checkpointKey().get();
    WorkDir dir = WorkDir.fresh(path, true, random);
    try {
      dir.lock();
      boolean has = CheckpointStore.exists(dir);
      if (options.resume()) {
        if (!has) {
          dir.close();
          throw new InputException(
              InputException.Kind.CHECKPOINT, -1, "there is no checkpoint to resume in " + path);
        }
        CheckpointStore.Opened o = CheckpointStore.open(dir, key, random);
        CheckpointStore.Contents c = o.contents();
        check(c, protocol, path);
        Bytes digest = source.contentDigest().orElseGet(() -> null);
        if (digest == null) {
          digest = ItemPreparer.digest(source, settings.keyColumns());
        }
        if (!digest.equals(c.inputDigest)) {
          throw new InputException(
              InputException.Kind.CHECKPOINT,
              -1,
              "the checkpoint in " + path + " was made from another input: " + source.description()
                  + " has changed since (its digest differs)");
        }
        c.epoch++;
        WorkDir rd = dir.adopt(c.workKey, c.epoch);
        dir = rd;
        CheckpointStore store = o.store().in(rd);
        // The new epoch is on disk before any block is sealed in it.
        store.write(c);
        PreparedSet set =
            PreparedSet.restore(rd, budget, c.rows, c.distinct, c.invalid, c.duplicates, c.itemsBytes, c.rowsBytes);
        listener.onInputRead(c.rows, source.sizeBytes(), source.sizeBytes());
        byte[] state = c.protocolState.length == 0 ? null : c.protocolState.clone();
        RunContext ctx =
            new RunContext(rd, budget, executor, parallelism, set, c.inputDigest, random, clock, store, c, state);
        return new PreparedInput(ctx, protocol.settingsDigest(), state != null);
      }
      if (has) {
        CheckpointStore.Opened o = CheckpointStore.open(dir, key, random);
        boolean started = o.contents().protocolState.length > 0;
        o.contents().destroy();
        if (started) {
          dir.close();
          throw new InputException(
              InputException.Kind.CHECKPOINT,
              -1,
              path + " holds the checkpoint of an interrupted run: resume it (--resume), or delete the directory to start over");
        }
        dir.deleteAll();
        dir.lock();
      }
      ItemPreparer.Result r =
          ItemPreparer.prepare(source, settings, dir, budget, false, executor, parallelism, random, progress);
      CheckpointStore store = CheckpointStore.fresh(dir, key, random);
      CheckpointStore.Contents c = new CheckpointStore.Contents();
      c.binding = protocol;
      c.inputDigest = r.inputDigest();
      c.workKey = dir.exportKey();
      c.epoch = 0;
      c.rows = r.set().rowCount();
      c.distinct = r.set().size();
      c.invalid = r.set().invalidSkipped();
      c.duplicates = r.set().duplicateRows();
      c.itemsBytes = r.set().itemsBytes();
      c.rowsBytes = r.set().rowsBytes();
      store.write(c);
      RunContext ctx =
          new RunContext(dir, budget, executor, parallelism, r.set(), r.inputDigest(), random, clock, store, c, null);
      return new PreparedInput(ctx, protocol.settingsDigest(), false);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw workDirFailure(path, e);
    } catch (InputException e) {
      if (e.kind() != InputException.Kind.CHECKPOINT) {
        deleteQuietly(dir);
      } else {
        dir.close();
      }
      throw e;
    } catch (RuntimeException | Error e) {
      dir.close();
      throw e;
    }
  }

  private static void check(CheckpointStore.Contents c, CheckpointStore.Binding b, Path path) throws InputException {
    if (!c.binding.protocol().equals(b.protocol())) {
      throw new InputException(
          InputException.Kind.CHECKPOINT,
          -1,
          "the checkpoint in " + path + " is of protocol " + c.binding.protocol() + ", not " + b.protocol());
    }
    if (c.binding.role() != b.role()) {
      throw new InputException(
          InputException.Kind.CHECKPOINT, -1, "the checkpoint in " + path + " is of the other party's role");
    }
    if (!c.binding.settingsDigest().equals(b.settingsDigest())) {
      throw new InputException(
          InputException.Kind.CHECKPOINT,
          -1,
          "the checkpoint in " + path + " was made with other parameters (suite, normalisation, key columns,"
              + " reveal mode, policies or batch size): run with the same options as the interrupted run");
    }
  }

  private static InputException workDirFailure(Path path, IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InputException(InputException.Kind.WORK_DIR, -1, "work directory " + path + ": " + why, e);
  }

  private static void deleteQuietly(WorkDir dir) {
    try {
      dir.deleteAll();
    } catch (IOException e) {
      // best effort: the failure being reported matters more
    } finally {
      dir.close();
    }
  }

  /** Input rows. */
  public long rowCount() {
    return context.set.rowCount();
  }

  /** Distinct identifiers that will take part. */
  public long distinctItems() {
    return context.set.size();
  }

  /** Rows left out because their identifier failed the profile (with the {@code SKIP} policy). */
  public long invalidRowsSkipped() {
    return context.set.invalidSkipped();
  }

  /** Rows whose identifier repeated an earlier row's (with the {@code DEDUPLICATE} policy). */
  public long duplicateRows() {
    return context.set.duplicateRows();
  }

  /** Whether this continues an interrupted run (its protocol state was restored). */
  public boolean resumed() {
    return resumed;
  }

  /** The digest of the input the items came from. */
  public Bytes inputDigest() {
    return context.inputDigest;
  }

  /** The run's work directory. */
  public Path workDir() {
    return context.dir.path();
  }

  /** After a failed run: whether the work directory was kept so that the run can be resumed. */
  public boolean keptForResume() {
    return context.keptForResume();
  }

  /** The digest of the protocol parameters this input was prepared for. */
  public Bytes bindingDigest() {
    return bindingDigest;
  }

  /** For protocol implementations: the run's context. */
  public RunContext context() {
    if (closed) {
      throw new IllegalStateException("prepared input is closed");
    }
    return context;
  }

  /** Deletes the work directory, unless it was kept for a resume; releases its lock. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!context.keptForResume() && !context.isDone()) {
        context.dir.deleteAll();
      }
    } catch (IOException e) {
      // nothing useful to do: the directory is the caller's to remove
    } finally {
      context.dir.close();
    }
  }

  @Override
  public String toString() {
    return "PreparedInput[" + rowCount() + " rows, " + distinctItems() + " distinct]";
  }

}
