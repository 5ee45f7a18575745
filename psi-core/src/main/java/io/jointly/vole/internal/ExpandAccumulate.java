package io.jointly.vole.internal;

import io.jointly.core.Parallel;
import io.jointly.symmetric.AesPrg;
import io.jointly.symmetric.Blocks;

/**
 * The expand-accumulate code of Boyle, Couteau, Gilboa, Ishai, Kohl, Resch and Scholl,
 * "Correlated Pseudorandomness from Expand-Accumulate Codes", CRYPTO 2022 (eprint 2022/1014), used
 * as the compressing matrix of dual LPN: {@code y = B·A·x} for x of length N and y of length m,
 * where A is the N×N accumulator ({@code (A·x)_i = x_0 ⊕ … ⊕ x_i}) and B the m×N expander whose
 * row j selects k positions drawn independently and uniformly from [0, N) (a repeated position
 * cancels, probability about k²/(2N) per row). The expander is public: its positions come from an
 * {@link AesPrg} under a public seed, drawn in row order, 4 bytes per position reduced to [0, N) by
 * multiply-and-shift. Evaluation is cache-blocked (see {@code Blocked}); the result does not depend
 * on it.
 *
 * <p>Both VOLE parties apply the same code to their length-N vectors; the receiver also applies it
 * to its sparse noise vector without materialising it ({@link SparsePrefix}).
 *
 * <p>Immutable parameters; each call creates its own generator, so an instance may be shared, but
 * the arrays passed in belong to the caller's thread.
 */
public final class ExpandAccumulate {

  private final int m;
  private final int n;
  private final int k;
  private final byte[] seed;

  /**
   * @param m outputs (rows of B)
   * @param n input length N
   * @param k expander weight (positions per row)
   * @param seed 16 public bytes
   */
  public ExpandAccumulate(int m, int n, int k, byte[] seed) {
    if (m < 0 || n < 1 || k < 1 || seed.length != 16) {
      throw new IllegalArgumentException("invalid expand-accumulate shape");
    }
    this.m = m;
    this.n = n;
    this.k = k;
    this.seed = seed.clone();
  }

  public int outputs() {
    return m;
  }

  public int inputLength() {
    return n;
  }

  /** Replaces {@code x[0..N)} by its prefix XORs (the accumulator A), in place. */
  public void accumulate(byte[] x) {
    long lo = 0;
    long hi = 0;
    int end = n * Blocks.BYTES;
    for (int off = 0; off < end; off += Blocks.BYTES) {
      lo ^= Blocks.word(x, off);
      hi ^= Blocks.word(x, off + 8);
      Blocks.setWord(x, off, lo);
      Blocks.setWord(x, off + 8, hi);
    }
  }

  /** {@code out[j] = ⊕_i acc[pos(j, i)]} for j < m (the expander B on an accumulated vector). */
  public void expand(byte[] acc, byte[] out, Parallel parallel) {
    parallel.forRange(m, ROWS_PER_BLOCK, (from, to) -> new Blocked().expand(acc, out, null, null, from, to));
  }

  /**
   * Both receiver outputs in one pass over the positions: {@code outW = B·acc} for an accumulated
   * dense vector and {@code outE = B·A·e} for the sparse vector e held by {@code noise}.
   */
  public void expand(byte[] acc, byte[] outW, SparsePrefix noise, byte[] outE, Parallel parallel) {
    parallel.forRange(m, ROWS_PER_BLOCK, (from, to) -> new Blocked().expand(acc, outW, noise, outE, from, to));
  }

  /** Rows per block of the cache-blocked evaluation: their outputs (256 KiB) stay in L2. */
  static final int ROWS_PER_BLOCK = 1 << 14;

  /** Input positions per segment: 8,192 blocks (128 KiB), read while they are in L2. */
  static final int SEGMENT_SHIFT = 13;

  /**
   * The expander evaluated block by block for cache locality: a block's positions are drawn in row
   * order, as the definition says, then sorted by the segment of the input they fall in (a counting
   * sort), so that each segment of the (large) accumulated vector is read while it is in cache and
   * the random reads go to L2 rather than to main memory. The result is the same XOR sum.
   */
  private final class Blocked {
    final int pairs = ROWS_PER_BLOCK * k;
    final byte[] raw = new byte[4 * pairs];
    final int[] pos = new int[pairs];
    final int[] sortedPos = new int[pairs];
    final short[] sortedRow = new short[pairs];
    final int[] segStart = new int[(n >>> SEGMENT_SHIFT) + 2];
    final long[] w = new long[2 * ROWS_PER_BLOCK];
    final long[] e = new long[2 * ROWS_PER_BLOCK];

    /** Rows [from, to): their positions are bytes {@code [4k·from, 4k·to)} of the public stream. */
    void expand(byte[] acc, byte[] outW, SparsePrefix noise, byte[] outE, int from, int to) {
      long firstByte = 4L * k * from;
      AesPrg prg = new AesPrg(seed, firstByte / 16);
      int skip = (int) (firstByte % 16);
      if (skip > 0) {
        prg.nextBytes(new byte[skip], 0, skip);
      }
      int segments = segStart.length - 1;
      for (int r0 = from; r0 < to; r0 += ROWS_PER_BLOCK) {
        int rows = Math.min(ROWS_PER_BLOCK, to - r0);
        int count = rows * k;
        prg.nextBytes(raw, 0, 4 * count);
        java.util.Arrays.fill(segStart, 0);
        for (int p = 0; p < count; p++) {
          int q = position(raw, 4 * p);
          pos[p] = q;
          segStart[(q >>> SEGMENT_SHIFT) + 1]++;
        }
        for (int g = 0; g < segments; g++) {
          segStart[g + 1] += segStart[g];
        }
        // Scatter (position, row) by segment; rows run in order, so row = p / k.
        for (int row = 0, p = 0; row < rows; row++) {
          for (int i = 0; i < k; i++, p++) {
            int q = pos[p];
            int at = segStart[q >>> SEGMENT_SHIFT]++;
            sortedPos[at] = q;
            sortedRow[at] = (short) row;
          }
        }
        java.util.Arrays.fill(w, 0, 2 * rows, 0L);
        if (noise != null) {
          java.util.Arrays.fill(e, 0, 2 * rows, 0L);
        }
        for (int at = 0; at < count; at++) {
          int q = sortedPos[at];
          int row = sortedRow[at] & 0xFFFF;
          w[2 * row] ^= Blocks.lo(acc, q);
          w[2 * row + 1] ^= Blocks.hi(acc, q);
          if (noise != null) {
            e[2 * row] ^= noise.lo(q);
            e[2 * row + 1] ^= noise.hi(q);
          }
        }
        for (int row = 0; row < rows; row++) {
          Blocks.set(outW, r0 + row, w[2 * row], w[2 * row + 1]);
          if (noise != null) {
            Blocks.set(outE, r0 + row, e[2 * row], e[2 * row + 1]);
          }
        }
      }
    }
  }

  private static final java.lang.invoke.VarHandle INTS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** The 4 little-endian bytes at {@code at} as an unsigned value, scaled to [0, N). */
  private int position(byte[] r, int at) {
    long x = ((int) INTS.get(r, at)) & 0xFFFFFFFFL;
    return (int) ((x * n) >>> 32);
  }

  /**
   * The prefix XORs of a sparse vector of length N — {@code ⊕ values[i]} over the non-zero positions
   * {@code ≤ q} — answered in about one table lookup: positions are sorted and a bucket table of
   * about 2^16 entries points into them.
   */
  public static final class SparsePrefix {
    private final int[] pos;
    private final long[] prefix; // (lo, hi) pairs, prefix[0] = 0
    private final long[] bucketValue; // (lo, hi): the prefix XOR just before each bucket
    private final int[] bucketStart; // the first position index at or after each bucket start
    private final boolean[] busy; // whether a bucket holds a non-zero position
    private final int shift;

    /**
     * @param positions distinct positions in [0, n)
     * @param values blocks, {@code values[i]} at {@code positions[i]}
     */
    public SparsePrefix(int[] positions, byte[] values, int n) {
      int t = positions.length;
      Integer[] idx = new Integer[t];
      for (int i = 0; i < t; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(idx, (a, b) -> Integer.compare(positions[a], positions[b]));
      pos = new int[t];
      prefix = new long[2 * (t + 1)];
      for (int i = 0; i < t; i++) {
        pos[i] = positions[idx[i]];
        prefix[2 * (i + 1)] = prefix[2 * i] ^ Blocks.lo(values, idx[i]);
        prefix[2 * (i + 1) + 1] = prefix[2 * i + 1] ^ Blocks.hi(values, idx[i]);
      }
      int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
      shift = Math.max(0, bits - 16);
      int buckets = ((n - 1) >>> shift) + 2;
      bucketStart = new int[buckets];
      bucketValue = new long[2 * buckets];
      busy = new boolean[buckets];
      int i = 0;
      for (int b = 0; b < buckets; b++) {
        long first = (long) b << shift;
        while (i < t && pos[i] < first) {
          i++;
        }
        bucketStart[b] = i;
        bucketValue[2 * b] = prefix[2 * i];
        bucketValue[2 * b + 1] = prefix[2 * i + 1];
        busy[b] = i < t && pos[i] < first + (1L << shift);
      }
    }

    /** The number of non-zero positions ≤ q. */
    public int rank(int q) {
      int i = bucketStart[q >>> shift];
      while (i < pos.length && pos[i] <= q) {
        i++;
      }
      return i;
    }

    /** The low word of the prefix XOR at q. */
    long lo(int q) {
      int b = q >>> shift;
      return busy[b] ? prefix[2 * rank(q)] : bucketValue[2 * b];
    }

    /** The high word of the prefix XOR at q. */
    long hi(int q) {
      int b = q >>> shift;
      return busy[b] ? prefix[2 * rank(q) + 1] : bucketValue[2 * b + 1];
    }

    @Override
    public String toString() {
      return "SparsePrefix[" + pos.length + " positions, redacted]";
    }
  }
}
