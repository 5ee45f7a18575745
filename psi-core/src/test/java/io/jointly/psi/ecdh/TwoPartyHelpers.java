package io.jointly.psi.ecdh;

import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.PsiResult;
import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Less common two-party set-ups for the PSI tests. */
final class TwoPartyHelpers {
  private TwoPartyHelpers() {}

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> runColumns(
      EcdhPsiParameters bankParams,
      List<List<String>> bankColumns,
      EcdhPsiParameters partnerParams,
      List<List<String>> partnerColumns) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("s", "bank", "partner");
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, bankParams, pool, 1);
      EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, partnerParams, pool, 1);
      return TwoPartyRun.runAll(
          pair,
          ch -> bank.run(PsiInput.ofColumns(bankColumns), ch),
          ch -> partner.run(PsiInput.ofColumns(partnerColumns), ch),
          PsiRunner.HARD_TIMEOUT);
    } finally {
      pool.shutdownNow();
    }
  }

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> runRoles(
      PsiRole first, PsiRole second, EcdhPsiParameters params, List<String> ids) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("s", "one", "two");
      EcdhPsi a = new EcdhPsi(first, params, pool, 1);
      EcdhPsi b = new EcdhPsi(second, params, pool, 1);
      return TwoPartyRun.runAll(
          pair,
          ch -> a.run(PsiInput.ofColumn(ids), ch),
          ch -> b.run(PsiInput.ofColumn(ids), ch),
          PsiRunner.HARD_TIMEOUT);
    } finally {
      pool.shutdownNow();
    }
  }
}
