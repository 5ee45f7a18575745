package io.jointly.psi.vole;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The table against a {@link HashMap} of the same values, including values sharing their first bytes. */
class MatchTableTest {

  @Property(tries = 40)
  void find_agreesWithAHashMap(
      @ForAll @IntRange(min = 0, max = 5000) int n, @ForAll @IntRange(min = 5, max = 16) int width, @ForAll long seed) {
    Random rnd = new Random(seed);
    byte[] values = new byte[n * width];
    rnd.nextBytes(values);
    // Every third value shares its first 8 bytes (slot and fingerprint) with the one before.
    for (int i = 3; i < n; i += 3) {
      System.arraycopy(values, (i - 1) * width, values, i * width, Math.min(8, width - 1));
    }
    Map<ByteBuffer, Integer> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      expected.putIfAbsent(ByteBuffer.wrap(Arrays.copyOfRange(values, i * width, (i + 1) * width)), i);
    }
    MatchTable table = new MatchTable(values, n, width);
    byte[] probe = new byte[3 * width];
    for (int i = 0; i < n; i++) {
      System.arraycopy(values, i * width, probe, width, width);
      assertThat(table.find(probe, width)).isEqualTo(expected.get(ByteBuffer.wrap(Arrays.copyOfRange(values, i * width, (i + 1) * width))));
    }
    for (int t = 0; t < 2000; t++) {
      rnd.nextBytes(probe);
      Integer want = expected.get(ByteBuffer.wrap(Arrays.copyOfRange(probe, width, 2 * width)));
      assertThat(table.find(probe, width)).isEqualTo(want == null ? -1 : want);
    }
  }
}
