package io.jointly.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PairwiseMasksPropertyTest {
  private static final Bytes CONTEXT = Bytes.wrap("test-session".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private static List<PairwiseMasks> group(int n) throws ProtocolAbortException {
    SecureRandom random = new SecureRandom();
    List<PairwiseMasks> parties = new ArrayList<>();
    List<Bytes> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parties.add(PairwiseMasks.generate(random));
      keys.add(parties.get(i).publicKey());
    }
    for (int i = 0; i < n; i++) {
      parties.get(i).agree(i, keys, CONTEXT);
    }
    return parties;
  }

  @Property(tries = 30)
  void maskedVectors_sumToThePlainSumModulo2To64(
      @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 0, max = 300) int length,
      @ForAll @IntRange(min = 0, max = 1000) int round, @ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    List<PairwiseMasks> parties = group(n);
    long[] plain = new long[length];
    long[] masked = new long[length];
    boolean anyChanged = false;
    for (PairwiseMasks p : parties) {
      long[] v = new long[length];
      for (int i = 0; i < length; i++) {
        v[i] = rnd.nextLong();
        plain[i] += v[i];
      }
      long[] m = v.clone();
      p.mask(m, round);
      anyChanged |= !java.util.Arrays.equals(m, v);
      for (int i = 0; i < length; i++) {
        masked[i] += m[i];
      }
    }
    assertThat(masked).isEqualTo(plain);
    assertThat(anyChanged).isEqualTo(n > 1 && length > 0);
  }

  @Property(tries = 20)
  void pad_twoPartiesPadsCancel_aThirdPartysDoesNot(
      @ForAll @IntRange(min = 2, max = 5) int n, @ForAll @IntRange(min = 1, max = 64) int length,
      @ForAll @IntRange(min = 0, max = 1000) int round, @ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    List<PairwiseMasks> parties = group(n);
    int a = rnd.nextInt(n);
    int b = (a + 1 + rnd.nextInt(n - 1)) % n;
    long[] plain = new long[length];
    for (int i = 0; i < length; i++) {
      plain[i] = rnd.nextLong();
    }
    long[] sent = plain.clone();
    parties.get(a).pad(sent, b, round);
    assertThat(sent).isNotEqualTo(plain);
    long[] received = sent.clone();
    parties.get(b).pad(received, a, round);
    assertThat(received).isEqualTo(plain);
    // Another round's pad, or another pair's, does not remove it.
    long[] wrongRound = sent.clone();
    parties.get(b).pad(wrongRound, a, round + 1);
    assertThat(wrongRound).isNotEqualTo(plain);
    if (n > 2) {
      int c = (b + 1) % n == a ? (b + 2) % n : (b + 1) % n;
      long[] wrongParty = sent.clone();
      parties.get(c).pad(wrongParty, a, round);
      assertThat(wrongParty).isNotEqualTo(plain);
    }
    assertThatThrownBy(() -> parties.get(a).pad(new long[1], a, round)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mask_differsByRound_andSingleMaskIsNotZero() throws Exception {
    List<PairwiseMasks> parties = group(3);
    long[] a = new long[16];
    long[] b = new long[16];
    parties.get(0).mask(a, 1);
    parties.get(0).mask(b, 2);
    assertThat(a).isNotEqualTo(b).isNotEqualTo(new long[16]);
    assertThat(parties.get(0).toString()).doesNotContain(parties.get(0).publicKey().toString());
  }

  @Test
  void agree_keyListWithoutOwnKeyOrWithRepeats_aborts() {
    SecureRandom random = new SecureRandom();
    PairwiseMasks a = PairwiseMasks.generate(random);
    PairwiseMasks b = PairwiseMasks.generate(random);
    assertThatThrownBy(() -> a.agree(0, List.of(b.publicKey(), a.publicKey()), CONTEXT)).isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> a.agree(0, List.of(a.publicKey(), a.publicKey()), CONTEXT)).isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> a.agree(0, List.of(a.publicKey(), Bytes.wrap(new byte[32])), CONTEXT))
        .isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> a.mask(new long[1], 0)).isInstanceOf(IllegalStateException.class);
  }
}
