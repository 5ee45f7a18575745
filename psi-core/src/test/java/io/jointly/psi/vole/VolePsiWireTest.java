package io.jointly.psi.vole;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RevealMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What crosses the wire (never a raw identifier), the traffic accounting, and progress reports. */
class VolePsiWireTest {

  @Test
  void run_anyMode_noPayloadContainsARawIdentifier() {
    Random rnd = new Random(11);
    List<String> shared = VoleRunner.ids("customer-", 300, rnd);
    List<String> partner = new ArrayList<>(shared);
    Collections.shuffle(partner, rnd);
    for (RevealMode mode : List.of(RevealMode.BANK, RevealMode.BOTH)) {
      List<Bytes> seen = Collections.synchronizedList(new ArrayList<>());
      UnaryOperator<MessageChannel> record =
          ch ->
              new ForwardingChannel(ch) {
                @Override
                public void send(RoundKey key, Bytes payload) throws io.jointly.core.ChannelException {
                  seen.add(payload);
                  super.send(key, payload);
                }
              };
      VolePsiParameters params = VoleRunner.testParams(mode);
      var o = VoleRunner.runAll(params, shared, params, partner, record, record);
      assertThat(o.firstFailure()).isNull();
      assertThat(seen).hasSizeGreaterThan(8);
      for (Bytes payload : seen) {
        String asText = new String(payload.toByteArray(), StandardCharsets.ISO_8859_1);
        for (String id : shared) {
          assertThat(asText).doesNotContain(id);
        }
      }
    }
  }

  @Test
  void run_trafficIsCountedAlikeOnBothSides_andOutputsAreTheirSizeBound() {
    Random rnd = new Random(5);
    List<String> shared = VoleRunner.ids("s", 3000, rnd);
    List<String> bank = new ArrayList<>(shared);
    bank.addAll(VoleRunner.ids("b", 3000, rnd));
    List<String> partner = new ArrayList<>(shared);
    partner.addAll(VoleRunner.ids("p", 3000, rnd));
    var o = VoleRunner.run(VoleRunner.testParams(RevealMode.BANK), bank, partner);
    PsiResult b = o.first().value();
    PsiResult p = o.second().value();
    assertThat(b.traffic().totalBytes()).isEqualTo(p.traffic().totalBytes());
    assertThat(b.traffic().bytesSent()).isEqualTo(p.traffic().bytesReceived());
    // The partner's outputs: ℓ/8 bytes per item, ℓ = 40 + 13 + 13 rounded up to 72 bits.
    assertThat(p.traffic().bytesSent()).isGreaterThan(6000L * 9).isLessThan(6000L * 9 + 300_000);
  }

  @Test
  void run_listener_announcesStagesAtZeroThenGrowsToTotal() {
    Random rnd = new Random(7);
    List<String> bankIds = VoleRunner.ids("x", 2500, rnd);
    List<String> partnerIds = new ArrayList<>(bankIds.subList(0, 1000));
    partnerIds.addAll(VoleRunner.ids("y", 1500, rnd));
    for (RevealMode mode : List.of(RevealMode.BANK, RevealMode.BOTH)) {
      Recorder bankSeen = new Recorder();
      Recorder partnerSeen = new Recorder();
      var o = VoleRunner.runListened(VoleRunner.testParams(mode), bankIds, partnerIds, bankSeen, partnerSeen);
      assertThat(o.firstFailure()).isNull();
      bankSeen.check(Map.of(PsiListener.Stage.BLIND_OWN, 2500L, PsiListener.Stage.MATCH, 2500L));
      if (mode == RevealMode.BOTH) {
        partnerSeen.check(Map.of(PsiListener.Stage.BLIND_OWN, 2500L, PsiListener.Stage.MATCH, 2500L));
      } else {
        partnerSeen.check(Map.of(PsiListener.Stage.BLIND_OWN, 2500L));
      }
    }
  }

  /** Records progress calls and checks them: every stage first at zero, never decreasing. */
  static final class Recorder implements PsiListener {
    final List<Object[]> calls = Collections.synchronizedList(new ArrayList<>());
    volatile boolean handshake;

    @Override
    public void onHandshake(long ownSetSize, long peerSetSize) {
      handshake = true;
    }

    @Override
    public void onProgress(Stage stage, long done, long total) {
      calls.add(new Object[] {stage, done, total});
    }

    void check(Map<Stage, Long> totals) {
      assertThat(handshake).isTrue();
      Map<Stage, Long> last = new EnumMap<>(Stage.class);
      boolean announcing = true;
      for (Object[] c : calls) {
        Stage s = (Stage) c[0];
        long done = (Long) c[1];
        long total = (Long) c[2];
        assertThat(totals).containsKey(s);
        assertThat(total).isEqualTo(totals.get(s));
        if (!last.containsKey(s)) {
          assertThat(announcing).as("all stages are announced before work starts").isTrue();
          assertThat(done).isZero();
        } else {
          announcing = false;
          assertThat(done).isGreaterThanOrEqualTo(last.get(s));
        }
        last.put(s, done);
      }
      assertThat(last.keySet()).isEqualTo(totals.keySet());
      for (Map.Entry<Stage, Long> e : totals.entrySet()) {
        assertThat(last.get(e.getKey())).isEqualTo(e.getValue());
      }
    }
  }
}
