package io.jointly.symmetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The hashes and the PRG against their definitions written out with single-block AES calls (whose
 * known answers {@link FixedKeyAesKatTest} checks), and the block helpers against byte arithmetic.
 */
class SymmetricPropertyTest {

  @Property(tries = 50)
  void mmo_isPermutationXorInput(@ForAll @Size(16) byte[] key, @ForAll @Size(min = 16, max = 160) byte[] data) {
    int n = data.length / 16;
    FixedKeyAes aes = new FixedKeyAes(key);
    byte[] out = Blocks.allocate(n);
    aes.mmo(data, 0, out, 0, n);
    for (int i = 0; i < n; i++) {
      byte[] x = Arrays.copyOfRange(data, 16 * i, 16 * i + 16);
      byte[] px = new byte[16];
      aes.permute(x, 0, px, 0, 1);
      for (int b = 0; b < 16; b++) {
        assertThat(out[16 * i + b]).isEqualTo((byte) (px[b] ^ x[b]));
      }
    }
    byte[] inPlace = Arrays.copyOf(data, n * 16);
    aes.mmo(inPlace, 0, inPlace, 0, n);
    assertThat(inPlace).isEqualTo(out);
  }

  @Property(tries = 40)
  void aesPrg_permutation_isAPermutation_andDependsOnlyOnTheSeed(
      @ForAll @Size(16) byte[] seed, @ForAll @IntRange(min = 0, max = 40_000) int n) {
    int[] p = new AesPrg(seed).permutation(n);
    assertThat(p).hasSize(n);
    boolean[] seen = new boolean[n];
    for (int x : p) {
      assertThat(seen[x]).isFalse();
      seen[x] = true;
    }
    assertThat(new AesPrg(seed).permutation(n)).isEqualTo(p);
  }

  /** Each of the 24 orders of 4 items about equally often over 24,000 seeds (χ² far below its 0.001 tail). */
  @org.junit.jupiter.api.Test
  void aesPrg_permutation_isUniform() {
    int[] counts = new int[24];
    byte[] seed = new byte[16];
    int trials = 24_000;
    for (int t = 0; t < trials; t++) {
      seed[0] = (byte) t;
      seed[1] = (byte) (t >>> 8);
      int[] p = new AesPrg(seed).permutation(4);
      // Lehmer code of p as an index in [0, 24).
      int code = 0;
      for (int i = 0; i < 4; i++) {
        int smaller = 0;
        for (int j = i + 1; j < 4; j++) {
          smaller += p[j] < p[i] ? 1 : 0;
        }
        code = code * (4 - i) + smaller;
      }
      counts[code]++;
    }
    double expected = trials / 24.0;
    double chi2 = 0;
    for (int c : counts) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    // 23 degrees of freedom: P(χ² > 49.7) = 0.001.
    assertThat(chi2).isLessThan(49.7);
  }

  @Property(tries = 30)
  void aesPrg_isEcbOfBigEndianCounter_howeverTheStreamIsCut(
      @ForAll @Size(16) byte[] seed, @ForAll @IntRange(min = 1, max = 70_000) int length, @ForAll @IntRange(min = 1, max = 999) int cut) {
    AesPrg prg = new AesPrg(seed);
    byte[] stream = new byte[length];
    int at = 0;
    while (at < length) {
      int c = Math.min(cut, length - at);
      prg.nextBytes(stream, at, c);
      at += c;
    }
    FixedKeyAes aes = new FixedKeyAes(seed);
    int blocks = (length + 15) / 16;
    byte[] counters = Blocks.allocate(blocks);
    for (int i = 0; i < blocks; i++) {
      counters[16 * i + 12] = (byte) (i >>> 24);
      counters[16 * i + 13] = (byte) (i >>> 16);
      counters[16 * i + 14] = (byte) (i >>> 8);
      counters[16 * i + 15] = (byte) i;
    }
    byte[] expected = Blocks.allocate(blocks);
    aes.permute(counters, 0, expected, 0, blocks);
    assertThat(stream).isEqualTo(Arrays.copyOf(expected, length));
  }

  @Property(tries = 100)
  void blocks_wordsAreLittleEndianAndXorIsBytewise(@ForAll @Size(48) byte[] a, @ForAll @Size(48) byte[] b) {
    long lo = 0;
    for (int i = 7; i >= 0; i--) {
      lo = (lo << 8) | (a[16 + i] & 0xFF);
    }
    assertThat(Blocks.lo(a, 1)).isEqualTo(lo);
    byte[] x = a.clone();
    Blocks.xorInto(x, 2, b, 0);
    Blocks.xorRange(x, 0, b, 1, 2);
    for (int i = 0; i < 16; i++) {
      assertThat(x[32 + i]).isEqualTo((byte) (a[32 + i] ^ b[i]));
      assertThat(x[i]).isEqualTo((byte) (a[i] ^ b[16 + i]));
      assertThat(x[16 + i]).isEqualTo((byte) (a[16 + i] ^ b[32 + i]));
    }
  }

  @Property(tries = 10)
  void permute_overlappingRanges_refused(@ForAll @Size(16) byte[] key) {
    FixedKeyAes aes = new FixedKeyAes(key);
    byte[] buf = Blocks.allocate(4);
    assertThatThrownBy(() -> aes.permute(buf, 0, buf, 1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
