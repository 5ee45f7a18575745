package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.PsiInput;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.pipeline.RowSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streamed client run (pipeline input, rows to a sink) against the in-memory run and plain
 * membership: the same shared rows in increasing order, the same counts, under the pipeline's
 * smallest memory budget, and its work directory gone afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnbalancedPsiStreamingTest {

  @Test
  void streamedRun_smallestBudget_equalsInMemoryRunAndPlainMembership() throws Exception {
    Path dir = Files.createTempDirectory("upsi-stream");
    List<String> server = CacheFixture.phones(0, 3000);
    List<String> client = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      // Every third row in the set, a repeat every 7 rows, the rest outside it.
      int k = i % 7 == 6 ? i - 1 : i;
      client.add(CacheFixture.phone(k % 3 == 0 ? k / 3 : 10_000 + k));
    }
    Path work = dir.resolve("work");
    try (ServerFixture f = ServerFixture.withSet(dir, server); OprfCache cache = f.clientCache()) {
      UnbalancedPsiClient streaming =
          new UnbalancedPsiClient(ServerFixture.clientParams(ServerFixture.CAMPAIGN).withBatchSize(512), CacheFixture.POOL, 2)
              .withOptions(PipelineOptions.DEFAULTS.withMemoryBytes(1 << 20).withWorkDir(work));
      List<Long> rows = new ArrayList<>();
      PreparedInput prepared = streaming.prepare(RowSources.of(PsiInput.ofColumn(client)), cache);
      var o =
          TwoPartyRun.run(
              InMemoryChannel.pair("stream", "partner", "bank"),
              ch -> f.server.serve(ch),
              ch -> streaming.run(prepared, cache, () -> ch, rows::add),
              Duration.ofSeconds(90));
      UnbalancedPsiResult streamed = o.second().value();

      var m =
          TwoPartyRun.run(
              InMemoryChannel.pair("memory", "partner", "bank"),
              ch -> f.server.serve(ch),
              ch -> new UnbalancedPsiClient(ServerFixture.clientParams(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                  .run(PsiInput.ofColumn(client), cache, ch),
              Duration.ofSeconds(90));
      UnbalancedPsiResult inMemory = m.second().value();

      Set<String> set = new HashSet<>(server);
      List<Long> expected = new ArrayList<>();
      for (int r = 0; r < client.size(); r++) {
        if (set.contains(client.get(r))) {
          expected.add((long) r);
        }
      }
      assertThat(expected).isNotEmpty();
      assertThat(rows).containsExactlyElementsOf(expected);
      assertThat(inMemory.sharedRows().orElseThrow().toArray())
          .containsExactly(expected.stream().mapToInt(Long::intValue).toArray());
      assertThat(streamed.sharedRows()).isEmpty();
      assertThat(streamed.sharedRowCount()).isEqualTo(expected.size());
      assertThat(streamed.intersectionSize()).isEqualTo(inMemory.intersectionSize());
      assertThat(streamed.ownSetSize()).isEqualTo(inMemory.ownSetSize()).isEqualTo(new HashSet<>(client).size());
      assertThat(streamed.input().duplicateRows()).isEqualTo(inMemory.input().duplicateRows()).isPositive();
      assertThat(o.first().value().evaluations()).isEqualTo(streamed.ownSetSize());
      assertThat(work).doesNotExist();
    } finally {
      CacheEncoder.deleteTree(dir);
    }
  }
}
