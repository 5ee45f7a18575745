package io.jointly.psi.unbalanced.internal;

/**
 * Sorts 128-bit values stored as interleaved pairs {@code (hi, lo)} of longs, as unsigned
 * integers, in place: a three-way quicksort (Bentley–McIlroy style partitioning around a
 * median-of-three pivot, so runs of equal values, such as repeated items, cost linear time) with
 * insertion sort below 24 pairs. Stateless; not thread-safe on the same array.
 */
public final class PairSort {
  private PairSort() {}

  /** Sorts the first {@code n} pairs of {@code a} (a.length ≥ 2n). */
  public static void sort(long[] a, int n) {
    if (2L * n > a.length) {
      throw new IllegalArgumentException("array holds fewer than n pairs");
    }
    sort(a, 0, n - 1);
  }

  /** Compares pairs i and j of {@code a}: negative, zero or positive. */
  public static int compare(long[] a, int i, int j) {
    int c = Long.compareUnsigned(a[2 * i], a[2 * j]);
    return c != 0 ? c : Long.compareUnsigned(a[2 * i + 1], a[2 * j + 1]);
  }

  private static int compareTo(long[] a, int i, long hi, long lo) {
    int c = Long.compareUnsigned(a[2 * i], hi);
    return c != 0 ? c : Long.compareUnsigned(a[2 * i + 1], lo);
  }

  private static void sort(long[] a, int lo, int hi) {
    while (hi - lo >= 24) {
      int mid = (lo + hi) >>> 1;
      // median of three as the pivot value
      if (compare(a, mid, lo) < 0) {
        swap(a, mid, lo);
      }
      if (compare(a, hi, lo) < 0) {
        swap(a, hi, lo);
      }
      if (compare(a, hi, mid) < 0) {
        swap(a, hi, mid);
      }
      long ph = a[2 * mid];
      long pl = a[2 * mid + 1];
      // Dijkstra three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        int c = compareTo(a, i, ph, pl);
        if (c < 0) {
          swap(a, lt++, i++);
        } else if (c > 0) {
          swap(a, i, gt--);
        } else {
          i++;
        }
      }
      // recurse into the smaller side, loop on the larger (stack depth O(log n))
      if (lt - lo < hi - gt) {
        sort(a, lo, lt - 1);
        lo = gt + 1;
      } else {
        sort(a, gt + 1, hi);
        hi = lt - 1;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      for (int j = i; j > lo && compare(a, j, j - 1) < 0; j--) {
        swap(a, j, j - 1);
      }
    }
  }

  private static void swap(long[] a, int i, int j) {
    long h = a[2 * i];
    long l = a[2 * i + 1];
    a[2 * i] = a[2 * j];
    a[2 * i + 1] = a[2 * j + 1];
    a[2 * j] = h;
    a[2 * j + 1] = l;
  }
}
