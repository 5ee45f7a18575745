package io.jointly.vole.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.symmetric.AesPrg;
import io.jointly.symmetric.Blocks;
import io.jointly.core.Parallel;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The receiver's punctured forest equals the sender's everywhere but the punctured leaves. */
class GgmForestTest {
  private static final Parallel PAR = new Parallel(Executors.newFixedThreadPool(3, r -> {
    Thread th = new Thread(r);
    th.setDaemon(true);
    return th;
  }), 3);

  @Property(tries = 60)
  void receiverRebuildsAllButThePuncturedLeaves(
      @ForAll @IntRange(min = 1, max = 400) int t, @ForAll @IntRange(min = 2, max = 300) int s, @ForAll long seed) {
    int d = GgmForest.depth(s);
    byte[] sd = new byte[16];
    Blocks.setWord(sd, 0, seed);
    AesPrg prg = new AesPrg(sd);
    byte[] roots = Blocks.allocate(t);
    prg.nextBytes(roots);
    byte[] leaves = Blocks.allocate(t * s);
    byte[] sums = Blocks.allocate(d * t * 2);
    GgmForest.expandSender(roots, t, s, leaves, sums, PAR);

    int[] alpha = new int[t];
    byte[] sibling = Blocks.allocate(d * t);
    for (int j = 0; j < t; j++) {
      alpha[j] = (int) Long.remainderUnsigned(prg.nextLong(), s);
      for (int level = 0; level < d; level++) {
        int path = alpha[j] >>> (d - level - 1);
        int side = (path ^ 1) & 1;
        Blocks.copy(sums, (level * t + j) * 2 + side, sibling, level * t + j);
      }
    }
    byte[] got = Blocks.allocate(t * s);
    byte[] known = Blocks.allocate(t);
    GgmForest.expandReceiver(alpha, t, s, sibling, got, known, t % 2 == 0 ? PAR : Parallel.SEQUENTIAL);
    for (int j = 0; j < t; j++) {
      long xLo = 0;
      long xHi = 0;
      for (int x = 0; x < s; x++) {
        int at = x * t + j;
        if (x == alpha[j]) {
          assertThat(Blocks.lo(got, at) | Blocks.hi(got, at)).isZero();
        } else {
          assertThat(Blocks.equal(got, at, leaves, at)).as("tree %d leaf %d", j, x).isTrue();
          xLo ^= Blocks.lo(leaves, at);
          xHi ^= Blocks.hi(leaves, at);
        }
      }
      assertThat(Blocks.lo(known, j)).isEqualTo(xLo);
      assertThat(Blocks.hi(known, j)).isEqualTo(xHi);
      // The sender's leaf sum is the two last-level side sums.
      int last = ((d - 1) * t + j) * 2;
      long all = xLo ^ Blocks.lo(leaves, alpha[j] * t + j);
      assertThat(Blocks.lo(sums, last) ^ Blocks.lo(sums, last + 1)).isEqualTo(all);
    }
  }

  @Property(tries = 20)
  void leavesDependOnEveryRoot(@ForAll @IntRange(min = 2, max = 8) int t, @ForAll @IntRange(min = 2, max = 64) int s) {
    byte[] roots = Blocks.allocate(t);
    byte[] a = Blocks.allocate(t * s);
    byte[] b = Blocks.allocate(t * s);
    GgmForest.expandSender(roots, t, s, a, Blocks.allocate(GgmForest.depth(s) * t * 2), Parallel.SEQUENTIAL);
    roots[0] ^= 1;
    GgmForest.expandSender(roots, t, s, b, Blocks.allocate(GgmForest.depth(s) * t * 2), PAR);
    for (int x = 0; x < s; x++) {
      assertThat(Blocks.equal(a, x * t, b, x * t)).isFalse();
      assertThat(Blocks.equal(a, x * t + 1, b, x * t + 1)).isTrue();
    }
  }
}
