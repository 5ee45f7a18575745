import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;

/**
 * EXPERIMENT HARNESS (see README.md), not part of Jointly: times two builds of psi-core's X25519
 * ladder against each other in one JVM. Each build is loaded from its own class directory by its
 * own class loader, so C2 compiles each separately. Usage: {@code LadderAb OLD_DIR NEW_DIR ROUNDS
 * [--timing-only]}. First checks that both compute the same function on 3,000 inputs (random, and
 * every third one a u value at or above p), then runs ROUNDS rounds of 100 calls of each, in
 * alternating order, measuring the thread's CPU time, and prints the medians and the median of the
 * per-round ratios new/old. A fixed-seed {@link Random} picks the inputs: this is a timing tool.
 */
public final class LadderAb {
  private static final int CALLS = 100;

  public static void main(String[] args) throws Throwable {
    int rounds = Integer.parseInt(args[2]);
    boolean check = !(args.length > 3 && args[3].equals("--timing-only"));
    MethodHandle[] ladder = {load(args[0]), load(args[1])};
    Random rnd = new Random(1);
    byte[] k = new byte[32];
    byte[] u = new byte[32];
    byte[] out0 = new byte[32];
    byte[] out1 = new byte[32];
    if (check) {
      for (int i = 0; i < 3000; i++) {
        rnd.nextBytes(k);
        rnd.nextBytes(u);
        if (i % 3 == 0) { // p ≤ u < 2^255, and 2^255 ≤ u with bit 255 set (masked by the ladder)
          Arrays.fill(u, (byte) 0xff);
          u[0] = (byte) (0xed + rnd.nextInt(19));
          u[31] = (byte) (i % 2 == 0 ? 0x7f : 0xff);
        }
        boolean ok0 = (boolean) ladder[0].invokeExact(k, u, out0);
        boolean ok1 = (boolean) ladder[1].invokeExact(k, u, out1);
        if (ok0 != ok1 || !Arrays.equals(out0, out1)) {
          throw new AssertionError("the two ladders differ on input " + i);
        }
      }
      System.out.println("equal on 3000 inputs");
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] micros = new double[2][rounds];
    rnd.nextBytes(k);
    rnd.nextBytes(u);
    u[31] &= 0x7f;
    for (int w = 0; w < 20_000; w++) {
      boolean ignored = (boolean) ladder[w & 1].invokeExact(k, u, out0);
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < 2; i++) {
        int v = (r & 1) == 0 ? i : 1 - i;
        long t0 = threads.getCurrentThreadCpuTime();
        for (int c = 0; c < CALLS; c++) {
          boolean ignored = (boolean) ladder[v].invokeExact(k, u, out0);
        }
        micros[v][r] = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / CALLS;
      }
    }
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratio[r] = micros[1][r] / micros[0][r];
    }
    Arrays.sort(micros[0]);
    Arrays.sort(micros[1]);
    Arrays.sort(ratio);
    String[] name = {"old", "new"};
    for (int v = 0; v < 2; v++) {
      System.out.printf(
          "%s: median %.2f us/call, lower quartile %.2f, best %.2f%n",
          name[v], micros[v][rounds / 2], micros[v][rounds / 4], micros[v][0]);
    }
    System.out.printf(
        "new/old per round: median %.4f (quartiles %.4f-%.4f), %d rounds of %d calls%n",
        ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], rounds, CALLS);
  }

  private static MethodHandle load(String dir) throws Exception {
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {Paths.get(dir).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Class<?> c = Class.forName("io.jointly.group.internal.Curve25519Ladder", true, loader);
    Method m = c.getDeclaredMethod("scalarMult", byte[].class, byte[].class, byte[].class);
    m.setAccessible(true);
    return MethodHandles.lookup().unreflect(m);
  }
}
