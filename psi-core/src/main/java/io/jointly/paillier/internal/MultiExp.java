package io.jointly.paillier.internal;

import io.jointly.paillier.internal.SquareModulus.Digits;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-exponentiation {@code Π bᵢ^kᵢ mod n²} for signed 64-bit exponents, by Pippenger's bucket
 * method (N. Pippenger, "On the evaluation of powers and monomials", SIAM J. Comput. 9(2), 1980)
 * with signed digits: each exponent is recoded into c-bit digits in [−2^(c−1), 2^(c−1)); for each
 * window every base is multiplied into the bucket of its digit's magnitude, on the positive or the
 * negative side; each side's buckets are combined with one running product (so bucket j counts j
 * times) and the windows with c squarings each. The negative side is inverted once at the end: a
 * negative exponent never becomes a large positive one.
 *
 * <p>Cost for N bases and b-bit exponents: about {@code ⌈(b+1)/c⌉·(N + 2^(c+1))} multiplications
 * plus {@code 2b} squarings, against about {@code 1.2·b} per base for separate exponentiations; c
 * minimises that count. All products are on base-n digits ({@link SquareModulus}), half the cost of
 * reducing modulo {@code n²} directly. Below {@value #MIN_BASES_FOR_BUCKETS} bases separate {@link
 * BigInteger#modPow} calls (intrinsic Montgomery kernel) are cheaper.
 *
 * <p>Stateless and thread-safe.
 */
public final class MultiExp {
  /** Below this many non-zero exponents separate {@code modPow}s are cheaper. */
  public static final int MIN_BASES_FOR_BUCKETS = 4;

  private MultiExp() {}

  /**
   * {@code Π bases[i]^exponents[i] mod n²} for i in [from, to). Bases must be units in (0, n²).
   */
  public static BigInteger multiExp(
      SquareModulus sm, List<BigInteger> bases, long[] exponents, int from, int to) {
    BigInteger n2 = sm.nSquared();
    int count = 0;
    int maxBits = 0;
    for (int i = from; i < to; i++) {
      long e = exponents[i];
      if (e != 0) {
        count++;
        maxBits = Math.max(maxBits, 64 - Long.numberOfLeadingZeros(magnitude(e)));
      }
    }
    if (count == 0) {
      return BigInteger.ONE;
    }
    if (count < MIN_BASES_FOR_BUCKETS) {
      return separately(sm, bases, exponents, from, to);
    }
    int c = window(count, maxBits);
    int windows = (maxBits + 1 + c - 1) / c; // the +1 holds the final carry of signed recoding
    int[][] digits = recode(exponents, from, to, c, windows);
    Digits[] split = new Digits[to - from];
    for (int i = from; i < to; i++) {
      if (exponents[i] != 0) {
        split[i - from] = sm.split(bases.get(i));
      }
    }
    int half = 1 << (c - 1);
    Digits[] pos = new Digits[half + 1];
    Digits[] neg = new Digits[half + 1];
    Digits p = null;
    Digits q = null;
    for (int w = windows - 1; w >= 0; w--) {
      if (p != null) {
        for (int s = 0; s < c; s++) {
          p = sm.square(p);
        }
      }
      if (q != null) {
        for (int s = 0; s < c; s++) {
          q = sm.square(q);
        }
      }
      Arrays.fill(pos, null);
      Arrays.fill(neg, null);
      int[] dw = digits[w];
      for (int i = 0; i < dw.length; i++) {
        int d = dw[i];
        if (d > 0) {
          pos[d] = pos[d] == null ? split[i] : sm.multiply(pos[d], split[i]);
        } else if (d < 0) {
          neg[-d] = neg[-d] == null ? split[i] : sm.multiply(neg[-d], split[i]);
        }
      }
      p = times(sm, p, aggregate(sm, pos));
      q = times(sm, q, aggregate(sm, neg));
    }
    BigInteger result = p == null ? BigInteger.ONE : sm.join(p);
    if (q != null) {
      BigInteger inv = sm.inverse(sm.join(q));
      result = sm.join(sm.multiply(sm.split(result), sm.split(inv)));
    }
    return result;
  }

  /** {@code Π_j B_j^j} by a running product from the top bucket down; null if all are empty. */
  private static Digits aggregate(SquareModulus sm, Digits[] buckets) {
    Digits running = null;
    Digits sum = null;
    for (int j = buckets.length - 1; j >= 1; j--) {
      if (buckets[j] != null) {
        running = running == null ? buckets[j] : sm.multiply(running, buckets[j]);
      }
      if (running != null) {
        sum = sum == null ? running : sm.multiply(sum, running);
      }
    }
    return sum;
  }

  private static Digits times(SquareModulus sm, Digits a, Digits b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : sm.multiply(a, b);
  }

  /**
   * Signed c-bit digits of every exponent, window-major: {@code k = Σ_w d[w]·2^(w·c)} with {@code
   * d[w] ∈ [−2^(c−1), 2^(c−1))}, the top digit up to {@code +2^(c−1)}. The magnitude (at most 2^63, unsigned) is recoded and the digits
   * take the exponent's sign.
   */
  static int[][] recode(long[] exponents, int from, int to, int c, int windows) {
    int[][] digits = new int[windows][to - from];
    long mask = (1L << c) - 1;
    long half = 1L << (c - 1);
    for (int i = from; i < to; i++) {
      long e = exponents[i];
      long u = magnitude(e); // unsigned, ≤ 2^63
      int sign = e < 0 ? -1 : 1;
      for (int w = 0; w < windows; w++) {
        long d = u & mask;
        u >>>= c;
        if (d >= half && w < windows - 1) {
          d -= 1L << c;
          u += 1; // carry into the next window; u < 2^(64−c), so this cannot overflow
        }
        digits[w][i - from] = (int) d * sign;
      }
      if (u != 0) {
        throw new IllegalStateException("signed recoding ran out of windows");
      }
    }
    return digits;
  }

  private static BigInteger separately(
      SquareModulus sm, List<BigInteger> bases, long[] exponents, int from, int to) {
    BigInteger n2 = sm.nSquared();
    BigInteger pos = BigInteger.ONE;
    BigInteger neg = BigInteger.ONE;
    boolean anyNeg = false;
    for (int i = from; i < to; i++) {
      long e = exponents[i];
      if (e == 0) {
        continue;
      }
      BigInteger t = bases.get(i).modPow(unsigned(magnitude(e)), n2);
      if (e > 0) {
        pos = pos.multiply(t).mod(n2);
      } else {
        neg = neg.multiply(t).mod(n2);
        anyNeg = true;
      }
    }
    return anyNeg ? pos.multiply(sm.inverse(neg)).mod(n2) : pos;
  }

  /** The window size minimising {@code ⌈(bits+1)/c⌉·(count + 2^(c+1)) + 2·bits}. */
  static int window(int count, int bits) {
    int best = 1;
    double bestCost = Double.MAX_VALUE;
    for (int c = 2; c <= 20; c++) {
      double cost = Math.ceil((double) (bits + 1) / c) * (count + Math.scalb(1.0, c + 1));
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }

  /** |e| as an unsigned 64-bit value ({@code Long.MIN_VALUE} gives 2^63). */
  static long magnitude(long e) {
    return e < 0 ? -e : e;
  }

  static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }
}
