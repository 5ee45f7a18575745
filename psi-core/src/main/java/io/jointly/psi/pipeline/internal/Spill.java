package io.jointly.psi.pipeline.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only byte store that is written once and read back (possibly several times): in memory
 * while the budget's spill share allows, otherwise (or always, when the run checkpoints) a sealed
 * file in the work directory. Callers see one stream either way.
 *
 * <p>Not thread-safe: one writer, then readers one at a time.
 */
public final class Spill extends OutputStream {
  private static final int CHUNK = 256 << 10;

  private final WorkDir dir;
  private final String name;
  private final MemoryBudget budget;
  private List<byte[]> chunks;
  private byte[] current;
  private int fill;
  private long reserved;
  private SealedFile.Writer file;
  private long length;
  private boolean finished;

  private Spill(WorkDir dir, String name, MemoryBudget budget, boolean memoryFirst, SealedFile.Writer file, long length) {
    this.dir = dir;
    this.name = name;
    this.budget = budget;
    this.chunks = memoryFirst ? new ArrayList<>() : null;
    this.file = file;
    this.length = length;
  }

  /**
   * A new, empty spill.
   *
   * @param memoryFirst keep data in memory while the budget allows (false: straight to disk, as a
   *     checkpointing run needs)
   */
  public static Spill create(WorkDir dir, String name, MemoryBudget budget, boolean memoryFirst) throws IOException {
    if (memoryFirst) {
      return new Spill(dir, name, budget, true, null, 0);
    }
    return new Spill(dir, name, budget, false, dir.create(name), 0);
  }

  /** A spill on disk reopened to append after a checkpointed position. */
  public static Spill resume(WorkDir dir, String name, MemoryBudget budget, SealedFile.Position at) throws IOException {
    return new Spill(dir, name, budget, false, dir.append(name, at), at.plainBytes());
  }

  /** A finished spill on disk of {@code length} bytes, to read (after a resume). */
  public static Spill existing(WorkDir dir, String name, MemoryBudget budget, long length) {
    Spill s = new Spill(dir, name, budget, false, null, length);
    s.finished = true;
    return s;
  }

  public String name() {
    return name;
  }

  /** Bytes written. */
  public long length() {
    return length;
  }

  /** Whether the data is (now) in a file. */
  public boolean onDisk() {
    return chunks == null;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IllegalStateException("spill " + name + " is finished");
    }
    length += len;
    if (chunks == null) {
      file.write(b, off, len);
      return;
    }
    while (len > 0) {
      if (current == null || fill == current.length) {
        if (!budget.tryReserveSpill(CHUNK)) {
          moveToDisk();
          file.write(b, off, len);
          return;
        }
        reserved += CHUNK;
        if (current != null) {
          chunks.add(current);
        }
        current = new byte[CHUNK];
        fill = 0;
      }
      int n = Math.min(len, current.length - fill);
      System.arraycopy(b, off, current, fill, n);
      fill += n;
      off += n;
      len -= n;
    }
  }

  private void moveToDisk() throws IOException {
    SealedFile.Writer w = dir.create(name);
    for (byte[] c : chunks) {
      w.write(c, 0, c.length);
    }
    if (current != null) {
      w.write(current, 0, fill);
    }
    chunks = null;
    current = null;
    budget.releaseSpill(reserved);
    reserved = 0;
    file = w;
  }

  /** Forces what was written to the device (a checkpoint); the position to resume from. */
  public SealedFile.Position sync() throws IOException {
    if (chunks != null) {
      throw new IllegalStateException("an in-memory spill cannot be synced");
    }
    return file.sync();
  }

  /** No more writes; the data can be read. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    if (file != null) {
      file.close();
      file = null;
    }
    if (chunks != null && current != null) {
      chunks.add(java.util.Arrays.copyOf(current, fill));
      current = null;
    }
  }

  /** Reads the whole content from the start. */
  public InputStream open() throws IOException {
    if (!finished) {
      throw new IllegalStateException("spill " + name + " is not finished");
    }
    if (chunks == null) {
      return dir.open(name, length);
    }
    return new ChunkInput(chunks);
  }

  /** Frees the memory or deletes the file. */
  public void delete() throws IOException {
    if (file != null) {
      file.close();
      file = null;
    }
    if (chunks != null) {
      chunks = null;
      current = null;
      budget.releaseSpill(reserved);
      reserved = 0;
    }
    dir.delete(name);
    finished = true;
  }

  @Override
  public void close() throws IOException {
    finish();
  }

  private static final class ChunkInput extends InputStream {
    private final List<byte[]> chunks;
    private int index;
    private int pos;

    ChunkInput(List<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() {
      while (index < chunks.size() && pos == chunks.get(index).length) {
        index++;
        pos = 0;
      }
      if (index >= chunks.size()) {
        return -1;
      }
      return chunks.get(index)[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      while (index < chunks.size() && pos == chunks.get(index).length) {
        index++;
        pos = 0;
      }
      if (index >= chunks.size()) {
        return -1;
      }
      byte[] c = chunks.get(index);
      int n = Math.min(len, c.length - pos);
      System.arraycopy(c, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
