package io.jointly.psi.vole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.RevealMode;
import io.jointly.vole.VoleParameters;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The handshake refuses every disagreement on both sides, before any item moves. */
class VolePsiHandshakeTest {
  private static final List<String> IDS = VoleRunner.ids("h", 200, new Random(1));

  private static final List<String> EMAILS = IDS.stream().map(id -> id + "@example.com").toList();

  private static void assertBothRefuse(VolePsiParameters bank, VolePsiParameters partner, Reason reason, String fragment) {
    // E-mail addresses are valid under every profile used here, so both sides reach the handshake.
    var o = VoleRunner.runAll(bank, EMAILS, partner, EMAILS, UnaryOperator.identity(), UnaryOperator.identity());
    for (Throwable t : new Throwable[] {o.first().failure(), o.second().failure()}) {
      assertThat(t)
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage()).contains(fragment);
              });
    }
  }

  @Test
  void mismatches_refusedOnBothSides() {
    VolePsiParameters p = VoleRunner.testParams(RevealMode.BANK);
    assertBothRefuse(p, p.toBuilder().revealMode(RevealMode.BOTH).build(), Reason.HANDSHAKE_MISMATCH, "reveal mode");
    assertBothRefuse(p, p.toBuilder().profile(IdentifierProfile.EMAIL).build(), Reason.HANDSHAKE_MISMATCH, "profile");
    assertBothRefuse(p, p.toBuilder().statisticalSecurity(41).build(), Reason.HANDSHAKE_MISMATCH, "statistical security");
    assertBothRefuse(p, p.toBuilder().vole(new VoleParameters(5, 21, 65, 1024, 4096)).build(), Reason.HANDSHAKE_MISMATCH, "VOLE parameters");
    assertBothRefuse(p, p.toBuilder().okvsBinItems(2048).build(), Reason.HANDSHAKE_MISMATCH, "OKVS bin items");
    assertBothRefuse(p, p.toBuilder().minPeerSetSize(201).build(), Reason.POLICY_REFUSED, "minimum");
  }

  @Test
  void decode_ecdhHello_namesTheProtocols() {
    byte[] ecdh = new byte[VoleHello.LENGTH];
    ecdh[0] = 'J';
    ecdh[1] = 'P';
    ecdh[2] = 'S';
    ecdh[3] = 'I';
    assertThatThrownBy(() -> VoleHello.decode(Bytes.wrap(ecdh)))
        .isInstanceOfSatisfying(ProtocolAbortException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HANDSHAKE_MISMATCH))
        .hasMessageContaining("peer ecdh");
    assertThatThrownBy(() -> VoleHello.decode(Bytes.wrap(new byte[VoleHello.LENGTH - 1])))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("MALFORMED_MESSAGE");
  }

  @Test
  void sameRoleOnBothSides_refused() throws JointlyException {
    VolePsiParameters p = VoleRunner.testParams(RevealMode.BANK);
    var o = io.jointly.channel.TwoPartyRun.runAll(
        io.jointly.channel.InMemoryChannel.pair("s", "a", "b"),
        ch -> new VolePsi(io.jointly.psi.PsiRole.BANK, p, Runnable::run, 1).run(io.jointly.psi.PsiInput.ofColumn(IDS), ch),
        ch -> new VolePsi(io.jointly.psi.PsiRole.BANK, p, Runnable::run, 1).run(io.jointly.psi.PsiInput.ofColumn(IDS), ch),
        VoleRunner.HARD_TIMEOUT);
    assertThat(o.first().failure()).hasMessageContaining("both parties are configured as");
    assertThat(o.second().failure()).hasMessageContaining("both parties are configured as");
  }

  @Test
  void countMode_refusedWithReason() {
    assertThatThrownBy(() -> VolePsiParameters.DEFAULT.toBuilder().revealMode(RevealMode.COUNT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count");
  }
}
