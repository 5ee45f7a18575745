package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** OT extension and correlated OTs against their definitions, with the base OTs done in the clear. */
class SharesOtTest {

  @Test
  void add_carriesAcrossTheLowWord_matchesBigIntegerArithmetic() {
    Random rnd = new Random(3);
    for (int k = 0; k < 1000; k++) {
      long[] a = {rnd.nextLong() >> 2, rnd.nextLong()};
      long hi = rnd.nextLong() >> 2;
      long lo = rnd.nextLong();
      BigInteger want = SharesOt.toBigInteger(a, 0).add(SharesOt.toBigInteger(new long[] {hi, lo}, 0));
      SharesOt.add(a, 0, hi, lo);
      assertThat(SharesOt.toBigInteger(a, 0)).isEqualTo(want);
    }
  }

  @Test
  void transpose64_randomMatrix_equalsNaiveTranspose() {
    Random rnd = new Random(5);
    for (int round = 0; round < 20; round++) {
      long[] a = new long[64];
      for (int i = 0; i < 64; i++) {
        a[i] = rnd.nextLong();
      }
      long[] t = a.clone();
      SharesOt.transpose64(t);
      for (int r = 0; r < 64; r++) {
        for (int c = 0; c < 64; c++) {
          assertThat((t[c] >>> r) & 1).isEqualTo((a[r] >>> c) & 1);
        }
      }
    }
  }

  @Test
  void correlate_randomChoicesAndDeltas_receiverGetsPadPlusChoiceTimesDelta() {
    SecureRandom random = new SecureRandom();
    SharesOt.Receiver receiver = new SharesOt.Receiver(random);
    SharesOt.Sender sender = new SharesOt.Sender(random);
    for (int j = 0; j < SharesOt.KAPPA; j++) {
      sender.seed(j, receiver.seed(j, sender.choice(j)));
    }
    Random rnd = new Random(11);
    for (int m : new int[] {1, 63, 64, 65, 1000}) {
      long batch = m;
      long[] choices = new long[(m + 63) >>> 6];
      boolean[] c = new boolean[m];
      for (int i = 0; i < m; i++) {
        c[i] = rnd.nextBoolean();
        if (c[i]) {
          choices[i >>> 6] |= 1L << (i & 63);
        }
      }
      long[][] tRows = new long[m][2];
      long[][] u = receiver.extend(batch, choices, m, tRows);
      long[][] qRows = sender.extend(batch, u, m);
      long[] delta = new long[m];
      for (int i = 0; i < m; i++) {
        delta[i] = rnd.nextLong() >> 4;
      }
      long[] keep = new long[2 * m];
      long[] tau = sender.correlate(batch, qRows, delta, 100, keep);
      long[] got = SharesOt.Receiver.receive(batch, tRows, choices, tau, 100);
      for (int i = 0; i < m; i++) {
        BigInteger kept = SharesOt.toBigInteger(keep, i);
        assertThat(SharesOt.toBigInteger(got, i).subtract(kept)).isEqualTo(c[i] ? BigInteger.valueOf(delta[i]) : BigInteger.ZERO);
        assertThat(kept.signum()).isNotNegative();
        assertThat(kept.bitLength()).isLessThanOrEqualTo(100);
        BigInteger t = SharesOt.toBigInteger(tau, i);
        assertThat(t.abs().bitLength()).isLessThanOrEqualTo(101);
      }
    }
  }

  @Test
  void correlateVectors_randomChoicesAndVectors_receiverGetsPadPlusChoiceTimesVector() {
    SecureRandom random = new SecureRandom();
    SharesOt.Receiver receiver = new SharesOt.Receiver(random);
    SharesOt.Sender sender = new SharesOt.Sender(random);
    for (int j = 0; j < SharesOt.KAPPA; j++) {
      sender.seed(j, receiver.seed(j, sender.choice(j)));
    }
    Random rnd = new Random(12);
    int m = 90;
    for (int len : new int[] {1, 2, 7, 256}) {
      long batch = 1000 + len;
      long[] choices = new long[(m + 63) >>> 6];
      boolean[] c = new boolean[m];
      for (int i = 0; i < m; i++) {
        c[i] = rnd.nextBoolean();
        if (c[i]) {
          choices[i >>> 6] |= 1L << (i & 63);
        }
      }
      long[][] tRows = new long[m][2];
      long[][] u = receiver.extend(batch, choices, m, tRows);
      long[][] qRows = sender.extend(batch, u, m);
      long[] delta = new long[m * len];
      for (int x = 0; x < delta.length; x++) {
        delta[x] = rnd.nextLong();
      }
      long[] keep = new long[m * len];
      long[] tau = SharesOt.correlateVectors(sender, batch, qRows, delta, m, len, keep);
      long[] got = SharesOt.receiveVectors(batch, tRows, choices, tau, m, len);
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < len; k++) {
          assertThat(got[i * len + k] - keep[i * len + k]).isEqualTo(c[i] ? delta[i * len + k] : 0L);
        }
      }
    }
  }
}
