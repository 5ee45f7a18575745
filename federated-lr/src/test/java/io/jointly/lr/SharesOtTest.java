package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** OT extension and correlated OTs against their definitions, with the base OTs done in the clear. */
class SharesOtTest {

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
      BigInteger[] delta = new BigInteger[m];
      for (int i = 0; i < m; i++) {
        delta[i] = new BigInteger(60, rnd).subtract(BigInteger.ONE.shiftLeft(59));
      }
      BigInteger[] keep = new BigInteger[m];
      BigInteger[] tau = sender.correlate(batch, qRows, delta, 100, keep);
      BigInteger[] got = SharesOt.Receiver.receive(batch, tRows, choices, tau, 100);
      for (int i = 0; i < m; i++) {
        assertThat(got[i].subtract(keep[i])).isEqualTo(c[i] ? delta[i] : BigInteger.ZERO);
        assertThat(keep[i].bitLength()).isLessThanOrEqualTo(100);
      }
    }
  }
}
