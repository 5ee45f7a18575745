package io.jointly.group.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

/**
 * EXPERIMENT: checks {@link VectorLadderPrototype} against Jointly's scalar {@link Curve25519Ladder}
 * on random and edge-case inputs, then times both in one JVM: the whole X25519 function, then one
 * four-lane multiplication against one scalar multiplication and squaring. Thread CPU time,
 * alternating rounds, medians. Run by {@code run.sh}.
 */
public final class VectorLadderCompare {
  private VectorLadderCompare() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
    SecureRandom rnd = new SecureRandom();
    byte[] expected = new byte[32];
    byte[] actual = new byte[32];
    for (int t = 0; t < 3000; t++) {
      byte[] k = new byte[32];
      byte[] u = new byte[32];
      rnd.nextBytes(k);
      rnd.nextBytes(u);
      if (t < 20) {
        Arrays.fill(u, (byte) 0xff); // non-canonical u ≥ p, and u = 2^255 − 1 (bit 255 masked)
        u[0] = (byte) (0xed + t % 19);
      }
      boolean a = Curve25519Ladder.scalarMult(k, u, expected);
      boolean b = VectorLadderPrototype.scalarMult(k, u, actual);
      if (a != b || !Arrays.equals(expected, actual)) {
        throw new AssertionError("prototype differs from Curve25519Ladder at input " + t);
      }
    }
    System.out.println("correctness: 3000 inputs, prototype equals Curve25519Ladder");

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    byte[] k = new byte[32];
    byte[] u = new byte[32];
    rnd.nextBytes(k);
    rnd.nextBytes(u);
    double[] scalar = new double[rounds];
    double[] vector = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        Curve25519Ladder.scalarMult(k, u, expected);
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        VectorLadderPrototype.scalarMult(k, u, actual);
      }
      long t2 = mx.getCurrentThreadCpuTime();
      scalar[r] = (t1 - t0) / 200e3;
      vector[r] = (t2 - t1) / 200e3;
    }
    System.out.printf(
        Locale.ROOT,
        "X25519 per call: scalar ladder median %.1f us (best %.1f), vector prototype median %.1f us"
            + " (best %.1f), ratio of medians %.2f%n",
        median(scalar), min(scalar), median(vector), min(vector), median(vector) / median(scalar));

    double[] a = new double[48];
    double[] b = new double[48];
    for (int i = 0; i < 48; i++) {
      a[i] = (rnd.nextInt(1 << 20)) * Math.scalb(1.0, VectorLadderPrototype.POS[i / 4]);
      b[i] = (rnd.nextInt(1 << 20)) * Math.scalb(1.0, VectorLadderPrototype.POS[i / 4]);
    }
    long[] f = Field25519.fromBigInteger(new java.math.BigInteger(250, rnd));
    long[] g = Field25519.fromBigInteger(new java.math.BigInteger(250, rnd));
    double[] ubuf = new double[48];
    double[] c = b.clone();
    double[] vmul = new double[rounds];
    double[] vrows = new double[rounds];
    double[] smul = new double[rounds];
    double[] ssq = new double[rounds];
    int n = 100_000;
    for (int r = 0; r < rounds; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        VectorLadderPrototype.mul(a, b, a);
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        Field25519.mul(f, g, f);
      }
      long t2 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        Field25519.square(g, g);
      }
      long t3 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        VectorLadderPrototype.mulRows(c, b, ubuf, c);
      }
      long t4 = mx.getCurrentThreadCpuTime();
      vrows[r] = (t4 - t3) / (double) n;
      vmul[r] = (t1 - t0) / (double) n;
      smul[r] = (t2 - t1) / (double) n;
      ssq[r] = (t3 - t2) / (double) n;
    }
    System.out.printf(
        Locale.ROOT,
        "field, chained calls: four-lane vector multiplication median %.1f ns (%.1f ns per lane);"
            + " row-by-row variant %.1f ns; scalar multiplication %.1f ns, squaring %.1f ns%n",
        median(vmul), median(vmul) / 4, median(vrows), median(smul), median(ssq));
    System.out.println("(checksum " + (a[0] + c[0] + f[0] + g[0]) + ")");
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }
}
