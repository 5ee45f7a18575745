package io.jointly.group.internal;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A {@link SecureRandom} that is neither secure nor random: a seeded {@link SplittableRandom}, so
 * that property tests of {@code randomScalar} are reproducible from jqwik's seed. Tests only.
 */
final class SeededSecureRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final SplittableRandom random;

  SeededSecureRandom(long seed) {
    super(new byte[0]);
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    random.nextBytes(bytes);
  }
}
