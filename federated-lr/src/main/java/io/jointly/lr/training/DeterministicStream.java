package io.jointly.lr.training;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reproducible stream of pseudo-random numbers from a public seed, the same on every JVM and easy
 * to re-implement: block {@code i} is {@code SHA-256("jointly-lr/v1" ‖ label ‖ 0x00 ‖ seed ‖ i)}
 * (seed and i as 8-byte big-endian), read as four big-endian longs.
 *
 * <p>Used for what both parties must compute identically from an agreed seed — the training split
 * and the mini-batch schedule — and never for secrets (masks and keys come from {@link
 * java.security.SecureRandom}). Not thread-safe.
 */
public final class DeterministicStream {
  private static final byte[] DOMAIN = "jointly-lr/v1".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sha256;
  private final byte[] prefix;
  private final ByteBuffer block = ByteBuffer.allocate(32);
  private long counter;

  public DeterministicStream(long seed, String label) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    prefix =
        ByteBuffer.allocate(DOMAIN.length + l.length + 1 + 8)
            .put(DOMAIN)
            .put(l)
            .put((byte) 0)
            .putLong(seed)
            .array();
    block.position(block.limit());
  }

  /** The next 64 uniformly distributed bits. */
  public long nextLong() {
    if (block.remaining() < 8) {
      sha256.update(prefix);
      sha256.update(ByteBuffer.allocate(8).putLong(counter++).array());
      block.clear();
      block.put(sha256.digest());
      block.flip();
    }
    return block.getLong();
  }

  /** Uniform in [0, bound), by rejection (no modulo bias). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive");
    }
    long b = bound;
    long limit = Long.remainderUnsigned(-b, b); // values below 2^64 mod b are rejected
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, limit) >= 0) {
        return (int) Long.remainderUnsigned(r, b);
      }
    }
  }

  /** Shuffles {@code a} in place (Fisher–Yates, from the last position down). */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
