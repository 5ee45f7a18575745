package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.PsiResult;
import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/** Runs a bank and a partner in one JVM over an in-memory channel pair, for the PSI tests. */
final class PsiRunner {
  static final Duration HARD_TIMEOUT = Duration.ofSeconds(90);

  private PsiRunner() {}

  /** Parameters for tests: no guardrail, small batches so several batches are exercised. */
  static EcdhPsiParameters testParams(EcdhPsiParameters preset, RevealMode mode) {
    return preset.toBuilder()
        .revealMode(mode)
        .minPeerSetSize(0)
        .batchSize(64)
        .receiveTimeout(Duration.ofSeconds(20))
        .build();
  }

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> runAll(
      EcdhPsiParameters bankParams,
      List<String> bankIds,
      EcdhPsiParameters partnerParams,
      List<String> partnerIds,
      UnaryOperator<MessageChannel> bankWrap,
      UnaryOperator<MessageChannel> partnerWrap) {
    ExecutorService bankPool = Executors.newFixedThreadPool(2);
    ExecutorService partnerPool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("test-session", "bank", "partner");
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, bankParams, bankPool, 2);
      EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, partnerParams, partnerPool, 2);
      return TwoPartyRun.runAll(
          pair,
          ch -> bank.run(PsiInput.ofColumn(bankIds), bankWrap.apply(ch)),
          ch -> partner.run(PsiInput.ofColumn(partnerIds), partnerWrap.apply(ch)),
          HARD_TIMEOUT);
    } finally {
      bankPool.shutdownNow();
      partnerPool.shutdownNow();
    }
  }

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> run(
      EcdhPsiParameters params, List<String> bankIds, List<String> partnerIds) throws Exception {
    var o = runAll(params, bankIds, params, partnerIds, UnaryOperator.identity(), UnaryOperator.identity());
    if (o.firstFailure() != null) {
      throw new AssertionError("PSI run failed", o.firstFailure());
    }
    return o;
  }

  /** The rows of {@code mine} whose value is in {@code theirs}: the plain computation. */
  static int[] expectedRows(List<String> mine, Collection<String> theirs) {
    Set<String> other = new HashSet<>(theirs);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < mine.size(); i++) {
      if (other.contains(mine.get(i))) {
        rows.add(i);
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code |set(a) ∩ set(b)|} by {@link Set#retainAll}. */
  static long expectedSize(Collection<String> a, Collection<String> b) {
    Set<String> s = new HashSet<>(a);
    s.retainAll(new HashSet<>(b));
    return s.size();
  }
}
