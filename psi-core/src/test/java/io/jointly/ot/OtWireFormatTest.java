package io.jointly.ot;

import static io.jointly.ot.OtTesting.seeded;
import static io.jointly.ot.OtTesting.sha256;
import static io.jointly.ot.OtTesting.words;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.SecretAccess;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the outputs that wire formats built on this package depend on (the pads and OT matrices of
 * federated-lr's secret-shared training): the expected values were computed by federated-lr's
 * {@code SharesOt} at commit a4abe29, before the extension moved here, from the same reproducible
 * inputs (SHA1PRNG streams seeded with the labels below). Not official vectors — there are none for
 * these constructions — but proof that the move changed no byte.
 */
class OtWireFormatTest {
  private static final int M = 100;

  private static long[][] rows() {
    long[] flat = words("rows", 2 * M);
    long[][] rows = new long[M][2];
    for (int i = 0; i < M; i++) {
      rows[i][0] = flat[2 * i];
      rows[i][1] = flat[2 * i + 1];
    }
    return rows;
  }

  /** The old layout of a hash: per row (high word with bits above {@code bits − 64} cleared, low word). */
  private static long[] oldPads(long[] h, int bits) {
    long highMask = (1L << (bits - 64)) - 1;
    long[] out = new long[h.length];
    for (int i = 0; i < h.length / 2; i++) {
      out[2 * i] = h[2 * i + 1] & highMask;
      out[2 * i + 1] = h[2 * i];
    }
    return out;
  }

  /** The old expansion of a row's pad: the 127-bit hash as the seed. */
  private static long[] oldExpand(long tweak, long[][] rows, long[] xor, int len) {
    long[] h = CorrelationRobustHash.hash(tweak, rows, M, xor);
    for (int i = 0; i < M; i++) {
      h[2 * i + 1] &= Long.MAX_VALUE;
    }
    return CorrelationRobustHash.expand(h, M, len);
  }

  @Test
  void prg_fixedSeedAndBatch_givesThePinnedStream() {
    byte[] seed = new byte[16];
    for (int i = 0; i < 16; i++) {
      seed[i] = (byte) i;
    }
    assertThat(Iknp.prg(seed, 7, 5))
        .containsExactly(0x150cc367e1f99e46L, 0x05e1eef56725c2a9L, 0xfdd8afc2626d33cdL, 0x0fd20a8ca7504109L, 0x1d03d8d919450e60L);
  }

  @Test
  void hash_pinnedRows_givesThePinnedPads() {
    long[][] rows = rows();
    long[] xor = words("xor", 2);
    assertThat(xor).containsExactly(0xe60a9e03c1919712L, 0xc8d73226af4d88a9L);
    assertThat(sha256(oldPads(CorrelationRobustHash.hash(5, rows, M, null), 127)))
        .isEqualTo("ca2e1b75665283289802952988a2c7f1883dcd0ecd2c06bae79c257898dc4f2b");
    assertThat(sha256(oldPads(CorrelationRobustHash.hash(5, rows, M, xor), 127)))
        .isEqualTo("ac5aec5c3696092471a39db5d876e75a2c45ce7f35e3edd9128c342cc2200372");
    assertThat(sha256(oldPads(CorrelationRobustHash.hash(5, rows, M, xor), 100)))
        .isEqualTo("7b24da28f3ec229291f641595869fe9d1bafff616729f0a27a21958f9822ebb3");
    assertThat(oldPads(CorrelationRobustHash.hash(1L << 62 | 9, rows, 3, null), 127))
        .containsExactly(
            0x6e23622b857fdc03L, 0x7911c322b0626b8dL, 0x27ac3baa98df7590L, 0xd581a9f514952263L, 0x0da8cc54df4b8505L, 0x32c715b9043e2fcbL);
  }

  @Test
  void expand_pinnedSeeds_givesThePinnedWords() {
    long[][] rows = rows();
    long[] xor = words("xor", 2);
    assertThat(sha256(oldExpand(5, rows, null, 7))).isEqualTo("60dc769a758b87c1dd9d3c1bc0357f7a280c894e82a9bbf24a8b1c1eac285c9e");
    assertThat(sha256(oldExpand(5, rows, xor, 1))).isEqualTo("aa77f81159e7b035b35622ac427d6e02e6d7a451a1a0630f3478eb7ab63ae71a");
    assertThat(sha256(oldExpand(5, rows, xor, 256))).isEqualTo("4078bdf4f29e73c1fb3107f22fd8de37ad3ae0f2220a79868ec449cb5b30eca8");
  }

  @Test
  void extend_pinnedSeedsAndChoices_givesThePinnedMatrixAndRows() throws Exception {
    IknpReceiver receiver = new IknpReceiver(seeded("receiver"));
    IknpSender sender = new IknpSender(seeded("sender"));
    long[] seeds = new long[4 * Iknp.KAPPA];
    StringBuilder choices = new StringBuilder();
    for (int j = 0; j < Iknp.KAPPA; j++) {
      for (int bit = 0; bit < 2; bit++) {
        ByteBuffer k = ByteBuffer.wrap(receiver.baseOtMessage(j, bit, SecretAccess.insecure()));
        seeds[4 * j + 2 * bit] = k.getLong(0);
        seeds[4 * j + 2 * bit + 1] = k.getLong(8);
      }
      choices.append(sender.baseOtChoice(j, SecretAccess.insecure()));
    }
    assertThat(sha256(seeds)).isEqualTo("c3dd22a40e758765c1510d2eac8396a4bac9f9c6f9814445aec333a028ffbd17");
    assertThat(choices)
        .hasToString("00010101000110110100000100101011100000100001001101110101011010100011011010000100101011101111110010111000101011001111001011111111");
    OtTesting.baseOtsInTheClear(receiver, sender);
    int m = 1000;
    long[] c = words("choices", Iknp.words(m));
    c[c.length - 1] &= (1L << (m & 63)) - 1;
    IknpReceiver.Extension ext = receiver.extend(11, c, m);
    long[][] q = sender.extend(11, ext.message(), m);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ext.message().toByteArray())))
        .isEqualTo("93f99a39a77f5037058292f034967911c18a68bb5b5fab0eff9e1c03accc73a2");
    assertThat(sha256(ext.rows())).isEqualTo("ff931652b54e310ec2176e3333b3903d7efd8f793d23658ff8c78f25257ca05c");
    assertThat(sha256(q)).isEqualTo("b5fda6e5ea030567853f292e37494b90ede85036fb4a78eddcd30b3eebb42ec3");
  }
}
