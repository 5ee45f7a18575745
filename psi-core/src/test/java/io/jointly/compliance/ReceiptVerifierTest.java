package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.compliance.Agreements.Party;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {
  private final TestPki pki = new TestPki("test CA");
  private final ReceiptVerifier verifier = new ReceiptVerifier(pki.roots());

  private Receipt completed() {
    return completed(pki, pki.issue("bank"), pki.issue("partner"), Clock.systemUTC());
  }

  private static Receipt completed(TestPki pki, SigningIdentity bank, SigningIdentity partner, Clock clock) {
    Party b = new Party("bank", "bank", pki, bank);
    Party p = new Party("partner", "partner", pki, partner);
    b.builder.clock(clock);
    p.builder.clock(clock);
    var o = Agreements.run(b, p);
    if (o.firstFailure() != null) {
      throw new AssertionError(o.firstFailure());
    }
    return o.first().value().receipt();
  }

  @Test
  void completedReceipt_verifies_andSurvivesItsEncoding() throws ProtocolAbortException {
    Receipt r = completed();
    assertThat(verifier.problem(r)).isEmpty();
    assertThat(Receipt.decode(r.encode())).isEqualTo(r);
  }

  @Test
  void anyChangedByte_failsDecodingOrVerification() {
    Receipt r = completed();
    byte[] encoded = r.encode().toByteArray();
    int checked = 0;
    for (int i = 0; i < encoded.length; i += 7) {
      byte[] changed = encoded.clone();
      changed[i] ^= 0x01;
      Receipt decoded;
      try {
        decoded = Receipt.decode(Bytes.wrap(changed));
      } catch (ProtocolAbortException e) {
        checked++;
        continue;
      }
      assertThat(verifier.problem(decoded)).as("byte %d changed", i).isPresent();
      checked++;
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void replacedSignature_fails() {
    SigningIdentity bank = pki.issue("bank");
    SigningIdentity partner = pki.issue("partner");
    Receipt a = completed(pki, bank, partner, Clock.systemUTC());
    Receipt b = completed(pki, bank, partner, Clock.systemUTC());
    List<PartySignature> mixed = List.of(b.signatures().get(0), a.signatures().get(1));

    assertThat(verifier.problem(new Receipt(a.body(), mixed))).get().asString().contains("'bank'").contains("does not verify");
  }

  @Test
  void missingSignature_fails() {
    Receipt r = completed();
    assertThat(verifier.problem(new Receipt(r.body(), List.of(r.signatures().get(1)))))
        .get().asString().contains("no signature of 'bank'");
  }

  @Test
  void signatureUnderAnotherAlgorithmName_fails() {
    Receipt r = completed();
    PartySignature s = r.signatures().get(0);
    List<PartySignature> renamed = new ArrayList<>(r.signatures());
    renamed.set(0, new PartySignature(s.party(), "SHA512withECDSA", s.value()));
    assertThat(verifier.problem(new Receipt(r.body(), renamed))).get().asString().contains("signed with SHA512withECDSA");
  }

  @Test
  void receiptSignedUnderAnotherCa_fails() {
    TestPki other = new TestPki("another CA");
    Receipt r = completed(other, other.issue("bank"), other.issue("partner"), Clock.systemUTC());
    assertThat(verifier.problem(r)).get().asString().contains("does not chain to the trust root");
  }

  @Test
  void certificateThatExpiredSince_stillVerifies_atTheTimeOfTheRun() {
    Instant then = Instant.now().minus(Duration.ofDays(10));
    TestPki old = new TestPki("old CA", then.minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
    SigningIdentity bank = old.issue("bank", then.minus(Duration.ofHours(1)), then.plus(Duration.ofDays(1)), true);
    SigningIdentity partner = old.issue("partner", then.minus(Duration.ofHours(1)), then.plus(Duration.ofDays(1)), true);
    Receipt r = completed(old, bank, partner, Clock.fixed(then, ZoneOffset.UTC));

    assertThat(new ReceiptVerifier(old.roots()).problem(r)).isEmpty();
  }

  @Test
  void certificateWithoutSigningKeyUsage_fails() {
    SigningIdentity noSign = pki.issue("bank", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)), false);
    Party b = new Party("bank", "bank", pki, noSign);
    Party p = new Party("partner", "partner", pki, pki.issue("partner"));
    var o = Agreements.run(b, p);
    assertThat(o.second().failure()).hasMessageContaining("may not sign");
  }

  @Test
  void oneSidedReceipt_signedByTheOtherParty_fails() {
    Party b = new Party("bank", "bank", pki, pki.issue("bank"));
    Party p = new Party("partner", "partner", pki, pki.issue("partner"));
    p.terms = Agreements.terms(Optional.empty()).build();
    Agreements.run(b, p);
    Receipt atBank = b.trail.only();
    Receipt atPartner = p.trail.only();
    assertThat(verifier.problem(atBank)).isEmpty();

    assertThat(verifier.problem(new Receipt(atBank.body(), atPartner.signatures())))
        .get().asString().contains("does not sign a one-sided receipt");
  }
}
