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
            int r = noise.piece[q];
            e[2 * row] ^= noise.prefix[2 * r];
            e[2 * row + 1] ^= noise.prefix[2 * r + 1];
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
   * {@code ≤ q} — answered by two table lookups without a branch: the prefix is constant between
   * non-zero positions, so a table of N 16-bit piece numbers (2 bytes per position, read in the
   * same order as the dense vector) selects one of the t + 1 distinct prefix values.
   */
  public static final class SparsePrefix {
    private final char[] piece; // piece[q] = the number of non-zero positions ≤ q
    private final long[] prefix; // (lo, hi) pairs, prefix[0] = 0

    /**
     * @param positions distinct positions in [0, n), fewer than 65,536
     * @param values blocks, {@code values[i]} at {@code positions[i]}
     */
    public SparsePrefix(int[] positions, byte[] values, int n) {
      int t = positions.length;
      if (t >= 1 << 16) {
        throw new IllegalArgumentException("at most 65,535 non-zero positions");
      }
      long[] sorted = new long[t];
      for (int i = 0; i < t; i++) {
        if (positions[i] < 0 || positions[i] >= n) {
          throw new IllegalArgumentException("position out of range");
        }
        sorted[i] = ((long) positions[i] << 32) | i;
      }
      java.util.Arrays.sort(sorted);
      prefix = new long[2 * (t + 1)];
      piece = new char[n];
      int q = 0;
      for (int r = 0; r < t; r++) {
        int at = (int) (sorted[r] >>> 32);
        int i = (int) sorted[r];
        if (r > 0 && at == (int) (sorted[r - 1] >>> 32)) {
          throw new IllegalArgumentException("repeated position");
        }
        java.util.Arrays.fill(piece, q, at, (char) r);
        q = at;
        prefix[2 * (r + 1)] = prefix[2 * r] ^ Blocks.lo(values, i);
        prefix[2 * (r + 1) + 1] = prefix[2 * r + 1] ^ Blocks.hi(values, i);
      }
      java.util.Arrays.fill(piece, q, n, (char) t);
    }

    /** The number of non-zero positions ≤ q. */
    public int rank(int q) {
      return piece[q];
    }

    /** The low word of the prefix XOR at q. */
    long lo(int q) {
      return prefix[2 * piece[q]];
    }

    /** The high word of the prefix XOR at q. */
    long hi(int q) {
      return prefix[2 * piece[q] + 1];
    }

    /** Clears the prefix values. */
    public void destroy() {
      java.util.Arrays.fill(prefix, 0L);
    }

    @Override
    public String toString() {
      return "SparsePrefix[" + (prefix.length / 2 - 1) + " positions, redacted]";
    }
  }
}
