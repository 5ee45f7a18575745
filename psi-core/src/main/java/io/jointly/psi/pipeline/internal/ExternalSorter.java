package io.jointly.psi.pipeline.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sorts records by their first {@code keyLength} bytes (unsigned, lexicographic) within a memory
 * limit: records collect in one buffer; a full buffer is sorted (in slices, on the executor) and
 * written to the work directory as a sorted run; {@link #sorted()} merges the runs (in several
 * passes beyond {@value #FAN_IN} runs). Data that fits the limit never touches the disk.
 *
 * <p>Records are of a fixed {@code width}, or of variable length up to {@value #MAX_RECORD} bytes
 * ({@code width} 0; stored with a 2-byte length). Records with equal keys come out in no particular
 * order.
 *
 * <p>Not thread-safe: one thread adds, then reads.
 */
public final class ExternalSorter implements AutoCloseable {
  /** Most runs merged at once. */
  static final int FAN_IN = 64;

  /** Longest variable-length record. */
  public static final int MAX_RECORD = 0xFFFF;

  private final String label;
  private final WorkDir dir;
  private final MemoryBudget budget;
  private final int width;
  private final int keyLength;
  private final long limit;
  private final Executor executor;
  private final int parallelism;
  private final List<Spill> runs = new ArrayList<>();
  private byte[] slab;
  private int slabFill;
  private long[] prefix;
  private int[] offsets;
  private int count;
  private long total;
  private int runNumber;
  private boolean reading;

  /**
   * @param label names the run files ({@code label-run-N})
   * @param width record width, or 0 for variable-length records
   * @param keyLength bytes of each record that order it (at most the width)
   * @param memoryBytes memory this sorter may use (buffer and index)
   */
  public ExternalSorter(
      String label,
      WorkDir dir,
      MemoryBudget budget,
      int width,
      int keyLength,
      long memoryBytes,
      Executor executor,
      int parallelism) {
    if (width < 0 || keyLength < 1 || (width > 0 && keyLength > width)) {
      throw new IllegalArgumentException("bad record layout");
    }
    this.label = label;
    this.dir = dir;
    this.budget = budget;
    this.width = width;
    this.keyLength = keyLength;
    this.limit = Math.max(1 << 16, memoryBytes);
    this.executor = executor;
    this.parallelism = Math.max(1, parallelism);
  }

  private void allocate() {
    // index: 8-byte key prefix and 4-byte offset per record
    int perRecord = (width > 0 ? width : 48) + 12;
    long records = Math.max(64, limit / perRecord);
    records = Math.min(records, Integer.MAX_VALUE / 16);
    long slabBytes = Math.min(limit - records * 12, Integer.MAX_VALUE - 16);
    if (width > 0) {
      slabBytes = Math.min(slabBytes, records * width);
    }
    slab = new byte[(int) Math.max(slabBytes, width > 0 ? width : MAX_RECORD + 2)];
    prefix = new long[(int) records];
    offsets = new int[(int) records];
  }

  /** Records added so far. */
  public long count() {
    return total;
  }

  /** Adds a copy of {@code len} bytes of {@code b} from {@code off} as one record. */
  public void add(byte[] b, int off, int len) throws IOException {
    if (reading) {
      throw new IllegalStateException("sorter is being read");
    }
    if (width > 0 ? len != width : (len < keyLength || len > MAX_RECORD)) {
      throw new IllegalArgumentException("record of " + len + " bytes does not fit the layout");
    }
    if (slab == null) {
      allocate();
    }
    int need = width > 0 ? width : len + 2;
    if (count == offsets.length || slabFill + need > slab.length) {
      spill();
    }
    int at = slabFill;
    if (width == 0) {
      slab[at] = (byte) (len >>> 8);
      slab[at + 1] = (byte) len;
      at += 2;
    }
    System.arraycopy(b, off, slab, at, len);
    offsets[count] = slabFill;
    prefix[count] = prefixOf(slab, at, keyLength);
    count++;
    slabFill += need;
    total++;
  }

  static long prefixOf(byte[] b, int off, int keyLength) {
    long p = 0;
    int n = Math.min(8, keyLength);
    for (int i = 0; i < n; i++) {
      p = (p << 8) | (b[off + i] & 0xFF);
    }
    return p << (8 * (8 - n));
  }

  private int recordStart(int offset) {
    return width > 0 ? offset : offset + 2;
  }

  private int recordLength(int offset) {
    return width > 0 ? width : ((slab[offset] & 0xFF) << 8) | (slab[offset + 1] & 0xFF);
  }

  // ------------------------------------------------------------------ in-memory sort

  private int compare(int i, int j) {
    int c = Long.compareUnsigned(prefix[i], prefix[j]);
    if (c != 0 || keyLength <= 8) {
      return c;
    }
    int a = recordStart(offsets[i]) + 8;
    int b = recordStart(offsets[j]) + 8;
    return Arrays.compareUnsigned(slab, a, a + keyLength - 8, slab, b, b + keyLength - 8);
  }

  private void swap(int i, int j) {
    long p = prefix[i];
    prefix[i] = prefix[j];
    prefix[j] = p;
    int o = offsets[i];
    offsets[i] = offsets[j];
    offsets[j] = o;
  }

  /** Sorts [lo, hi): quicksort with median-of-three, insertion sort below 24, heapsort if deep. */
  private void sort(int lo, int hi, int depth) {
    while (hi - lo > 24) {
      if (depth-- == 0) {
        heapSort(lo, hi);
        return;
      }
      int mid = (lo + hi) >>> 1;
      if (compare(mid, lo) < 0) {
        swap(mid, lo);
      }
      if (compare(hi - 1, lo) < 0) {
        swap(hi - 1, lo);
      }
      if (compare(hi - 1, mid) < 0) {
        swap(hi - 1, mid);
      }
      // pivot = median, parked at hi - 2
      swap(mid, hi - 2);
      int pivot = hi - 2;
      int i = lo;
      int j = hi - 2;
      while (true) {
        while (compare(++i, pivot) < 0) {}
        while (j > lo && compare(--j, pivot) > 0) {}
        if (i >= j) {
          break;
        }
        swap(i, j);
      }
      swap(i, hi - 2);
      if (i - lo < hi - i - 1) {
        sort(lo, i, depth);
        lo = i + 1;
      } else {
        sort(i + 1, hi, depth);
        hi = i;
      }
    }
    for (int i = lo + 1; i < hi; i++) {
      for (int j = i; j > lo && compare(j, j - 1) < 0; j--) {
        swap(j, j - 1);
      }
    }
  }

  private void heapSort(int lo, int hi) {
    int n = hi - lo;
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(lo, i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      swap(lo, lo + end);
      siftDown(lo, 0, end);
    }
  }

  private void siftDown(int lo, int i, int n) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= n) {
        return;
      }
      int m = l + 1 < n && compare(lo + l + 1, lo + l) > 0 ? l + 1 : l;
      if (compare(lo + m, lo + i) <= 0) {
        return;
      }
      swap(lo + i, lo + m);
      i = m;
    }
  }

  /** Sorts the buffer in slices on the executor; returns the slice bounds. */
  private int[] sortSlices() {
    int slices = count < 4096 ? 1 : Math.min(parallelism, count / 2048);
    int[] bounds = new int[slices + 1];
    for (int s = 0; s <= slices; s++) {
      bounds[s] = (int) ((long) count * s / slices);
    }
    int depth = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, count)));
    if (slices == 1) {
      sort(0, count, depth);
      return bounds;
    }
    CompletableFuture<?>[] parts = new CompletableFuture<?>[slices];
    for (int s = 0; s < slices; s++) {
      int lo = bounds[s];
      int hi = bounds[s + 1];
      parts[s] = CompletableFuture.runAsync(() -> sort(lo, hi, depth), executor);
    }
    Futures.join(CompletableFuture.allOf(parts));
    return bounds;
  }

  private RecordCursor bufferCursor(int[] bounds) {
    List<RecordCursor> slices = new ArrayList<>();
    for (int s = 0; s + 1 < bounds.length; s++) {
      slices.add(new SliceCursor(bounds[s], bounds[s + 1]));
    }
    return slices.size() == 1 ? slices.get(0) : new MergeCursor(slices, keyLength);
  }

  private void spill() throws IOException {
    if (count == 0) {
      return;
    }
    int[] bounds = sortSlices();
    Spill run = Spill.create(dir, label + "-run-" + runNumber++, budget, false);
    try (RecordCursor c = bufferCursor(bounds)) {
      writeAll(c, run);
    }
    run.finish();
    runs.add(run);
    count = 0;
    slabFill = 0;
  }

  private void writeAll(RecordCursor c, Spill out) throws IOException {
    byte[] len = new byte[2];
    while (c.next()) {
      if (width == 0) {
        len[0] = (byte) (c.length() >>> 8);
        len[1] = (byte) c.length();
        out.write(len, 0, 2);
      }
      out.write(c.buffer(), c.offset(), c.length());
    }
  }

  /**
   * The records in key order. Data that fit in memory is read from there; otherwise the last buffer
   * is written as a run too and the runs are merged from disk, so the buffer's memory is free.
   */
  public RecordCursor sorted() throws IOException {
    reading = true;
    if (runs.isEmpty()) {
      if (count == 0) {
        return RecordCursor.empty();
      }
      return bufferCursor(sortSlices());
    }
    spill();
    slab = null;
    prefix = null;
    offsets = null;
    while (runs.size() > FAN_IN) {
      List<Spill> merged = new ArrayList<>();
      for (int i = 0; i < runs.size(); i += FAN_IN) {
        List<Spill> group = runs.subList(i, Math.min(runs.size(), i + FAN_IN));
        if (group.size() == 1) {
          merged.add(group.get(0));
          continue;
        }
        Spill run = Spill.create(dir, label + "-run-" + runNumber++, budget, false);
        try (RecordCursor c = mergeRuns(group)) {
          writeAll(c, run);
        }
        run.finish();
        for (Spill s : group) {
          s.delete();
        }
        merged.add(run);
      }
      runs.clear();
      runs.addAll(merged);
    }
    return mergeRuns(runs);
  }

  private RecordCursor mergeRuns(List<Spill> group) throws IOException {
    List<RecordCursor> cursors = new ArrayList<>();
    try {
      for (Spill s : group) {
        cursors.add(new StreamCursor(s.open(), width));
      }
    } catch (IOException | RuntimeException e) {
      for (RecordCursor c : cursors) {
        c.close();
      }
      throw e;
    }
    return cursors.size() == 1 ? cursors.get(0) : new MergeCursor(cursors, keyLength);
  }

  /** Deletes the runs and frees the buffer. */
  @Override
  public void close() throws IOException {
    slab = null;
    prefix = null;
    offsets = null;
    IOException first = null;
    for (Spill s : runs) {
      try {
        s.delete();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    runs.clear();
    if (first != null) {
      throw first;
    }
  }

  // ------------------------------------------------------------------ cursors

  private final class SliceCursor implements RecordCursor {
    private int i;
    private final int hi;
    private int off;
    private int len;

    SliceCursor(int lo, int hi) {
      this.i = lo - 1;
      this.hi = hi;
    }

    @Override
    public boolean next() {
      if (++i >= hi) {
        return false;
      }
      off = recordStart(offsets[i]);
      len = recordLength(offsets[i]);
      return true;
    }

    @Override
    public byte[] buffer() {
      return slab;
    }

    @Override
    public int offset() {
      return off;
    }

    @Override
    public int length() {
      return len;
    }

    @Override
    public void close() {}
  }

  /** Records read from a stream written by {@link #writeAll}. */
  static final class StreamCursor implements RecordCursor {
    private final InputStream in;
    private final int width;
    private final byte[] buf;
    private int len;

    StreamCursor(InputStream in, int width) {
      this.in = in;
      this.width = width;
      this.buf = new byte[width > 0 ? width : MAX_RECORD];
    }

    @Override
    public boolean next() throws IOException {
      if (width > 0) {
        int n = in.readNBytes(buf, 0, width);
        if (n == 0) {
          return false;
        }
        if (n < width) {
          throw new EOFException("sort run ends inside a record");
        }
        len = width;
        return true;
      }
      int hi = in.read();
      if (hi < 0) {
        return false;
      }
      int lo = in.read();
      if (lo < 0) {
        throw new EOFException("sort run ends inside a record");
      }
      len = (hi << 8) | lo;
      SealedFile.readFully(in, buf, 0, len);
      return true;
    }

    @Override
    public byte[] buffer() {
      return buf;
    }

    @Override
    public int offset() {
      return 0;
    }

    @Override
    public int length() {
      return len;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A k-way merge by key of cursors that are each in key order. */
  static final class MergeCursor implements RecordCursor {
    private final RecordCursor[] heap;
    private final int keyLength;
    private int size;
    private RecordCursor current;
    private boolean started;

    MergeCursor(List<RecordCursor> cursors, int keyLength) {
      this.heap = cursors.toArray(RecordCursor[]::new);
      this.keyLength = keyLength;
    }

    private int cmp(RecordCursor a, RecordCursor b) {
      return Arrays.compareUnsigned(
          a.buffer(), a.offset(), a.offset() + keyLength, b.buffer(), b.offset(), b.offset() + keyLength);
    }

    private void siftDown(int i) {
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          return;
        }
        int m = l + 1 < size && cmp(heap[l + 1], heap[l]) < 0 ? l + 1 : l;
        if (cmp(heap[m], heap[i]) >= 0) {
          return;
        }
        RecordCursor t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
      }
    }

    @Override
    public boolean next() throws IOException {
      if (!started) {
        started = true;
        int n = 0;
        for (RecordCursor c : heap) {
          if (c.next()) {
            heap[n++] = c;
          } else {
            c.close();
          }
        }
        size = n;
        for (int i = size / 2 - 1; i >= 0; i--) {
          siftDown(i);
        }
      } else if (current != null) {
        if (current.next()) {
          siftDown(0);
        } else {
          current.close();
          heap[0] = heap[--size];
          heap[size] = null;
          siftDown(0);
        }
      }
      if (size == 0) {
        current = null;
        return false;
      }
      current = heap[0];
      return true;
    }

    @Override
    public byte[] buffer() {
      return current.buffer();
    }

    @Override
    public int offset() {
      return current.offset();
    }

    @Override
    public int length() {
      return current.length();
    }

    @Override
    public void close() throws IOException {
      for (int i = 0; i < size; i++) {
        heap[i].close();
      }
      size = 0;
    }
  }
}
