package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.compliance.Agreements.Party;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunAgreementTest {
  private final TestPki pki = new TestPki("test CA");
  private final Party bank = new Party("bank", "bank", pki, pki.issue("bank"));
  private final Party partner = new Party("partner", "partner", pki, pki.issue("partner"));

  @Test
  void completedRun_bothPartiesHoldTheSameReceiptWithBothSignatures() {
    var o = Agreements.run(bank, partner);

    assertThat(o.firstFailure()).isNull();
    assertThat(o.first().value().result()).isEqualTo(3);
    Receipt atBank = o.first().value().receipt();
    Receipt atPartner = o.second().value().receipt();
    assertThat(atBank).isEqualTo(atPartner);
    assertThat(bank.trail.only()).isEqualTo(atBank);
    assertThat(partner.trail.only()).isEqualTo(atBank);
    ReceiptBody body = atBank.body();
    assertThat(body.status()).isEqualTo(ReceiptBody.Status.COMPLETED);
    assertThat(body.session()).isEqualTo("s-1");
    assertThat(atBank.signatures()).extracting(PartySignature::party).containsExactly("bank", "partner");
    assertThat(body.party("bank").statement().terms().purpose()).contains(Agreements.PURPOSE);
    assertThat(body.party("partner").outcome().orElseThrow().learned().counts()).containsEntry("echoes", 3L);
    assertThat(body.transcriptDigest()).isPresent();
    assertThat(new ReceiptVerifier(pki.roots()).problem(atBank)).isEmpty();
  }

  @Test
  void completedRun_transcriptDigestDependsOnTheMessages() {
    Receipt three = Agreements.run(bank, partner).first().value().receipt();
    Party bank2 = new Party("bank", "bank", pki, pki.issue("bank"));
    Party partner2 = new Party("partner", "partner", pki, pki.issue("partner"));
    Receipt four =
        Agreements.run(bank2, partner2, UnaryOperator.identity(), ch -> Agreements.echo(ch, 4), ch -> Agreements.echo(ch, 4))
            .first().value().receipt();

    assertThat(three.body().transcriptDigest()).isNotEqualTo(four.body().transcriptDigest());
  }

  @ParameterizedTest
  @CsvSource({
    "campaign, purpose.campaign",
    "text, purpose.text",
    "legal_basis, purpose.legal_basis",
    "none, purpose",
    "command, command",
    "protocol, protocol",
    "reveal, reveal"
  })
  void statementsThatDisagree_areRefusedOnBothSides_namingTheField(String change, String field) {
    partner.terms = changed(partner.terms, change);
    AtomicBoolean protocolRan = new AtomicBoolean();

    var o =
        Agreements.run(
            bank,
            partner,
            UnaryOperator.identity(),
            ch -> {
              protocolRan.set(true);
              return 0;
            },
            ch -> {
              protocolRan.set(true);
              return 0;
            });

    for (Throwable t : List.of(o.first().failure(), o.second().failure())) {
      assertThat(t).isInstanceOf(ProtocolAbortException.class).hasMessageContaining(field);
      assertThat(((ProtocolAbortException) t).reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH);
    }
    assertThat(protocolRan).isFalse();
    for (Party p : List.of(bank, partner)) {
      Receipt r = p.trail.only();
      assertThat(r.body().status()).isEqualTo(ReceiptBody.Status.REFUSED);
      assertThat(r.body().recordedBy()).contains(p.name);
      assertThat(r.body().detail()).contains(field);
      assertThat(new ReceiptVerifier(pki.roots()).problem(r)).isEmpty();
    }
  }

  private static RunTerms changed(RunTerms t, String change) {
    Purpose p = Agreements.PURPOSE;
    return switch (change) {
      case "campaign" -> Agreements.terms(Optional.of(new Purpose("other", p.text(), p.legalBasis()))).build();
      case "text" -> Agreements.terms(Optional.of(new Purpose(p.campaign(), "Something else", p.legalBasis()))).build();
      case "legal_basis" -> Agreements.terms(Optional.of(new Purpose(p.campaign(), p.text(), LegalBasis.CONTRACT))).build();
      case "none" -> Agreements.terms(Optional.empty()).build();
      case "command" -> new RunTerms(t.purpose(), "stats", t.protocol(), t.reveal(), t.parameters(), t.minPeerSetSize(), t.minCellSize(), t.inputRows());
      case "protocol" -> new RunTerms(t.purpose(), t.command(), "vole-psi", t.reveal(), t.parameters(), t.minPeerSetSize(), t.minCellSize(), t.inputRows());
      case "reveal" -> new RunTerms(t.purpose(), t.command(), t.protocol(), "both", t.parameters(), t.minPeerSetSize(), t.minCellSize(), t.inputRows());
      default -> throw new IllegalArgumentException(change);
    };
  }

  @Test
  void policyRefusal_namesTheRuleAtTheRefusingParty_andOnlyThePolicyAtThePeer() {
    UsagePolicy policy = policyWithMaxRuns(1);
    partner.builder.authorizer(policy);
    assertThat(Agreements.run(bank, partner).firstFailure()).isNull();

    var o = Agreements.run(bank, partner);

    ProtocolAbortException atPartner = (ProtocolAbortException) o.second().failure();
    ProtocolAbortException atBank = (ProtocolAbortException) o.first().failure();
    assertThat(atPartner.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED);
    assertThat(atPartner).hasMessageContaining("max_runs").hasMessageContaining("partner-policy");
    assertThat(atBank.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED);
    assertThat(atBank.getMessage()).contains("refused by the peer's policy").doesNotContain("max_runs").doesNotContain("partner-policy");
    assertThat(partner.trail.receipts.get(1).body().detail()).contains("max_runs");
    assertThat(bank.trail.receipts.get(1).body().detail()).isEqualTo("refused by the peer's policy");
    assertThat(partner.trail.policies.get(0)).map(PolicyReference::grant).contains("bank-campaigns");
  }

  static UsagePolicy policyWithMaxRuns(long maxRuns) {
    var grant =
        new UsagePolicy.Grant(
            "bank-campaigns",
            new TreeSet<>(List.of("bank")),
            new TreeSet<>(List.of("psi")),
            new TreeSet<>(List.of(Agreements.PURPOSE.campaign())),
            new TreeSet<>(),
            new TreeSet<>(),
            0,
            0,
            Optional.of(new UsagePolicy.Limits(UsagePolicy.Period.MONTH, OptionalLong.of(maxRuns), OptionalLong.empty())),
            Optional.empty());
    var purposes = new TreeMap<String, Purpose>();
    purposes.put(Agreements.PURPOSE.campaign(), Agreements.PURPOSE);
    return new UsagePolicy("partner-policy", Optional.of(LocalDate.now().plusDays(30)), ZoneOffset.UTC, purposes, List.of(grant));
  }

  @Test
  void failureInTheProtocol_leavesAOneSidedReceiptAtEachParty() {
    var o =
        Agreements.run(
            bank,
            partner,
            UnaryOperator.identity(),
            ch -> {
              throw new InputException(InputException.Kind.INVALID_INPUT, -1, "the bank's input broke");
            },
            ch -> Agreements.echo(ch, 3));

    assertThat(o.first().failure()).isInstanceOf(InputException.class);
    assertThat(o.second().failure()).isInstanceOf(ChannelException.class);
    ReceiptVerifier verifier = new ReceiptVerifier(pki.roots());
    for (Party p : List.of(bank, partner)) {
      Receipt r = p.trail.only();
      assertThat(r.body().status()).isEqualTo(ReceiptBody.Status.FAILED);
      assertThat(r.body().recordedBy()).contains(p.name);
      assertThat(r.signatures()).extracting(PartySignature::party).containsExactly(p.name);
      assertThat(verifier.problem(r)).isEmpty();
    }
    assertThat(bank.trail.only().body().detail()).contains("InputException").contains("the bank's input broke");
  }

  @Test
  void messageAlteredInTransit_failsBothPartiesAtTheTranscriptCheck() {
    var o =
        Agreements.run(
            bank,
            partner,
            ch -> new FaultInjectingChannel(ch, FaultInjectingChannel.Fault.CORRUPT, "echo", 1, 1, Duration.ZERO),
            ch -> Agreements.echo(ch, 3),
            ch -> Agreements.echo(ch, 3));

    for (Throwable t : List.of(o.first().failure(), o.second().failure())) {
      assertThat(t).isInstanceOf(ProtocolAbortException.class);
    }
    assertThat(((ProtocolAbortException) o.first().failure()).reason())
        .isEqualTo(ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH);
    assertThat(bank.trail.only().body().status()).isEqualTo(ReceiptBody.Status.FAILED);
    assertThat(partner.trail.only().body().status()).isEqualTo(ReceiptBody.Status.FAILED);
  }

  @Test
  void peerWithACertificateFromAnotherCa_isRefusedBeforeTheProtocol() {
    TestPki other = new TestPki("another CA");
    Party impostor = new Party("partner", "partner", other, other.issue("partner"));
    impostor.builder.trustRoots(pki.roots());

    var o = Agreements.run(bank, impostor);

    assertThat(o.first().failure())
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("does not chain to the trust root");
    assertThat(o.second().failure()).hasMessageContaining("did not accept this party's name or certificate");
  }

  @Test
  void peerWhoseStatementNamesAnotherParty_isRefused() {
    Party other = new Party("partner", "partner", pki, pki.issue("partner"));
    var pair = io.jointly.channel.InMemoryChannel.pair("s-1", "bank", "partner-2");
    var o =
        TwoPartyRun.runAll(
            pair,
            ch -> bank.builder.build().open(ch, "bank", bank.terms, List.of()),
            ch -> other.builder.build().open(renamed(ch, "partner"), "partner", other.terms, List.of()),
            Duration.ofSeconds(30));

    assertThat(o.first().failure()).hasMessageContaining("states the name 'partner'");
  }

  @Test
  void certificateOtherThanTheAuthenticatedOne_isRefused() {
    SigningIdentity elsewhere = pki.issue("partner");
    var pair = io.jointly.channel.InMemoryChannel.pair("s-1", "bank", "partner");
    var o =
        TwoPartyRun.runAll(
            pair,
            ch -> bank.builder.build().open(ch, "bank", bank.terms, elsewhere.chain().certificates()),
            ch -> partner.builder.build().open(ch, "partner", partner.terms, List.of()),
            Duration.ofSeconds(30));

    assertThat(o.first().failure()).hasMessageContaining("not the one it authenticated with");
  }

  /** A channel that says its own party is {@code self} (a lying peer's view). */
  private static MessageChannel renamed(MessageChannel ch, String self) {
    return new MessageChannel() {
      public String sessionId() {
        return ch.sessionId();
      }

      public String self() {
        return self;
      }

      public String peer() {
        return ch.peer();
      }

      public void send(io.jointly.channel.RoundKey key, io.jointly.core.Bytes payload) throws ChannelException {
        ch.send(key, payload);
      }

      public io.jointly.core.Bytes receive(io.jointly.channel.RoundKey key, Duration timeout)
          throws ChannelException, ProtocolAbortException {
        return ch.receive(key, timeout);
      }

      public void close() {
        ch.close();
      }
    };
  }
}
