package io.jointly.psi.ecdh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.group.SuiteId;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.pipeline.RowSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a 1 MiB budget, a few thousand items per side no longer fit: preparation sorts in runs on
 * disk, the prepared items, the truncated values and the join go through the work directory — and
 * the result is still exactly {@code HashSet.retainAll}'s, and the work directory is gone after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcdhPsiBoundedMemoryTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(RevealMode.class)
  void run_tinyBudget_spillsToTheWorkDirectoryAndMatchesRetainAll(RevealMode mode) throws Exception {
    Random rnd = new Random(3);
    List<String> shared = EcdhPsiPropertyTest.ids("s", 2500, rnd);
    List<String> bank = new ArrayList<>(shared);
    bank.addAll(EcdhPsiPropertyTest.ids("b", 3000, rnd));
    bank.addAll(shared.subList(0, 300)); // duplicates, merged without a set in memory
    List<String> partner = new ArrayList<>(shared);
    partner.addAll(EcdhPsiPropertyTest.ids("p", 2500, rnd));
    Collections.shuffle(bank, rnd);
    Collections.shuffle(partner, rnd);
    EcdhPsiParameters params =
        PsiRunner.testParams(EcdhPsiParameters.preset(SuiteId.X25519), mode).toBuilder().batchSize(512).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      PipelineOptions bankOpts = PipelineOptions.DEFAULTS.withMemoryBytes(1 << 20).withWorkDir(tmp.resolve("bank"));
      PipelineOptions partnerOpts =
          PipelineOptions.DEFAULTS.withMemoryBytes(1 << 20).withWorkDir(tmp.resolve("partner"));
      EcdhPsi b = new EcdhPsi(PsiRole.BANK, params, pool, 2).withOptions(bankOpts);
      EcdhPsi p = new EcdhPsi(PsiRole.PARTNER, params, pool, 2).withOptions(partnerOpts);
      List<Long> bankRows = Collections.synchronizedList(new ArrayList<>());
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("bounded", "bank", "partner"),
              ch -> {
                try (PreparedInput in = b.prepare(RowSources.fromIterable(rows(bank), "bank rows"))) {
                  return b.run(in, () -> ch, bankRows::add);
                }
              },
              ch -> {
                try (PreparedInput in = p.prepare(PsiInput.ofColumn(partner))) {
                  return p.run(in, ch);
                }
              },
              PsiRunner.HARD_TIMEOUT);
      assertThat(o.firstFailure()).isNull();
      PsiResult br = o.first().value();
      PsiResult pr = o.second().value();
      assertThat(br.resources().peakWorkDirBytes()).as("the bank spilled to disk").isPositive();
      assertThat(pr.resources().peakWorkDirBytes()).as("the partner spilled to disk").isPositive();
      assertThat(br.intersectionSize()).hasValue(PsiRunner.expectedSize(bank, partner));
      if (mode.revealsRowsTo(PsiRole.BANK)) {
        int[] expected = PsiRunner.expectedRows(bank, partner);
        assertThat(bankRows.stream().mapToInt(Long::intValue).toArray()).containsExactly(expected);
      } else {
        assertThat(bankRows).isEmpty();
      }
      if (mode.revealsRowsTo(PsiRole.PARTNER)) {
        assertThat(pr.sharedRows()).hasValue(RowIndexes.of(PsiRunner.expectedRows(partner, bank)));
      }
      assertThat(tmp.resolve("bank")).doesNotExist();
      assertThat(tmp.resolve("partner")).doesNotExist();
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<List<String>> rows(List<String> ids) {
    List<List<String>> out = new ArrayList<>();
    for (String id : ids) {
      out.add(List.of(id));
    }
    return out;
  }
}
