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
 * multiply-and-shift.
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
    parallel.forRange(m, ROWS_PER_BATCH, (from, to) -> expand(acc, out, null, null, from, to));
  }

  /**
   * Both receiver outputs in one pass over the positions: {@code outW = B·acc} for an accumulated
   * dense vector and {@code outE = B·A·e} for the sparse vector e held by {@code noise}.
   */
  public void expand(byte[] acc, byte[] outW, SparsePrefix noise, byte[] outE, Parallel parallel) {
    parallel.forRange(m, ROWS_PER_BATCH, (from, to) -> expand(acc, outW, noise, outE, from, to));
  }

  /** Rows whose positions are drawn at once: 2,048 rows of 21 positions is 172 KiB of positions. */
  static final int ROWS_PER_BATCH = 1 << 11;

  /**
   * Rows [from, to), whose positions are bytes {@code [4k·from, 4k·to)} of the public stream. A
   * batch's positions are drawn and scaled first, then the rows are summed in order: the reads of
   * the (large) accumulated vector are independent, so the processor keeps many of them in flight.
   * (Sorting a batch's reads by address, for cache locality, measured slower here: the random reads
   * are few per cache line whatever the order.)
   */
  private void expand(byte[] acc, byte[] outW, SparsePrefix noise, byte[] outE, int from, int to) {
    long firstByte = 4L * k * from;
    AesPrg prg = new AesPrg(seed, firstByte / 16);
    int skip = (int) (firstByte % 16);
    if (skip > 0) {
      prg.nextBytes(new byte[skip], 0, skip);
    }
    int batch = Math.min(ROWS_PER_BATCH, to - from);
    byte[] raw = new byte[4 * batch * k];
    int[] pos = new int[batch * k];
    long[] prefix = noise == null ? null : noise.prefix;
    for (int r0 = from; r0 < to; r0 += batch) {
      int rows = Math.min(batch, to - r0);
      int count = rows * k;
      prg.nextBytes(raw, 0, 4 * count);
      for (int p = 0; p < count; p++) {
        pos[p] = position(raw, 4 * p);
      }
      // The dense reads alone in their loop: few instructions between the (independent) memory
      // reads let the processor keep many in flight; the noise's table lookups, which stay in
      // cache, get a loop of their own.
      for (int row = 0, p = 0; row < rows; row++) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < k; i++, p++) {
          int q = pos[p];
          lo ^= Blocks.lo(acc, q);
          hi ^= Blocks.hi(acc, q);
        }
        Blocks.set(outW, r0 + row, lo, hi);
      }
      if (noise != null) {
        for (int row = 0, p = 0; row < rows; row++) {
          long lo = 0;
          long hi = 0;
          for (int i = 0; i < k; i++, p++) {
            int r = noise.rank(pos[p]);
            lo ^= prefix[2 * r];
            hi ^= prefix[2 * r + 1];
          }
          Blocks.set(outE, r0 + row, lo, hi);
        }
      }
    }
    java.util.Arrays.fill(pos, 0);
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
   * {@code ≤ q} — answered from tables of a few tens of KiB, which stay in the processor's first
   * cache levels while the dense vector's random reads stream through them (a table per position,
   * or per 64 positions, measured two to three times slower: its lines are evicted by those reads).
   *
   * <p>The prefix is constant between non-zero positions, so it is {@code prefix[rank(q)]}, rank
   * the number of non-zero positions ≤ q. Positions are read as rows of a given stride, {@code q =
   * x·stride + r}: {@code rank(q) = below[x] + |{non-zero (x, r') : r' ≤ r}|}, the second term from
   * row x's sorted offsets, usually none or one. With the silent VOLE's regular noise (one non-zero
   * position per tree at {@code α_j·t + j}) and stride t, row x holds the trees whose punctured
   * leaf is x: about t/s of them.
   */
  public static final class SparsePrefix {
    private static final int SHIFT = 40;
    private final int stride;
    private final long magic; // ⌊2^40 / stride⌋ + 1: x = (q·magic) >>> 40 exactly for q·stride < 2^40
    private final int[] below; // non-zero positions in rows < x; row x's offsets start at below[x] + x
    private final char[] offsets; // each row's offsets increasing, then the sentinel 0xFFFF
    private final long[] prefix; // (lo, hi) pairs, prefix[0] = 0

    /**
     * @param positions distinct positions in [0, n), fewer than 65,536
     * @param values blocks, {@code values[i]} at {@code positions[i]}
     * @param stride the row length, 1..65,535 (the VOLE's number of trees)
     */
    public SparsePrefix(int[] positions, byte[] values, int n, int stride) {
      int t = positions.length;
      if (t >= 1 << 16) {
        throw new IllegalArgumentException("at most 65,535 non-zero positions");
      }
      if (stride < 1 || stride >= 0xFFFF || (long) n * stride >= 1L << SHIFT) {
        throw new IllegalArgumentException("stride out of range");
      }
      this.stride = stride;
      this.magic = (1L << SHIFT) / stride + 1;
      if (n > Long.MAX_VALUE / magic) {
        throw new IllegalArgumentException("stride too small for this length");
      }
      long[] sorted = new long[t];
      for (int i = 0; i < t; i++) {
        if (positions[i] < 0 || positions[i] >= n) {
          throw new IllegalArgumentException("position out of range");
        }
        sorted[i] = ((long) positions[i] << 32) | i;
      }
      java.util.Arrays.sort(sorted);
      int rows = (n + stride - 1) / stride;
      below = new int[rows + 1];
      offsets = new char[t + rows];
      prefix = new long[2 * (t + 1)];
      int r = 0;
      for (int x = 0; x < rows; x++) {
        below[x] = r;
        while (r < t && (int) (sorted[r] >>> 32) / stride == x) {
          int at = (int) (sorted[r] >>> 32);
          int i = (int) sorted[r];
          if (r > 0 && at == (int) (sorted[r - 1] >>> 32)) {
            throw new IllegalArgumentException("repeated position");
          }
          offsets[r + x] = (char) (at - x * stride);
          prefix[2 * (r + 1)] = prefix[2 * r] ^ Blocks.lo(values, i);
          prefix[2 * (r + 1) + 1] = prefix[2 * r + 1] ^ Blocks.hi(values, i);
          r++;
        }
        offsets[r + x] = 0xFFFF;
      }
      below[rows] = r;
    }

    /** The number of non-zero positions ≤ q. */
    public int rank(int q) {
      int x = (int) ((q * magic) >>> SHIFT);
      int off = q - x * stride;
      int b = below[x];
      int k = b + x;
      while (offsets[k] <= off) {
        k++;
      }
      return k - x;
    }

    /** The low word of the prefix XOR at q. */
    long lo(int q) {
      return prefix[2 * rank(q)];
    }

    /** The high word of the prefix XOR at q. */
    long hi(int q) {
      return prefix[2 * rank(q) + 1];
    }

    /** Clears the prefix values and the positions. */
    public void destroy() {
      java.util.Arrays.fill(prefix, 0L);
      java.util.Arrays.fill(offsets, (char) 0);
    }

    @Override
    public String toString() {
      return "SparsePrefix[" + (prefix.length / 2 - 1) + " positions, redacted]";
    }
  }
}
