package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.compliance.Agreements.Party;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
  private final TestPki pki = new TestPki("test CA");
  private final ReceiptVerifier verifier = new ReceiptVerifier(pki.roots());
  private final SigningIdentity bankId = pki.issue("bank");
  private final SigningIdentity partnerId = pki.issue("partner");

  private List<AuditRecord> chain(int runs) {
    Party bank = new Party("bank", "bank", pki, bankId);
    Party partner = new Party("partner", "partner", pki, partnerId);
    for (int i = 0; i < runs; i++) {
      Agreements.run(bank, partner);
    }
    List<AuditRecord> records = new ArrayList<>();
    Optional<AuditRecord> last = Optional.empty();
    for (int i = 0; i < runs; i++) {
      AuditRecord r =
          AuditRecord.next(last, "bank", bank.trail.policies.get(i), bank.trail.receipts.get(i), Optional.of(bankId));
      records.add(r);
      last = Optional.of(r);
    }
    return records;
  }

  private Optional<String> firstProblem(List<AuditRecord> records) {
    Optional<AuditRecord> previous = Optional.empty();
    for (AuditRecord r : records) {
      Optional<String> p = verifier.problem(r, previous);
      if (p.isPresent()) {
        return Optional.of("entry " + (records.indexOf(r) + 1) + ": " + p.get());
      }
      previous = Optional.of(r);
    }
    return Optional.empty();
  }

  @Test
  void chainOfSealedEntries_verifies() {
    assertThat(firstProblem(chain(3))).isEmpty();
  }

  @Test
  void removedEntry_breaksTheChainWhereItWas() {
    List<AuditRecord> records = chain(3);
    records.remove(1);
    assertThat(firstProblem(records)).get().asString().startsWith("entry 2: entry 3 stands where entry 2 belongs");
  }

  @Test
  void reorderedEntries_breakTheChainAtTheFirstMovedOne() {
    List<AuditRecord> records = chain(3);
    records.add(1, records.remove(2));
    assertThat(firstProblem(records)).get().asString().startsWith("entry 2:");
  }

  @Test
  void changedLocalField_breaksTheSealOfThatEntry() {
    List<AuditRecord> records = chain(2);
    AuditRecord r = records.get(0);
    PolicyReference other = new PolicyReference("some-policy", "some-grant", io.jointly.core.Bytes.wrap(new byte[32]));
    assertThat(r.policy()).isEmpty();
    records.set(0, new AuditRecord(r.sequence(), r.previous(), r.owner(), Optional.of(other), r.receipt(), r.seal()));
    assertThat(firstProblem(records)).get().asString().startsWith("entry 1: seal:");
  }

  @Test
  void unsealedEntry_fails() {
    List<AuditRecord> records = chain(1);
    AuditRecord r = records.get(0);
    records.set(0, new AuditRecord(r.sequence(), r.previous(), r.owner(), r.policy(), r.receipt(), Optional.empty()));
    assertThat(firstProblem(records)).get().asString().contains("not sealed");
  }

  @Test
  void entryReSealedAfterAnEdit_stillBreaksTheLinkOfTheNext() {
    List<AuditRecord> records = chain(2);
    AuditRecord r = records.get(0);
    records.set(0, AuditRecord.next(Optional.empty(), "bank", Optional.empty(), r.receipt(), Optional.of(bankId)));
    assertThat(firstProblem(records)).get().asString().startsWith("entry 2: the link");
  }

  @Test
  void usageOfTheTrail_countsCompletedAndFailedRunsWithThePeer() {
    Party bank = new Party("bank", "bank", pki, bankId);
    Party partner = new Party("partner", "partner", pki, partnerId);
    Agreements.run(bank, partner);
    Agreements.run(bank, partner);
    partner.terms = Agreements.terms(Optional.empty()).build();
    Agreements.run(bank, partner); // refused: does not count

    Usage u = bank.trail.usage("partner", java.time.Instant.EPOCH);
    assertThat(u).isEqualTo(new Usage(2, 2000));
    assertThat(bank.trail.usage("someone-else", java.time.Instant.EPOCH)).isEqualTo(Usage.NONE);
    assertThat(bank.trail.usage("partner", java.time.Instant.now().plusSeconds(60))).isEqualTo(Usage.NONE);
  }
}
