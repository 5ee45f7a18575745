package io.jointly.group.internal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Scalars modulo ℓ = 2^252 + 27742317777372353535851937790883648493, the order of ristretto255 (RFC
 * 9496 §4 and §4.4), as 32-byte little-endian strings.
 *
 * <p>Reduction is a constant-time binary long division: for each input bit from the top, r = 2r +
 * bit, then ℓ is subtracted if r ≥ ℓ, by a masked select of the borrow-chain result. With r < ℓ
 * before each step, 2r + 1 < 2ℓ < 2^254, so one conditional subtraction suffices and eight 32-bit
 * limbs hold every intermediate value. It costs about 10 µs for 64 bytes, which is fine for key
 * generation and tests (it is not on the per-element path); in exchange it is short, obviously
 * correct, and free of secret-dependent branches, memory indexes and {@code BigInteger}.
 *
 * <p>{@link #isCanonical} and {@link #isZero} are constant-time as well. Stateless and thread-safe.
 */
final class Scalar25519 {
  /** The length of an encoded scalar. */
  static final int LENGTH = 32;

  /** ℓ, for tests and documentation. */
  static final BigInteger ORDER =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  // ℓ in eight little-endian 32-bit limbs.
  private static final long[] L = new long[8];

  static {
    for (int i = 0; i < 8; i++) {
      L[i] = ORDER.shiftRight(32 * i).longValue() & 0xffffffffL;
    }
  }

  private Scalar25519() {}

  /**
   * The canonical 32-byte encoding of (the little-endian integer {@code in}) mod ℓ, for inputs of
   * any length up to 64 bytes (RFC 9496 §4.4: a uniform 64-byte string gives a uniform scalar).
   */
  static byte[] reduce(byte[] in) {
    if (in.length > 64) {
      throw new IllegalArgumentException("at most 64 bytes");
    }
    long[] r = new long[8];
    long[] d = new long[8];
    for (int bit = 8 * in.length - 1; bit >= 0; bit--) {
      // r = 2r + bit
      long b = (in[bit >>> 3] >>> (bit & 7)) & 1;
      for (int i = 0; i < 8; i++) {
        long w = (r[i] << 1) | b;
        b = w >>> 32;
        r[i] = w & 0xffffffffL;
      }
      // d = r - ℓ; keep d unless it borrowed
      long borrow = 0;
      for (int i = 0; i < 8; i++) {
        long w = r[i] - L[i] - borrow;
        borrow = w >>> 63;
        d[i] = w & 0xffffffffL;
      }
      long keepR = -borrow;
      for (int i = 0; i < 8; i++) {
        r[i] = (r[i] & keepR) | (d[i] & ~keepR);
      }
    }
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        out[4 * i + j] = (byte) (r[i] >>> (8 * j));
      }
    }
    Arrays.fill(r, 0);
    Arrays.fill(d, 0);
    return out;
  }

  /** 1 if the 32 bytes are a canonical scalar (the little-endian value is below ℓ), else 0. */
  static int isCanonical(byte[] s) {
    if (s.length != LENGTH) {
      return 0;
    }
    long borrow = 0;
    for (int i = 0; i < 8; i++) {
      long limb =
          (s[4 * i] & 0xffL)
              | (s[4 * i + 1] & 0xffL) << 8
              | (s[4 * i + 2] & 0xffL) << 16
              | (s[4 * i + 3] & 0xffL) << 24;
      borrow = (limb - L[i] - borrow) >>> 63;
    }
    return (int) borrow;
  }

  /** 1 if every byte is zero, else 0. */
  static int isZero(byte[] s) {
    int acc = 0;
    for (byte b : s) {
      acc |= b;
    }
    return ((acc & 0xff) - 1) >>> 31;
  }

  /** The little-endian integer of {@code s}. For tests only (not constant-time). */
  static BigInteger toBigInteger(byte[] s) {
    byte[] be = new byte[s.length + 1];
    for (int i = 0; i < s.length; i++) {
      be[s.length - i] = s[i];
    }
    return new BigInteger(be);
  }
}
