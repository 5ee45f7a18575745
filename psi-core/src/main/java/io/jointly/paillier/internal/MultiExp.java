package io.jointly.paillier.internal;

import java.math.BigInteger;
import java.util.List;

/**
 * Multi-exponentiation {@code Π bᵢ^eᵢ mod m} for non-negative exponents by Pippenger's bucket method
 * (N. Pippenger, "On the evaluation of powers and monomials", SIAM J. Comput. 9(2), 1980; in the
 * form popularised for multi-scalar multiplication: split each exponent into c-bit windows, for
 * each window multiply every base into the bucket of its digit, then combine the buckets with one
 * running product so bucket j is counted j times).
 *
 * <p>Cost for N bases and b-bit exponents: about {@code ⌈b/c⌉·(N + 2^(c+1))} multiplications plus
 * {@code b} squarings, against about {@code 1.2·b} per base for separate exponentiations. The window
 * c is chosen to minimise that count. Small inputs fall back to separate {@link BigInteger#modPow}
 * calls, whose intrinsic Montgomery kernel wins there.
 *
 * <p>Stateless and thread-safe.
 */
public final class MultiExp {
  /** Below this many bases separate {@code modPow}s are cheaper (measured in {@code bench}). */
  static final int MIN_BASES_FOR_BUCKETS = 4;

  private MultiExp() {}

  /**
   * {@code Π bases[i]^exponents[i] mod m}. Bases must be residues in [0, m); exponents ≥ 0 (as
   * unsigned magnitudes: {@code exponents[i]} is read as an unsigned 64-bit integer).
   */
  public static BigInteger multiExp(
      ModArithmetic arith, List<BigInteger> bases, long[] exponents, int from, int to) {
    BigInteger m = arith.modulus();
    int count = 0;
    int maxBits = 0;
    for (int i = from; i < to; i++) {
      if (exponents[i] != 0) {
        count++;
        maxBits = Math.max(maxBits, 64 - Long.numberOfLeadingZeros(exponents[i]));
      }
    }
    if (count == 0) {
      return BigInteger.ONE;
    }
    if (count < MIN_BASES_FOR_BUCKETS) {
      BigInteger acc = null;
      for (int i = from; i < to; i++) {
        if (exponents[i] != 0) {
          BigInteger t = bases.get(i).modPow(unsigned(exponents[i]), m);
          acc = acc == null ? t : arith.multiply(acc, t);
        }
      }
      return acc;
    }
    int c = window(count, maxBits);
    int windows = (maxBits + c - 1) / c;
    long mask = (1L << c) - 1;
    BigInteger[] buckets = new BigInteger[1 << c];
    BigInteger result = null;
    for (int w = windows - 1; w >= 0; w--) {
      if (result != null) {
        for (int s = 0; s < c; s++) {
          result = arith.square(result);
        }
      }
      java.util.Arrays.fill(buckets, null);
      int shift = w * c;
      for (int i = from; i < to; i++) {
        int d = (int) ((exponents[i] >>> shift) & mask);
        if (d != 0) {
          BigInteger b = bases.get(i);
          buckets[d] = buckets[d] == null ? b : arith.multiply(buckets[d], b);
        }
      }
      // Σ_j j·B_j as a running product from the top bucket down.
      BigInteger running = null;
      BigInteger sum = null;
      for (int j = buckets.length - 1; j >= 1; j--) {
        if (buckets[j] != null) {
          running = running == null ? buckets[j] : arith.multiply(running, buckets[j]);
        }
        if (running != null) {
          sum = sum == null ? running : arith.multiply(sum, running);
        }
      }
      if (sum != null) {
        result = result == null ? sum : arith.multiply(result, sum);
      }
    }
    return result == null ? BigInteger.ONE : result;
  }

  /** The window size minimising {@code ⌈bits/c⌉·(count + 2^(c+1))}. */
  static int window(int count, int bits) {
    int best = 1;
    double bestCost = Double.MAX_VALUE;
    for (int c = 1; c <= 16; c++) {
      double cost = Math.ceil((double) bits / c) * (count + Math.scalb(1.0, c + 1));
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }

  static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }
}
