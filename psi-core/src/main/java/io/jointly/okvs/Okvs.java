package io.jointly.okvs;

import io.jointly.core.Parallel;
import io.jointly.symmetric.Blocks;
import io.jointly.symmetric.FixedKeyAes;
import java.util.Arrays;
import java.util.Objects;

/**
 * A binary oblivious key-value store (Garimella, Pinkas, Rosulek, Trieu, Yanai, "Oblivious
 * Key-Value Stores and Amplification for Private Set Intersection", CRYPTO 2021) over 128-bit
 * blocks, in the construction of Raghuraman and Rindal, "Blazing Fast PSI from Improved OKVS and
 * Subfield VOLE", CCS 2022 (RR22), with the shape of {@link OkvsParameters}.
 *
 * <p>{@link #encode} turns n key-value pairs into a vector P of {@link OkvsParameters#size()}
 * blocks such that {@link #decode} of each key gives its value: {@code Decode(P, k) = ⟨row(k),
 * P⟩}, the XOR of the entries that the key's row selects. Decoding is linear over GF(2) (on every
 * bit of the blocks), which is what VOLE PSI needs: a value space that is a GF(2)-subspace (such as
 * the ℓ-bit blocks of subfield VOLE) stays closed. Keys must be distinct, uniformly distributed
 * 16-byte strings (hash them first); the row of a key is {@code AES_seed(k)} and {@code AES_seed(k ⊕
 * 1)} cut into a bin index, three distinct sparse columns and the dense bits. The seed is public
 * and is drawn after the keys are fixed; on the rare failure the encoder draws a new seed.
 *
 * <h2>Encoding (RR22 Fig. 1, per bin)</h2>
 *
 * <ol>
 *   <li>Triangulate by peeling: repeatedly take a sparse column that only one remaining row uses,
 *       make it that row's pivot and remove the row; when none is left (a 2-core), take the column
 *       of least non-zero weight, make it the pivot of one of its rows and move the others to the
 *       gap.
 *   <li>Back-substitute in reverse peeling order, {@code P[pivot] = v ⊕ P[other columns] ⊕
 *       ⟨dense bits, P_dense⟩}, carrying each entry as an affine form in the dense unknowns
 *       {@code P_dense} when there is a gap.
 *   <li>Solve the gap rows for {@code P_dense} by Gaussian elimination; fail if it has no solution.
 * </ol>
 *
 * With at most {@link OkvsParameters#DENSE_LIMIT} keys the whole matrix is dense and is solved by
 * Gaussian elimination. Free entries are zero: P is not random, so this store is not "doubly
 * oblivious"; VOLE PSI masks it with the VOLE vector before it leaves the encoder.
 *
 * <p>Immutable and thread-safe: every call makes its own AES instances and scratch; {@link
 * Parallel} overloads split the rows and the bins over threads. Holds no secret beyond the caller's
 * buffers.
 */
public final class Okvs {
  private final OkvsParameters p;
  private final byte[] seed;
  private final int denseTables;

  /** Gap rows of the last encoding, over all bins (for tests and measurements). */
  volatile int lastGapRows;

  /** The encoder's scratch for one bin at a time, one per thread. */
  private final class Scratch {
    final int[] deg;
    final int[] colStart;
    final int[] colRows;
    final int[] stack;
    final int[] order;
    final int[] pivot;
    final int[] gap;
    final boolean[] removed;
    final long[] affine;
    int gapRows;

    Scratch() {
      int m = p.sparseColumns();
      int c = p.binCapacity();
      deg = new int[m];
      colStart = new int[m + 1];
      stack = new int[m + 3 * c];
      affine = new long[m];
      colRows = new int[3 * c];
      order = new int[c];
      pivot = new int[c];
      gap = new int[c];
      removed = new boolean[c];
    }
  }

  /**
   * @param parameters the shape
   * @param seed 16 public bytes drawn after the keys are fixed
   */
  public Okvs(OkvsParameters parameters, byte[] seed) {
    this.p = Objects.requireNonNull(parameters);
    if (seed.length != 16) {
      throw new IllegalArgumentException("an OKVS seed has 16 bytes");
    }
    this.seed = seed.clone();
    this.denseTables = (p.denseColumns() + 7) / 8;
  }

  public OkvsParameters parameters() {
    return p;
  }

  /** Entries (blocks) of an encoding. */
  public int size() {
    return p.size();
  }

  /** The rows of {@code n} keys: bin, three sparse columns and the dense bits of each. */
  static final class Rows {
    final int n;
    final int[] bin;
    final int[] cols;
    final long[] denseLo;
    final long[] denseHi;

    Rows(int n) {
      this.n = n;
      this.bin = new int[n];
      this.cols = new int[3 * n];
      this.denseLo = new long[n];
      this.denseHi = new long[n];
    }
  }

  /** Computes the rows of keys {@code [0, n)} (blocks of {@code keys}). */
  Rows rows(byte[] keys, int n) {
    return rows(keys, n, Parallel.SEQUENTIAL);
  }

  Rows rows(byte[] keys, int n, Parallel parallel) {
    Rows r = new Rows(n);
    parallel.forRange(n, 1 << 14, (from, to) -> rows(keys, from, to, r));
    return r;
  }

  private void rows(byte[] keys, int first, int end, Rows r) {
    FixedKeyAes rowHash = new FixedKeyAes(seed);
    int batch = 4096;
    byte[] in = Blocks.allocate(2 * batch);
    byte[] out = Blocks.allocate(2 * batch);
    int dense = p.denseColumns();
    long maskLo = dense >= 64 ? -1L : (1L << dense) - 1;
    long maskHi = dense >= 128 ? -1L : dense <= 64 ? 0 : (1L << (dense - 64)) - 1;
    int sparse = p.sparseColumns();
    int bins = p.bins();
    for (int from = first; from < end; from += batch) {
      int c = Math.min(batch, end - from);
      for (int i = 0; i < c; i++) {
        long lo = Blocks.lo(keys, from + i);
        long hi = Blocks.hi(keys, from + i);
        Blocks.set(in, 2 * i, lo, hi);
        Blocks.set(in, 2 * i + 1, lo ^ 1, hi);
      }
      rowHash.permute(in, 0, out, 0, 2 * c);
      for (int i = 0; i < c; i++) {
        int k = from + i;
        long lo0 = Blocks.lo(out, 2 * i);
        long hi0 = Blocks.hi(out, 2 * i);
        r.denseLo[k] = Blocks.lo(out, 2 * i + 1) & maskLo;
        r.denseHi[k] = Blocks.hi(out, 2 * i + 1) & maskHi;
        if (sparse > 0) {
          r.bin[k] = bins == 1 ? 0 : reduce((int) lo0, bins);
          int c0 = reduce((int) (lo0 >>> 32), sparse);
          int c1 = reduce((int) hi0, sparse - 1);
          c1 += c1 >= c0 ? 1 : 0;
          int c2 = reduce((int) (hi0 >>> 32), sparse - 2);
          int small = Math.min(c0, c1);
          int large = Math.max(c0, c1);
          c2 += c2 >= small ? 1 : 0;
          c2 += c2 >= large ? 1 : 0;
          r.cols[3 * k] = c0;
          r.cols[3 * k + 1] = c1;
          r.cols[3 * k + 2] = c2;
        }
      }
    }
  }

  /** {@code ⌊x·range / 2^32⌋} for x read as unsigned: a uniform index in [0, range). */
  static int reduce(int x, int range) {
    return (int) (((x & 0xFFFFFFFFL) * range) >>> 32);
  }

  /** Bins. */
  public int bins() {
    return p.bins();
  }

  /** Entries per bin: bin b owns entries {@code [b·binSize(), (b + 1)·binSize())}. */
  public int binSize() {
    return p.dense() ? p.size() : p.binSize();
  }

  /** The bin of each of keys {@code [0, n)}, in {@code [0, bins())}. */
  public int[] bins(byte[] keys, int n, Parallel parallel) {
    if (p.dense()) {
      return new int[n];
    }
    return rows(keys, n, parallel).bin;
  }

  /**
   * Encodes keys {@code [0, n)} with their values into {@code out} ({@link #size()} blocks, written
   * in full).
   *
   * @return false if this seed fails for these keys (probability at most 2^-λ; draw a new seed)
   * @throws IllegalArgumentException if n exceeds the parameters' items
   */
  public boolean encode(byte[] keys, byte[] values, int n, byte[] out) {
    return encode(keys, values, n, out, Parallel.SEQUENTIAL);
  }

  /** As {@link #encode(byte[], byte[], int, byte[])}, the rows and the bins split over threads. */
  public boolean encode(byte[] keys, byte[] values, int n, byte[] out, Parallel parallel) {
    return encodeBins(keys, values, n, 0, bins(), out, parallel);
  }

  /**
   * Encodes the part of the store that bins {@code [binFrom, binTo)} own — {@code (binTo −
   * binFrom)·binSize()} blocks of {@code out}, written in full — from keys {@code [0, n)}, which
   * are all the keys of those bins (and only those). The parts of disjoint bin ranges put side by
   * side are the encoding of all their keys: a large store can be made and used part by part.
   *
   * @return false if this seed fails for these keys (a bin over capacity, or an unsolvable system)
   * @throws IllegalArgumentException if a key is outside the bins, or n exceeds the parameters'
   *     items
   */
  public boolean encodeBins(byte[] keys, byte[] values, int n, int binFrom, int binTo, byte[] out, Parallel parallel) {
    if (n > p.items()) {
      throw new IllegalArgumentException("more keys than the parameters allow");
    }
    checkBins(binFrom, binTo);
    int length = (binTo - binFrom) * binSize();
    if (out.length < length * Blocks.BYTES) {
      throw new IllegalArgumentException("output too short");
    }
    Arrays.fill(out, 0, length * Blocks.BYTES, (byte) 0);
    Rows rows = rows(keys, n, parallel);
    lastGapRows = 0;
    if (p.dense()) {
      return encodeDense(rows, values, out);
    }
    int bins = binTo - binFrom;
    int[] start = new int[bins + 1];
    for (int i = 0; i < n; i++) {
      int b = rows.bin[i] - binFrom;
      if (b < 0 || b >= bins) {
        throw new IllegalArgumentException("a key is outside bins [" + binFrom + ", " + binTo + ")");
      }
      start[b + 1]++;
    }
    for (int b = 0; b < bins; b++) {
      if (start[b + 1] > p.binCapacity()) {
        return false;
      }
      start[b + 1] += start[b];
    }
    int[] fill = Arrays.copyOf(start, bins);
    // The rows and values in bin order, so that each bin's passes read contiguous memory (one
    // scattered pass here instead of one per pass over a bin).
    Rows sorted = new Rows(n);
    byte[] sortedValues = Blocks.allocate(n);
    for (int i = 0; i < n; i++) {
      int j = fill[rows.bin[i] - binFrom]++;
      sorted.cols[3 * j] = rows.cols[3 * i];
      sorted.cols[3 * j + 1] = rows.cols[3 * i + 1];
      sorted.cols[3 * j + 2] = rows.cols[3 * i + 2];
      sorted.denseLo[j] = rows.denseLo[i];
      sorted.denseHi[j] = rows.denseHi[i];
      Blocks.copy(values, i, sortedValues, j);
    }
    int[] byBin = new int[n];
    for (int j = 0; j < n; j++) {
      byBin[j] = j;
    }
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger gaps = new java.util.concurrent.atomic.AtomicInteger();
    parallel.forRange(
        bins,
        1,
        (b0, b1) -> {
          Scratch sc = new Scratch();
          for (int b = b0; b < b1 && !failed.get(); b++) {
            if (!encodeBin(sc, sorted, sortedValues, byBin, start[b], start[b + 1] - start[b], b * p.binSize(), out)) {
              failed.set(true);
            }
          }
          gaps.addAndGet(sc.gapRows);
        });
    lastGapRows = gaps.get();
    Arrays.fill(sortedValues, (byte) 0);
    return !failed.get();
  }

  private void checkBins(int binFrom, int binTo) {
    if (binFrom < 0 || binTo > bins() || binFrom >= binTo) {
      throw new IllegalArgumentException("invalid bin range [" + binFrom + ", " + binTo + ")");
    }
  }

  /**
   * Encodes the {@code count} rows {@code byBin[from..]} of one bin into the entries starting at
   * block {@code base}. Local row i is global row {@code byBin[from + i]}.
   */
  private boolean encodeBin(Scratch sc, Rows rows, byte[] values, int[] byBin, int from, int count, int base, byte[] out) {
    int[] deg = sc.deg;
    int[] colStart = sc.colStart;
    int[] colRows = sc.colRows;
    int[] stack = sc.stack;
    int[] order = sc.order;
    int[] pivot = sc.pivot;
    int[] gap = sc.gap;
    boolean[] removed = sc.removed;
    int m = p.sparseColumns();
    int[] cols = rows.cols;
    Arrays.fill(deg, 0, m, 0);
    for (int i = 0; i < count; i++) {
      int g = byBin[from + i];
      deg[cols[3 * g]]++;
      deg[cols[3 * g + 1]]++;
      deg[cols[3 * g + 2]]++;
    }
    colStart[0] = 0;
    for (int c = 0; c < m; c++) {
      colStart[c + 1] = colStart[c] + deg[c];
    }
    int[] fill = Arrays.copyOf(colStart, m);
    for (int i = 0; i < count; i++) {
      int g = byBin[from + i];
      colRows[fill[cols[3 * g]]++] = i;
      colRows[fill[cols[3 * g + 1]]++] = i;
      colRows[fill[cols[3 * g + 2]]++] = i;
    }
    Arrays.fill(removed, 0, count, false);
    int top = 0;
    for (int c = 0; c < m; c++) {
      if (deg[c] == 1) {
        stack[top++] = c;
      }
    }
    int peeled = 0;
    int gaps = 0;
    int remaining = count;
    while (remaining > 0) {
      int col;
      if (top > 0) {
        col = stack[--top];
        if (deg[col] != 1) {
          continue;
        }
      } else {
        // A 2-core: the column of least non-zero weight becomes the pivot of one of its rows, its
        // other rows go to the gap (RR22 Fig. 1 step 2a-b).
        col = -1;
        int best = Integer.MAX_VALUE;
        for (int c = 0; c < m; c++) {
          if (deg[c] > 0 && deg[c] < best) {
            best = deg[c];
            col = c;
          }
        }
      }
      int chosen = -1;
      for (int k = colStart[col]; k < colStart[col + 1]; k++) {
        int i = colRows[k];
        if (!removed[i]) {
          if (chosen < 0) {
            chosen = i;
          } else {
            gap[gaps++] = i;
            top = removeRow(sc, rows, byBin, from, i, top);
            remaining--;
          }
        }
      }
      pivot[chosen] = col;
      order[peeled++] = chosen;
      top = removeRow(sc, rows, byBin, from, chosen, top);
      remaining--;
    }
    return backSubstitute(sc, rows, values, byBin, from, peeled, gaps, base, out);
  }

  private int removeRow(Scratch sc, Rows rows, int[] byBin, int from, int i, int top) {
    int[] deg = sc.deg;
    int[] stack = sc.stack;
    sc.removed[i] = true;
    int g = byBin[from + i];
    for (int j = 0; j < 3; j++) {
      int c = rows.cols[3 * g + j];
      if (--deg[c] == 1) {
        stack[top++] = c;
      }
    }
    return top;
  }

  private boolean backSubstitute(
      Scratch sc, Rows rows, byte[] values, int[] byBin, int from, int peeled, int gaps, int base, byte[] out) {
    int[] cols = rows.cols;
    int[] order = sc.order;
    int[] pivot = sc.pivot;
    int[] gap = sc.gap;
    long[] affine = sc.affine;
    boolean withGap = gaps > 0;
    sc.gapRows += gaps;
    if (withGap) {
      Arrays.fill(affine, 0, p.sparseColumns(), 0L);
    }
    for (int k = peeled - 1; k >= 0; k--) {
      int i = order[k];
      int g = byBin[from + i];
      int c = pivot[i];
      long lo = Blocks.lo(values, g);
      long hi = Blocks.hi(values, g);
      long mask = rows.denseLo[g];
      for (int j = 0; j < 3; j++) {
        int o = cols[3 * g + j];
        if (o != c) {
          lo ^= Blocks.lo(out, base + o);
          hi ^= Blocks.hi(out, base + o);
          if (withGap) {
            mask ^= affine[o];
          }
        }
      }
      Blocks.set(out, base + c, lo, hi);
      if (withGap) {
        affine[c] = mask;
      }
    }
    if (!withGap) {
      return true;
    }
    // Gap rows: ⟨mask, P_dense⟩ = rhs, with mask and rhs folded through the affine forms.
    long[] eqMask = new long[gaps];
    byte[] rhs = Blocks.allocate(gaps);
    for (int e = 0; e < gaps; e++) {
      int g = byBin[from + gap[e]];
      long mask = rows.denseLo[g];
      long lo = Blocks.lo(values, g);
      long hi = Blocks.hi(values, g);
      for (int j = 0; j < 3; j++) {
        int o = cols[3 * g + j];
        mask ^= affine[o];
        lo ^= Blocks.lo(out, base + o);
        hi ^= Blocks.hi(out, base + o);
      }
      eqMask[e] = mask;
      Blocks.set(rhs, e, lo, hi);
    }
    int dense = p.denseColumns();
    byte[] solution = Blocks.allocate(dense);
    if (!solve(eqMask, new long[gaps], rhs, gaps, solution)) {
      return false;
    }
    int denseBase = base + p.sparseColumns();
    System.arraycopy(solution, 0, out, denseBase * Blocks.BYTES, dense * Blocks.BYTES);
    for (int k = 0; k < peeled; k++) {
      int c = pivot[order[k]];
      long mask = affine[c];
      while (mask != 0) {
        int j = Long.numberOfTrailingZeros(mask);
        mask &= mask - 1;
        Blocks.xorInto(out, base + c, solution, j);
      }
    }
    return true;
  }

  /**
   * Solves {@code ⟨(maskLo, maskHi)_e, x⟩ = rhs_e} for x over GF(2) with block values (Gauss–Jordan;
   * free unknowns zero). Arrays are modified.
   *
   * @return false if the system has no solution
   */
  static boolean solve(long[] maskLo, long[] maskHi, byte[] rhs, int rowsCount, byte[] x) {
    int[] pivotCol = new int[rowsCount];
    int rank = 0;
    for (int r = 0; r < rowsCount; r++) {
      // Reduce row r by the pivots found so far, then take its lowest set bit as its pivot.
      for (int q = 0; q < rank; q++) {
        int pc = pivotCol[q];
        if (bit(maskLo[r], maskHi[r], pc)) {
          maskLo[r] ^= maskLo[q];
          maskHi[r] ^= maskHi[q];
          Blocks.xorInto(rhs, r, rhs, q);
        }
      }
      if (maskLo[r] == 0 && maskHi[r] == 0) {
        if (Blocks.lo(rhs, r) != 0 || Blocks.hi(rhs, r) != 0) {
          return false;
        }
        continue;
      }
      int pc = maskLo[r] != 0 ? Long.numberOfTrailingZeros(maskLo[r]) : 64 + Long.numberOfTrailingZeros(maskHi[r]);
      // Clear pc from the earlier pivot rows (Gauss-Jordan) and move row r to position rank.
      for (int q = 0; q < rank; q++) {
        if (bit(maskLo[q], maskHi[q], pc)) {
          maskLo[q] ^= maskLo[r];
          maskHi[q] ^= maskHi[r];
          Blocks.xorInto(rhs, q, rhs, r);
        }
      }
      if (rank != r) {
        maskLo[rank] = maskLo[r];
        maskHi[rank] = maskHi[r];
        Blocks.copy(rhs, r, rhs, rank);
      }
      pivotCol[rank++] = pc;
    }
    Arrays.fill(x, (byte) 0);
    for (int q = 0; q < rank; q++) {
      Blocks.copy(rhs, q, x, pivotCol[q]);
    }
    return true;
  }

  private static boolean bit(long lo, long hi, int j) {
    return j < 64 ? ((lo >>> j) & 1) != 0 : ((hi >>> (j - 64)) & 1) != 0;
  }

  private boolean encodeDense(Rows rows, byte[] values, byte[] out) {
    int n = rows.n;
    long[] lo = Arrays.copyOf(rows.denseLo, n);
    long[] hi = Arrays.copyOf(rows.denseHi, n);
    byte[] rhs = Blocks.allocate(n);
    System.arraycopy(values, 0, rhs, 0, n * Blocks.BYTES);
    byte[] x = Blocks.allocate(p.denseColumns());
    if (!solve(lo, hi, rhs, n, x)) {
      return false;
    }
    System.arraycopy(x, 0, out, 0, x.length);
    return true;
  }

  /**
   * Decodes keys {@code [0, n)} against {@code store} ({@link #size()} blocks) into {@code out}
   * (blocks {@code [0, n)}).
   */
  public void decode(byte[] store, byte[] keys, int n, byte[] out) {
    decodeBins(store, 0, bins(), keys, n, out, Parallel.SEQUENTIAL);
  }

  /** As {@link #decode(byte[], byte[], int, byte[])}, ranges of keys split over threads. */
  public void decode(byte[] store, byte[] keys, int n, byte[] out, Parallel parallel) {
    decodeBins(store, 0, bins(), keys, n, out, parallel);
  }

  /**
   * Decodes keys {@code [0, n)}, all in bins {@code [binFrom, binTo)}, against {@code part}, the
   * entries of those bins (as {@link #encodeBins} writes them), into blocks {@code [0, n)} of
   * {@code out}; ranges of keys are split over threads.
   *
   * @throws IllegalArgumentException if a key is outside the bins
   */
  public void decodeBins(byte[] part, int binFrom, int binTo, byte[] keys, int n, byte[] out, Parallel parallel) {
    checkBins(binFrom, binTo);
    if (part.length < (binTo - binFrom) * binSize() * Blocks.BYTES) {
      throw new IllegalArgumentException("store too short");
    }
    parallel.forRange(
        n,
        1 << 14,
        (from, to) -> {
          if (from == 0 && to == n) {
            decodeRange(part, binFrom, binTo, keys, n, out);
            return;
          }
          byte[] k = Arrays.copyOfRange(keys, from * Blocks.BYTES, to * Blocks.BYTES);
          byte[] o = Blocks.allocate(to - from);
          decodeRange(part, binFrom, binTo, k, to - from, o);
          System.arraycopy(o, 0, out, from * Blocks.BYTES, (to - from) * Blocks.BYTES);
        });
  }

  private void decodeRange(byte[] store, int binFrom, int binTo, byte[] keys, int n, byte[] out) {
    Rows rows = rows(keys, n);
    if (p.dense()) {
      for (int i = 0; i < n; i++) {
        long lo = 0;
        long hi = 0;
        long mLo = rows.denseLo[i];
        long mHi = rows.denseHi[i];
        while (mLo != 0) {
          int j = Long.numberOfTrailingZeros(mLo);
          mLo &= mLo - 1;
          lo ^= Blocks.lo(store, j);
          hi ^= Blocks.hi(store, j);
        }
        while (mHi != 0) {
          int j = 64 + Long.numberOfTrailingZeros(mHi);
          mHi &= mHi - 1;
          lo ^= Blocks.lo(store, j);
          hi ^= Blocks.hi(store, j);
        }
        Blocks.set(out, i, lo, hi);
      }
      return;
    }
    int bins = binTo - binFrom;
    int[] start = new int[bins + 1];
    for (int i = 0; i < n; i++) {
      int b = rows.bin[i] - binFrom;
      if (b < 0 || b >= bins) {
        throw new IllegalArgumentException("a key is outside bins [" + binFrom + ", " + binTo + ")");
      }
      start[b + 1]++;
    }
    for (int b = 0; b < bins; b++) {
      start[b + 1] += start[b];
    }
    int[] byBin = new int[n];
    int[] fill = Arrays.copyOf(start, bins);
    for (int i = 0; i < n; i++) {
      byBin[fill[rows.bin[i] - binFrom]++] = i;
    }
    long[] tables = new long[denseTables * 256 * 2];
    for (int b = 0; b < bins; b++) {
      if (start[b] == start[b + 1]) {
        continue;
      }
      int base = b * p.binSize();
      denseTables(store, base + p.sparseColumns(), tables);
      for (int k = start[b]; k < start[b + 1]; k++) {
        int i = byBin[k];
        int c0 = base + rows.cols[3 * i];
        int c1 = base + rows.cols[3 * i + 1];
        int c2 = base + rows.cols[3 * i + 2];
        long lo = Blocks.lo(store, c0) ^ Blocks.lo(store, c1) ^ Blocks.lo(store, c2);
        long hi = Blocks.hi(store, c0) ^ Blocks.hi(store, c1) ^ Blocks.hi(store, c2);
        long mask = rows.denseLo[i];
        for (int t = 0; t < denseTables; t++) {
          int at = (t * 256 + (int) ((mask >>> (8 * t)) & 0xFF)) * 2;
          lo ^= tables[at];
          hi ^= tables[at + 1];
        }
        Blocks.set(out, i, lo, hi);
      }
    }
  }

  /**
   * For each byte t of a dense mask, the XOR of the dense entries its 256 values select: {@code
   * tables[(t·256 + v)·2 ..+1]}.
   */
  private void denseTables(byte[] store, int denseBase, long[] tables) {
    int dense = p.denseColumns();
    for (int t = 0; t < denseTables; t++) {
      int off = t * 256 * 2;
      tables[off] = 0;
      tables[off + 1] = 0;
      for (int v = 1; v < 256; v++) {
        int low = Integer.numberOfTrailingZeros(v);
        int rest = v & (v - 1);
        int col = 8 * t + low;
        long lo = tables[off + 2 * rest];
        long hi = tables[off + 2 * rest + 1];
        if (col < dense) {
          lo ^= Blocks.lo(store, denseBase + col);
          hi ^= Blocks.hi(store, denseBase + col);
        }
        tables[off + 2 * v] = lo;
        tables[off + 2 * v + 1] = hi;
      }
    }
  }

  @Override
  public String toString() {
    return "Okvs[" + p + "]";
  }
}
