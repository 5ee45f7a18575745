package io.jointly.psi.vole;

/**
 * The learner's own outputs, looked up by value: an open-addressing table of item indexes keyed
 * by the outputs' bytes (uniformly random strings, so their first bytes are a good hash). Built
 * once, then read; not thread-safe while building.
 */
final class MatchTable {
  private final byte[] values;
  private final int width;
  private final int[] slots;
  private final int mask;

  /** A table of the {@code n} outputs in {@code values} ({@code width} bytes each). */
  MatchTable(byte[] values, int n, int width) {
    this.values = values;
    this.width = width;
    int size = Integer.highestOneBit(Math.max(4, 2 * n - 1)) << 1;
    this.slots = new int[size];
    this.mask = size - 1;
    java.util.Arrays.fill(slots, -1);
    for (int i = 0; i < n; i++) {
      int s = hash(values, i * width) & mask;
      while (slots[s] >= 0) {
        if (equal(values, slots[s] * width, values, i * width)) {
          break; // an own collision (probability below 2^-λ): the first item keeps the value
        }
        s = (s + 1) & mask;
      }
      if (slots[s] < 0) {
        slots[s] = i;
      }
    }
  }

  /** The index of the item whose output equals {@code buf[off, off + width)}, or -1. */
  int find(byte[] buf, int off) {
    int s = hash(buf, off) & mask;
    while (true) {
      int i = slots[s];
      if (i < 0) {
        return -1;
      }
      if (equal(values, i * width, buf, off)) {
        return i;
      }
      s = (s + 1) & mask;
    }
  }

  private int hash(byte[] b, int off) {
    int h = 0;
    for (int k = 0; k < Math.min(4, width); k++) {
      h = (h << 8) | (b[off + k] & 0xFF);
    }
    return h ^ (h >>> 16);
  }

  private boolean equal(byte[] a, int ao, byte[] b, int bo) {
    for (int k = 0; k < width; k++) {
      if (a[ao + k] != b[bo + k]) {
        return false;
      }
    }
    return true;
  }
}
