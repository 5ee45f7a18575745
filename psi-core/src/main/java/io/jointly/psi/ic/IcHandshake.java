package io.jointly.psi.ic;

import io.jointly.core.Abort;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.group.InterconnectionSuite;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The interconnection standard's handshake (version 2) for ECDH-PSI: the content of {@code
 * HandshakeRequest} and {@code HandshakeResponse} as plain values, and the rules by which rank 0
 * decides and rank 1 checks the answer (spec §4; the {@code transport} module turns these values
 * into the standard's protobuf messages and back).
 *
 * <p>Rank 0 decides as the reference does, with Jointly's additional checks stated on {@link
 * #decide}: the suite and point format must be rank 0's own, {@code result_to_rank} must be equal,
 * truncation is used only if both support it. A refusal is answered with the standard's error
 * code ({@link #INVALID_REQUEST} or {@link #HANDSHAKE_REFUSED}) and ends the run at both ranks.
 */
public final class IcHandshake {
  private IcHandshake() {}

  /** {@code HandshakeRequest.version}: the only one spoken. */
  public static final int VERSION = 2;

  /** {@code AlgoType.ECDH_PSI}. */
  public static final int ALGO_ECDH_PSI = 1;

  /** {@code ProtocolFamily.ECC}. */
  public static final int FAMILY_ECC = 1;

  /** The ECC family's version ({@code EccProtocolProposal.supported_versions}). */
  public static final int ECC_VERSION = 1;

  /** The PSI I/O parameters' version ({@code PsiDataIoProposal.supported_versions}). */
  public static final int IO_VERSION = 1;

  /** {@code ErrorCode.OK}. */
  public static final int OK = 0;

  /** {@code ErrorCode.INVALID_REQUEST}: a request lacks a required part. */
  public static final int INVALID_REQUEST = 31100100;

  /** {@code ErrorCode.HANDSHAKE_REFUSED}: the parties cannot agree. */
  public static final int HANDSHAKE_REFUSED = 31100200;

  /**
   * {@code EcSuit}: curve, hash and hash-to-curve codes.
   *
   * @param curve a {@code CurveType} code
   * @param hash a {@code HashType} code
   * @param hashToCurve a {@code HashToCurveStrategy} code
   */
  public record EcSuit(int curve, int hash, int hashToCurve) {
    /** The codes of a suite Jointly runs. */
    public static EcSuit of(InterconnectionSuite s) {
      return new EcSuit(s.curveType(), s.hashType(), s.hashToCurveStrategy());
    }
  }

  /**
   * {@code EccProtocolProposal}.
   *
   * @param versions supported ECC-family versions
   * @param suits supported suites, preferred first
   * @param formats supported {@code PointOctetFormat} codes, preferred first
   * @param supportTruncation whether the sender can truncate second-stage values
   */
  public record EccProposal(
      List<Integer> versions, List<EcSuit> suits, List<Integer> formats, boolean supportTruncation) {
    public EccProposal {
      versions = List.copyOf(versions);
      suits = List.copyOf(suits);
      formats = List.copyOf(formats);
    }
  }

  /**
   * {@code EccProtocolResult}.
   *
   * @param version the chosen ECC-family version (the reference leaves it 0)
   * @param suit the chosen suite
   * @param format the chosen {@code PointOctetFormat} code
   * @param bitLength {@code bit_length_after_truncated}: -1 for no truncation
   */
  public record EccResult(int version, EcSuit suit, int format, int bitLength) {
    public EccResult {
      Objects.requireNonNull(suit, "suit");
    }
  }

  /** The I/O parameter of a request or response: which of the two messages the Any held. */
  public sealed interface IoParam permits IoProposal, IoResult {
    /** {@code result_to_rank}. */
    int resultToRank();
  }

  /**
   * {@code PsiDataIoProposal} (in requests; in the reference's responses too).
   *
   * @param versions supported versions
   * @param itemNum the sender's number of items
   * @param resultToRank -1 both, else the rank that learns the result
   */
  public record IoProposal(List<Integer> versions, long itemNum, int resultToRank)
      implements IoParam {
    public IoProposal {
      versions = List.copyOf(versions);
    }
  }

  /**
   * {@code PsiDataIoResult} (in responses, per the standard).
   *
   * @param version the chosen version
   * @param resultToRank the agreed value
   */
  public record IoResult(int version, int resultToRank) implements IoParam {}

  /**
   * {@code HandshakeRequest}, as far as ECDH-PSI reads it.
   *
   * @param version the handshake version
   * @param requesterRank the sender's rank
   * @param algos {@code supported_algos}
   * @param families {@code protocol_families}
   * @param ecc the ECC parameters: the entry of {@code protocol_family_params} at the index of
   *     {@link #FAMILY_ECC} in {@code families}, if it holds an {@code EccProtocolProposal}
   * @param io {@code io_param}, if it holds a {@code PsiDataIoProposal}
   */
  public record Request(
      int version,
      int requesterRank,
      List<Integer> algos,
      List<Integer> families,
      Optional<EccProposal> ecc,
      Optional<IoProposal> io) {
    public Request {
      algos = List.copyOf(algos);
      families = List.copyOf(families);
      Objects.requireNonNull(ecc, "ecc");
      Objects.requireNonNull(io, "io");
    }

    /** A request that carried nothing readable but its version (an unsupported one). */
    public static Request versionOnly(int version) {
      return new Request(version, -1, List.of(), List.of(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * {@code HandshakeResponse}, as far as ECDH-PSI reads it.
   *
   * @param errorCode {@code header.error_code}: {@link #OK} or the refusal
   * @param errorMessage {@code header.error_msg}
   * @param algo the chosen algorithm (0 in a refusal)
   * @param families {@code protocol_families}
   * @param ecc the ECC result, if present
   * @param io {@code io_param}, by the type the Any named
   */
  public record Response(
      int errorCode,
      String errorMessage,
      int algo,
      List<Integer> families,
      Optional<EccResult> ecc,
      Optional<IoParam> io) {
    public Response {
      Objects.requireNonNull(errorMessage, "errorMessage");
      families = List.copyOf(families);
      Objects.requireNonNull(ecc, "ecc");
      Objects.requireNonNull(io, "io");
    }

    /** A refusal: only the header is set. */
    public static Response refusal(int code, String message) {
      return new Response(code, message, 0, List.of(), Optional.empty(), Optional.empty());
    }

    public boolean ok() {
      return errorCode == OK;
    }
  }

  /**
   * What both ranks run with after a successful handshake.
   *
   * @param suite the suite
   * @param bitLength {@code bit_length_after_truncated}: -1 for none
   * @param resultToRank -1 both, else the rank that learns the result
   * @param peerItemNum the peer's stated number of items, if its message carried one
   */
  public record Agreement(
      InterconnectionSuite suite, int bitLength, int resultToRank, OptionalLong peerItemNum) {
    public Agreement {
      Objects.requireNonNull(suite, "suite");
      Objects.requireNonNull(peerItemNum, "peerItemNum");
    }
  }

  /**
   * Rank 0's decision: the response to send and, if it is not a refusal, the agreement.
   *
   * @param response what to answer
   * @param agreement present unless the response refuses
   */
  public record Decision(Response response, Optional<Agreement> agreement) {}

  /**
   * The request rank 1 sends, built as the reference builds it (spec §4.2): version 2, algorithm
   * ECDH-PSI, the ECC family with exactly one suite and one point format, truncation supported iff
   * this party has a bit length, and its item count and {@code result_to_rank}.
   */
  public static Request request(IcParameters own, long itemNum) {
    InterconnectionSuite s = own.suite();
    return new Request(
        VERSION,
        own.rank(),
        List.of(ALGO_ECDH_PSI),
        List.of(FAMILY_ECC),
        Optional.of(
            new EccProposal(
                List.of(ECC_VERSION),
                List.of(EcSuit.of(s)),
                List.of(s.pointOctetFormat()),
                own.bitLengthAfterTruncated() != IcParameters.NO_TRUNCATION)),
        Optional.of(new IoProposal(List.of(IO_VERSION), itemNum, own.resultToRank())));
  }

  /**
   * Rank 0's decision on rank 1's request (spec §4.3), in this order:
   *
   * <ol>
   *   <li>{@code version} must be 2, else {@link #HANDSHAKE_REFUSED} (the reference throws without
   *       answering a version below 2; answering is kinder and ends the peer's run the same way).
   *   <li>The ECC parameters must be present, else {@link #INVALID_REQUEST}; and (Jointly's
   *       addition) ECDH-PSI must be among {@code supported_algos} and {@code requester_rank} must
   *       be the peer's rank, else {@link #INVALID_REQUEST}.
   *   <li>This party's suite must be among the offered suites, and its point format among the
   *       offered formats, else {@link #HANDSHAKE_REFUSED}. The chosen suite is always this party's
   *       own, as in the reference.
   *   <li>Truncation: this party's bit length if the peer supports truncation and this party has
   *       one, else -1.
   *   <li>The PSI I/O parameters must be present, else {@link #INVALID_REQUEST}; {@code
   *       result_to_rank} must equal this party's, else {@link #HANDSHAKE_REFUSED}.
   *   <li>Jointly's guardrail: if the peer is to learn the result, its {@code item_num} must be at
   *       least {@link IcParameters#minPeerSetSize}, else {@link #HANDSHAKE_REFUSED}. (The count
   *       of items it actually sends is checked again in the data phase.)
   * </ol>
   *
   * The success response carries the standard's {@code PsiDataIoResult} (spec §4.4; the reference
   * sends a {@code PsiDataIoProposal} but a reference rank 1 does not read it) and ECC version 1.
   */
  public static Decision decide(IcParameters own, Request r) {
    if (r.version() != VERSION) {
      return refuse(HANDSHAKE_REFUSED, "handshake versions inconsistent: " + r.version() + " != " + VERSION);
    }
    if (r.ecc().isEmpty()) {
      return refuse(INVALID_REQUEST, "certain request has no ecc params");
    }
    if (!r.algos().contains(ALGO_ECDH_PSI)) {
      return refuse(INVALID_REQUEST, "request does not offer ECDH_PSI (algo " + ALGO_ECDH_PSI + ")");
    }
    if (r.requesterRank() != own.peerRank()) {
      return refuse(INVALID_REQUEST, "requester_rank " + r.requesterRank() + " is not " + own.peerRank());
    }
    EccProposal ecc = r.ecc().get();
    InterconnectionSuite suite = own.suite();
    if (!ecc.suits().contains(EcSuit.of(suite))) {
      return refuse(HANDSHAKE_REFUSED, "negotiate ec suits failed: this party runs " + describe(EcSuit.of(suite)));
    }
    if (!ecc.formats().contains(suite.pointOctetFormat())) {
      return refuse(
          HANDSHAKE_REFUSED,
          "negotiate point octet format failed: this party uses format " + suite.pointOctetFormat());
    }
    int bits =
        ecc.supportTruncation() ? own.bitLengthAfterTruncated() : IcParameters.NO_TRUNCATION;
    if (r.io().isEmpty()) {
      return refuse(INVALID_REQUEST, "certain request has no psi io params");
    }
    IoProposal io = r.io().get();
    if (io.resultToRank() != own.resultToRank()) {
      return refuse(
          HANDSHAKE_REFUSED,
          "negotiate result_to_rank failed: " + io.resultToRank() + " != " + own.resultToRank());
    }
    if (io.itemNum() < 0) {
      return refuse(INVALID_REQUEST, "item_num is negative");
    }
    if (IcParameters.gets(own.resultToRank(), own.peerRank()) && io.itemNum() < own.minPeerSetSize()) {
      return refuse(
          HANDSHAKE_REFUSED,
          "item_num " + io.itemNum() + " is below this party's minimum of " + own.minPeerSetSize()
              + " for a peer that learns the result");
    }
    Response ok =
        new Response(
            OK,
            "",
            ALGO_ECDH_PSI,
            List.of(FAMILY_ECC),
            Optional.of(new EccResult(ECC_VERSION, EcSuit.of(suite), suite.pointOctetFormat(), bits)),
            Optional.of(new IoResult(IO_VERSION, own.resultToRank())));
    return new Decision(
        ok, Optional.of(new Agreement(suite, bits, own.resultToRank(), OptionalLong.of(io.itemNum()))));
  }

  /**
   * Rank 1's check of rank 0's response (spec §4.5), stricter than the reference's where the
   * reference would run on with something it did not ask for: a refusal aborts with {@code
   * HANDSHAKE_MISMATCH} naming rank 0's code and message; so does a response that chose another
   * algorithm, suite or format, a truncation this party did not offer or cannot use, or an {@code
   * io_param} whose {@code result_to_rank} differs. An {@code io_param} is optional and may be
   * either message (dispatched by its type, never one read as the other). Jointly's guardrail:
   * if the response states rank 0's {@code item_num} and the peer learns the result, it must be at
   * least {@link IcParameters#minPeerSetSize} ({@code POLICY_REFUSED}).
   *
   * @throws ProtocolAbortException if the handshake failed
   */
  public static Agreement accept(IcParameters own, Response r) throws ProtocolAbortException {
    if (!r.ok()) {
      throw new ProtocolAbortException(
          Reason.HANDSHAKE_MISMATCH,
          "rank 0 refused the handshake: " + errorName(r.errorCode()) + " (" + r.errorCode() + "): "
              + printable(r.errorMessage()));
    }
    mismatchUnless(r.algo() == ALGO_ECDH_PSI, "rank 0 chose algorithm " + r.algo() + ", not ECDH_PSI");
    mismatchUnless(r.ecc().isPresent(), "the response has no ECC result");
    EccResult ecc = r.ecc().get();
    InterconnectionSuite suite = own.suite();
    mismatchUnless(
        ecc.suit().equals(EcSuit.of(suite)),
        "rank 0 chose suite " + describe(ecc.suit()) + ", this party runs " + describe(EcSuit.of(suite)));
    mismatchUnless(
        ecc.format() == suite.pointOctetFormat(),
        "rank 0 chose point format " + ecc.format() + ", this party uses " + suite.pointOctetFormat());
    if (ecc.bitLength() != IcParameters.NO_TRUNCATION) {
      mismatchUnless(
          own.bitLengthAfterTruncated() != IcParameters.NO_TRUNCATION,
          "rank 0 chose truncation to " + ecc.bitLength() + " bits, which this party did not offer");
      mismatchUnless(
          IcParameters.validBitLength(ecc.bitLength(), suite),
          "rank 0 chose an unusable truncation of " + ecc.bitLength() + " bits");
    }
    OptionalLong peerItems = OptionalLong.empty();
    if (r.io().isPresent()) {
      IoParam io = r.io().get();
      mismatchUnless(
          io.resultToRank() == own.resultToRank(),
          "rank 0 answered result_to_rank " + io.resultToRank() + ", this party asked "
              + own.resultToRank());
      if (io instanceof IoProposal p) {
        peerItems = OptionalLong.of(p.itemNum());
        if (IcParameters.gets(own.resultToRank(), own.peerRank())) {
          Abort.unless(
              p.itemNum() >= own.minPeerSetSize(),
              Reason.POLICY_REFUSED,
              "rank 0 states " + p.itemNum() + " items, below this party's minimum of "
                  + own.minPeerSetSize() + " for a peer that learns the result");
        }
      }
    }
    return new Agreement(suite, ecc.bitLength(), own.resultToRank(), peerItems);
  }

  private static Decision refuse(int code, String message) {
    return new Decision(Response.refusal(code, message), Optional.empty());
  }

  private static void mismatchUnless(boolean ok, String message) throws ProtocolAbortException {
    Abort.unless(ok, Reason.HANDSHAKE_MISMATCH, message);
  }

  /** The standard's name of an error code, for messages. */
  public static String errorName(int code) {
    return switch (code) {
      case OK -> "OK";
      case 31100000 -> "GENERIC_ERROR";
      case 31100001 -> "UNEXPECTED_ERROR";
      case 31100002 -> "NETWORK_ERROR";
      case INVALID_REQUEST -> "INVALID_REQUEST";
      case 31100101 -> "INVALID_RESOURCE";
      case HANDSHAKE_REFUSED -> "HANDSHAKE_REFUSED";
      case 31100201 -> "UNSUPPORTED_VERSION";
      case 31100202 -> "UNSUPPORTED_ALGO";
      case 31100203 -> "UNSUPPORTED_PARAMS";
      default -> "unknown error code";
    };
  }

  private static String describe(EcSuit s) {
    return InterconnectionSuite.of(s.curve(), s.hash(), s.hashToCurve())
        .map(x -> x.displayName() + " <" + s.curve() + "," + s.hash() + "," + s.hashToCurve() + ">")
        .orElse("<" + s.curve() + "," + s.hash() + "," + s.hashToCurve() + ">");
  }

  /** The peer's free text, cut to 200 printable ASCII characters (it lands in our logs). */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }
}
