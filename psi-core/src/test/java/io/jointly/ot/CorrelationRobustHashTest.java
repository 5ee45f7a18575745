package io.jointly.ot;

import static io.jointly.ot.OtTesting.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The hashes against their definitions, computed block by block with an independent AES (Bouncy
 * Castle's engine): {@code H(i, x) = π(π(x) ⊕ i) ⊕ π(x)} with the tweak {@code tweak ‖ i}, and the
 * expansion {@code π(y) ⊕ y}, y = seed ⊕ b.
 */
class CorrelationRobustHashTest {

  private static byte[] pi(byte[] block) {
    BlockCipher aes = AESEngine.newInstance();
    aes.init(true, new KeyParameter("jointly-ot/v1\0\0\0".getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[16];
    aes.processBlock(block, 0, out, 0);
    return out;
  }

  private static byte[] bytes(long hi, long lo) {
    return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[16];
    for (int i = 0; i < 16; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  @Property(tries = 40)
  void hash_anyRows_equalsTheDefinitionBlockByBlock(
      @ForAll @IntRange(min = 0, max = 200) int m, @ForAll long tweak, @ForAll boolean withXor, @ForAll long seed) {
    SecureRandom rnd = seeded("h" + seed);
    long[][] rows = new long[m][2];
    for (long[] row : rows) {
      row[0] = rnd.nextLong();
      row[1] = rnd.nextLong();
    }
    long[] xor = withXor ? new long[] {rnd.nextLong(), rnd.nextLong()} : null;
    long[] h = CorrelationRobustHash.hash(tweak, rows, m, xor);
    assertThat(h).hasSize(2 * m);
    for (int i = 0; i < m; i++) {
      byte[] x = bytes(rows[i][1] ^ (xor == null ? 0 : xor[1]), rows[i][0] ^ (xor == null ? 0 : xor[0]));
      byte[] px = pi(x);
      byte[] want = xor(pi(xor(px, bytes(tweak, i))), px);
      ByteBuffer w = ByteBuffer.wrap(want);
      assertThat(new long[] {h[2 * i], h[2 * i + 1]}).as("row %d", i).containsExactly(w.getLong(8), w.getLong(0));
    }
  }

  @Property(tries = 40)
  void expand_anySeeds_equalsTheDefinitionBlockByBlock(
      @ForAll @IntRange(min = 0, max = 40) int m, @ForAll @IntRange(min = 1, max = 9) int len, @ForAll long seed) {
    SecureRandom rnd = seeded("e" + seed);
    long[] seeds = new long[2 * m];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = rnd.nextLong();
    }
    long[] out = CorrelationRobustHash.expand(seeds, m, len);
    assertThat(out).hasSize(m * len);
    for (int i = 0; i < m; i++) {
      ByteBuffer stream = ByteBuffer.allocate(16 * ((len + 1) / 2));
      for (int b = 0; b < (len + 1) / 2; b++) {
        byte[] y = bytes(seeds[2 * i + 1], seeds[2 * i] ^ b);
        stream.put(xor(pi(y), y));
      }
      for (int k = 0; k < len; k++) {
        assertThat(out[i * len + k]).as("seed %d word %d", i, k).isEqualTo(stream.getLong(8 * k));
      }
    }
  }
}
