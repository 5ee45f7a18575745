package io.jointly.symmetric;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Vectors of 128-bit blocks kept in plain {@code byte[]} arrays, 16 bytes per block, so that AES can
 * read and write them without copies. Block {@code i} occupies bytes {@code [16i, 16i + 16)}; its
 * low 64-bit word is bytes {@code 16i..16i+7} little-endian and its high word the next eight. A
 * block read as an element of GF(2^128) has the coefficient of X^j at bit j of that 128-bit
 * little-endian integer.
 *
 * <p>Words are read through a {@link VarHandle} byte-array view, which the JIT compiles to plain
 * 8-byte loads and stores. Stateless and thread-safe.
 */
public final class Blocks {
  /** Bytes in a block. */
  public static final int BYTES = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Blocks() {}

  /** A zeroed vector of {@code n} blocks. */
  public static byte[] allocate(int n) {
    if (n < 0 || n > Integer.MAX_VALUE / BYTES) {
      throw new IllegalArgumentException("block count out of range: " + n);
    }
    return new byte[n * BYTES];
  }

  /** Number of whole blocks in {@code a}. */
  public static int count(byte[] a) {
    return a.length / BYTES;
  }

  /** The low word of block {@code i}. */
  public static long lo(byte[] a, int i) {
    return (long) LONGS.get(a, i * BYTES);
  }

  /** The high word of block {@code i}. */
  public static long hi(byte[] a, int i) {
    return (long) LONGS.get(a, i * BYTES + 8);
  }

  /** The little-endian word at byte offset {@code off} (any offset). */
  public static long word(byte[] a, int off) {
    return (long) LONGS.get(a, off);
  }

  /** Writes the little-endian word at byte offset {@code off}. */
  public static void setWord(byte[] a, int off, long v) {
    LONGS.set(a, off, v);
  }

  /** Sets block {@code i} to {@code (lo, hi)}. */
  public static void set(byte[] a, int i, long lo, long hi) {
    LONGS.set(a, i * BYTES, lo);
    LONGS.set(a, i * BYTES + 8, hi);
  }

  /** {@code a[i] ^= (lo, hi)}. */
  public static void xor(byte[] a, int i, long lo, long hi) {
    int o = i * BYTES;
    LONGS.set(a, o, (long) LONGS.get(a, o) ^ lo);
    LONGS.set(a, o + 8, (long) LONGS.get(a, o + 8) ^ hi);
  }

  /** {@code dst[d] ^= src[s]}. */
  public static void xorInto(byte[] dst, int d, byte[] src, int s) {
    int od = d * BYTES;
    int os = s * BYTES;
    LONGS.set(dst, od, (long) LONGS.get(dst, od) ^ (long) LONGS.get(src, os));
    LONGS.set(dst, od + 8, (long) LONGS.get(dst, od + 8) ^ (long) LONGS.get(src, os + 8));
  }

  /** {@code dst[d] = src[s]}. */
  public static void copy(byte[] src, int s, byte[] dst, int d) {
    System.arraycopy(src, s * BYTES, dst, d * BYTES, BYTES);
  }

  /** {@code dst[d..d+n) ^= src[s..s+n)}, word by word. */
  public static void xorRange(byte[] dst, int d, byte[] src, int s, int n) {
    int od = d * BYTES;
    int os = s * BYTES;
    int end = od + n * BYTES;
    for (; od < end; od += 8, os += 8) {
      LONGS.set(dst, od, (long) LONGS.get(dst, od) ^ (long) LONGS.get(src, os));
    }
  }

  /** Whether blocks {@code a[i]} and {@code b[j]} are equal (not constant-time). */
  public static boolean equal(byte[] a, int i, byte[] b, int j) {
    return lo(a, i) == lo(b, j) && hi(a, i) == hi(b, j);
  }
}
