package io.jointly.transport.ic.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.psi.ic.CipherBatch;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.transport.ic.internal.proto.EcSuit;
import io.jointly.transport.ic.internal.proto.EccProtocolProposal;
import io.jointly.transport.ic.internal.proto.EccProtocolResult;
import io.jointly.transport.ic.internal.proto.EcdhPsiCipherBatch;
import io.jointly.transport.ic.internal.proto.HandshakeRequest;
import io.jointly.transport.ic.internal.proto.HandshakeResponse;
import io.jointly.transport.ic.internal.proto.HandshakeVersionCheckHelper;
import io.jointly.transport.ic.internal.proto.PsiDataIoProposal;
import io.jointly.transport.ic.internal.proto.PsiDataIoResult;
import io.jointly.transport.ic.internal.proto.ResponseHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * psi-core's interconnection values to and from the standard's protobuf messages (spec §2, §4).
 * {@code Any} values are packed with the {@code type.googleapis.com/} prefix and the proto full
 * name, and dispatched on the part of the type URL after the last {@code /}, as C++ and Java
 * protobuf unpack them: an {@code io_param} is read as {@code PsiDataIoProposal} or {@code
 * PsiDataIoResult} by its type, never one as the other. Every decode failure is a {@code
 * MALFORMED_MESSAGE} abort. Stateless.
 */
public final class IcCodec {
  private IcCodec() {}

  /** The {@code Any} type URL prefix. */
  static final String TYPE_PREFIX = "type.googleapis.com/";

  // ------------------------------------------------------------------ batches

  public static byte[] encode(CipherBatch b) {
    EcdhPsiCipherBatch.Builder m =
        EcdhPsiCipherBatch.newBuilder()
            .setType(b.type())
            .setBatchIndex(b.batchIndex())
            .setIsLastBatch(b.lastBatch())
            .setCount(b.count())
            .setCiphertext(ByteString.copyFrom(b.ciphertext().toByteArray()));
    for (Map.Entry<Integer, Integer> e : b.sortedDuplicateCounts().entrySet()) {
      m.putDuplicateItemCntMap(e.getKey(), e.getValue());
    }
    return m.build().toByteArray();
  }

  public static CipherBatch decodeBatch(byte[] bytes, String where) throws ProtocolAbortException {
    EcdhPsiCipherBatch m;
    try {
      m = EcdhPsiCipherBatch.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(where + " is not an EcdhPsiCipherBatch");
    }
    return new CipherBatch(
        m.getType(),
        m.getBatchIndex(),
        m.getIsLastBatch(),
        m.getCount(),
        Bytes.wrap(m.getCiphertext().toByteArray()),
        new TreeMap<>(m.getDuplicateItemCntMapMap()));
  }

  // ---------------------------------------------------------------- handshake

  public static byte[] encode(IcHandshake.Request r) {
    HandshakeRequest.Builder m =
        HandshakeRequest.newBuilder()
            .setVersion(r.version())
            .setRequesterRank(r.requesterRank())
            .addAllSupportedAlgos(r.algos())
            .addAllProtocolFamilies(r.families());
    for (int family : r.families()) {
      if (family == IcHandshake.FAMILY_ECC && r.ecc().isPresent()) {
        m.addProtocolFamilyParams(pack(proposal(r.ecc().get())));
      }
    }
    r.io().ifPresent(io -> m.setIoParam(pack(proposal(io))));
    return m.build().toByteArray();
  }

  /**
   * Decodes a request the way the reference does: the version first ({@code
   * HandshakeVersionCheckHelper}); a request of another version is returned with its version only,
   * so that rank 0 can refuse it by that.
   */
  public static IcHandshake.Request decodeRequest(byte[] bytes) throws ProtocolAbortException {
    int version;
    try {
      version = HandshakeVersionCheckHelper.parseFrom(bytes).getVersion();
    } catch (InvalidProtocolBufferException e) {
      throw malformed("the handshake request has no readable version");
    }
    if (version != IcHandshake.VERSION) {
      return IcHandshake.Request.versionOnly(version);
    }
    HandshakeRequest m;
    try {
      m = HandshakeRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw malformed("the handshake request is not a HandshakeRequest");
    }
    Optional<IcHandshake.EccProposal> ecc = Optional.empty();
    int at = m.getProtocolFamiliesList().indexOf(IcHandshake.FAMILY_ECC);
    if (at >= 0 && at < m.getProtocolFamilyParamsCount()) {
      Any any = m.getProtocolFamilyParams(at);
      if (is(any, EccProtocolProposal.getDescriptor().getFullName())) {
        EccProtocolProposal p = unpack(any, EccProtocolProposal.class, "EccProtocolProposal");
        List<IcHandshake.EcSuit> suits = new ArrayList<>();
        for (EcSuit s : p.getEcSuitsList()) {
          suits.add(suit(s));
        }
        ecc =
            Optional.of(
                new IcHandshake.EccProposal(
                    p.getSupportedVersionsList(), suits, p.getPointOctetFormatsList(), p.getSupportPointTruncation()));
      }
    }
    Optional<IcHandshake.IoProposal> io = Optional.empty();
    if (m.hasIoParam() && is(m.getIoParam(), PsiDataIoProposal.getDescriptor().getFullName())) {
      io = Optional.of(proposal(unpack(m.getIoParam(), PsiDataIoProposal.class, "PsiDataIoProposal")));
    }
    return new IcHandshake.Request(
        m.getVersion(), m.getRequesterRank(), m.getSupportedAlgosList(), m.getProtocolFamiliesList(), ecc, io);
  }

  public static byte[] encode(IcHandshake.Response r) {
    HandshakeResponse.Builder m =
        HandshakeResponse.newBuilder()
            .setHeader(ResponseHeader.newBuilder().setErrorCode(r.errorCode()).setErrorMsg(r.errorMessage()))
            .setAlgo(r.algo())
            .addAllProtocolFamilies(r.families());
    for (int family : r.families()) {
      if (family == IcHandshake.FAMILY_ECC && r.ecc().isPresent()) {
        IcHandshake.EccResult e = r.ecc().get();
        m.addProtocolFamilyParams(
            pack(
                EccProtocolResult.newBuilder()
                    .setVersion(e.version())
                    .setEcSuit(suit(e.suit()))
                    .setPointOctetFormat(e.format())
                    .setBitLengthAfterTruncated(e.bitLength())
                    .build()));
      }
    }
    if (r.io().isPresent()) {
      IcHandshake.IoParam io = r.io().get();
      Message packed =
          io instanceof IcHandshake.IoProposal p
              ? proposal(p)
              : PsiDataIoResult.newBuilder()
                  .setVersion(((IcHandshake.IoResult) io).version())
                  .setResultToRank(io.resultToRank())
                  .build();
      m.setIoParam(pack(packed));
    }
    return m.build().toByteArray();
  }

  public static IcHandshake.Response decodeResponse(byte[] bytes) throws ProtocolAbortException {
    HandshakeResponse m;
    try {
      m = HandshakeResponse.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw malformed("the handshake response is not a HandshakeResponse");
    }
    Optional<IcHandshake.EccResult> ecc = Optional.empty();
    int at = m.getProtocolFamiliesList().indexOf(IcHandshake.FAMILY_ECC);
    if (at >= 0 && at < m.getProtocolFamilyParamsCount()) {
      Any any = m.getProtocolFamilyParams(at);
      if (is(any, EccProtocolResult.getDescriptor().getFullName())) {
        EccProtocolResult e = unpack(any, EccProtocolResult.class, "EccProtocolResult");
        ecc =
            Optional.of(
                new IcHandshake.EccResult(
                    e.getVersion(), suit(e.getEcSuit()), e.getPointOctetFormat(), e.getBitLengthAfterTruncated()));
      }
    }
    Optional<IcHandshake.IoParam> io = Optional.empty();
    if (m.hasIoParam()) {
      Any any = m.getIoParam();
      if (is(any, PsiDataIoProposal.getDescriptor().getFullName())) {
        io = Optional.of(proposal(unpack(any, PsiDataIoProposal.class, "PsiDataIoProposal")));
      } else if (is(any, PsiDataIoResult.getDescriptor().getFullName())) {
        PsiDataIoResult res = unpack(any, PsiDataIoResult.class, "PsiDataIoResult");
        io = Optional.of(new IcHandshake.IoResult(res.getVersion(), res.getResultToRank()));
      }
    }
    return new IcHandshake.Response(
        m.getHeader().getErrorCode(),
        m.getHeader().getErrorMsg(),
        m.getAlgo(),
        m.getProtocolFamiliesList(),
        ecc,
        io);
  }

  // ------------------------------------------------------------------ helpers

  private static EccProtocolProposal proposal(IcHandshake.EccProposal p) {
    EccProtocolProposal.Builder b =
        EccProtocolProposal.newBuilder()
            .addAllSupportedVersions(p.versions())
            .addAllPointOctetFormats(p.formats())
            .setSupportPointTruncation(p.supportTruncation());
    for (IcHandshake.EcSuit s : p.suits()) {
      b.addEcSuits(suit(s));
    }
    return b.build();
  }

  private static PsiDataIoProposal proposal(IcHandshake.IoProposal io) {
    return PsiDataIoProposal.newBuilder()
        .addAllSupportedVersions(io.versions())
        .setItemNum(io.itemNum())
        .setResultToRank(io.resultToRank())
        .build();
  }

  private static IcHandshake.IoProposal proposal(PsiDataIoProposal p) {
    return new IcHandshake.IoProposal(p.getSupportedVersionsList(), p.getItemNum(), p.getResultToRank());
  }

  private static EcSuit suit(IcHandshake.EcSuit s) {
    return EcSuit.newBuilder().setCurve(s.curve()).setHash(s.hash()).setHash2CurveStrategy(s.hashToCurve()).build();
  }

  private static IcHandshake.EcSuit suit(EcSuit s) {
    return new IcHandshake.EcSuit(s.getCurve(), s.getHash(), s.getHash2CurveStrategy());
  }

  private static Any pack(Message m) {
    return Any.newBuilder()
        .setTypeUrl(TYPE_PREFIX + m.getDescriptorForType().getFullName())
        .setValue(m.toByteString())
        .build();
  }

  /** Whether the Any holds the message {@code fullName} (the type URL's part after the last '/'). */
  static boolean is(Any any, String fullName) {
    String url = any.getTypeUrl();
    return url.substring(url.lastIndexOf('/') + 1).equals(fullName);
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, String name) throws ProtocolAbortException {
    try {
      @SuppressWarnings("unchecked")
      T t = (T) com.google.protobuf.Internal.getDefaultInstance(type).getParserForType().parseFrom(any.getValue());
      return t;
    } catch (InvalidProtocolBufferException e) {
      throw malformed("an Any typed " + name + " does not hold one");
    }
  }

  private static ProtocolAbortException malformed(String message) {
    return new ProtocolAbortException(Reason.MALFORMED_MESSAGE, message);
  }
}
