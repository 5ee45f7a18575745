package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.compliance.Agreements.Party;
import io.jointly.core.JointlyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agreement's own rounds under a fault-injecting channel (each fault on each round, from the
 * bank): never a hang and never a wrong result. A party either completes, holding a receipt with
 * both signatures that verifies, or fails with a typed {@link JointlyException}; a party that fails
 * after the verdicts keeps a one-sided receipt. (A fault on the last message can leave one party
 * complete and the other failed: no exchange can end in common knowledge; the two logs show it.)
 */
class RunAgreementFaultTest {
  private static final Duration SHORT = Duration.ofSeconds(2);

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (RunAgreement.Round round : RunAgreement.Round.values()) {
      for (FaultInjectingChannel.Fault f :
          List.of(
              FaultInjectingChannel.Fault.DROP,
              FaultInjectingChannel.Fault.DUPLICATE,
              FaultInjectingChannel.Fault.TRUNCATE,
              FaultInjectingChannel.Fault.CORRUPT,
              FaultInjectingChannel.Fault.CLOSE)) {
        out.add(Arguments.of(round, f));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("faults")
  void faultOnAnAgreementRound_typedFailureOrAVerifiedReceipt_neverAHang(
      RunAgreement.Round round, FaultInjectingChannel.Fault fault) {
    TestPki pki = new TestPki("test CA");
    Party bank = new Party("bank", "bank", pki, pki.issue("bank"));
    Party partner = new Party("partner", "partner", pki, pki.issue("partner"));
    bank.builder.timeout(SHORT);
    partner.builder.timeout(SHORT);

    TwoPartyRun.Outcomes<AgreedRun.Completed<Integer>, AgreedRun.Completed<Integer>> o =
        Agreements.run(
            bank,
            partner,
            ch -> new FaultInjectingChannel(ch, fault, RunAgreement.PROTOCOL, round.key().round(), 0, Duration.ZERO),
            ch -> Agreements.echo(ch, 3),
            ch -> Agreements.echo(ch, 3));

    ReceiptVerifier verifier = new ReceiptVerifier(pki.roots());
    List<TwoPartyRun.Outcome<AgreedRun.Completed<Integer>>> outcomes = List.of(o.first(), o.second());
    List<Party> parties = List.of(bank, partner);
    for (int i = 0; i < 2; i++) {
      TwoPartyRun.Outcome<AgreedRun.Completed<Integer>> out = outcomes.get(i);
      Party p = parties.get(i);
      if (out.failure() == null) {
        Receipt r = out.value().receipt();
        assertThat(out.value().result()).isEqualTo(3);
        assertThat(r.body().status()).isEqualTo(ReceiptBody.Status.COMPLETED);
        assertThat(r.signatures()).hasSize(2);
        assertThat(verifier.problem(r)).isEmpty();
        assertThat(p.trail.only()).isEqualTo(r);
      } else {
        assertThat(out.failure()).as(p.name).isInstanceOf(JointlyException.class);
        for (Receipt r : p.trail.receipts) {
          assertThat(r.body().status()).isNotEqualTo(ReceiptBody.Status.COMPLETED);
          assertThat(r.body().signers()).containsExactly(p.name);
          assertThat(verifier.problem(r)).isEmpty();
        }
      }
    }
    if (o.first().failure() == null && o.second().failure() == null) {
      assertThat(o.first().value().receipt().digest()).isEqualTo(o.second().value().receipt().digest());
    }
  }
}
