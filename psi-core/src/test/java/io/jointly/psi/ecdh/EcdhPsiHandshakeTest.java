package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.group.SuiteId;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A mismatched handshake or a refused guardrail fails fast and clearly on both sides. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EcdhPsiHandshakeTest {
  private static final List<String> IDS = EcdhPsiPropertyTest.ids("x", 120, new Random(1));
  private static final EcdhPsiParameters BASE =
      PsiRunner.testParams(EcdhPsiParameters.RISTRETTO255_SHA512, RevealMode.BANK);

  private static void expectBothAbort(
      EcdhPsiParameters bankParams, EcdhPsiParameters partnerParams, Reason reason, String fragment) {
    long start = System.nanoTime();
    var o =
        PsiRunner.runAll(
            bankParams, IDS, partnerParams, IDS, UnaryOperator.identity(), UnaryOperator.identity());
    for (Throwable t : new Throwable[] {o.first().failure(), o.second().failure()}) {
      assertThat(t)
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage()).contains(fragment);
              });
    }
    // Fails fast: well under the 20-second receive time-out.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void run_suiteMismatch_bothAbortNamingTheSuites() {
    expectBothAbort(
        BASE, BASE.toBuilder().suite(SuiteId.X25519).build(), Reason.HANDSHAKE_MISMATCH, "suite");
  }

  @Test
  void run_profileMismatch_bothAbort() {
    // identifiers valid under both profiles, so that only the handshake can object
    List<String> emails = IDS.stream().map(s -> s + "@example.com").toList();
    var o =
        PsiRunner.runAll(
            BASE,
            emails,
            BASE.toBuilder().profile(IdentifierProfile.EMAIL).build(),
            emails,
            UnaryOperator.identity(),
            UnaryOperator.identity());
    for (Throwable t : new Throwable[] {o.first().failure(), o.second().failure()}) {
      assertThat(t)
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.HANDSHAKE_MISMATCH);
                assertThat(e.getMessage()).contains("normalisation profile");
              });
    }
  }

  @Test
  void run_revealModeMismatch_bothAbort() {
    expectBothAbort(
        BASE,
        BASE.toBuilder().revealMode(RevealMode.BOTH).build(),
        Reason.HANDSHAKE_MISMATCH,
        "reveal mode");
  }

  @Test
  void run_keyColumnsMismatch_bothAbort() {
    var two = BASE.toBuilder().keyColumns(2).build();
    // the bank brings two columns, the partner one
    var o =
        TwoPartyHelpers.runColumns(two, List.of(IDS, IDS), BASE, List.of(IDS));
    assertThat(o.first().failure()).isInstanceOf(ProtocolAbortException.class).hasMessageContaining("key columns");
    assertThat(o.second().failure()).isInstanceOf(ProtocolAbortException.class).hasMessageContaining("key columns");
  }

  @Test
  void run_peerSetBelowMinimum_bothRefuse() {
    expectBothAbort(
        BASE.toBuilder().minPeerSetSize(1000).build(), BASE, Reason.POLICY_REFUSED, "minimum");
  }

  @Test
  void run_bothClaimBank_bothAbort() {
    var o =
        TwoPartyHelpers.runRoles(PsiRole.BANK, PsiRole.BANK, BASE, IDS);
    assertThat(o.first().failure()).isInstanceOf(ProtocolAbortException.class).hasMessageContaining("both parties");
    assertThat(o.second().failure()).isInstanceOf(ProtocolAbortException.class).hasMessageContaining("both parties");
  }

  @Test
  void run_defaultGuardrail_refusesAHandfulOfProbes() {
    var guarded = BASE.toBuilder().minPeerSetSize(EcdhPsiParameters.DEFAULT_MIN_PEER_SET_SIZE).build();
    var o =
        PsiRunner.runAll(
            guarded, IDS, guarded, IDS.subList(0, 5), UnaryOperator.identity(), UnaryOperator.identity());
    assertThat(o.first().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_REFUSED));
    assertThat(o.second().failure())
        .isInstanceOfSatisfying(
            ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_REFUSED));
  }
}
