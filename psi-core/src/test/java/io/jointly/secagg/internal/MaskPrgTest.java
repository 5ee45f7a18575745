package io.jointly.secagg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class MaskPrgTest {

  /** The stream as an independent implementation computes it: Bouncy Castle AES-256 in CTR mode. */
  private static long[] reference(byte[] seed, int words) {
    SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
    ctr.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[16]));
    byte[] ks = new byte[((words * 8) + 15) & ~15];
    ctr.processBytes(new byte[ks.length], 0, ks.length, ks, 0);
    long[] out = new long[words];
    ByteBuffer.wrap(ks).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
    return out;
  }

  @Property(tries = 40)
  void apply_anyEvenSlice_matchesTheReferenceStream(
      @ForAll @Size(32) byte[] seed,
      @ForAll @IntRange(min = 0, max = 3000) int halfStart,
      @ForAll @IntRange(min = 0, max = 9000) int count) {
    int start = 2 * halfStart;
    long[] ref = reference(seed, start + count);
    long[] acc = new long[count];
    MaskPrg.apply(seed, start, acc, 0, count, false);
    for (int i = 0; i < count; i++) {
      assertThat(acc[i]).isEqualTo(ref[start + i]);
    }
    MaskPrg.apply(seed, start, acc, 0, count, true);
    assertThat(acc).isEqualTo(new long[count]);
  }

  @Test
  void stream_nextInt_staysInRangeAndIsDeterministic() {
    byte[] seed = new byte[32];
    seed[0] = 1;
    MaskPrg.Stream a = MaskPrg.stream(seed);
    MaskPrg.Stream b = MaskPrg.stream(seed);
    for (int i = 0; i < 1000; i++) {
      int bound = 1 + i % 97;
      int v = a.nextInt(bound);
      assertThat(v).isBetween(0, bound - 1).isEqualTo(b.nextInt(bound));
    }
  }
}
