package io.jointly.group.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;

/**
 * Arithmetic in GF(p), p = 2^255 − 19, the field of Curve25519 (RFC 7748 §4.1), for the
 * ristretto255 group (RFC 9496 §4).
 *
 * <h2>Representation</h2>
 *
 * An element is a {@code long[5]} of limbs in radix 2^51: {@code a = a[0] + a[1]·2^51 + a[2]·2^102
 * + a[3]·2^153 + a[4]·2^204}. Radix 2^51 rather than four 64-bit limbs because Java has no
 * add-with-carry and (before Java 18) no unsigned high multiply: with 51-bit limbs every column of
 * five limb products is below 2^113, carries are plain shifts, and the reduction 2^255 ≡ 19 is a
 * multiplication by 19 of a 51-bit-aligned limb. A column is computed modulo 2^64 with integer
 * multiplications and, at the same time, approximately in double precision; the exact high part
 * follows from the two (see the comment above {@link #mul}). That costs one integer and one
 * floating-point multiplication per limb product, where a {@link Math#multiplyHigh} high part (this
 * class's first version) cost two integer multiplications.
 *
 * <p>Limb bounds, which every caller must respect:
 *
 * <ul>
 *   <li>a <em>reduced</em> element has every limb below 2^51 + 2^16 (not necessarily below p);
 *       {@link #mul}, {@link #square}, {@link #sub}, {@link #neg}, {@link #carry} and {@link
 *       #fromBytes} return reduced elements;
 *   <li>{@link #add} does not carry: the sum of two reduced elements has limbs below 2^53, which is
 *       still a valid input of {@code mul}, {@code square}, {@code sub} and {@code carry}, but must
 *       not be added again; likewise a − b + 2p without carrying ({@link #P2_0}, {@link #P2_N};
 *       the X25519 ladder's differences) of two reduced elements;
 *   <li>{@link #mul} and {@link #square} take inputs with limbs below 2^53;
 *       {@link #sub} takes limbs below 2^54.
 * </ul>
 *
 * Only {@link #encode} and the predicates built on it produce the unique representative in [0, p).
 *
 * <h2>Constant time</h2>
 *
 * Every method is written without branches or memory indexes that depend on the values of the
 * elements (loop counts depend only on public exponents); selections use masks. {@link #decode}
 * computes its canonical flag in constant time too. The JVM gives no formal guarantee about the
 * machine code it emits; the code avoids the constructs that are known to make it vary (branches,
 * table indexes, division, {@code BigInteger}). {@link #fromBigInteger} and {@link #toBigInteger}
 * are for constants and tests only and are not constant-time.
 *
 * <p>Output arrays may alias inputs. Methods are static and stateless, hence thread-safe; the
 * arrays themselves are not.
 */
final class Field25519 {
  /** The mask of one 51-bit limb. */
  static final long MASK51 = (1L << 51) - 1;

  /** p = 2^255 − 19. */
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /**
   * SQRT_M1, a square root of −1, as given in decimal in RFC 9496 §4.1 (it equals 2^((p − 1)/4);
   * the tests check both). Never modified.
   */
  static final long[] SQRT_M1 =
      fromDecimal("19681161376707505956807079304988542015446066515923890162744021073123829784752");

  // 16·p in limbs, added in sub() so that a − b stays non-negative for inputs below 2^54.
  private static final long P16_0 = 16 * ((1L << 51) - 19);
  private static final long P16_N = 16 * ((1L << 51) - 1);

  // 2·p in limbs: added to a − b of reduced elements (limbs below 2^52, b's at most 2^52 − 38),
  // the difference stays non-negative and below 2^53 without a carry pass — a valid input of mul
  // and square, not of add (the X25519 ladder's differences that only feed a multiplication).
  static final long P2_0 = 2 * ((1L << 51) - 19);
  static final long P2_N = 2 * ((1L << 51) - 1);

  private Field25519() {}

  /** A new zero element. */
  static long[] create() {
    return new long[5];
  }

  /** A new element with value {@code v} (small, non-negative). */
  static long[] of(long v) {
    if (v < 0 || v > MASK51) {
      throw new IllegalArgumentException("small constant out of range");
    }
    long[] r = new long[5];
    r[0] = v;
    return r;
  }

  static void zero(long[] r) {
    r[0] = 0;
    r[1] = 0;
    r[2] = 0;
    r[3] = 0;
    r[4] = 0;
  }

  static void one(long[] r) {
    r[0] = 1;
    r[1] = 0;
    r[2] = 0;
    r[3] = 0;
    r[4] = 0;
  }

  static void copy(long[] a, long[] r) {
    System.arraycopy(a, 0, r, 0, 5);
  }

  /** r = a + b without carrying (see the limb bounds in the class comment). */
  static void add(long[] a, long[] b, long[] r) {
    r[0] = a[0] + b[0];
    r[1] = a[1] + b[1];
    r[2] = a[2] + b[2];
    r[3] = a[3] + b[3];
    r[4] = a[4] + b[4];
  }

  /** r = a − b, reduced. Inputs may have limbs up to 2^54. */
  static void sub(long[] a, long[] b, long[] r) {
    long r0 = a[0] - b[0] + P16_0;
    long r1 = a[1] - b[1] + P16_N;
    long r2 = a[2] - b[2] + P16_N;
    long r3 = a[3] - b[3] + P16_N;
    long r4 = a[4] - b[4] + P16_N;
    carryInto(r0, r1, r2, r3, r4, r);
  }

  /** r = −a, reduced. */
  static void neg(long[] a, long[] r) {
    long r0 = P16_0 - a[0];
    long r1 = P16_N - a[1];
    long r2 = P16_N - a[2];
    long r3 = P16_N - a[3];
    long r4 = P16_N - a[4];
    carryInto(r0, r1, r2, r3, r4, r);
  }

  /** Reduces the limbs of {@code a} (below 2^62) to the reduced bounds. */
  static void carry(long[] a, long[] r) {
    carryInto(a[0], a[1], a[2], a[3], a[4], r);
  }

  // One carry pass over non-negative limbs below 2^62, done in parallel: every limb keeps its low
  // 51 bits and receives the carry (below 2^11) of the limb below it; the carry out of limb 4
  // re-enters limb 0 times 19 (2^255 ≡ 19). Afterwards limb 0 is below 2^51 + 19·2^11 and the
  // others below 2^51 + 2^11: reduced. (square passes limbs 0–3 up to 2^63 with a small limb 4;
  // its comment shows that the result is reduced as well.) Parallel rather than sequential carries
  // keep the latency
  // of a multiplication short, which matters in the long squaring chains of pow22523/invert.
  private static void carryInto(long r0, long r1, long r2, long r3, long r4, long[] r) {
    long c0 = r0 >>> 51;
    long c1 = r1 >>> 51;
    long c2 = r2 >>> 51;
    long c3 = r3 >>> 51;
    long c4 = r4 >>> 51;
    r[0] = (r0 & MASK51) + times19(c4);
    r[1] = (r1 & MASK51) + c0;
    r[2] = (r2 & MASK51) + c1;
    r[3] = (r3 & MASK51) + c2;
    r[4] = (r4 & MASK51) + c3;
  }

  // 19·x as shifts and additions, used where it measured faster than an IMUL.
  private static long times19(long x) {
    return (x << 4) + (x << 1) + x;
  }

  /**
   * Whether {@link Math#fma} is a hardware instruction in this JVM: HotSpot's {@code UseFMA} flag,
   * which it turns on by default exactly when the CPU has FMA and which gates its fma intrinsic.
   * If the flag cannot be read (another JVM, no {@code jdk.management} module), false.
   */
  private static final boolean FMA = hardwareFma();

  private static boolean hardwareFma() {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm != null && "true".equals(vm.getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * a·b + c: one fused multiply-add where the CPU has one, else a multiplication and an addition
   * (Math.fma's software fallback is slow and not constant-time). The column error bounds below
   * hold for either: the unfused form adds one rounding to the products it multiplies here, and
   * the rounding counts below are taken for the unfused form.
   */
  private static double mulAdd(double a, double b, double c) {
    return FMA ? Math.fma(a, b, c) : a * b + c;
  }

  /** 2^−51, to scale a limb into the unit of the column quotients below (exact in a double). */
  private static final double TWO_M51 = 0x1p-51;

  // Products are computed per column k: the exact integer
  //   S_k = Σ_{i+j=k} f_i·g_j + 19·Σ_{i+j=k+5} f_i·g_j
  // (the products with i + j ≥ 5 wrap around 2^255 ≡ 19), split as S_k = q_k·2^51 + l_k with
  // l_k = S_k mod 2^51. Java has no 64×64→128-bit multiplication in one operation, and two
  // multiplications per limb product (Math.multiplyHigh and the low product, as this class did
  // before) keep the integer multiplier busy twice as long as C code. So each column is computed
  // twice, cheaply:
  //   w_k = S_k mod 2^64, exactly, with wrapping long arithmetic (one integer multiplication per
  //       limb product);
  //   e_k ≈ S_k / 2^51 in double precision (one floating-point multiplication per limb product,
  //       on the FPU's own multipliers), truncated to a long.
  // The low 13 bits of q_k are exact in w_k: w_k >>> 51 = q_k mod 2^13. The error of e_k is below
  // 2^11 (bound below), so q_k is the one integer ≡ w_k >>> 51 (mod 2^13) within 2^12 of e_k:
  //   q_k = e_k + sext13((w_k >>> 51) − e_k),   sext13(x) = (x << 51) >> 51 ∈ [−2^12, 2^12),
  // and l_k = w_k & MASK51. Column k's value is l_k + q_k·2^51: q_k belongs to limb k + 1, and
  // column 4's q wraps to limb 0 with factor 19.
  //
  // Bounds for inputs below 2^53. Column 0 has the largest S: one direct and four wrapped
  // products, S_0 < (1 + 4·19)·2^106 < 2^112.3, so q_k < 2^61.3; column 4 has no wrapped product,
  // S_4 < 5·2^106 and 19·q_4 < 2^61.7. Every carry input l + q is below 2^62.
  //
  // Error of e_k. The doubles f_i and g_j·2^−51 are exact (below 2^53, scaled by a power of two;
  // never subnormal: each is 0 or at least 2^−51). The factor 19 of the wrapped products goes
  // into u_j = 19·g_j·2^−51 (rounded once), and each column is summed as
  // mulAdd(·, ·, mulAdd(·, ·, ·×·)) + mulAdd(·, ·, ·×·). Every operation on the way is on
  // non-negative values and rounds once with relative error at most u = 2^−53 (IEEE 754
  // round-to-nearest, which Java guarantees for * and + and specifies for Math.fma). Counted for
  // the unfused mulAdd (a product and an addition; the fused one rounds less), each product
  // passes through at most five roundings (the deepest: u_j, its own product, the additions of
  // the two enclosing mulAdd and the final addition). So the computed sum is within
  // ((1 + u)^5 − 1)·S_k/2^51 < 5.01·2^−53·2^61.3 < 2^10.6 of S_k/2^51, and truncating to a long
  // adds less than 1: |q_k − e_k| < 2^11, half the 2^12 that the recovery needs. The property
  // tests exercise the extreme inputs (every limb 2^53 − 1). (With hardware fma this takes about
  // a third fewer floating-point instructions than separate multiplications and additions.)
  //
  // Constant time: integer multiplications, double multiplications, additions and (hardware)
  // fused multiply-adds of normal values or zero, and long↔double conversions take
  // data-independent time on current CPUs. mulAdd uses Math.fma only where HotSpot compiles it
  // to the FMA instruction (see FMA), never its slow software fallback.
  // The JIT guards (long) casts with a branch for NaN and out-of-range values, which is never
  // taken here (0 ≤ e_k < 2^62), so its outcome does not depend on the data.

  /** r = a · b, reduced. Inputs have limbs below 2^53 (see the bounds above). */
  static void mul(long[] a, long[] b, long[] r) {
    long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
    long g0 = b[0], g1 = b[1], g2 = b[2], g3 = b[3], g4 = b[4];
    double x0 = f0, x1 = f1, x2 = f2, x3 = f3, x4 = f4;
    double y0 = g0 * TWO_M51, y1 = g1 * TWO_M51, y2 = g2 * TWO_M51;
    double y3 = g3 * TWO_M51, y4 = g4 * TWO_M51;

    long w0 = f0 * g0 + 19 * (f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1);
    long w1 = f0 * g1 + f1 * g0 + 19 * (f2 * g4 + f3 * g3 + f4 * g2);
    long w2 = f0 * g2 + f1 * g1 + f2 * g0 + 19 * (f3 * g4 + f4 * g3);
    long w3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + 19 * (f4 * g4);
    long w4 = f0 * g4 + f1 * g3 + f2 * g2 + f3 * g1 + f4 * g0;
    // Two mulAdd chains per column, for shorter dependency chains (and the rounding count above).
    double u1 = 19 * y1, u2 = 19 * y2, u3 = 19 * y3, u4 = 19 * y4;
    long e0 = (long) (mulAdd(x0, y0, mulAdd(x1, u4, x2 * u3)) + mulAdd(x3, u2, x4 * u1));
    long e1 = (long) (mulAdd(x0, y1, mulAdd(x1, y0, x2 * u4)) + mulAdd(x3, u3, x4 * u2));
    long e2 = (long) (mulAdd(x0, y2, mulAdd(x1, y1, x2 * y0)) + mulAdd(x3, u4, x4 * u3));
    long e3 = (long) (mulAdd(x0, y3, mulAdd(x1, y2, x2 * y1)) + mulAdd(x3, y0, x4 * u4));
    long e4 = (long) (mulAdd(x0, y4, mulAdd(x1, y3, x2 * y2)) + mulAdd(x3, y1, x4 * y0));

    // q_k from (w_k, e_k) as explained above; r = Σ (l_k + q_{k−1}·2^51) with q_4 entering limb 0
    // as 19·q_4, then one parallel carry pass (carryInto; its inputs are below 2^62).
    long q0 = e0 + ((((w0 >>> 51) - e0) << 51) >> 51);
    long q1 = e1 + ((((w1 >>> 51) - e1) << 51) >> 51);
    long q2 = e2 + ((((w2 >>> 51) - e2) << 51) >> 51);
    long q3 = e3 + ((((w3 >>> 51) - e3) << 51) >> 51);
    long q4 = e4 + ((((w4 >>> 51) - e4) << 51) >> 51);
    carryInto(
        (w0 & MASK51) + times19(q4),
        (w1 & MASK51) + q0,
        (w2 & MASK51) + q1,
        (w3 & MASK51) + q2,
        (w4 & MASK51) + q3,
        r);
  }

  // Squaring uses the column method of mul with the symmetric products doubled (2·f_i·f_j,
  // 2·19·f_i·f_j). Its columns have the bounds of mul's, S_k < c_k·2^106 with c = (77, 59, 41,
  // 23, 5) (column 0 is f_0² + 38·f_1·f_4 + 38·f_2·f_3), and its double sums (two nested mulAdd)
  // round at most four times per product (19·f_j·2^−51, the product, two additions), so the error
  // of the estimate ê_k of S_k/2^51 is below ((1 + u)^4 − 1)·c_k·2^55 < 16.04·c_k, and
  // e_k = (long) ê_k satisfies |e_k − q_k| < ε_k = 16.04·c_k + 1 (q_k = ⌊S_k/2^51⌋).
  //
  // It splits S_k differently from mul, which measured faster for squaring (fewer integer
  // operations; for mul it measured slower): not at the exact quotient but at q̃_k = e_k − B_k,
  // with the public constants B = (1239, 950, 661, 372, 84) ≥ ε_k. Then 1 ≤ q_k − q̃_k < 2·B_k, so
  // l̃_k = S_k − q̃_k·2^51 lies in [2^51, (1 + 2B_k)·2^51) ⊂ [2^51, 2^63) and is computed exactly
  // as w_k − (q̃_k << 51) (the two agree mod 2^64). S = Σ (l̃_k + q̃_{k−1}·2^51) as in mul, with
  // q̃_4 entering limb 0 as 19·q̃_4. Each q̃ is at least −B_k and below c_k·2^55, so every limb
  // sum is positive (l̃ ≥ 2^51 outweighs a negative q̃) and below (1 + 2B_k + 16·c_{k−1})·2^51:
  // (3999, 3133, 2267, 1401, 537)·2^51 < 2^63, limb 0 counting 19·q̃_4 < 1520·2^51. In the carry
  // pass every carry is below 2^12 and limb 4's below 537, so 19 times it stays below 2^14 and the
  // result is reduced (limbs below 2^51 + 2^16).
  private static final long SQ_B0 = 1239, SQ_B1 = 950, SQ_B2 = 661, SQ_B3 = 372, SQ_B4 = 84;

  /**
   * r = a², reduced. Inputs have limbs below 2^53. The body of {@link #squareN} without the loop (a
   * single squaring written out measured faster than {@code squareN(a, 1, r)}).
   */
  static void square(long[] a, long[] r) {
    long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
    long d0 = 2 * f0, d1 = 2 * f1, d2 = 2 * f2, d3 = 2 * f3;
    long t3 = 19 * f3, t4 = 19 * f4;
    double x0 = f0, x1 = f1, x2 = f2, x3 = f3, x4 = f4;
    double z0 = 2 * x0, z1 = 2 * x1, z2 = 2 * x2, z3 = 2 * x3;
    double y0 = x0 * TWO_M51, y1 = x1 * TWO_M51, y2 = x2 * TWO_M51;
    double y3 = x3 * TWO_M51, y4 = x4 * TWO_M51, y3t = 19 * y3, y4t = 19 * y4;

    long w0 = f0 * f0 + d1 * t4 + d2 * t3;
    long w1 = d0 * f1 + d2 * t4 + f3 * t3;
    long w2 = d0 * f2 + f1 * f1 + d3 * t4;
    long w3 = d0 * f3 + d1 * f2 + f4 * t4;
    long w4 = d0 * f4 + d1 * f3 + f2 * f2;
    long q0 = (long) mulAdd(x0, y0, mulAdd(z1, y4t, z2 * y3t)) - SQ_B0;
    long q1 = (long) mulAdd(z0, y1, mulAdd(z2, y4t, x3 * y3t)) - SQ_B1;
    long q2 = (long) mulAdd(z0, y2, mulAdd(x1, y1, z3 * y4t)) - SQ_B2;
    long q3 = (long) mulAdd(z0, y3, mulAdd(z1, y2, x4 * y4t)) - SQ_B3;
    long q4 = (long) mulAdd(z0, y4, mulAdd(z1, y3, x2 * y2)) - SQ_B4;
    carryInto(
        (w0 - (q0 << 51)) + times19(q4),
        (w1 - (q1 << 51)) + q0,
        (w2 - (q2 << 51)) + q1,
        (w3 - (q3 << 51)) + q2,
        (w4 - (q4 << 51)) + q3,
        r);
  }

  /**
   * r = a^(2^n) for n ≥ 1 (n public), reduced. Inputs have limbs below 2^53. n squarings as in
   * {@link #square} (see the comment above it), kept in locals between iterations.
   */
  static void squareN(long[] a, int n, long[] r) {
    long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
    for (int i = 0; i < n; i++) {
      long d0 = 2 * f0, d1 = 2 * f1, d2 = 2 * f2, d3 = 2 * f3;
      long t3 = 19 * f3, t4 = 19 * f4;
      double x0 = f0, x1 = f1, x2 = f2, x3 = f3, x4 = f4;
      double z0 = 2 * x0, z1 = 2 * x1, z2 = 2 * x2, z3 = 2 * x3;
      double y0 = x0 * TWO_M51, y1 = x1 * TWO_M51, y2 = x2 * TWO_M51;
      double y3 = x3 * TWO_M51, y4 = x4 * TWO_M51, y3t = 19 * y3, y4t = 19 * y4;

      long w0 = f0 * f0 + d1 * t4 + d2 * t3;
      long w1 = d0 * f1 + d2 * t4 + f3 * t3;
      long w2 = d0 * f2 + f1 * f1 + d3 * t4;
      long w3 = d0 * f3 + d1 * f2 + f4 * t4;
      long w4 = d0 * f4 + d1 * f3 + f2 * f2;
      long q0 = (long) mulAdd(x0, y0, mulAdd(z1, y4t, z2 * y3t)) - SQ_B0;
      long q1 = (long) mulAdd(z0, y1, mulAdd(z2, y4t, x3 * y3t)) - SQ_B1;
      long q2 = (long) mulAdd(z0, y2, mulAdd(x1, y1, z3 * y4t)) - SQ_B2;
      long q3 = (long) mulAdd(z0, y3, mulAdd(z1, y2, x4 * y4t)) - SQ_B3;
      long q4 = (long) mulAdd(z0, y4, mulAdd(z1, y3, x2 * y2)) - SQ_B4;
      long r0 = (w0 - (q0 << 51)) + times19(q4);
      long r1 = (w1 - (q1 << 51)) + q0;
      long r2 = (w2 - (q2 << 51)) + q1;
      long r3 = (w3 - (q3 << 51)) + q2;
      long r4 = (w4 - (q4 << 51)) + q3;
      // The parallel carry of carryInto().
      f0 = (r0 & MASK51) + times19(r4 >>> 51);
      f1 = (r1 & MASK51) + (r0 >>> 51);
      f2 = (r2 & MASK51) + (r1 >>> 51);
      f3 = (r3 & MASK51) + (r2 >>> 51);
      f4 = (r4 & MASK51) + (r3 >>> 51);
    }
    r[0] = f0;
    r[1] = f1;
    r[2] = f2;
    r[3] = f3;
    r[4] = f4;
  }

  /**
   * Computes z^(2^250 − 1) into {@code t250} and z^11 into {@code z11}: the common prefix of the
   * addition chains for p − 2 and (p − 5)/8.
   */
  private static void pow250(long[] z, long[] t250, long[] z11) {
    long[] t0 = create();
    long[] t1 = create();
    long[] t2 = create();
    square(z, t0); //                         z^2
    squareN(t0, 2, t1); //                    z^8
    mul(z, t1, t1); //                        z^9
    mul(t0, t1, z11); //                      z^11
    square(z11, t0); //                       z^22
    mul(t1, t0, t0); //                       z^31 = z^(2^5 − 1)
    squareN(t0, 5, t1);
    mul(t1, t0, t1); //                       z^(2^10 − 1)
    squareN(t1, 10, t2);
    mul(t2, t1, t2); //                       z^(2^20 − 1)
    squareN(t2, 20, t250);
    mul(t250, t2, t2); //                     z^(2^40 − 1)
    squareN(t2, 10, t2);
    mul(t2, t1, t2); //                       z^(2^50 − 1)
    squareN(t2, 50, t1);
    mul(t1, t2, t1); //                       z^(2^100 − 1)
    squareN(t1, 100, t250);
    mul(t250, t1, t250); //                   z^(2^200 − 1)
    squareN(t250, 50, t250);
    mul(t250, t2, t250); //                   z^(2^250 − 1)
  }

  /** r = 1/a = a^(p − 2) (Fermat); 0 maps to 0. */
  static void invert(long[] a, long[] r) {
    long[] t = create();
    long[] z11 = create();
    pow250(a, t, z11);
    squareN(t, 5, t); //                      z^(2^255 − 32)
    mul(t, z11, r); //                        z^(2^255 − 21) = z^(p − 2)
  }

  /** r = a^((p − 5)/8) = a^(2^252 − 3), the exponentiation inside SQRT_RATIO_M1. */
  static void pow22523(long[] a, long[] r) {
    long[] t = create();
    long[] z11 = create();
    pow250(a, t, z11);
    squareN(t, 2, t); //                      z^(2^252 − 4)
    mul(t, a, r); //                          z^(2^252 − 3)
  }

  // ---------------------------------------------------------------------------------------------
  // Canonical form, predicates, selection.

  /**
   * Reduces to the canonical limbs of the representative in [0, p), in locals, and writes them to
   * {@code out}. The input may have limbs up to 2^62.
   */
  static void canonical(long[] a, long[] out) {
    long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4];
    // Two carry passes: after the first, limbs 1..4 are below 2^51 and limb 0 below 2^51 + 2^16;
    // after the second every limb is below 2^51, so the value h is in [0, 2^255).
    for (int pass = 0; pass < 2; pass++) {
      h1 += h0 >>> 51;
      h0 &= MASK51;
      h2 += h1 >>> 51;
      h1 &= MASK51;
      h3 += h2 >>> 51;
      h2 &= MASK51;
      h4 += h3 >>> 51;
      h3 &= MASK51;
      h0 += 19 * (h4 >>> 51);
      h4 &= MASK51;
    }
    // q = 1 iff h + 19 ≥ 2^255, that is iff h ≥ p; then h − p = h + 19 − 2^255.
    long q = (h0 + 19) >>> 51;
    q = (h1 + q) >>> 51;
    q = (h2 + q) >>> 51;
    q = (h3 + q) >>> 51;
    q = (h4 + q) >>> 51;
    h0 += 19 * q;
    h1 += h0 >>> 51;
    h0 &= MASK51;
    h2 += h1 >>> 51;
    h1 &= MASK51;
    h3 += h2 >>> 51;
    h2 &= MASK51;
    h4 += h3 >>> 51;
    h3 &= MASK51;
    h4 &= MASK51; // drops 2^255
    out[0] = h0;
    out[1] = h1;
    out[2] = h2;
    out[3] = h3;
    out[4] = h4;
  }

  /** Writes the canonical 32-byte little-endian encoding of {@code a} at {@code out[off]}. */
  static void encode(long[] a, byte[] out, int off) {
    long[] c = create();
    canonical(a, c);
    long w0 = c[0] | (c[1] << 51);
    long w1 = (c[1] >>> 13) | (c[2] << 38);
    long w2 = (c[2] >>> 26) | (c[3] << 25);
    long w3 = (c[3] >>> 39) | (c[4] << 12);
    storeLong(w0, out, off);
    storeLong(w1, out, off + 8);
    storeLong(w2, out, off + 16);
    storeLong(w3, out, off + 24);
  }

  /**
   * Loads 32 little-endian bytes at {@code in[off]} with the most significant bit masked (RFC 7748
   * §5 style, as RFC 9496 §4.3.4 MAP requires): the value modulo 2^255, not necessarily below p.
   */
  static void fromBytes(byte[] in, int off, long[] r) {
    r[0] = loadLong(in, off) & MASK51;
    r[1] = (loadLong(in, off + 6) >>> 3) & MASK51;
    r[2] = (loadLong(in, off + 12) >>> 6) & MASK51;
    r[3] = (loadLong(in, off + 19) >>> 1) & MASK51;
    r[4] = (loadLong(in, off + 24) >>> 12) & MASK51;
  }

  /**
   * Loads 32 little-endian bytes as {@link #fromBytes} and returns 1 if they are the canonical
   * encoding of a field element (the 256-bit value is below p, RFC 9496 §4.3.1 step 1), else 0;
   * computed in constant time.
   */
  static int decode(byte[] in, int off, long[] r) {
    fromBytes(in, off, r);
    long top = (in[off + 31] >>> 7) & 1;
    // The 255-bit value is ≥ p iff limbs 1..4 are all ones and limb 0 ≥ 2^51 − 19.
    long allOnes = isZeroWord((r[1] & r[2] & r[3] & r[4]) ^ MASK51);
    long low = 1 ^ ((r[0] - (MASK51 - 18)) >>> 63);
    return (int) (1 ^ (top | (allOnes & low)));
  }

  /** 1 if {@code a} ≡ 0 (mod p), else 0. */
  static int isZero(long[] a) {
    long[] c = create();
    canonical(a, c);
    return (int) isZeroWord(c[0] | c[1] | c[2] | c[3] | c[4]);
  }

  /** IS_NEGATIVE (RFC 9496 §2.1, RFC 8032): 1 if the canonical representative is odd, else 0. */
  static int isNegative(long[] a) {
    long[] c = create();
    canonical(a, c);
    return (int) (c[0] & 1);
  }

  /** CT_EQ: 1 if a ≡ b (mod p), else 0. */
  static int equal(long[] a, long[] b) {
    long[] d = create();
    sub(a, b, d);
    return isZero(d);
  }

  /** CT_SELECT: r = flag ? a : r, for flag ∈ {0, 1}. */
  static void cmov(long[] r, long[] a, int flag) {
    long m = -(long) flag;
    r[0] ^= (r[0] ^ a[0]) & m;
    r[1] ^= (r[1] ^ a[1]) & m;
    r[2] ^= (r[2] ^ a[2]) & m;
    r[3] ^= (r[3] ^ a[3]) & m;
    r[4] ^= (r[4] ^ a[4]) & m;
  }

  /** Swaps a and b if flag = 1, for flag ∈ {0, 1}. */
  static void cswap(long[] a, long[] b, int flag) {
    long m = -(long) flag;
    for (int i = 0; i < 5; i++) {
      long x = (a[i] ^ b[i]) & m;
      a[i] ^= x;
      b[i] ^= x;
    }
  }

  /** CT_NEG: r = flag ? −a : a, reduced, for flag ∈ {0, 1}. */
  static void cneg(long[] a, int flag, long[] r) {
    long[] n = create();
    neg(a, n);
    carry(a, r);
    cmov(r, n, flag);
  }

  /** CT_ABS (RFC 9496 §2.2): r = −a if IS_NEGATIVE(a), else a. */
  static void abs(long[] a, long[] r) {
    cneg(a, isNegative(a), r);
  }

  /**
   * SQRT_RATIO_M1(u, v) of RFC 9496 §4.2: writes into {@code r} the non-negative square root of u/v
   * if it exists (0 if u = 0), else of SQRT_M1·u/v (0 if v = 0 and u ≠ 0), and returns the flag
   * was_square (1 or 0). Constant-time.
   */
  static int sqrtRatioM1(long[] u, long[] v, long[] r) {
    long[] v3 = create();
    long[] v7 = create();
    long[] t = create();
    long[] check = create();
    // v3 = v^2 * v; v7 = v3^2 * v
    square(v, v3);
    mul(v3, v, v3);
    square(v3, v7);
    mul(v7, v, v7);
    // r = (u * v3) * (u * v7)^((p-5)/8)
    mul(u, v7, t);
    pow22523(t, t);
    long[] uv3 = create();
    mul(u, v3, uv3);
    mul(uv3, t, r);
    // check = v * r^2
    square(r, check);
    mul(check, v, check);
    // correct_sign_sqrt = CT_EQ(check, u); flipped_sign_sqrt = CT_EQ(check, -u);
    // flipped_sign_sqrt_i = CT_EQ(check, -u*SQRT_M1)
    long[] negU = create();
    neg(u, negU);
    int correct = equal(check, u);
    int flipped = equal(check, negU);
    mul(negU, SQRT_M1, t);
    int flippedI = equal(check, t);
    // r_prime = SQRT_M1 * r; r = CT_SELECT(r_prime IF flipped | flipped_i ELSE r)
    mul(r, SQRT_M1, t);
    cmov(r, t, flipped | flippedI);
    // r = CT_ABS(r)  (choose the non-negative root)
    abs(r, r);
    return correct | flipped;
  }

  // 1 if w == 0, else 0.
  private static long isZeroWord(long w) {
    return 1 ^ ((w | -w) >>> 63);
  }

  private static long loadLong(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24
        | (b[off + 4] & 0xffL) << 32
        | (b[off + 5] & 0xffL) << 40
        | (b[off + 6] & 0xffL) << 48
        | (b[off + 7] & 0xffL) << 56;
  }

  private static void storeLong(long w, byte[] b, int off) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (w >>> (8 * i));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conversions for constants and tests (not constant-time).

  /** The element with value {@code v mod p}. For constants and tests only. */
  static long[] fromBigInteger(BigInteger v) {
    BigInteger x = v.mod(P);
    long[] r = new long[5];
    for (int i = 0; i < 5; i++) {
      r[i] = x.shiftRight(51 * i).longValue() & MASK51;
    }
    return r;
  }

  /** The element with the given decimal value (below p). For constants only. */
  static long[] fromDecimal(String decimal) {
    BigInteger v = new BigInteger(decimal);
    if (v.signum() < 0 || v.compareTo(P) >= 0) {
      throw new IllegalArgumentException("constant out of range");
    }
    return fromBigInteger(v);
  }

  /** The canonical value of {@code a} as a {@code BigInteger}. For tests only. */
  static BigInteger toBigInteger(long[] a) {
    long[] c = create();
    canonical(a, c);
    BigInteger x = BigInteger.ZERO;
    for (int i = 4; i >= 0; i--) {
      x = x.shiftLeft(51).add(BigInteger.valueOf(c[i]));
    }
    return x;
  }
}
