package io.jointly.psi.unbalanced;

/**
 * How a cache stores truncated PRF outputs, derived from its capacity {@code 2^k} alone.
 *
 * <p>An entry is the first {@code p + 8r} bits of the OPRF output (read big-endian): the top
 * {@code p} bits choose one of {@code 2^p} buckets, the next {@code 8r} bits are stored as the
 * entry's remainder (r bytes), sorted within the bucket. A lookup of a value the server's set does
 * not hold matches one of {@code n} stored entries only if all {@code p + 8r} bits agree, which for
 * PRF outputs (pseudo-random and independent of the query) has probability at most {@code n ·
 * 2^−(p + 8r)}. The layout keeps {@code p + 8r ≥ 40 + k}, so for any {@code n ≤ 2^k} a query's
 * false-positive probability is at most {@code 2^−40}.
 *
 * <p>With {@code p = k − 6} (about 32 to 64 entries per bucket when the cache is half to fully
 * used) and {@code r = ⌈(40 + k − p) / 8⌉ = 6}, an entry costs 6 bytes plus {@code 4 · 2^p / n}
 * bytes of bucket table: 6.125 bytes per item for {@code n = 2^24} at the default capacity {@code
 * 2^25}, and the bound is in fact {@code n · 2^−(k + 42)} ≤ 2^−42. Storing the full 64-bit values
 * instead would cost 8 bytes.
 *
 * @param capacityLog2 k: the cache holds at most {@code 2^k} entries with the stated bound
 * @param prefixBits p, the bucket bits
 * @param remainderBytes r, the stored bytes per entry
 */
public record CacheLayout(int capacityLog2, int prefixBits, int remainderBytes) {
  /** The smallest capacity: 2^10 entries. */
  public static final int MIN_CAPACITY_LOG2 = 10;

  /** The largest capacity: 2^32 entries (bucket offsets are unsigned 32-bit). */
  public static final int MAX_CAPACITY_LOG2 = 32;

  /** The false-positive bound per query is {@code 2^−STATISTICAL_BITS}. */
  public static final int STATISTICAL_BITS = 40;

  public CacheLayout {
    if (capacityLog2 < MIN_CAPACITY_LOG2 || capacityLog2 > MAX_CAPACITY_LOG2) {
      throw new IllegalArgumentException(
          "capacity must be 2^" + MIN_CAPACITY_LOG2 + "..2^" + MAX_CAPACITY_LOG2);
    }
    if (prefixBits != capacityLog2 - 6 || remainderBytes != remainderBytesFor(capacityLog2, prefixBits)) {
      throw new IllegalArgumentException("layout does not follow from the capacity");
    }
  }

  /** The layout of capacity {@code 2^k}. */
  public static CacheLayout forCapacityLog2(int k) {
    if (k < MIN_CAPACITY_LOG2 || k > MAX_CAPACITY_LOG2) {
      throw new IllegalArgumentException(
          "capacity must be 2^" + MIN_CAPACITY_LOG2 + "..2^" + MAX_CAPACITY_LOG2);
    }
    int p = k - 6;
    return new CacheLayout(k, p, remainderBytesFor(k, p));
  }

  /** The default layout for {@code n} items: capacity the least power of two ≥ 2n (room to grow). */
  public static CacheLayout forItems(long n) {
    long target = Math.max(1L << MIN_CAPACITY_LOG2, 2 * Math.max(n, 1));
    int k = 64 - Long.numberOfLeadingZeros(target - 1);
    if (k > MAX_CAPACITY_LOG2) {
      throw new IllegalArgumentException("more than 2^31 items");
    }
    return forCapacityLog2(k);
  }

  private static int remainderBytesFor(int k, int p) {
    return (STATISTICAL_BITS + k - p + 7) / 8;
  }

  /** {@code 2^k}. */
  public long capacity() {
    return 1L << capacityLog2;
  }

  /** {@code 2^p}. */
  public int buckets() {
    return 1 << prefixBits;
  }

  /** Bits of the output an entry fixes: {@code p + 8r}. */
  public int entryBits() {
    return prefixBits + 8 * remainderBytes;
  }

  /** The bucket of an output whose first 8 bytes (big-endian) are {@code hi}. */
  public int bucketOf(long hi) {
    return prefixBits == 0 ? 0 : (int) (hi >>> (64 - prefixBits));
  }

  /** The remainder (the {@code 8r} bits after the prefix) of an output starting with hi, lo. */
  public long remainderOf(long hi, long lo) {
    long shifted = prefixBits == 0 ? hi : (hi << prefixBits) | (lo >>> (64 - prefixBits));
    return remainderBytes == 8 ? shifted : shifted >>> (64 - 8 * remainderBytes);
  }

  /** The false-positive bound of one query against {@code n} entries: {@code n · 2^−(p + 8r)}. */
  public double falsePositiveBound(long n) {
    return n * Math.scalb(1.0, -entryBits());
  }

  /** Bytes of the bucket table: {@code 2^p + 1} unsigned 32-bit cumulative counts. */
  public long tableBytes() {
    return 4L * (buckets() + 1L);
  }
}
