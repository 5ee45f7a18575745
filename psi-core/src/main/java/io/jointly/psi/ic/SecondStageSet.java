package io.jointly.psi.ic;

import java.util.Arrays;

/**
 * The set of this party's second-stage values of the peer's items, cut to the compared length:
 * the last {@code width} bytes of each full value, stored flat (one slab and an open-addressing
 * table of ints, about {@code width + 8} bytes per value). The values are pseudo-random, so their
 * bytes are their hash. The peer may send an item more than once (the reference does not
 * de-duplicate), so adding a value twice is allowed. Package-private; not thread-safe.
 */
final class SecondStageSet {
  private final int width;
  private final byte[] slab;
  private final int[] table; // 0 = empty, else 1 + index into the slab
  private final int mask;
  private int size;

  SecondStageSet(int width, int capacity) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be positive");
    }
    this.width = width;
    this.slab = new byte[Math.multiplyExact(width, Math.max(capacity, 1))];
    int tableSize = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    this.table = new int[tableSize];
    this.mask = tableSize - 1;
  }

  /** Adds the last {@code width} bytes of {@code full[offset, offset + fullLength)}. */
  void addSuffix(byte[] full, int offset, int fullLength) {
    int from = offset + fullLength - width;
    int slot = hash(full, from) & mask;
    while (table[slot] != 0) {
      if (equalsAt(table[slot] - 1, full, from)) {
        return;
      }
      slot = (slot + 1) & mask;
    }
    System.arraycopy(full, from, slab, size * width, width);
    table[slot] = ++size;
  }

  /** Whether {@code values[offset, offset + width)} is in the set. */
  boolean contains(byte[] values, int offset) {
    int slot = hash(values, offset) & mask;
    while (table[slot] != 0) {
      if (equalsAt(table[slot] - 1, values, offset)) {
        return true;
      }
      slot = (slot + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }

  private boolean equalsAt(int index, byte[] values, int offset) {
    int base = index * width;
    return Arrays.equals(slab, base, base + width, values, offset, offset + width);
  }

  /** The last four bytes (pseudo-random in every suite), spread over the table index. */
  private int hash(byte[] v, int off) {
    int end = off + width;
    int h = 0;
    for (int i = Math.max(off, end - 4); i < end; i++) {
      h = (h << 8) | (v[i] & 0xFF);
    }
    return h * 0x9E3779B9;
  }
}
