package io.jointly.bench.lr;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.lr.BankTrainingResult;
import io.jointly.lr.PartnerTrainingResult;
import io.jointly.lr.VerticalLrBank;
import io.jointly.lr.VerticalLrParameters;
import io.jointly.lr.VerticalLrPartner;
import io.jointly.lr.features.RawTable;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One vertical LR run in this JVM: ECDH PSI in {@code both} mode, then {@link VerticalLrBank} and
 * {@link VerticalLrPartner} on the same in-memory channel pair, each party on its own named thread
 * with its own two-thread executor (names start with {@code bank} / {@code partner}, so that {@link
 * PartyClock} can tell their CPU time apart).
 */
final class LrRun {
  private LrRun() {}

  /** ristretto255 PSI revealing the intersection to both parties, as vertical LR needs. */
  static final EcdhPsiParameters PSI =
      EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder()
          .revealMode(RevealMode.BOTH)
          .minPeerSetSize(0)
          .receiveTimeout(Duration.ofMinutes(10))
          .build();

  /** One party's input: identifiers and feature columns, same rows; labels for the bank. */
  record Party(List<String> ids, RawTable features, int[] labels) {}

  /**
   * @param bank the bank's training result
   * @param partner the partner's training result
   * @param bankPsi the bank's PSI result
   * @param probe the bank-side LR probe (epoch marks, bytes, phases)
   * @param start the clock reading before PSI
   * @param end the clock reading after both parties finished
   */
  record Outcome(
      BankTrainingResult bank,
      PartnerTrainingResult partner,
      PsiResult bankPsi,
      LrProbe probe,
      PartyClock.Reading start,
      PartyClock.Reading end) {}

  static Outcome run(VerticalLrParameters params, Party bank, Party partner, Duration limit) throws Exception {
    ExecutorService bankMain = Executors.newSingleThreadExecutor(named("bank-main"));
    ExecutorService partnerMain = Executors.newSingleThreadExecutor(named("partner-main"));
    ExecutorService bankPool = Executors.newFixedThreadPool(2, named("bank-pool"));
    ExecutorService partnerPool = Executors.newFixedThreadPool(2, named("partner-pool"));
    ChannelPair pair = InMemoryChannel.pair("lr-bench", "bank", "partner");
    try {
      PartyClock.Reading start = PartyClock.now();
      LrProbe probe = new LrProbe(pair.first());
      PsiResult[] bankPsi = new PsiResult[1];
      Future<BankTrainingResult> fb =
          bankMain.submit(
              () -> {
                PsiResult psi = new EcdhPsi(PsiRole.BANK, PSI, bankPool, 2).run(PsiInput.ofColumn(bank.ids()), probe);
                bankPsi[0] = psi;
                return new VerticalLrBank(params, bankPool)
                    .train(bank.features(), bank.labels(), List.of(new VerticalLrBank.PartnerLink(psi, probe)));
              });
      Future<PartnerTrainingResult> fp =
          partnerMain.submit(
              () -> {
                PsiResult psi =
                    new EcdhPsi(PsiRole.PARTNER, PSI, partnerPool, 2).run(PsiInput.ofColumn(partner.ids()), pair.second());
                return new VerticalLrPartner(params, partnerPool).train(partner.features(), psi, pair.second());
              });
      long deadline = System.nanoTime() + limit.toNanos();
      BankTrainingResult b = await(fb, deadline, pair);
      PartnerTrainingResult p = await(fp, deadline, pair);
      return new Outcome(b, p, bankPsi[0], probe, start, PartyClock.now());
    } finally {
      bankMain.shutdownNow();
      partnerMain.shutdownNow();
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> f, long deadline, ChannelPair pair) throws Exception {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      pair.closeBoth();
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    } catch (java.util.concurrent.TimeoutException e) {
      pair.closeBoth();
      throw e;
    }
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }
}
