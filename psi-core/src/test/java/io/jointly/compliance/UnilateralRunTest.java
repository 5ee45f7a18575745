package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Unilateral runs (a protocol whose wire has no room for the agreement, such as psi-ic): this
 * party's policy decides alone, the receipt is this party's alone and verifies, a failure and a
 * refusal are recorded, and the runs count towards the limits.
 */
class UnilateralRunTest {
  private final TestPki pki = new TestPki("test CA");
  private final Agreements.Trail trail = new Agreements.Trail("bank");

  private RunAgreement agreement(Authorizer authorizer) {
    return RunAgreement.builder("jointly test")
        .identity(pki.issue("bank"))
        .trustRoots(pki.roots())
        .authorizer(authorizer)
        .trail(trail)
        .meter(trail)
        .build();
  }

  private static RunTerms terms(long minPeer) {
    return RunTerms.builder("psi-ic", "interconnection-ecdh-psi")
        .purpose(Optional.of(Agreements.PURPOSE))
        .reveal("both")
        .parameter("suite", "curve25519")
        .minPeerSetSize(minPeer)
        .inputRows(300)
        .build();
  }

  /** A policy for psi-ic with 'partner': peer sets of at least 100, at most two runs a month. */
  private static UsagePolicy policy() {
    TreeMap<String, Purpose> purposes = new TreeMap<>();
    purposes.put(Agreements.PURPOSE.campaign(), Agreements.PURPOSE);
    UsagePolicy.Grant g =
        new UsagePolicy.Grant(
            "ic",
            new TreeSet<>(List.of("partner")),
            new TreeSet<>(List.of("psi-ic")),
            new TreeSet<>(List.of(Agreements.PURPOSE.campaign())),
            new TreeSet<>(List.of("interconnection-ecdh-psi")),
            new TreeSet<>(),
            100,
            0,
            Optional.of(new UsagePolicy.Limits(UsagePolicy.Period.MONTH, OptionalLong.of(2), OptionalLong.empty())),
            Optional.empty());
    return new UsagePolicy("bank-policy", Optional.empty(), ZoneId.of("UTC"), purposes, List.of(g));
  }

  @Test
  void complete_receiptSignedByThisPartyAlone_verifies_peerPartIsItsAccount() throws Exception {
    UnilateralRun run = agreement(policy()).unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1");
    UnilateralRun.Completed<Long> done =
        run.run(() -> 180L, n -> Learned.of("shared rows", Map.of("intersection_size", n)), n -> 380L);

    Receipt receipt = trail.only();
    assertThat(done.receipt()).isEqualTo(receipt);
    assertThat(receipt.body().status()).isEqualTo(ReceiptBody.Status.UNILATERAL);
    assertThat(receipt.body().signers()).containsExactly("bank");
    assertThat(receipt.signatures()).extracting(PartySignature::party).containsExactly("bank");
    assertThat(receipt.body().transcriptDigest()).isEmpty();
    assertThat(new ReceiptVerifier(pki.roots()).problem(receipt)).isEmpty();
    PartyStatement peer = receipt.body().other("bank").statement();
    assertThat(peer.software()).isEqualTo(RunAgreement.UNSTATED);
    assertThat(peer.terms().purpose()).isEmpty();
    assertThat(peer.terms().inputRows()).isEqualTo(380);
    assertThat(peer.certificates().isEmpty()).isTrue();
    assertThat(receipt.body().party("bank").outcome().orElseThrow().learned().counts())
        .containsEntry("intersection_size", 180L);
    assertThat(trail.policies.get(0)).map(PolicyReference::grant).contains("ic");
    assertThat(run.policy()).map(PolicyReference::grant).contains("ic");
  }

  @Test
  void changedByte_orAnotherCa_failsVerification() throws Exception {
    agreement(Authorizer.ALLOW_ALL)
        .unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1")
        .complete(Learned.NOTHING, 380);
    Receipt receipt = trail.only();
    Receipt altered =
        new Receipt(
            new ReceiptBody(
                receipt.body().session(),
                receipt.body().parties(),
                receipt.body().status(),
                receipt.body().recordedBy(),
                receipt.body().detail() + ".",
                receipt.body().transcriptDigest()),
            receipt.signatures());
    assertThat(new ReceiptVerifier(pki.roots()).problem(altered)).hasValueSatisfying(p -> assertThat(p).contains("does not verify"));
    assertThat(new ReceiptVerifier(new TestPki("another CA").roots()).problem(receipt)).isPresent();
  }

  @Test
  void protocolFails_oneSidedFailedReceipt_rethrown() throws Exception {
    UnilateralRun run = agreement(policy()).unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1");
    assertThatThrownBy(
            () -> run.<Long, Exception>run(
                () -> {
                  throw new ChannelException(ChannelException.Kind.TIMEOUT, "no FIN from the partner");
                },
                n -> Learned.NOTHING,
                n -> n))
        .isInstanceOf(ChannelException.class);
    Receipt receipt = trail.only();
    assertThat(receipt.body().status()).isEqualTo(ReceiptBody.Status.FAILED);
    assertThat(receipt.body().detail()).contains("no FIN from the partner");
    assertThat(receipt.body().transcriptDigest()).isEmpty();
    assertThat(new ReceiptVerifier(pki.roots()).problem(receipt)).isEmpty();
  }

  @Test
  void ownGuardrailBelowPolicy_refusedNamingRule_refusalRecorded() {
    assertThatThrownBy(() -> agreement(policy()).unilateral("ic-1", "bank", "rank0", terms(99), "partner", "rank1"))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("min_peer_set_size");
    assertThat(trail.only().body().status()).isEqualTo(ReceiptBody.Status.REFUSED);
  }

  @Test
  void guardrailAtPolicy_allowed_thoughThePeerStatedNoSize() throws Exception {
    // the peer's size comes only with its data: the policy's minimum holds through the guardrail
    agreement(policy()).unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1");
    assertThat(trail.receipts).isEmpty();
  }

  @Test
  void unknownPeer_refusedByPeersRule() {
    assertThatThrownBy(() -> agreement(policy()).unilateral("ic-1", "bank", "rank0", terms(100), "stranger", "rank1"))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("rule peers");
  }

  @Test
  void limitReached_thirdRunRefused_runsCountedFromTheTrail() throws Exception {
    RunAgreement a = agreement(policy());
    a.unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1").complete(Learned.NOTHING, 380);
    a.unilateral("ic-2", "bank", "rank0", terms(100), "partner", "rank1").fail(new IllegalStateException("x"));
    assertThatThrownBy(() -> a.unilateral("ic-3", "bank", "rank0", terms(100), "partner", "rank1"))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("max_runs");
    assertThat(trail.receipts).extracting(r -> r.body().status())
        .containsExactly(ReceiptBody.Status.UNILATERAL, ReceiptBody.Status.FAILED, ReceiptBody.Status.REFUSED);
  }

  @Test
  void endedTwice_illegalState() {
    UnilateralRun run;
    try {
      run = agreement(Authorizer.ALLOW_ALL).unilateral("ic-1", "bank", "rank0", terms(100), "partner", "rank1");
    } catch (ProtocolAbortException e) {
      throw new AssertionError(e);
    }
    run.complete(Learned.NOTHING, 1);
    assertThatThrownBy(() -> run.fail(new IllegalStateException("late"))).isInstanceOf(IllegalStateException.class);
  }
}
