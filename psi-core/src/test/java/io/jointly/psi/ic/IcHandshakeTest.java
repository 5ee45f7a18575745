package io.jointly.psi.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.ic.IcHandshake.EcSuit;
import io.jointly.psi.ic.IcHandshake.EccProposal;
import io.jointly.psi.ic.IcHandshake.EccResult;
import io.jointly.psi.ic.IcHandshake.IoProposal;
import io.jointly.psi.ic.IcHandshake.IoResult;
import io.jointly.psi.ic.IcHandshake.Request;
import io.jointly.psi.ic.IcHandshake.Response;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rank 0's decisions and rank 1's checks (spec §4.3–4.5, §9.4 "Handshake responder/requester"). */
class IcHandshakeTest {
  private static final IcParameters RANK0 = IcParameters.defaults(0).toBuilder().minPeerSetSize(0).build();
  private static final IcParameters RANK1 = IcParameters.defaults(1).toBuilder().minPeerSetSize(0).build();
  private static final EcSuit CURVE25519 = new EcSuit(1, 11, 3);

  /** The request of the spec's §9.2 golden bytes: the reference's rank 1, 3 items, both learn. */
  static Request referenceRequest() {
    return new Request(
        2,
        1,
        List.of(1),
        List.of(1),
        Optional.of(new EccProposal(List.of(1), List.of(CURVE25519), List.of(1), false)),
        Optional.of(new IoProposal(List.of(1), 3, -1)));
  }

  @Test
  void request_builtAsTheReferenceBuildsIt() {
    assertThat(IcHandshake.request(RANK1, 3)).isEqualTo(referenceRequest());
  }

  @Test
  void decide_referenceRequest_choosesCurve25519FormatOneNoTruncation() {
    IcHandshake.Decision d = IcHandshake.decide(RANK0, referenceRequest());
    assertThat(d.response().ok()).isTrue();
    assertThat(d.response().algo()).isEqualTo(1);
    assertThat(d.response().families()).containsExactly(1);
    assertThat(d.response().ecc()).contains(new EccResult(1, CURVE25519, 1, -1));
    assertThat(d.response().io()).contains(new IoResult(1, -1));
    assertThat(d.agreement().orElseThrow().suite()).isEqualTo(InterconnectionSuite.CURVE25519_SHA256_DIRECT);
    assertThat(d.agreement().orElseThrow().peerItemNum()).hasValue(3);
  }

  @Test
  void decide_suiteNotOffered_refusesHandshake() {
    Request r = withEcc(new EccProposal(List.of(1), List.of(new EcSuit(2, 11, 2)), List.of(1), false));
    assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.HANDSHAKE_REFUSED, "ec suits");
  }

  @Test
  void decide_formatNotOffered_refusesHandshake() {
    Request r = withEcc(new EccProposal(List.of(1), List.of(CURVE25519), List.of(2), false));
    assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.HANDSHAKE_REFUSED, "point octet format");
  }

  @Test
  void decide_noEccParams_invalidRequest() {
    Request base = referenceRequest();
    Request r = new Request(2, 1, List.of(1), List.of(1), Optional.empty(), base.io());
    assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.INVALID_REQUEST, "no ecc params");
  }

  @Test
  void decide_noIoParams_invalidRequest() {
    Request base = referenceRequest();
    Request r = new Request(2, 1, List.of(1), List.of(1), base.ecc(), Optional.empty());
    assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.INVALID_REQUEST, "no psi io params");
  }

  @Test
  void decide_version3_refusesHandshake() {
    Request base = referenceRequest();
    Request r = new Request(3, 1, base.algos(), base.families(), base.ecc(), base.io());
    assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.HANDSHAKE_REFUSED, "versions");
    assertRefused(IcHandshake.decide(RANK0, Request.versionOnly(1)), IcHandshake.HANDSHAKE_REFUSED, "versions");
  }

  @Test
  void decide_differentResultToRank_refusesHandshake() {
    for (int rtr : new int[] {0, 1}) {
      Request base = referenceRequest();
      Request r =
          new Request(2, 1, base.algos(), base.families(), base.ecc(), Optional.of(new IoProposal(List.of(1), 3, rtr)));
      assertRefused(IcHandshake.decide(RANK0, r), IcHandshake.HANDSHAKE_REFUSED, "result_to_rank");
    }
  }

  @Test
  void decide_otherAlgorithmOrRank_invalidRequest() {
    Request base = referenceRequest();
    assertRefused(
        IcHandshake.decide(RANK0, new Request(2, 1, List.of(2), base.families(), base.ecc(), base.io())),
        IcHandshake.INVALID_REQUEST,
        "ECDH_PSI");
    assertRefused(
        IcHandshake.decide(RANK0, new Request(2, 2, base.algos(), base.families(), base.ecc(), base.io())),
        IcHandshake.INVALID_REQUEST,
        "requester_rank");
  }

  @Test
  void decide_truncation_onlyIfBothSupportIt() {
    IcParameters truncating = RANK0.toBuilder().bitLengthAfterTruncated(96).build();
    assertThat(IcHandshake.decide(truncating, referenceRequest()).response().ecc().orElseThrow().bitLength())
        .isEqualTo(-1);
    Request r = withEcc(new EccProposal(List.of(1), List.of(CURVE25519), List.of(1), true));
    assertThat(IcHandshake.decide(truncating, r).response().ecc().orElseThrow().bitLength()).isEqualTo(96);
    assertThat(IcHandshake.decide(RANK0, r).response().ecc().orElseThrow().bitLength()).isEqualTo(-1);
  }

  @Test
  void decide_guardrail_refusesSmallPeerThatLearns() {
    IcParameters strict = RANK0.toBuilder().minPeerSetSize(100).build();
    assertRefused(IcHandshake.decide(strict, referenceRequest()), IcHandshake.HANDSHAKE_REFUSED, "minimum");
    // A peer that learns nothing may be small.
    IcParameters onlyMe = strict.toBuilder().resultToRank(0).build();
    Request base = referenceRequest();
    Request r =
        new Request(2, 1, base.algos(), base.families(), base.ecc(), Optional.of(new IoProposal(List.of(1), 3, 0)));
    assertThat(IcHandshake.decide(onlyMe, r).response().ok()).isTrue();
  }

  @Test
  void accept_referenceResponseTypedProposal_andStandardTypedResult() throws Exception {
    Response reference =
        new Response(
            0, "", 1, List.of(1), Optional.of(new EccResult(0, CURVE25519, 1, -1)),
            Optional.of(new IoProposal(List.of(), 3, -1)));
    IcHandshake.Agreement a = IcHandshake.accept(RANK1, reference);
    assertThat(a.bitLength()).isEqualTo(-1);
    assertThat(a.peerItemNum()).hasValue(3);
    Response standard =
        new Response(
            0, "", 1, List.of(1), Optional.of(new EccResult(1, CURVE25519, 1, -1)),
            Optional.of(new IoResult(1, -1)));
    assertThat(IcHandshake.accept(RANK1, standard).peerItemNum()).isEmpty();
    Response none = new Response(0, "", 1, List.of(1), reference.ecc(), Optional.empty());
    assertThat(IcHandshake.accept(RANK1, none).resultToRank()).isEqualTo(-1);
  }

  @Test
  void accept_otherSuiteFormatOrTruncation_aborts() {
    assertMismatch(new EccResult(0, new EcSuit(2, 11, 2), 1, -1), "suite");
    assertMismatch(new EccResult(0, CURVE25519, 2, -1), "point format");
    assertMismatch(new EccResult(0, CURVE25519, 1, 96), "did not offer");
  }

  @Test
  void accept_refusal_abortsNamingTheCode() {
    assertThatThrownBy(
            () -> IcHandshake.accept(RANK1, Response.refusal(IcHandshake.HANDSHAKE_REFUSED, "negotiate ec suits failed")))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("HANDSHAKE_REFUSED (31100200)")
        .hasMessageContaining("negotiate ec suits failed");
  }

  @Test
  void accept_otherResultToRank_aborts() {
    Response r =
        new Response(0, "", 1, List.of(1), Optional.of(new EccResult(0, CURVE25519, 1, -1)), Optional.of(new IoResult(1, 0)));
    assertThatThrownBy(() -> IcHandshake.accept(RANK1, r))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("result_to_rank");
  }

  @Test
  void accept_smallStatedPeerThatLearns_policyRefused() {
    IcParameters strict = RANK1.toBuilder().minPeerSetSize(100).build();
    Response r =
        new Response(0, "", 1, List.of(1), Optional.of(new EccResult(0, CURVE25519, 1, -1)),
            Optional.of(new IoProposal(List.of(), 3, -1)));
    assertThatThrownBy(() -> IcHandshake.accept(strict, r))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
  }

  private static void assertMismatch(EccResult ecc, String text) {
    Response r = new Response(0, "", 1, List.of(1), Optional.of(ecc), Optional.empty());
    assertThatThrownBy(() -> IcHandshake.accept(RANK1, r))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH))
        .hasMessageContaining(text);
  }

  private static Request withEcc(EccProposal ecc) {
    Request base = referenceRequest();
    return new Request(2, 1, base.algos(), base.families(), Optional.of(ecc), base.io());
  }

  private static void assertRefused(IcHandshake.Decision d, int code, String text) {
    assertThat(d.agreement()).isEmpty();
    assertThat(d.response().errorCode()).isEqualTo(code);
    assertThat(d.response().errorMessage()).contains(text);
    assertThat(d.response().ecc()).isEmpty();
    assertThat(d.response().io()).isEmpty();
    assertThat(d.response().algo()).isZero();
  }
}
