package io.jointly.secagg.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Shamir's t-of-m secret sharing (Shamir, "How to share a secret", CACM 1979) of 256-bit secrets
 * over the prime field GF(P), P = 2^256 + 297.
 *
 * <p><b>Why this field.</b> The secrets of secure aggregation are 32-byte strings (a self-mask
 * seed, an X25519 scalar) and must be shared whole: every 256-bit string is an element of GF(P)
 * because P &gt; 2^256, so a secret is its own field element and reconstruction returns it
 * exactly. P is the smallest prime above 2^256 ({@code BigInteger.nextProbablePrime} of 2^256; the
 * tests check it with 200 Miller–Rabin rounds and that every number between 2^256 and P is
 * composite). Sharing byte-wise over GF(2^8) would also work but caps the number of shareholders
 * at 255, which the 200-client goal of secure aggregation comes too close to; one share of 33
 * bytes per secret costs no more than 32 byte-wise shares.
 *
 * <p>Shares are evaluations {@code (x, f(x))} of a random polynomial of degree {@code t − 1} with
 * {@code f(0)} the secret, at the distinct non-zero points {@code x} the caller names (secure
 * aggregation uses roster index + 1). Any {@code t} shares determine the secret by Lagrange
 * interpolation at 0; fewer than {@code t} are uniformly distributed and independent of it.
 *
 * <p>Not constant-time: {@link BigInteger} arithmetic leaks timing of the values it works on, and
 * its immutable values cannot be zeroed. The shares and secrets it handles are short-lived and
 * never leave the process unencrypted except as protocol messages meant to carry them.
 *
 * <p>Stateless and thread-safe.
 */
public final class Shamir {
  /** The field prime: 2^256 + 297. */
  public static final BigInteger P = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));

  /** Bytes of a share value (big-endian, fixed length: P has 257 bits). */
  public static final int SHARE_BYTES = 33;

  /** Bytes of a secret. */
  public static final int SECRET_BYTES = 32;

  private Shamir() {}

  /**
   * Shares a 32-byte secret: the value of the share for {@code xs[i]} is element {@code i} of the
   * result, {@link #SHARE_BYTES} bytes each, concatenated.
   *
   * @param secret the secret, 32 bytes (read as an unsigned big-endian integer)
   * @param threshold t ≥ 1: how many shares reconstruct it
   * @param xs the distinct evaluation points, each in [1, 2^31)
   */
  public static byte[] split(byte[] secret, int threshold, int[] xs, SecureRandom random) {
    Objects.requireNonNull(random);
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("secret must be " + SECRET_BYTES + " bytes");
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be >= 1");
    }
    checkPoints(xs);
    BigInteger[] coefficients = new BigInteger[threshold];
    coefficients[0] = new BigInteger(1, secret);
    for (int i = 1; i < threshold; i++) {
      coefficients[i] = randomElement(random);
    }
    byte[] out = new byte[xs.length * SHARE_BYTES];
    for (int i = 0; i < xs.length; i++) {
      BigInteger x = BigInteger.valueOf(xs[i]);
      BigInteger y = BigInteger.ZERO;
      for (int c = threshold - 1; c >= 0; c--) { // Horner
        y = y.multiply(x).add(coefficients[c]).mod(P);
      }
      writeElement(y, out, i * SHARE_BYTES);
    }
    return out;
  }

  /**
   * Reconstructs the secret from shares: {@code values} holds the share values for {@code xs}, in
   * order, {@link #SHARE_BYTES} bytes each. The caller passes exactly as many shares as the
   * threshold (extra shares of a consistent sharing give the same answer).
   *
   * @return the 32-byte secret, or {@code null} if the interpolated value is not below 2^256 (the
   *     shares were not a sharing of a 32-byte secret) or a share value is not below P
   */
  public static byte[] reconstruct(int[] xs, byte[] values) {
    checkPoints(xs);
    if (values.length != xs.length * SHARE_BYTES || xs.length == 0) {
      throw new IllegalArgumentException("need one share value of " + SHARE_BYTES + " bytes per point");
    }
    BigInteger secret = BigInteger.ZERO;
    for (int i = 0; i < xs.length; i++) {
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(values, i * SHARE_BYTES, (i + 1) * SHARE_BYTES));
      if (y.compareTo(P) >= 0) {
        return null;
      }
      // Lagrange basis at 0: prod_{j != i} x_j / (x_j - x_i)
      BigInteger num = BigInteger.ONE;
      BigInteger den = BigInteger.ONE;
      BigInteger xi = BigInteger.valueOf(xs[i]);
      for (int j = 0; j < xs.length; j++) {
        if (j != i) {
          BigInteger xj = BigInteger.valueOf(xs[j]);
          num = num.multiply(xj).mod(P);
          den = den.multiply(xj.subtract(xi)).mod(P);
        }
      }
      secret = secret.add(y.multiply(num).multiply(den.modInverse(P))).mod(P);
    }
    if (secret.bitLength() > SECRET_BYTES * 8) {
      return null;
    }
    byte[] out = new byte[SECRET_BYTES];
    byte[] raw = secret.toByteArray();
    int len = Math.min(raw.length, SECRET_BYTES);
    System.arraycopy(raw, raw.length - len, out, SECRET_BYTES - len, len);
    return out;
  }

  private static void checkPoints(int[] xs) {
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] < 1) {
        throw new IllegalArgumentException("evaluation points must be >= 1");
      }
      for (int j = 0; j < i; j++) {
        if (xs[j] == xs[i]) {
          throw new IllegalArgumentException("evaluation points must be distinct");
        }
      }
    }
  }

  private static BigInteger randomElement(SecureRandom random) {
    BigInteger r;
    do {
      r = new BigInteger(257, random);
    } while (r.compareTo(P) >= 0);
    return r;
  }

  private static void writeElement(BigInteger y, byte[] out, int offset) {
    byte[] raw = y.toByteArray(); // up to 34 bytes with a sign byte
    int len = Math.min(raw.length, SHARE_BYTES);
    System.arraycopy(raw, raw.length - len, out, offset + SHARE_BYTES - len, len);
  }
}
