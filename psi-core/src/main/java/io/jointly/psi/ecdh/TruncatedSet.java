package io.jointly.psi.ecdh;

import java.util.Arrays;

/**
 * An insert-only hash set of fixed-width byte strings (the truncated double-blinded values), stored
 * flat: one {@code byte[]} slab plus an {@code int[]} open-addressing table, about {@code
 * width + 8} bytes per value instead of a boxed object per value. The values are pseudo-random, so
 * their first bytes make a good hash. Package-private; not thread-safe.
 */
final class TruncatedSet {
  private final int width;
  private final byte[] slab;
  private final int[] table; // 0 = empty, otherwise 1 + index into the slab
  private final int mask;
  private int size;

  TruncatedSet(int width, int capacity) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be positive");
    }
    this.width = width;
    this.slab = new byte[Math.multiplyExact(width, Math.max(capacity, 1))];
    int tableSize = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    this.table = new int[tableSize];
    this.mask = tableSize - 1;
  }

  int size() {
    return size;
  }

  /** Adds {@code values[offset .. offset+width)}; returns false if it was present. */
  boolean add(byte[] values, int offset) {
    int slot = hash(values, offset) & mask;
    while (true) {
      int e = table[slot];
      if (e == 0) {
        if ((size + 1) * width > slab.length) {
          throw new IllegalStateException("TruncatedSet capacity exceeded");
        }
        System.arraycopy(values, offset, slab, size * width, width);
        table[slot] = ++size;
        return true;
      }
      if (equalsAt(e - 1, values, offset)) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  boolean contains(byte[] values, int offset) {
    return indexOf(values, offset) >= 0;
  }

  /** The insertion index of {@code values[offset .. offset+width)}, or -1 if absent. */
  int indexOf(byte[] values, int offset) {
    int slot = hash(values, offset) & mask;
    while (true) {
      int e = table[slot];
      if (e == 0) {
        return -1;
      }
      if (equalsAt(e - 1, values, offset)) {
        return e - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean equalsAt(int index, byte[] values, int offset) {
    int base = index * width;
    return Arrays.equals(slab, base, base + width, values, offset, offset + width);
  }

  private int hash(byte[] v, int off) {
    int h = 0;
    int n = Math.min(width, 4);
    for (int i = 0; i < n; i++) {
      h = (h << 8) | (v[off + i] & 0xFF);
    }
    return h * 0x9E3779B9; // spread the (already uniform) bits over the table index
  }
}
