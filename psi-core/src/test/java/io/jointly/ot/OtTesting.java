package io.jointly.ot;

import io.jointly.core.SecretAccess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Test support: reproducible randomness, base OTs in the clear, digests of word arrays. */
final class OtTesting {
  private OtTesting() {}

  /** A SHA1PRNG seeded with {@code label} before first use: the same stream on every JDK. */
  static SecureRandom seeded(String label) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(label.getBytes(StandardCharsets.US_ASCII));
      return r;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static long[] words(String label, int n) {
    SecureRandom r = seeded(label);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextLong();
    }
    return out;
  }

  /** The κ base OTs done in the clear: the sender learns k_j^{s_j}. */
  static void baseOtsInTheClear(IknpReceiver receiver, IknpSender sender) {
    for (int j = 0; j < Iknp.KAPPA; j++) {
      int s = sender.baseOtChoice(j, SecretAccess.insecure());
      sender.baseOtResult(j, receiver.baseOtMessage(j, s, SecretAccess.insecure()));
    }
  }

  /** The sender's s as a block, read through its base-OT choices. */
  static long[] delta(IknpSender sender) {
    long[] s = new long[2];
    for (int j = 0; j < Iknp.KAPPA; j++) {
      s[j >>> 6] |= (long) sender.baseOtChoice(j, SecretAccess.insecure()) << (j & 63);
    }
    return s;
  }

  static long[] choices(SecureRandom random, int m) {
    long[] c = new long[Iknp.words(m)];
    for (int i = 0; i < m; i++) {
      if (random.nextBoolean()) {
        c[i >>> 6] |= 1L << (i & 63);
      }
    }
    return c;
  }

  static boolean bit(long[] v, int i) {
    return ((v[i >>> 6] >>> (i & 63)) & 1) != 0;
  }

  static String sha256(long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (long x : v) {
      b.putLong(x);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(long[][] v) {
    int n = 0;
    for (long[] r : v) {
      n += r.length;
    }
    long[] flat = new long[n];
    int k = 0;
    for (long[] r : v) {
      for (long x : r) {
        flat[k++] = x;
      }
    }
    return sha256(flat);
  }
}
