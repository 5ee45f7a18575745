package io.jointly.psi.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The join against {@code HashMap} lookups, in one table and in partitions. */
class HashJoinPropertyTest {

  private static HashJoin.Values values(List<ByteBuffer> v, int width) {
    byte[] all = new byte[v.size() * width];
    for (int i = 0; i < v.size(); i++) {
      v.get(i).duplicate().get(all, i * width, width);
    }
    return new HashJoin.Values() {
      @Override
      public long count() {
        return v.size();
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(all);
      }
    };
  }

  @Property(tries = 40)
  void join_randomValues_findsExactlyTheCommonOnesWithTheirPositions(
      @ForAll @IntRange(min = 0, max = 3000) int peerOnly,
      @ForAll @IntRange(min = 0, max = 3000) int ownOnly,
      @ForAll @IntRange(min = 0, max = 2000) int common,
      @ForAll @IntRange(min = 6, max = 14) int width,
      @ForAll boolean tinyMemory,
      @ForAll long seed)
      throws Exception {
    Random rnd = new Random(seed);
    Set<ByteBuffer> seen = new HashSet<>();
    List<ByteBuffer> peer = new ArrayList<>();
    List<ByteBuffer> own = new ArrayList<>();
    for (int i = 0; i < peerOnly + ownOnly + common; i++) {
      byte[] b = new byte[width];
      rnd.nextBytes(b);
      ByteBuffer v = ByteBuffer.wrap(b);
      if (!seen.add(v)) {
        continue;
      }
      if (i < common) {
        peer.add(v);
        own.add(v);
      } else if (i < common + peerOnly) {
        peer.add(v);
      } else {
        own.add(v);
      }
    }
    java.util.Collections.shuffle(peer, rnd);
    java.util.Collections.shuffle(own, rnd);
    Map<ByteBuffer, Long> peerPos = new HashMap<>();
    for (int i = 0; i < peer.size(); i++) {
      peerPos.put(peer.get(i), (long) i);
    }
    Map<Long, Long> expected = new HashMap<>();
    for (int i = 0; i < own.size(); i++) {
      Long q = peerPos.get(own.get(i));
      if (q != null) {
        expected.put((long) i, q);
      }
    }
    Path tmp = Files.createTempDirectory("join-test");
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    Map<Long, Long> got = new HashMap<>();
    long memory = tinyMemory ? 8 << 10 : 64 << 20;
    try {
      long found =
          HashJoin.join(
              dir, new MemoryBudget(8 << 20), width, values(peer, width), values(own, width), memory,
              (p, q) -> assertThat(got.put(p, q)).isNull());
      assertThat(found).isEqualTo(expected.size());
      assertThat(got).isEqualTo(expected);
      long counted =
          HashJoin.join(dir, new MemoryBudget(8 << 20), width, values(peer, width), values(own, width), memory, null);
      assertThat(counted).isEqualTo(expected.size());
    } finally {
      dir.deleteAll();
      Files.deleteIfExists(tmp);
    }
  }

  @Test
  void join_peerRepeatsAValue_isRefused() throws Exception {
    byte[] b = new byte[8];
    List<ByteBuffer> peer = List.of(ByteBuffer.wrap(b), ByteBuffer.wrap(b.clone()));
    Path tmp = Files.createTempDirectory("join-test");
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    try {
      assertThatThrownBy(
              () -> HashJoin.join(dir, new MemoryBudget(8 << 20), 8, values(peer, 8), values(List.of(), 8), 1 << 20, null))
          .isInstanceOf(HashJoin.RepeatedValueException.class);
    } finally {
      dir.deleteAll();
      Files.deleteIfExists(tmp);
    }
  }
}
