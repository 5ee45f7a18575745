package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.PsiInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, many clients at once: six membership clients (two sharing a name, so a budget) and
 * a batch run concurrently; every answer equals plain membership, and the ledger counts exactly the
 * evaluations granted, per client.
 */
@Timeout(120)
class OprfServerConcurrencyTest {
  @TempDir Path dir;

  @Test
  void manyClientsAtOnce_correctAnswersAndExactCounts() throws Exception {
    List<String> set = CacheFixture.phones(0, 200);
    try (ServerFixture f = ServerFixture.withSet(dir, set)) {
      ExecutorService clients = Executors.newFixedThreadPool(7);
      try {
        List<Future<Long>> results = new ArrayList<>();
        AtomicLong wrong = new AtomicLong();
        for (int c = 0; c < 6; c++) {
          String name = c < 2 ? "bank-app" : "bank-app-" + c;
          int offset = c * 30;
          results.add(
              clients.submit(
                  () -> {
                    long checks = 0;
                    try (OprfCache cache = f.clientCache();
                        MembershipClient m =
                            MembershipClient.open(cache, ServerFixture.clientParams(ServerFixture.PURPOSE), f.connector(name))) {
                      for (int i = offset; i < offset + 25; i++) {
                        if (m.contains(CacheFixture.phone(i)) != (i < 200)) {
                          wrong.incrementAndGet();
                        }
                        checks++;
                      }
                    }
                    return checks;
                  }));
        }
        Future<UnbalancedPsiResult> batch =
            clients.submit(
                () -> {
                  try (OprfCache cache = f.clientCache()) {
                    return TwoPartyRun.run(
                            InMemoryChannel.pair("batch", "partner", "bank"),
                            ch -> f.server.serve(ch),
                            ch -> new UnbalancedPsiClient(ServerFixture.clientParams(ServerFixture.CAMPAIGN), CacheFixture.POOL, 2)
                                .run(PsiInput.ofColumn(CacheFixture.phones(150, 100)), cache, ch),
                            Duration.ofSeconds(60))
                        .second()
                        .value();
                  }
                });
        long total = 0;
        for (Future<Long> r : results) {
          total += r.get(90, TimeUnit.SECONDS);
        }
        assertThat(batch.get(90, TimeUnit.SECONDS).intersectionSize()).isEqualTo(50);
        assertThat(wrong.get()).isZero();
        assertThat(total).isEqualTo(150);
        assertThat(f.ledger.used("bank-app", ServerFixture.PURPOSE)).isEqualTo(50);
        for (int c = 2; c < 6; c++) {
          assertThat(f.ledger.used("bank-app-" + c, ServerFixture.PURPOSE)).isEqualTo(25);
        }
        assertThat(f.ledger.used("bank", ServerFixture.CAMPAIGN)).isEqualTo(100);
      } finally {
        clients.shutdownNow();
      }
    }
  }
}
