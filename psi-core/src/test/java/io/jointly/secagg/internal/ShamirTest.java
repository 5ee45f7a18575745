package io.jointly.secagg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ShamirTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void prime_isTheSmallestPrimeAbove2To256() {
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    assertThat(Shamir.P.subtract(two256)).isEqualTo(BigInteger.valueOf(297));
    assertThat(Shamir.P.isProbablePrime(200)).isTrue();
    for (int k = 1; k < 297; k++) {
      assertThat(two256.add(BigInteger.valueOf(k)).isProbablePrime(50)).as("2^256 + %d", k).isFalse();
    }
  }

  @Property(tries = 60)
  void reconstruct_anyThresholdSubset_returnsTheSecret(
      @ForAll @Size(32) byte[] secret,
      @ForAll @IntRange(min = 1, max = 12) int t,
      @ForAll @IntRange(min = 0, max = 8) int extra,
      @ForAll long seed) {
    int m = t + extra;
    int[] xs = new int[m];
    for (int i = 0; i < m; i++) {
      xs[i] = 3 * i + 1;
    }
    byte[] shares = Shamir.split(secret, t, xs, RANDOM);
    java.util.Random rnd = new java.util.Random(seed);
    int[] pick = rnd.ints(0, m).distinct().limit(t).toArray();
    int[] px = new int[t];
    byte[] pv = new byte[t * Shamir.SHARE_BYTES];
    for (int j = 0; j < t; j++) {
      px[j] = xs[pick[j]];
      System.arraycopy(shares, pick[j] * Shamir.SHARE_BYTES, pv, j * Shamir.SHARE_BYTES, Shamir.SHARE_BYTES);
    }
    assertThat(Shamir.reconstruct(px, pv)).isEqualTo(secret);
  }

  @Test
  void reconstruct_fewerThanThreshold_doesNotGiveTheSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    int[] xs = {1, 2, 3, 4, 5};
    byte[] shares = Shamir.split(secret, 4, xs, RANDOM);
    byte[] three = Arrays.copyOf(shares, 3 * Shamir.SHARE_BYTES);
    byte[] guess = Shamir.reconstruct(new int[] {1, 2, 3}, three);
    assertThat(guess == null || !Arrays.equals(guess, secret)).isTrue();
  }

  @Test
  void reconstruct_allOnesSecret_roundTrips() {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0xFF);
    int[] xs = {7, 9};
    assertThat(Shamir.reconstruct(xs, Shamir.split(secret, 2, xs, RANDOM))).isEqualTo(secret);
  }

  @Test
  void split_repeatedPoint_rejected() {
    assertThatThrownBy(() -> Shamir.split(new byte[32], 2, new int[] {1, 1}, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
