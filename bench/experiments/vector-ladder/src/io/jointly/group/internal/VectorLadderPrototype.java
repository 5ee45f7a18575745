package io.jointly.group.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * EXPERIMENT, not part of Jointly: X25519 (RFC 7748 §5) with the Montgomery ladder on four
 * double-precision lanes of the incubating Vector API (JDK 17, {@code jdk.incubator.vector}), to
 * test whether vector instructions close the gap to libsodium's AVX code ({@code sandy2x}). See
 * {@code ../README.md} for the design, the figures and the conclusion (slower than the scalar
 * {@link Curve25519Ladder}, so not adopted).
 *
 * <p>Field elements: twelve limbs in radix 2^21.25 (limb k at bit position ⌈21.25·k⌉), each limb a
 * double holding an integer multiple of 2^position, as in Bernstein's 2005 floating-point
 * Curve25519. A {@code double[48]} holds four elements, limb-major: limb k of lane j at index 4k +
 * j. Products of reduced limbs and all column sums (at most 12·19·2^44 &lt; 2^52 units of the column)
 * are exact in a double, so multiplication is 144 fused multiply-adds per four products, the
 * wrapped columns taking b·19·2^−255; the carry is two parallel passes of round-to-nearest by adding
 * and subtracting 3·2^(51 + next position). One ladder step is three four-lane multiplications:
 * [A², B², D·A, C·B], [(DA+CB)², (DA−CB)², AA·BB, E·F] and x_1·(DA−CB)² (three lanes idle); the
 * conditional swap is x + s·(y − x) with s ∈ {0, 1} on whole vectors. The column sums below are
 * written out (a generated pattern: column k sums a_i·b_(k−i), with u_j = 19·2^−255·b_j for the
 * wrapped terms, in two fused chains).
 */
final class VectorLadderPrototype {
  static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
  static final DoubleVector C19 = DoubleVector.broadcast(S, 19 * 0x1p-255);
  private static final DoubleVector R0 = DoubleVector.broadcast(S, 0x3p73);
  private static final DoubleVector R1 = DoubleVector.broadcast(S, 0x3p94);
  private static final DoubleVector R2 = DoubleVector.broadcast(S, 0x3p115);
  private static final DoubleVector R3 = DoubleVector.broadcast(S, 0x3p136);
  private static final DoubleVector R4 = DoubleVector.broadcast(S, 0x3p158);
  private static final DoubleVector R5 = DoubleVector.broadcast(S, 0x3p179);
  private static final DoubleVector R6 = DoubleVector.broadcast(S, 0x3p200);
  private static final DoubleVector R7 = DoubleVector.broadcast(S, 0x3p221);
  private static final DoubleVector R8 = DoubleVector.broadcast(S, 0x3p243);
  private static final DoubleVector R9 = DoubleVector.broadcast(S, 0x3p264);
  private static final DoubleVector R10 = DoubleVector.broadcast(S, 0x3p285);
  private static final DoubleVector R11 = DoubleVector.broadcast(S, 0x3p306);

  static final int[] POS = {0, 22, 43, 64, 85, 107, 128, 149, 170, 192, 213, 234, 255};
  static final VectorShuffle<Double> HALVES = VectorShuffle.fromValues(S, 2, 3, 0, 1);
  static final VectorShuffle<Double> PAIRS = VectorShuffle.fromValues(S, 1, 0, 3, 2);
  static final VectorShuffle<Double> LEFT1 = VectorShuffle.fromValues(S, 0, 1, 3, 2);
  static final VectorShuffle<Double> RIGHT1 = VectorShuffle.fromValues(S, 0, 1, 0, 1);
  static final VectorShuffle<Double> AA_TO_2 = VectorShuffle.fromValues(S, 0, 1, 0, 3);
  static final DoubleVector SGN = DoubleVector.fromArray(S, new double[] {1, -1, 1, -1}, 0);
  static final DoubleVector A24V = DoubleVector.fromArray(S, new double[] {0, 121665, 0, 0}, 0);
  static final VectorMask<Double> LANE1 = VectorMask.fromValues(S, false, true, false, false);
  static final VectorMask<Double> LANE2 = VectorMask.fromValues(S, false, false, true, false);
  static final VectorMask<Double> LANES23 = VectorMask.fromValues(S, false, false, true, true);

  static boolean scalarMult(byte[] k, byte[] u, byte[] out) {
    byte[] scalar = k.clone();
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
    double[] x1 = new double[48];
    double[] st = new double[48];
    long w0 = load(u, 0), w1 = load(u, 8), w2 = load(u, 16), w3 = load(u, 24) & Long.MAX_VALUE;
    long[] w = {w0, w1, w2, w3, 0};
    for (int i = 0; i < 12; i++) {
      int p = POS[i], width = POS[i + 1] - p;
      long lo = w[p >>> 6] >>> (p & 63);
      long hi = (p & 63) == 0 ? 0 : w[(p >>> 6) + 1] << (64 - (p & 63));
      long bits = (lo | hi) & ((1L << width) - 1);
      double d = bits * Math.scalb(1.0, p);
      for (int j = 0; j < 4; j++) x1[4 * i + j] = d;
      // state lanes: [x3, z3, x2, z2] stored; start x2 = 1, z2 = 0, x3 = u, z3 = 1
      st[4 * i] = d;
    }
    st[1] = 1; st[2] = 1;
    double[] l = new double[48], r = new double[48], m1 = new double[48], g = new double[48], m2 = new double[48], m3 = new double[48];
    int swap = 1; // stored state is the halves-swapped one
    for (int i = 254; i >= 0; i--) {
      int bit = (scalar[i >>> 3] >>> (i & 7)) & 1;
      swap ^= bit;
      step(st, x1, swap, l, r, m1, g, m2, m3);
      swap = bit ^ 1;
    }
    // final cswap by swap: state st lanes [x3,z3,x2,z2] (as stored: effectively halves-swapped)
    DoubleVector sv = DoubleVector.broadcast(S, (double) swap);
    for (int i = 0; i < 12; i++) {
      DoubleVector p = DoubleVector.fromArray(S, st, 4 * i);
      DoubleVector q = p.rearrange(HALVES);
      q.sub(p).fma(sv, p).intoArray(st, 4 * i);
    }
    long[] x2 = toField(st, 0), z2 = toField(st, 1);
    Inverse25519.invert(z2, z2);
    Field25519.mul(x2, z2, x2);
    Field25519.encode(x2, out, 0);
    int acc = 0;
    for (byte v : out) acc |= v;
    return acc != 0;
  }

  static long[] toField(double[] st, int lane) {
    long[] acc = new long[6];
    for (int i = 0; i < 12; i++) {
      long v = (long) (st[4 * i + lane] * Math.scalb(1.0, -POS[i]));
      int q = POS[i] / 51, s = POS[i] % 51;
      acc[q] += (v & ((1L << (51 - s)) - 1)) << s;
      acc[q + 1] += v >> (51 - s);
    }
    acc[0] += 19 * acc[5];
    long[] a = {acc[0], acc[1], acc[2], acc[3], acc[4]};
    long[] r = new long[5];
    Field25519.sub(a, new long[5], r);
    return r;
  }

  static void step(double[] st, double[] x1, int swap, double[] l, double[] r, double[] m1, double[] g, double[] m2, double[] m3) {
    DoubleVector s = DoubleVector.broadcast(S, (double) swap);
    for (int i = 0; i < 48; i += 4) {
      DoubleVector p = DoubleVector.fromArray(S, st, i);
      DoubleVector q = p.rearrange(HALVES);
      p = q.sub(p).fma(s, p);
      DoubleVector t = p.fma(SGN, p.rearrange(PAIRS));
      t.rearrange(LEFT1).intoArray(l, i);
      t.rearrange(RIGHT1).intoArray(r, i);
    }
    mul(l, r, m1); // [AA, BB, DA, CB]
    for (int i = 0; i < 48; i += 4) {
      DoubleVector m = DoubleVector.fromArray(S, m1, i);
      DoubleVector sw = m.rearrange(PAIRS); // [BB, AA, CB, DA]
      DoubleVector uu = m.fma(SGN, sw); // [AA+BB, E, e, f]
      uu.fma(A24V, sw).intoArray(g, i); // [BB, F, CB, DA]
      DoubleVector wv = uu.rearrange(HALVES); // [e, f, AA+BB, E]
      wv.blend(m.rearrange(AA_TO_2), LANE2).intoArray(l, i); // [e, f, AA, E]
      wv.intoArray(r, i);
    }
    carryArray(g);
    for (int i = 0; i < 48; i += 4) {
      DoubleVector wv = DoubleVector.fromArray(S, r, i);
      wv.blend(DoubleVector.fromArray(S, g, i).rearrange(HALVES), LANES23).intoArray(r, i); // [e, f, BB, F]
    }
    mul(l, r, m2); // [x3, f^2, x2, z2]
    mul(m2, x1, m3); // lane 1: z3
    for (int i = 0; i < 48; i += 4) {
      DoubleVector.fromArray(S, m2, i).blend(DoubleVector.fromArray(S, m3, i), LANE1).intoArray(st, i); // [x3, z3, x2, z2]
    }
  }

  // The two-pass carry is written out in carryArray, mul and mulRows alike: as a method taking
  // twelve DoubleVector arguments it was too large for C2 to inline, and the JDK 17 Vector API then
  // boxes every vector passed to it (the first version, which did that, took 171 µs against 120 µs
  // per call, medians).
  static void carryArray(double[] a) {
    DoubleVector c0 = DoubleVector.fromArray(S, a, 0);
    DoubleVector c1 = DoubleVector.fromArray(S, a, 4);
    DoubleVector c2 = DoubleVector.fromArray(S, a, 8);
    DoubleVector c3 = DoubleVector.fromArray(S, a, 12);
    DoubleVector c4 = DoubleVector.fromArray(S, a, 16);
    DoubleVector c5 = DoubleVector.fromArray(S, a, 20);
    DoubleVector c6 = DoubleVector.fromArray(S, a, 24);
    DoubleVector c7 = DoubleVector.fromArray(S, a, 28);
    DoubleVector c8 = DoubleVector.fromArray(S, a, 32);
    DoubleVector c9 = DoubleVector.fromArray(S, a, 36);
    DoubleVector c10 = DoubleVector.fromArray(S, a, 40);
    DoubleVector c11 = DoubleVector.fromArray(S, a, 44);
    DoubleVector h0 = c0.add(R0).sub(R0);
    DoubleVector h1 = c1.add(R1).sub(R1);
    DoubleVector h2 = c2.add(R2).sub(R2);
    DoubleVector h3 = c3.add(R3).sub(R3);
    DoubleVector h4 = c4.add(R4).sub(R4);
    DoubleVector h5 = c5.add(R5).sub(R5);
    DoubleVector h6 = c6.add(R6).sub(R6);
    DoubleVector h7 = c7.add(R7).sub(R7);
    DoubleVector h8 = c8.add(R8).sub(R8);
    DoubleVector h9 = c9.add(R9).sub(R9);
    DoubleVector h10 = c10.add(R10).sub(R10);
    DoubleVector h11 = c11.add(R11).sub(R11);
    DoubleVector l0 = c0.sub(h0);
    DoubleVector l1 = c1.sub(h1);
    DoubleVector l2 = c2.sub(h2);
    DoubleVector l3 = c3.sub(h3);
    DoubleVector l4 = c4.sub(h4);
    DoubleVector l5 = c5.sub(h5);
    DoubleVector l6 = c6.sub(h6);
    DoubleVector l7 = c7.sub(h7);
    DoubleVector l8 = c8.sub(h8);
    DoubleVector l9 = c9.sub(h9);
    DoubleVector l10 = c10.sub(h10);
    DoubleVector l11 = c11.sub(h11);
    c0 = h11.fma(C19, l0);
    c1 = l1.add(h0);
    c2 = l2.add(h1);
    c3 = l3.add(h2);
    c4 = l4.add(h3);
    c5 = l5.add(h4);
    c6 = l6.add(h5);
    c7 = l7.add(h6);
    c8 = l8.add(h7);
    c9 = l9.add(h8);
    c10 = l10.add(h9);
    c11 = l11.add(h10);
    DoubleVector g0 = c0.add(R0).sub(R0);
    DoubleVector g1 = c1.add(R1).sub(R1);
    DoubleVector g2 = c2.add(R2).sub(R2);
    DoubleVector g3 = c3.add(R3).sub(R3);
    DoubleVector g4 = c4.add(R4).sub(R4);
    DoubleVector g5 = c5.add(R5).sub(R5);
    DoubleVector g6 = c6.add(R6).sub(R6);
    DoubleVector g7 = c7.add(R7).sub(R7);
    DoubleVector g8 = c8.add(R8).sub(R8);
    DoubleVector g9 = c9.add(R9).sub(R9);
    DoubleVector g10 = c10.add(R10).sub(R10);
    DoubleVector g11 = c11.add(R11).sub(R11);
    DoubleVector m0 = c0.sub(g0);
    DoubleVector m1 = c1.sub(g1);
    DoubleVector m2 = c2.sub(g2);
    DoubleVector m3 = c3.sub(g3);
    DoubleVector m4 = c4.sub(g4);
    DoubleVector m5 = c5.sub(g5);
    DoubleVector m6 = c6.sub(g6);
    DoubleVector m7 = c7.sub(g7);
    DoubleVector m8 = c8.sub(g8);
    DoubleVector m9 = c9.sub(g9);
    DoubleVector m10 = c10.sub(g10);
    DoubleVector m11 = c11.sub(g11);
    c0 = g11.fma(C19, m0);
    c1 = m1.add(g0);
    c2 = m2.add(g1);
    c3 = m3.add(g2);
    c4 = m4.add(g3);
    c5 = m5.add(g4);
    c6 = m6.add(g5);
    c7 = m7.add(g6);
    c8 = m8.add(g7);
    c9 = m9.add(g8);
    c10 = m10.add(g9);
    c11 = m11.add(g10);
    c0.intoArray(a, 0);
    c1.intoArray(a, 4);
    c2.intoArray(a, 8);
    c3.intoArray(a, 12);
    c4.intoArray(a, 16);
    c5.intoArray(a, 20);
    c6.intoArray(a, 24);
    c7.intoArray(a, 28);
    c8.intoArray(a, 32);
    c9.intoArray(a, 36);
    c10.intoArray(a, 40);
    c11.intoArray(a, 44);
  }

  static void mul(double[] a, double[] b, double[] r) {
    DoubleVector a0 = DoubleVector.fromArray(S, a, 0);
    DoubleVector a1 = DoubleVector.fromArray(S, a, 4);
    DoubleVector a2 = DoubleVector.fromArray(S, a, 8);
    DoubleVector a3 = DoubleVector.fromArray(S, a, 12);
    DoubleVector a4 = DoubleVector.fromArray(S, a, 16);
    DoubleVector a5 = DoubleVector.fromArray(S, a, 20);
    DoubleVector a6 = DoubleVector.fromArray(S, a, 24);
    DoubleVector a7 = DoubleVector.fromArray(S, a, 28);
    DoubleVector a8 = DoubleVector.fromArray(S, a, 32);
    DoubleVector a9 = DoubleVector.fromArray(S, a, 36);
    DoubleVector a10 = DoubleVector.fromArray(S, a, 40);
    DoubleVector a11 = DoubleVector.fromArray(S, a, 44);
    DoubleVector b0 = DoubleVector.fromArray(S, b, 0);
    DoubleVector b1 = DoubleVector.fromArray(S, b, 4);
    DoubleVector b2 = DoubleVector.fromArray(S, b, 8);
    DoubleVector b3 = DoubleVector.fromArray(S, b, 12);
    DoubleVector b4 = DoubleVector.fromArray(S, b, 16);
    DoubleVector b5 = DoubleVector.fromArray(S, b, 20);
    DoubleVector b6 = DoubleVector.fromArray(S, b, 24);
    DoubleVector b7 = DoubleVector.fromArray(S, b, 28);
    DoubleVector b8 = DoubleVector.fromArray(S, b, 32);
    DoubleVector b9 = DoubleVector.fromArray(S, b, 36);
    DoubleVector b10 = DoubleVector.fromArray(S, b, 40);
    DoubleVector b11 = DoubleVector.fromArray(S, b, 44);
    DoubleVector u1 = b1.mul(C19);
    DoubleVector u2 = b2.mul(C19);
    DoubleVector u3 = b3.mul(C19);
    DoubleVector u4 = b4.mul(C19);
    DoubleVector u5 = b5.mul(C19);
    DoubleVector u6 = b6.mul(C19);
    DoubleVector u7 = b7.mul(C19);
    DoubleVector u8 = b8.mul(C19);
    DoubleVector u9 = b9.mul(C19);
    DoubleVector u10 = b10.mul(C19);
    DoubleVector u11 = b11.mul(C19);
    DoubleVector c0 = a10.fma(u2, a8.fma(u4, a6.fma(u6, a4.fma(u8, a2.fma(u10, a0.mul(b0)))))).add(a11.fma(u1, a9.fma(u3, a7.fma(u5, a5.fma(u7, a3.fma(u9, a1.mul(u11)))))));
    DoubleVector c1 = a10.fma(u3, a8.fma(u5, a6.fma(u7, a4.fma(u9, a2.fma(u11, a0.mul(b1)))))).add(a11.fma(u2, a9.fma(u4, a7.fma(u6, a5.fma(u8, a3.fma(u10, a1.mul(b0)))))));
    DoubleVector c2 = a10.fma(u4, a8.fma(u6, a6.fma(u8, a4.fma(u10, a2.fma(b0, a0.mul(b2)))))).add(a11.fma(u3, a9.fma(u5, a7.fma(u7, a5.fma(u9, a3.fma(u11, a1.mul(b1)))))));
    DoubleVector c3 = a10.fma(u5, a8.fma(u7, a6.fma(u9, a4.fma(u11, a2.fma(b1, a0.mul(b3)))))).add(a11.fma(u4, a9.fma(u6, a7.fma(u8, a5.fma(u10, a3.fma(b0, a1.mul(b2)))))));
    DoubleVector c4 = a10.fma(u6, a8.fma(u8, a6.fma(u10, a4.fma(b0, a2.fma(b2, a0.mul(b4)))))).add(a11.fma(u5, a9.fma(u7, a7.fma(u9, a5.fma(u11, a3.fma(b1, a1.mul(b3)))))));
    DoubleVector c5 = a10.fma(u7, a8.fma(u9, a6.fma(u11, a4.fma(b1, a2.fma(b3, a0.mul(b5)))))).add(a11.fma(u6, a9.fma(u8, a7.fma(u10, a5.fma(b0, a3.fma(b2, a1.mul(b4)))))));
    DoubleVector c6 = a10.fma(u8, a8.fma(u10, a6.fma(b0, a4.fma(b2, a2.fma(b4, a0.mul(b6)))))).add(a11.fma(u7, a9.fma(u9, a7.fma(u11, a5.fma(b1, a3.fma(b3, a1.mul(b5)))))));
    DoubleVector c7 = a10.fma(u9, a8.fma(u11, a6.fma(b1, a4.fma(b3, a2.fma(b5, a0.mul(b7)))))).add(a11.fma(u8, a9.fma(u10, a7.fma(b0, a5.fma(b2, a3.fma(b4, a1.mul(b6)))))));
    DoubleVector c8 = a10.fma(u10, a8.fma(b0, a6.fma(b2, a4.fma(b4, a2.fma(b6, a0.mul(b8)))))).add(a11.fma(u9, a9.fma(u11, a7.fma(b1, a5.fma(b3, a3.fma(b5, a1.mul(b7)))))));
    DoubleVector c9 = a10.fma(u11, a8.fma(b1, a6.fma(b3, a4.fma(b5, a2.fma(b7, a0.mul(b9)))))).add(a11.fma(u10, a9.fma(b0, a7.fma(b2, a5.fma(b4, a3.fma(b6, a1.mul(b8)))))));
    DoubleVector c10 = a10.fma(b0, a8.fma(b2, a6.fma(b4, a4.fma(b6, a2.fma(b8, a0.mul(b10)))))).add(a11.fma(u11, a9.fma(b1, a7.fma(b3, a5.fma(b5, a3.fma(b7, a1.mul(b9)))))));
    DoubleVector c11 = a10.fma(b1, a8.fma(b3, a6.fma(b5, a4.fma(b7, a2.fma(b9, a0.mul(b11)))))).add(a11.fma(b0, a9.fma(b2, a7.fma(b4, a5.fma(b6, a3.fma(b8, a1.mul(b10)))))));
    DoubleVector h0 = c0.add(R0).sub(R0);
    DoubleVector h1 = c1.add(R1).sub(R1);
    DoubleVector h2 = c2.add(R2).sub(R2);
    DoubleVector h3 = c3.add(R3).sub(R3);
    DoubleVector h4 = c4.add(R4).sub(R4);
    DoubleVector h5 = c5.add(R5).sub(R5);
    DoubleVector h6 = c6.add(R6).sub(R6);
    DoubleVector h7 = c7.add(R7).sub(R7);
    DoubleVector h8 = c8.add(R8).sub(R8);
    DoubleVector h9 = c9.add(R9).sub(R9);
    DoubleVector h10 = c10.add(R10).sub(R10);
    DoubleVector h11 = c11.add(R11).sub(R11);
    DoubleVector l0 = c0.sub(h0);
    DoubleVector l1 = c1.sub(h1);
    DoubleVector l2 = c2.sub(h2);
    DoubleVector l3 = c3.sub(h3);
    DoubleVector l4 = c4.sub(h4);
    DoubleVector l5 = c5.sub(h5);
    DoubleVector l6 = c6.sub(h6);
    DoubleVector l7 = c7.sub(h7);
    DoubleVector l8 = c8.sub(h8);
    DoubleVector l9 = c9.sub(h9);
    DoubleVector l10 = c10.sub(h10);
    DoubleVector l11 = c11.sub(h11);
    c0 = h11.fma(C19, l0);
    c1 = l1.add(h0);
    c2 = l2.add(h1);
    c3 = l3.add(h2);
    c4 = l4.add(h3);
    c5 = l5.add(h4);
    c6 = l6.add(h5);
    c7 = l7.add(h6);
    c8 = l8.add(h7);
    c9 = l9.add(h8);
    c10 = l10.add(h9);
    c11 = l11.add(h10);
    DoubleVector g0 = c0.add(R0).sub(R0);
    DoubleVector g1 = c1.add(R1).sub(R1);
    DoubleVector g2 = c2.add(R2).sub(R2);
    DoubleVector g3 = c3.add(R3).sub(R3);
    DoubleVector g4 = c4.add(R4).sub(R4);
    DoubleVector g5 = c5.add(R5).sub(R5);
    DoubleVector g6 = c6.add(R6).sub(R6);
    DoubleVector g7 = c7.add(R7).sub(R7);
    DoubleVector g8 = c8.add(R8).sub(R8);
    DoubleVector g9 = c9.add(R9).sub(R9);
    DoubleVector g10 = c10.add(R10).sub(R10);
    DoubleVector g11 = c11.add(R11).sub(R11);
    DoubleVector m0 = c0.sub(g0);
    DoubleVector m1 = c1.sub(g1);
    DoubleVector m2 = c2.sub(g2);
    DoubleVector m3 = c3.sub(g3);
    DoubleVector m4 = c4.sub(g4);
    DoubleVector m5 = c5.sub(g5);
    DoubleVector m6 = c6.sub(g6);
    DoubleVector m7 = c7.sub(g7);
    DoubleVector m8 = c8.sub(g8);
    DoubleVector m9 = c9.sub(g9);
    DoubleVector m10 = c10.sub(g10);
    DoubleVector m11 = c11.sub(g11);
    c0 = g11.fma(C19, m0);
    c1 = m1.add(g0);
    c2 = m2.add(g1);
    c3 = m3.add(g2);
    c4 = m4.add(g3);
    c5 = m5.add(g4);
    c6 = m6.add(g5);
    c7 = m7.add(g6);
    c8 = m8.add(g7);
    c9 = m9.add(g8);
    c10 = m10.add(g9);
    c11 = m11.add(g10);
    c0.intoArray(r, 0);
    c1.intoArray(r, 4);
    c2.intoArray(r, 8);
    c3.intoArray(r, 12);
    c4.intoArray(r, 16);
    c5.intoArray(r, 20);
    c6.intoArray(r, 24);
    c7.intoArray(r, 28);
    c8.intoArray(r, 32);
    c9.intoArray(r, 36);
    c10.intoArray(r, 40);
    c11.intoArray(r, 44);
  }


  /** The same product as {@link #mul}, accumulated row by row (measured slower). */
  static void mulRows(double[] a, double[] b, double[] ubuf, double[] r) {
    for (int j = 4; j < 48; j += 4) DoubleVector.fromArray(S, b, j).mul(C19).intoArray(ubuf, j);
    DoubleVector c0;
    DoubleVector c1;
    DoubleVector c2;
    DoubleVector c3;
    DoubleVector c4;
    DoubleVector c5;
    DoubleVector c6;
    DoubleVector c7;
    DoubleVector c8;
    DoubleVector c9;
    DoubleVector c10;
    DoubleVector c11;
    { DoubleVector ai = DoubleVector.fromArray(S, a, 0);
      c0 = ai.mul(DoubleVector.fromArray(S, b, 0));
      c1 = ai.mul(DoubleVector.fromArray(S, b, 4));
      c2 = ai.mul(DoubleVector.fromArray(S, b, 8));
      c3 = ai.mul(DoubleVector.fromArray(S, b, 12));
      c4 = ai.mul(DoubleVector.fromArray(S, b, 16));
      c5 = ai.mul(DoubleVector.fromArray(S, b, 20));
      c6 = ai.mul(DoubleVector.fromArray(S, b, 24));
      c7 = ai.mul(DoubleVector.fromArray(S, b, 28));
      c8 = ai.mul(DoubleVector.fromArray(S, b, 32));
      c9 = ai.mul(DoubleVector.fromArray(S, b, 36));
      c10 = ai.mul(DoubleVector.fromArray(S, b, 40));
      c11 = ai.mul(DoubleVector.fromArray(S, b, 44));
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 4);
      c1 = ai.fma(DoubleVector.fromArray(S, b, 0), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, b, 4), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, b, 8), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, b, 12), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, b, 16), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 20), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 24), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 28), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 32), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 36), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 40), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c0);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 8);
      c2 = ai.fma(DoubleVector.fromArray(S, b, 0), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, b, 4), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, b, 8), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, b, 12), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 16), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 20), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 24), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 28), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 32), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 36), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c1);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 12);
      c3 = ai.fma(DoubleVector.fromArray(S, b, 0), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, b, 4), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, b, 8), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 12), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 16), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 20), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 24), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 28), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 32), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c2);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 16);
      c4 = ai.fma(DoubleVector.fromArray(S, b, 0), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, b, 4), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 8), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 12), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 16), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 20), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 24), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 28), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c3);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 20);
      c5 = ai.fma(DoubleVector.fromArray(S, b, 0), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 4), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 8), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 12), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 16), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 20), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 24), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c4);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 24);
      c6 = ai.fma(DoubleVector.fromArray(S, b, 0), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 4), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 8), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 12), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 16), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 20), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c5);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 28);
      c7 = ai.fma(DoubleVector.fromArray(S, b, 0), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 4), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 8), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 12), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 16), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 20), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c6);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 32);
      c8 = ai.fma(DoubleVector.fromArray(S, b, 0), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 4), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 8), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 12), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 16), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 20), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c7);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 36);
      c9 = ai.fma(DoubleVector.fromArray(S, b, 0), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 4), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 8), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 12), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 16), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 20), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c8);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 40);
      c10 = ai.fma(DoubleVector.fromArray(S, b, 0), c10);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 4), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 8), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 12), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 16), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 20), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c9);
    }
    { DoubleVector ai = DoubleVector.fromArray(S, a, 44);
      c11 = ai.fma(DoubleVector.fromArray(S, b, 0), c11);
      c0 = ai.fma(DoubleVector.fromArray(S, ubuf, 4), c0);
      c1 = ai.fma(DoubleVector.fromArray(S, ubuf, 8), c1);
      c2 = ai.fma(DoubleVector.fromArray(S, ubuf, 12), c2);
      c3 = ai.fma(DoubleVector.fromArray(S, ubuf, 16), c3);
      c4 = ai.fma(DoubleVector.fromArray(S, ubuf, 20), c4);
      c5 = ai.fma(DoubleVector.fromArray(S, ubuf, 24), c5);
      c6 = ai.fma(DoubleVector.fromArray(S, ubuf, 28), c6);
      c7 = ai.fma(DoubleVector.fromArray(S, ubuf, 32), c7);
      c8 = ai.fma(DoubleVector.fromArray(S, ubuf, 36), c8);
      c9 = ai.fma(DoubleVector.fromArray(S, ubuf, 40), c9);
      c10 = ai.fma(DoubleVector.fromArray(S, ubuf, 44), c10);
    }
    DoubleVector h0 = c0.add(R0).sub(R0);
    DoubleVector h1 = c1.add(R1).sub(R1);
    DoubleVector h2 = c2.add(R2).sub(R2);
    DoubleVector h3 = c3.add(R3).sub(R3);
    DoubleVector h4 = c4.add(R4).sub(R4);
    DoubleVector h5 = c5.add(R5).sub(R5);
    DoubleVector h6 = c6.add(R6).sub(R6);
    DoubleVector h7 = c7.add(R7).sub(R7);
    DoubleVector h8 = c8.add(R8).sub(R8);
    DoubleVector h9 = c9.add(R9).sub(R9);
    DoubleVector h10 = c10.add(R10).sub(R10);
    DoubleVector h11 = c11.add(R11).sub(R11);
    DoubleVector l0 = c0.sub(h0);
    DoubleVector l1 = c1.sub(h1);
    DoubleVector l2 = c2.sub(h2);
    DoubleVector l3 = c3.sub(h3);
    DoubleVector l4 = c4.sub(h4);
    DoubleVector l5 = c5.sub(h5);
    DoubleVector l6 = c6.sub(h6);
    DoubleVector l7 = c7.sub(h7);
    DoubleVector l8 = c8.sub(h8);
    DoubleVector l9 = c9.sub(h9);
    DoubleVector l10 = c10.sub(h10);
    DoubleVector l11 = c11.sub(h11);
    c0 = h11.fma(C19, l0);
    c1 = l1.add(h0);
    c2 = l2.add(h1);
    c3 = l3.add(h2);
    c4 = l4.add(h3);
    c5 = l5.add(h4);
    c6 = l6.add(h5);
    c7 = l7.add(h6);
    c8 = l8.add(h7);
    c9 = l9.add(h8);
    c10 = l10.add(h9);
    c11 = l11.add(h10);
    DoubleVector g0 = c0.add(R0).sub(R0);
    DoubleVector g1 = c1.add(R1).sub(R1);
    DoubleVector g2 = c2.add(R2).sub(R2);
    DoubleVector g3 = c3.add(R3).sub(R3);
    DoubleVector g4 = c4.add(R4).sub(R4);
    DoubleVector g5 = c5.add(R5).sub(R5);
    DoubleVector g6 = c6.add(R6).sub(R6);
    DoubleVector g7 = c7.add(R7).sub(R7);
    DoubleVector g8 = c8.add(R8).sub(R8);
    DoubleVector g9 = c9.add(R9).sub(R9);
    DoubleVector g10 = c10.add(R10).sub(R10);
    DoubleVector g11 = c11.add(R11).sub(R11);
    DoubleVector m0 = c0.sub(g0);
    DoubleVector m1 = c1.sub(g1);
    DoubleVector m2 = c2.sub(g2);
    DoubleVector m3 = c3.sub(g3);
    DoubleVector m4 = c4.sub(g4);
    DoubleVector m5 = c5.sub(g5);
    DoubleVector m6 = c6.sub(g6);
    DoubleVector m7 = c7.sub(g7);
    DoubleVector m8 = c8.sub(g8);
    DoubleVector m9 = c9.sub(g9);
    DoubleVector m10 = c10.sub(g10);
    DoubleVector m11 = c11.sub(g11);
    c0 = g11.fma(C19, m0);
    c1 = m1.add(g0);
    c2 = m2.add(g1);
    c3 = m3.add(g2);
    c4 = m4.add(g3);
    c5 = m5.add(g4);
    c6 = m6.add(g5);
    c7 = m7.add(g6);
    c8 = m8.add(g7);
    c9 = m9.add(g8);
    c10 = m10.add(g9);
    c11 = m11.add(g10);
    c0.intoArray(r, 0);
    c1.intoArray(r, 4);
    c2.intoArray(r, 8);
    c3.intoArray(r, 12);
    c4.intoArray(r, 16);
    c5.intoArray(r, 20);
    c6.intoArray(r, 24);
    c7.intoArray(r, 28);
    c8.intoArray(r, 32);
    c9.intoArray(r, 36);
    c10.intoArray(r, 40);
    c11.intoArray(r, 44);
  }

  static long load(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
    return v;
  }
}
