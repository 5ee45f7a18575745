package io.jointly.psi.vole;

/**
 * The learner's own outputs, looked up by value: an open-addressing table keyed by the outputs'
 * bytes (uniformly random strings, so their bytes are good hashes). A slot holds a 32-bit
 * fingerprint and the item index, so a lookup of a value that is not there usually touches one slot
 * and no value. Built once, then read; not thread-safe while building.
 */
final class MatchTable {
  private final byte[] values;
  private final int width;
  private final long[] slots; // (fingerprint << 32) | (index + 1); 0 = empty
  private final int mask;

  /** A table of the {@code n} outputs in {@code values} ({@code width} ≥ 5 bytes each). */
  MatchTable(byte[] values, int n, int width) {
    if (width < 5) {
      throw new IllegalArgumentException("outputs have at least 5 bytes");
    }
    this.values = values;
    this.width = width;
    int size = Integer.highestOneBit(Math.max(4, 2 * n - 1)) << 1;
    this.slots = new long[size];
    this.mask = size - 1;
    for (int i = 0; i < n; i++) {
      int off = i * width;
      long fp = fingerprint(values, off);
      int s = position(values, off);
      while (slots[s] != 0) {
        long slot = slots[s];
        if ((slot >>> 32) == fp && equal((int) slot - 1, values, off)) {
          break; // an own collision (probability below 2^-λ): the first item keeps the value
        }
        s = (s + 1) & mask;
      }
      if (slots[s] == 0) {
        slots[s] = (fp << 32) | (i + 1L);
      }
    }
  }

  /** The index of the item whose output equals {@code buf[off, off + width)}, or -1. */
  int find(byte[] buf, int off) {
    long fp = fingerprint(buf, off);
    int s = position(buf, off);
    while (true) {
      long slot = slots[s];
      if (slot == 0) {
        return -1;
      }
      if ((slot >>> 32) == fp && equal((int) slot - 1, buf, off)) {
        return (int) slot - 1;
      }
      s = (s + 1) & mask;
    }
  }

  private static final java.lang.invoke.VarHandle INTS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** The slot a value starts probing at: its first four bytes. */
  private int position(byte[] b, int off) {
    return (int) INTS.get(b, off) & mask;
  }

  /** Up to 32 further bits of the value (its bytes 4..7, as many as it has). */
  private long fingerprint(byte[] b, int off) {
    if (width >= 8) {
      return Integer.toUnsignedLong((int) INTS.get(b, off + 4));
    }
    long f = 0;
    for (int k = 4; k < width; k++) {
      f = (f << 8) | (b[off + k] & 0xFF);
    }
    return f;
  }

  private boolean equal(int item, byte[] b, int off) {
    int ao = item * width;
    int k = 0;
    for (; k + 8 <= width; k += 8) {
      if ((long) LONGS.get(values, ao + k) != (long) LONGS.get(b, off + k)) {
        return false;
      }
    }
    for (; k < width; k++) {
      if (values[ao + k] != b[off + k]) {
        return false;
      }
    }
    return true;
  }
}
