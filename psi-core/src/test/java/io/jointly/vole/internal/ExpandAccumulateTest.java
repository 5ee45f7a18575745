package io.jointly.vole.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.Parallel;
import io.jointly.symmetric.AesPrg;
import java.util.concurrent.Executors;
import io.jointly.symmetric.Blocks;
import java.util.LinkedHashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The EA code against its definition computed in the plainest way (the expander's positions read
 * from the public AES-CTR stream as specified, the accumulator as a running XOR), and the sparse
 * receiver path against the dense one.
 */
class ExpandAccumulateTest {
  private static final Parallel PAR = new Parallel(Executors.newFixedThreadPool(3, r -> {
    Thread th = new Thread(r);
    th.setDaemon(true);
    return th;
  }), 3);

  static byte[] seed(long s) {
    byte[] b = new byte[16];
    Blocks.setWord(b, 0, s);
    return b;
  }

  @Property(tries = 40)
  void encode_matchesDefinition(
      @ForAll @IntRange(min = 1, max = 5000) int m, @ForAll @IntRange(min = 1, max = 2000) int n, @ForAll @IntRange(min = 1, max = 25) int k, @ForAll long s) {
    byte[] x = Blocks.allocate(n);
    new AesPrg(seed(~s)).nextBytes(x);
    // Plain: acc_i = x_0 ^ ... ^ x_i; out_j = XOR of acc at k positions from the stream.
    long[] accLo = new long[n];
    long[] accHi = new long[n];
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < n; i++) {
      lo ^= Blocks.lo(x, i);
      hi ^= Blocks.hi(x, i);
      accLo[i] = lo;
      accHi[i] = hi;
    }
    byte[] stream = new byte[4 * m * k];
    new AesPrg(seed(s)).nextBytes(stream);
    ExpandAccumulate code = new ExpandAccumulate(m, n, k, seed(s));
    code.accumulate(x);
    byte[] out = Blocks.allocate(m);
    code.expand(x, out, m % 2 == 0 ? PAR : Parallel.SEQUENTIAL);
    for (int j = 0; j < m; j++) {
      long eLo = 0;
      long eHi = 0;
      for (int i = 0; i < k; i++) {
        int at = 4 * (j * k + i);
        long r = (stream[at] & 0xFFL) | (stream[at + 1] & 0xFFL) << 8 | (stream[at + 2] & 0xFFL) << 16 | (stream[at + 3] & 0xFFL) << 24;
        int q = (int) ((r * n) >>> 32);
        eLo ^= accLo[q];
        eHi ^= accHi[q];
      }
      assertThat(Blocks.lo(out, j)).isEqualTo(eLo);
      assertThat(Blocks.hi(out, j)).isEqualTo(eHi);
    }
  }

  @Property(tries = 40)
  void sparsePath_equalsDensePath(
      @ForAll @IntRange(min = 1, max = 5000) int m, @ForAll @IntRange(min = 2, max = 300_000) int n, @ForAll @IntRange(min = 0, max = 60) int t, @ForAll long s) {
    AesPrg prg = new AesPrg(seed(s ^ 0x5555));
    Set<Integer> chosen = new LinkedHashSet<>();
    while (chosen.size() < Math.min(t, n)) {
      chosen.add((int) Long.remainderUnsigned(prg.nextLong(), n));
    }
    int[] positions = chosen.stream().mapToInt(Integer::intValue).toArray();
    byte[] values = Blocks.allocate(positions.length);
    prg.nextBytes(values);
    byte[] dense = Blocks.allocate(n);
    for (int i = 0; i < positions.length; i++) {
      Blocks.copy(values, i, dense, positions[i]);
    }
    ExpandAccumulate code = new ExpandAccumulate(m, n, 7, seed(s));
    byte[] expected = Blocks.allocate(m);
    byte[] acc = dense.clone();
    code.accumulate(acc);
    code.expand(acc, expected, Parallel.SEQUENTIAL);
    byte[] w = Blocks.allocate(m);
    byte[] e = Blocks.allocate(m);
    code.expand(acc, w, new ExpandAccumulate.SparsePrefix(positions, values, n, 1 + (int) Long.remainderUnsigned(s, 3000)), e, PAR);
    assertThat(e).isEqualTo(expected);
    assertThat(w).isEqualTo(expected);
  }

  @Property(tries = 30)
  void sparsePrefix_rank_countsPositionsUpToQ(
      @ForAll @IntRange(min = 1, max = 5000) int n,
      @ForAll @IntRange(min = 0, max = 300) int t,
      @ForAll @IntRange(min = 1, max = 6000) int stride,
      @ForAll long s) {
    AesPrg prg = new AesPrg(seed(s));
    Set<Integer> chosen = new LinkedHashSet<>();
    while (chosen.size() < Math.min(t, n)) {
      chosen.add((int) Long.remainderUnsigned(prg.nextLong(), n));
    }
    int[] positions = chosen.stream().mapToInt(Integer::intValue).toArray();
    ExpandAccumulate.SparsePrefix sp = new ExpandAccumulate.SparsePrefix(positions, Blocks.allocate(positions.length), n, stride);
    int count = 0;
    for (int q = 0; q < n; q++) {
      count += chosen.contains(q) ? 1 : 0;
      assertThat(sp.rank(q)).isEqualTo(count);
    }
  }
}
