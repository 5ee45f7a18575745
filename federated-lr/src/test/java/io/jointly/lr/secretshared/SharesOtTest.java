package io.jointly.lr.secretshared;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.SecretAccess;
import io.jointly.ot.Iknp;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Correlated OTs against their definitions, on IKNP extension rows with the base OTs done in the
 * clear (the extension itself is tested in psi-core's {@code io.jointly.ot}).
 */
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

  /** An extension pair after base OTs in the clear. */
  private record Pair(IknpReceiver receiver, IknpSender sender) {
    static Pair of(SecureRandom receiverRandom, SecureRandom senderRandom) {
      IknpReceiver receiver = new IknpReceiver(receiverRandom);
      IknpSender sender = new IknpSender(senderRandom);
      for (int j = 0; j < Iknp.KAPPA; j++) {
        int s = sender.baseOtChoice(j, SecretAccess.insecure());
        sender.baseOtResult(j, receiver.baseOtMessage(j, s, SecretAccess.insecure()));
      }
      return new Pair(receiver, sender);
    }
  }

  @Test
  void correlate_randomChoicesAndDeltas_receiverGetsPadPlusChoiceTimesDelta() throws Exception {
    SecureRandom random = new SecureRandom();
    Pair pair = Pair.of(random, random);
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
      IknpReceiver.Extension ext = pair.receiver().extend(batch, choices, m);
      long[][] tRows = ext.rows();
      long[][] qRows = pair.sender().extend(batch, ext.message(), m);
      long[] delta = new long[m];
      for (int i = 0; i < m; i++) {
        delta[i] = rnd.nextLong() >> 4;
      }
      long[] keep = new long[2 * m];
      long[] tau = SharesOt.correlate(pair.sender(), batch, qRows, delta, 100, keep);
      long[] got = SharesOt.receive(batch, tRows, choices, tau, 100);
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
  void correlateVectors_randomChoicesAndVectors_receiverGetsPadPlusChoiceTimesVector() throws Exception {
    SecureRandom random = new SecureRandom();
    Pair pair = Pair.of(random, random);
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
      IknpReceiver.Extension ext = pair.receiver().extend(batch, choices, m);
      long[][] tRows = ext.rows();
      long[][] qRows = pair.sender().extend(batch, ext.message(), m);
      long[] delta = new long[m * len];
      for (int x = 0; x < delta.length; x++) {
        delta[x] = rnd.nextLong();
      }
      long[] keep = new long[m * len];
      long[] tau = SharesOt.correlateVectors(pair.sender(), batch, qRows, delta, m, len, keep);
      long[] got = SharesOt.receiveVectors(batch, tRows, choices, tau, m, len);
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < len; k++) {
          assertThat(got[i * len + k] - keep[i * len + k]).isEqualTo(c[i] ? delta[i * len + k] : 0L);
        }
      }
    }
  }

  /**
   * The corrections and pads of a fixed run are the ones {@code SharesOt} computed at commit
   * a4abe29, when it still held the extension (SHA-256 of the words, big-endian; inputs from
   * SHA1PRNG streams seeded with the labels below): moving the extension to psi-core changed no
   * byte of SIGMOID_PADS, FORWARD_PADS or the loss corrections.
   */
  @Test
  void correlate_pinnedRun_givesThePinnedCorrections() throws Exception {
    Pair pair = Pair.of(seeded("receiver"), seeded("sender"));
    int m = 1000;
    long[] choices = words("choices", (m + 63) >>> 6);
    choices[choices.length - 1] &= (1L << (m & 63)) - 1;
    IknpReceiver.Extension ext = pair.receiver().extend(11, choices, m);
    long[][] t = ext.rows();
    long[][] q = pair.sender().extend(11, ext.message(), m);
    long[] delta = words("delta", m);
    for (int i = 0; i < m; i++) {
      delta[i] >>= 20;
    }
    long[] keep = new long[2 * m];
    long[] tau = SharesOt.correlate(pair.sender(), 11, q, delta, 100, keep);
    assertThat(sha256(tau)).isEqualTo("7e8d1f3b08ccc0c7e73fb58f76a8417b3aa5d0a8519538bb2dc6b975d2ac07b1");
    assertThat(sha256(keep)).isEqualTo("71682e3bda7699d3f4315a54976d7d5f617e024a0bfdf09750e52660b3007c04");
    assertThat(sha256(SharesOt.receive(11, t, choices, tau, 100))).isEqualTo("cab790bda644b83ef0aa7f86f813551e4957f6af0506822e5a0ca4de3b6cbc93");
    int len = 3;
    long[] dv = words("dv", m * len);
    long[] keepV = new long[m * len];
    long[] tauV = SharesOt.correlateVectors(pair.sender(), 11, q, dv, m, len, keepV);
    assertThat(sha256(tauV)).isEqualTo("f8add2d8a04eeb552434d815a2490599d715ae886d090a76d447da7af9f64fe2");
    assertThat(sha256(keepV)).isEqualTo("65bfc728c531d24e898c5dc2c439cf766a135d1b312f636b0f6b124e267dcbd9");
    assertThat(sha256(SharesOt.receiveVectors(11, t, choices, tauV, m, len)))
        .isEqualTo("78f2c969ff810f6399f0941cc840c202719f87c49c5de8e2054f26b175b6722e");
  }

  private static SecureRandom seeded(String label) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(label.getBytes(StandardCharsets.US_ASCII));
    return r;
  }

  private static long[] words(String label, int n) throws Exception {
    SecureRandom r = seeded(label);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextLong();
    }
    return out;
  }

  private static String sha256(long[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (long x : v) {
      b.putLong(x);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }
}
