package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.PsiListener;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.group.SuiteId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a {@link PsiListener} sees: the handshake's set sizes, then every stage the party runs
 * announced at zero (the local join too, at a party that learns), then counts that only grow to
 * each stage's fixed total, so a progress bar's share of the work never steps back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EcdhPsiListenerTest {

  /** One call to the listener: a stage's progress, or the handshake (stage null, sizes). */
  private record Event(PsiListener.Stage stage, long done, long total) {}

  private static final class Recorder implements PsiListener {
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onHandshake(long ownSetSize, long peerSetSize) {
      events.add(new Event(null, ownSetSize, peerSetSize));
    }

    @Override
    public void onProgress(Stage stage, long done, long total) {
      events.add(new Event(stage, done, total));
    }
  }

  @ParameterizedTest
  @EnumSource(RevealMode.class)
  void run_eachRevealMode_announcesEveryStageAtZeroThenCountsUpToFixedTotals(RevealMode mode) throws Exception {
    Random rnd = new Random(11);
    List<String> bankIds = EcdhPsiPropertyTest.ids("b", 150, rnd);
    List<String> partnerIds = new ArrayList<>(bankIds.subList(0, 60));
    partnerIds.addAll(EcdhPsiPropertyTest.ids("p", 140, rnd));
    EcdhPsiParameters params = PsiRunner.testParams(EcdhPsiParameters.preset(SuiteId.X25519), mode);
    Recorder bank = new Recorder();
    Recorder partner = new Recorder();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      ChannelPair pair = InMemoryChannel.pair("listener-test", "bank", "partner");
      var outcomes =
          TwoPartyRun.runAll(
              pair,
              ch -> new EcdhPsi(PsiRole.BANK, params, pool, 1).withListener(bank).run(PsiInput.ofColumn(bankIds), ch),
              ch -> new EcdhPsi(PsiRole.PARTNER, params, pool, 1).withListener(partner).run(PsiInput.ofColumn(partnerIds), ch),
              PsiRunner.HARD_TIMEOUT);
      assertThat(outcomes.firstFailure()).isNull();
    } finally {
      pool.shutdownNow();
    }
    check(bank.events, 150, 200, mode.revealsSizeTo(PsiRole.BANK));
    check(partner.events, 200, 150, mode.revealsSizeTo(PsiRole.PARTNER));
  }

  private static void check(List<Event> events, long own, long peer, boolean learns) {
    assertThat(events.get(0)).isEqualTo(new Event(null, own, peer));
    List<Event> announced = new ArrayList<>(List.of(
        new Event(PsiListener.Stage.BLIND_OWN, 0, own), new Event(PsiListener.Stage.REBLIND_PEER, 0, peer)));
    if (learns) {
      announced.add(new Event(PsiListener.Stage.MATCH, 0, own));
      announced.add(new Event(PsiListener.Stage.JOIN, 0, own + peer));
    }
    assertThat(events.subList(1, 1 + announced.size())).containsExactlyElementsOf(announced);

    Map<PsiListener.Stage, Event> last = new EnumMap<>(PsiListener.Stage.class);
    for (Event a : announced) {
      last.put(a.stage(), a);
    }
    for (Event e : events.subList(1 + announced.size(), events.size())) {
      assertThat(e.stage()).as("only announced stages report").isNotNull().isIn(last.keySet());
      Event before = last.get(e.stage());
      assertThat(e.total()).as("a stage's total is fixed").isEqualTo(before.total());
      assertThat(e.done()).as("counts only grow").isGreaterThanOrEqualTo(before.done()).isLessThanOrEqualTo(e.total());
      last.put(e.stage(), e);
    }
    for (Event e : last.values()) {
      assertThat(e.done()).as("%s finished", e.stage()).isEqualTo(e.total());
    }
  }
}
