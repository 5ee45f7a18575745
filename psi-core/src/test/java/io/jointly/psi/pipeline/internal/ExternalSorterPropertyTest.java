package io.jointly.psi.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The external sort against {@code List.sort}, in memory, with spilled runs and multi-pass merges. */
class ExternalSorterPropertyTest {

  private static List<byte[]> sortWith(List<byte[]> records, int width, int key, long memory, int threads)
      throws Exception {
    Path tmp = Files.createTempDirectory("sorter-test");
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(9));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<byte[]> out = new ArrayList<>();
    try (ExternalSorter s =
        new ExternalSorter("t", dir, new MemoryBudget(8 << 20), width, key, memory, pool, threads)) {
      for (byte[] r : records) {
        s.add(r, 0, r.length);
      }
      try (RecordCursor c = s.sorted()) {
        while (c.next()) {
          out.add(Arrays.copyOfRange(c.buffer(), c.offset(), c.offset() + c.length()));
        }
      }
    } finally {
      pool.shutdownNow();
      dir.deleteAll();
      Files.deleteIfExists(tmp);
    }
    return out;
  }

  private static void check(List<byte[]> records, List<byte[]> sorted, int key) {
    assertThat(sorted).hasSize(records.size());
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(Arrays.compareUnsigned(sorted.get(i - 1), 0, key, sorted.get(i), 0, key)).isLessThanOrEqualTo(0);
    }
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    records.forEach(r -> a.add(Arrays.toString(r)));
    sorted.forEach(r -> b.add(Arrays.toString(r)));
    java.util.Collections.sort(a);
    java.util.Collections.sort(b);
    assertThat(b).isEqualTo(a);
  }

  @Property(tries = 30)
  void sorted_fixedWidthRecords_areAPermutationInKeyOrder(
      @ForAll @IntRange(min = 0, max = 20_000) int n,
      @ForAll @IntRange(min = 1, max = 20) int width,
      @ForAll @IntRange(min = 1, max = 4) int threads,
      @ForAll boolean fewDistinct,
      @ForAll long seed)
      throws Exception {
    Random rnd = new Random(seed);
    int key = 1 + rnd.nextInt(width);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] r = new byte[width];
      rnd.nextBytes(r);
      if (fewDistinct) {
        r[0] = (byte) rnd.nextInt(3);
        if (width > 1) {
          r[width - 1] = 0;
        }
      }
      records.add(r);
    }
    check(records, sortWith(records, width, key, 64 << 10, threads), key);
  }

  @Property(tries = 15)
  void sorted_variableLengthRecords_areAPermutationInKeyOrder(
      @ForAll @IntRange(min = 0, max = 8_000) int n, @ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] r = new byte[12 + rnd.nextInt(60)];
      rnd.nextBytes(r);
      records.add(r);
    }
    check(records, sortWith(records, 0, 12, 64 << 10, 2), 12);
  }

  @Test
  void sorted_moreRunsThanOneMergeTakes_mergesInPasses() throws Exception {
    Random rnd = new Random(5);
    List<byte[]> records = new ArrayList<>();
    // about 2,700 records per 64 KiB buffer: 80 runs, beyond the fan-in of 64
    for (int i = 0; i < 220_000; i++) {
      byte[] r = new byte[12];
      rnd.nextBytes(r);
      records.add(r);
    }
    check(records, sortWith(records, 12, 12, 64 << 10, 2), 12);
  }
}
