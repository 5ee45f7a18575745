package io.jointly.lr.secretshared;

import io.jointly.ot.CorrelationRobustHash;
import io.jointly.ot.IknpSender;
import java.math.BigInteger;

/**
 * The correlated OTs that turn IKNP extension rows ({@link io.jointly.ot}: {@code q_i = t_i ⊕
 * c_i·s}) into integer shares of products (Gilboa, "Two Party RSA Key Generation", CRYPTO 1999,
 * §3): the engine of the one product of secrets per row that secret-shared training needs ({@link
 * SecretSharedLr}).
 *
 * <h2>Correlated OT over the integers</h2>
 *
 * For OT i with the sender's integer {@code Δ_i}: pads {@code p⁰_i = H(i, q_i)}, {@code p¹_i =
 * H(i, q_i ⊕ s)} (low {@code padBits} bits, as non-negative integers), the sender sends {@code τ_i
 * = p⁰_i + Δ_i − p¹_i} and keeps {@code −p⁰_i}; the receiver computes {@code H(i, t_i) + c_i·τ_i
 * = p⁰_i + c_i·Δ_i}. With {@code padBits ≥ bits(Δ) + σ} what the receiver sees ({@code τ} and one
 * pad) hides Δ statistically; the sender learns nothing about c (the extension hides it). H is
 * {@link CorrelationRobustHash#hash}, the tweak unique per OT of a session (the extension batch
 * and the index).
 *
 * <h2>Correlated OT over vectors modulo 2^64</h2>
 *
 * The same with a vector {@code Δ_i} of {@code len} words per OT and pads {@code P⁰_i, P¹_i}
 * expanded from the 127-bit hashes by {@link CorrelationRobustHash#expand}; pads modulo 2^64 are
 * uniform, so {@code τ} hides Δ perfectly.
 *
 * <p>Stateless; the sender's s never leaves its {@link IknpSender}.
 */
final class SharesOt {
  private SharesOt() {}

  /**
   * Receiver side, over the integers: {@code H(i, t_i) + c_i·τ_i}, the received values {@code p⁰_i
   * + c_i·Δ_i}, as 128-bit two's complement pairs {@code (hi, lo)} at {@code [2i, 2i+1]}.
   */
  static long[] receive(long batch, long[][] rows, long[] choices, long[] tau, int padBits) {
    int m = tau.length / 2;
    long[] out = pads(CorrelationRobustHash.hash(batch, rows, m, null), padBits);
    for (int i = 0; i < m; i++) {
      if (((choices[i >>> 6] >>> (i & 63)) & 1) != 0) {
        add(out, i, tau[2 * i], tau[2 * i + 1]);
      }
    }
    return out;
  }

  /**
   * Sender side, over the integers: returns {@code τ_i = p⁰_i + Δ_i − p¹_i} to send; {@code keepOut}
   * gets {@code p⁰_i}, which the sender subtracts from its share (128-bit two's complement pairs
   * {@code (hi, lo)} at {@code [2i, 2i+1]}).
   */
  static long[] correlate(IknpSender sender, long batch, long[][] rows, long[] delta, int padBits, long[] keepOut) {
    int m = delta.length;
    long[] p0 = pads(sender.hash(batch, rows, m, false), padBits);
    long[] p1 = pads(sender.hash(batch, rows, m, true), padBits);
    System.arraycopy(p0, 0, keepOut, 0, 2 * m);
    long[] tau = p0;
    for (int i = 0; i < m; i++) {
      add(tau, i, delta[i] >> 63, delta[i]);
      add(tau, i, ~p1[2 * i] + (p1[2 * i + 1] == 0 ? 1 : 0), -p1[2 * i + 1]);
    }
    return tau;
  }

  /**
   * Vector correlated OTs modulo 2^64, receiver side: for OT i, {@code len} words {@code P⁰_i +
   * c_i·Δ_i} (row-major, {@code out[i·len + k]}), from the sender's corrections {@code τ}.
   */
  static long[] receiveVectors(long batch, long[][] rows, long[] choices, long[] tau, int m, int len) {
    long[] out = expand(CorrelationRobustHash.hash(batch, rows, m, null), m, len);
    for (int i = 0; i < m; i++) {
      if (((choices[i >>> 6] >>> (i & 63)) & 1) != 0) {
        for (int k = 0; k < len; k++) {
          out[i * len + k] += tau[i * len + k];
        }
      }
    }
    return out;
  }

  /**
   * Vector correlated OTs modulo 2^64, sender side: for OT i with the correlation {@code
   * delta[i·len .. i·len+len)}, returns {@code τ_i = P⁰_i + Δ_i − P¹_i} (word-wise, mod 2^64) to
   * send and puts {@code P⁰_i} into {@code keepOut}.
   */
  static long[] correlateVectors(IknpSender sender, long batch, long[][] rows, long[] delta, int m, int len, long[] keepOut) {
    long[] p0 = expand(sender.hash(batch, rows, m, false), m, len);
    long[] p1 = expand(sender.hash(batch, rows, m, true), m, len);
    System.arraycopy(p0, 0, keepOut, 0, m * len);
    for (int x = 0; x < m * len; x++) {
      p0[x] = p0[x] + delta[x] - p1[x];
    }
    return p0;
  }

  /**
   * Pad vectors: each OT's hash (as {@link #pads} of 127 bits) expanded into {@code len} words by
   * {@link CorrelationRobustHash#expand}.
   */
  private static long[] expand(long[] hashes, int m, int len) {
    for (int i = 0; i < m; i++) {
      hashes[2 * i + 1] &= Long.MAX_VALUE;
    }
    return CorrelationRobustHash.expand(hashes, m, len);
  }

  /**
   * The low {@code padBits} bits of each hash ({@link CorrelationRobustHash#hash}'s layout: low
   * word first) as non-negative 128-bit pairs {@code (hi, lo)} at {@code [2i, 2i+1]}, in place.
   */
  static long[] pads(long[] hashes, int padBits) {
    if (padBits < 65 || padBits > 127) {
      throw new IllegalArgumentException("pads have 65..127 bits");
    }
    long highMask = (1L << (padBits - 64)) - 1;
    for (int i = 0; i < hashes.length / 2; i++) {
      long lo = hashes[2 * i];
      hashes[2 * i] = hashes[2 * i + 1] & highMask;
      hashes[2 * i + 1] = lo;
    }
    return hashes;
  }

  /** {@code a[i] += (hi, lo)} in 128-bit two's complement. */
  static void add(long[] a, int i, long hi, long lo) {
    long l = a[2 * i + 1] + lo;
    long carry = Long.compareUnsigned(l, lo) < 0 ? 1 : 0;
    a[2 * i + 1] = l;
    a[2 * i] = a[2 * i] + hi + carry;
  }

  /** Writes {@code v} ({@code |v| < 2^127}) at {@code [2i, 2i+1]} as a 128-bit two's complement pair. */
  static void fromBigInteger(BigInteger v, long[] a, int i) {
    if (v.bitLength() > 127) {
      throw new ArithmeticException("value exceeds 128 bits");
    }
    a[2 * i + 1] = v.longValue();
    a[2 * i] = v.shiftRight(64).longValue();
  }

  /** The 128-bit two's complement pair at {@code [2i, 2i+1]} as an integer. */
  static BigInteger toBigInteger(long[] a, int i) {
    return BigInteger.valueOf(a[2 * i]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(a[2 * i + 1])));
  }
}
