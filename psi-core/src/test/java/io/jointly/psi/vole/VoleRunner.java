package io.jointly.psi.vole;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.vole.VoleParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/** Runs a bank and a partner of VOLE PSI in one JVM over an in-memory channel pair. */
final class VoleRunner {
  static final Duration HARD_TIMEOUT = Duration.ofSeconds(90);

  /**
   * A small LPN instance so that tests run in milliseconds: the protocol's logic does not depend on
   * the VOLE's size (the default parameters run in {@code VolePsiPropertyTest}'s large case). Chunks
   * of at most 2,048 outputs, and OKVS bins of 1,024 items (about 1,500 entries) in {@link
   * #testParams}, so that a chunk is one bin and a bank set above about 1,100 items uses several.
   */
  static final VoleParameters SMALL_VOLE = new VoleParameters(5, 21, 64, 1024, 2048);

  private VoleRunner() {}

  /** Test parameters: no guardrail, small frames so that several frames are exercised. */
  static VolePsiParameters testParams(RevealMode mode) {
    return VolePsiParameters.DEFAULT.toBuilder()
        .revealMode(mode)
        .minPeerSetSize(0)
        .frameItems(1024)
        .vole(SMALL_VOLE)
        .okvsBinItems(1024)
        .receiveTimeout(Duration.ofSeconds(20))
        .build();
  }

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> runAll(
      VolePsiParameters bankParams,
      List<String> bankIds,
      VolePsiParameters partnerParams,
      List<String> partnerIds,
      UnaryOperator<MessageChannel> bankWrap,
      UnaryOperator<MessageChannel> partnerWrap) {
    ExecutorService bankPool = Executors.newFixedThreadPool(2);
    ExecutorService partnerPool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("test-session", "bank", "partner");
      VolePsi bank = new VolePsi(PsiRole.BANK, bankParams, bankPool, 2);
      VolePsi partner = new VolePsi(PsiRole.PARTNER, partnerParams, partnerPool, 2);
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

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> runListened(
      VolePsiParameters params, List<String> bankIds, List<String> partnerIds, PsiListener bankListener, PsiListener partnerListener) {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      return TwoPartyRun.runAll(
          InMemoryChannel.pair("test-session", "bank", "partner"),
          ch -> new VolePsi(PsiRole.BANK, params, pool, 2).withListener(bankListener).run(PsiInput.ofColumn(bankIds), ch),
          ch -> new VolePsi(PsiRole.PARTNER, params, pool, 2).withListener(partnerListener).run(PsiInput.ofColumn(partnerIds), ch),
          HARD_TIMEOUT);
    } finally {
      pool.shutdownNow();
    }
  }

  static TwoPartyRun.Outcomes<PsiResult, PsiResult> run(VolePsiParameters params, List<String> bankIds, List<String> partnerIds) {
    var o = runAll(params, bankIds, params, partnerIds, UnaryOperator.identity(), UnaryOperator.identity());
    if (o.firstFailure() != null) {
      throw new AssertionError("VOLE PSI run failed", o.firstFailure());
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

  /** {@code n} distinct identifiers with a prefix. */
  static List<String> ids(String prefix, int n, Random rnd) {
    List<String> out = new ArrayList<>(n);
    Set<String> seen = new HashSet<>();
    while (out.size() < n) {
      String id = prefix + Long.toHexString(rnd.nextLong());
      if (seen.add(id)) {
        out.add(id);
      }
    }
    return out;
  }
}
