package io.jointly.ot;

import static io.jointly.ot.OtTesting.bit;
import static io.jointly.ot.OtTesting.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The IKNP extension against its definition, with the base OTs done in the clear. */
class IknpPropertyTest {

  @Property(tries = 60)
  void extend_anyChoices_everyRowSatisfiesTheCorrelation(@ForAll @IntRange(min = 0, max = 1500) int m, @ForAll long seed) throws Exception {
    IknpReceiver receiver = new IknpReceiver(seeded("r" + seed));
    IknpSender sender = new IknpSender(seeded("s" + seed));
    OtTesting.baseOtsInTheClear(receiver, sender);
    long[] s = OtTesting.delta(sender);
    long[] c = OtTesting.choices(seeded("c" + seed), m);
    IknpReceiver.Extension ext = receiver.extend(seed, c, m);
    assertThat(ext.message().length()).isEqualTo(Iknp.messageLength(m));
    long[][] t = ext.rows();
    long[][] q = sender.extend(seed, ext.message(), m);
    assertThat(t).hasNumberOfRows(m);
    assertThat(q).hasNumberOfRows(m);
    for (int i = 0; i < m; i++) {
      long[] want = bit(c, i) ? s : new long[2];
      assertThat(new long[] {q[i][0] ^ t[i][0], q[i][1] ^ t[i][1]}).as("row %d", i).containsExactly(want);
    }
  }

  @Property(tries = 30)
  void randomOts_receiverHashesTheMessageItChose(@ForAll @IntRange(min = 1, max = 700) int m, @ForAll long seed, @ForAll long tweak)
      throws Exception {
    IknpReceiver receiver = new IknpReceiver(seeded("r" + seed));
    IknpSender sender = new IknpSender(seeded("s" + seed));
    OtTesting.baseOtsInTheClear(receiver, sender);
    long[] c = OtTesting.choices(seeded("c" + seed), m);
    IknpReceiver.Extension ext = receiver.extend(0, c, m);
    long[][] q = sender.extend(0, ext.message(), m);
    long[] m0 = sender.hash(tweak, q, m, false);
    long[] m1 = sender.hash(tweak, q, m, true);
    long[] got = CorrelationRobustHash.hash(tweak, ext.rows(), m, null);
    for (int i = 0; i < m; i++) {
      long[] chosen = bit(c, i) ? m1 : m0;
      long[] other = bit(c, i) ? m0 : m1;
      assertThat(new long[] {got[2 * i], got[2 * i + 1]}).as("OT %d", i).containsExactly(chosen[2 * i], chosen[2 * i + 1]);
      assertThat(got[2 * i] == other[2 * i] && got[2 * i + 1] == other[2 * i + 1]).as("OT %d's other message", i).isFalse();
    }
  }

  /**
   * The receiver gets nothing from the sender in the extension, so its whole view — the message it
   * sends and the rows it keeps — is a function of its own seeds, choices and batch number: two
   * receivers with the same randomness, paired with senders holding different s, see the same
   * bytes, while the senders' rows differ by {@code c_i·(s ⊕ s')}.
   */
  @Property(tries = 20)
  void receiverView_sameWhateverTheSendersSecret(@ForAll @IntRange(min = 1, max = 600) int m, @ForAll long seed) throws Exception {
    long[] c = OtTesting.choices(seeded("c" + seed), m);
    IknpReceiver r1 = new IknpReceiver(seeded("r" + seed));
    IknpReceiver r2 = new IknpReceiver(seeded("r" + seed));
    IknpSender s1 = new IknpSender(seeded("s1-" + seed));
    IknpSender s2 = new IknpSender(seeded("s2-" + seed));
    long[] d1 = OtTesting.delta(s1);
    long[] d2 = OtTesting.delta(s2);
    assertThat(d1).isNotEqualTo(d2);
    OtTesting.baseOtsInTheClear(r1, s1);
    OtTesting.baseOtsInTheClear(r2, s2);
    IknpReceiver.Extension e1 = r1.extend(3, c, m);
    IknpReceiver.Extension e2 = r2.extend(3, c, m);
    assertThat(e1.message()).isEqualTo(e2.message());
    assertThat(e1.rows()).isDeepEqualTo(e2.rows());
    long[][] q1 = s1.extend(3, e1.message(), m);
    long[][] q2 = s2.extend(3, e2.message(), m);
    for (int i = 0; i < m; i++) {
      long[] want = bit(c, i) ? new long[] {d1[0] ^ d2[0], d1[1] ^ d2[1]} : new long[2];
      assertThat(new long[] {q1[i][0] ^ q2[i][0], q1[i][1] ^ q2[i][1]}).containsExactly(want);
    }
  }

  /**
   * What the sender receives, U, is padded by the output of the seed it did not get: U changes with
   * the choices exactly by c ⊕ c' in every column, and whatever the choices (all zero, all one,
   * random) its bits and the sender's rows look like fair coins.
   */
  @Test
  void senderView_looksUniformWhateverTheChoices() throws Exception {
    int m = 4096;
    long[] zeros = new long[Iknp.words(m)];
    long[] ones = new long[Iknp.words(m)];
    java.util.Arrays.fill(ones, -1L);
    long[] random = OtTesting.choices(seeded("choices"), m);
    Bytes first = null;
    long[] firstChoices = null;
    for (long[] c : new long[][] {zeros, ones, random}) {
      IknpReceiver receiver = new IknpReceiver(seeded("receiver"));
      IknpSender sender = new IknpSender(seeded("sender"));
      OtTesting.baseOtsInTheClear(receiver, sender);
      IknpReceiver.Extension ext = receiver.extend(1, c, m);
      byte[] u = ext.message().toByteArray();
      assertThat(ones(u) / (8.0 * u.length)).as("U's bits").isCloseTo(0.5, within(6 * 0.5 / Math.sqrt(8.0 * u.length)));
      long[][] q = sender.extend(1, ext.message(), m);
      long onesQ = 0;
      for (long[] row : q) {
        onesQ += Long.bitCount(row[0]) + Long.bitCount(row[1]);
      }
      double bits = 128.0 * m;
      assertThat(onesQ / bits).as("the sender's rows").isCloseTo(0.5, within(6 * 0.5 / Math.sqrt(bits)));
      if (first == null) {
        first = ext.message();
        firstChoices = c;
      } else {
        byte[] a = first.toByteArray();
        int words = Iknp.words(m);
        java.nio.ByteBuffer ba = java.nio.ByteBuffer.wrap(a);
        java.nio.ByteBuffer bu = java.nio.ByteBuffer.wrap(u);
        for (int j = 0; j < Iknp.KAPPA; j++) {
          for (int w = 0; w < words; w++) {
            int at = 8 * (j * words + w);
            assertThat(ba.getLong(at) ^ bu.getLong(at)).isEqualTo(firstChoices[w] ^ c[w]);
          }
        }
      }
    }
  }

  private static long ones(byte[] b) {
    long n = 0;
    for (byte x : b) {
      n += Integer.bitCount(x & 0xFF);
    }
    return n;
  }

  @Test
  void extend_repeatedOrDecreasingBatch_isRefusedByBothRoles() throws Exception {
    IknpReceiver receiver = new IknpReceiver(new SecureRandom());
    IknpSender sender = new IknpSender(new SecureRandom());
    OtTesting.baseOtsInTheClear(receiver, sender);
    long[] c = new long[1];
    IknpReceiver.Extension ext = receiver.extend(5, c, 10);
    sender.extend(5, ext.message(), 10);
    assertThatThrownBy(() -> receiver.extend(5, c, 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> receiver.extend(4, c, 10)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sender.extend(5, ext.message(), 10)).isInstanceOf(IllegalStateException.class);
    IknpReceiver.Extension next = receiver.extend(6, c, 10);
    assertThat(sender.extend(6, next.message(), 10)).hasNumberOfRows(10);
  }

  @Test
  void extend_messageOfTheWrongLength_abortsWithoutExtending() throws Exception {
    IknpReceiver receiver = new IknpReceiver(new SecureRandom());
    IknpSender sender = new IknpSender(new SecureRandom());
    OtTesting.baseOtsInTheClear(receiver, sender);
    IknpReceiver.Extension ext = receiver.extend(0, new long[2], 100);
    byte[] u = ext.message().toByteArray();
    assertThatThrownBy(() -> sender.extend(0, Bytes.wrap(java.util.Arrays.copyOf(u, u.length - 1)), 100))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("OT matrix");
    assertThatThrownBy(() -> sender.extend(0, ext.message(), 129)).isInstanceOf(ProtocolAbortException.class);
    assertThat(sender.extend(0, ext.message(), 100)).hasNumberOfRows(100);
  }

  @Test
  void extend_beforeEveryBaseOt_isRefused() {
    IknpReceiver receiver = new IknpReceiver(new SecureRandom());
    IknpSender sender = new IknpSender(new SecureRandom());
    for (int j = 0; j < Iknp.KAPPA - 1; j++) {
      sender.baseOtResult(j, receiver.baseOtMessage(j, sender.baseOtChoice(j, SecretAccess.insecure()), SecretAccess.insecure()));
    }
    Bytes u = receiver.extend(0, new long[1], 1).message();
    assertThatThrownBy(() -> sender.extend(0, u, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void destroyedInstances_refuseUse_andNeverPrintSecrets() {
    IknpReceiver receiver = new IknpReceiver(new SecureRandom());
    IknpSender sender = new IknpSender(new SecureRandom());
    assertThat(receiver.toString()).contains("redacted");
    assertThat(sender.toString()).contains("redacted");
    assertThat(receiver.extend(0, new long[1], 3).toString()).contains("redacted");
    receiver.destroy();
    sender.destroy();
    assertThatThrownBy(() -> receiver.extend(1, new long[1], 3)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> receiver.baseOtMessage(0, 0, SecretAccess.insecure())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sender.baseOtChoice(0, SecretAccess.insecure())).isInstanceOf(IllegalStateException.class);
  }

  @Property(tries = 50)
  void transpose64_randomMatrix_equalsNaiveTranspose(@ForAll long seed) {
    SecureRandom rnd = seeded("t" + seed);
    long[] a = new long[64];
    for (int i = 0; i < 64; i++) {
      a[i] = rnd.nextLong();
    }
    long[] t = a.clone();
    Iknp.transpose64(t);
    for (int r = 0; r < 64; r++) {
      for (int c = 0; c < 64; c++) {
        assertThat((t[c] >>> r) & 1).isEqualTo((a[r] >>> c) & 1);
      }
    }
  }

  @Property(tries = 30)
  void transpose_anyBatchSize_equalsNaiveTranspose(@ForAll @IntRange(min = 0, max = 300) int m, @ForAll long seed) {
    SecureRandom rnd = seeded("T" + seed);
    int words = Iknp.words(m);
    long[][] cols = new long[Iknp.KAPPA][words];
    for (long[] col : cols) {
      for (int w = 0; w < words; w++) {
        col[w] = rnd.nextLong();
      }
    }
    long[][] rows = new long[m][2];
    Iknp.transpose(cols, words, rows);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < Iknp.KAPPA; j++) {
        assertThat(bit(rows[i], j)).isEqualTo(bit(cols[j], i));
      }
    }
  }
}
