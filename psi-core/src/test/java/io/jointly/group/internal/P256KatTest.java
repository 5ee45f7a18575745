package io.jointly.group.internal;

import static io.jointly.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.testing.Vectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.impl.SimplifiedShallueVanDeWoestijneMapToCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9380 Appendix J.1.1 ({@code P256_XMD:SHA-256_SSWU_RO_}) vectors from {@code
 * vectors/p256_xmd_sha256_sswu_ro.json} through {@link P256Group}, and rejection of malformed
 * elements.
 */
class P256KatTest {
  private static final String FILE = "p256_xmd_sha256_sswu_ro.json";
  private static final X9ECParameters SECP256R1 = CustomNamedCurves.getByName("secp256r1");
  private static final BigInteger P = new BigInteger(param("p"), 16);
  private static final WeierstrassTestCurve CURVE =
      new WeierstrassTestCurve(P, BigInteger.valueOf(-3).mod(P), new BigInteger(param("B"), 16));

  private static String param(String name) {
    return Vectors.file(FILE).get("parameters").get(name).asText();
  }

  static byte[] fileDst() {
    return HexFormat.of().parseHex(Vectors.file(FILE).get("dst_hex").asText());
  }

  static List<JsonNode> vectors() {
    return Vectors.vectors(FILE, null);
  }

  private final P256Group rfcGroup = new P256Group(fileDst());

  @ParameterizedTest
  @MethodSource("vectors")
  void hashToGroup_rfc9380Vector_givesCompressedP(JsonNode v) {
    BigInteger px = new BigInteger(1, hex(v, "P_x"));
    BigInteger py = new BigInteger(1, hex(v, "P_y"));
    assertThat(CURVE.onCurve(new BigInteger[] {px, py})).isTrue();
    assertThat(rfcGroup.hashToGroup(hex(v, "msg_hex")))
        .isEqualTo(WeierstrassTestCurve.compressed(px, py));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void hashToGroup_rfc9380Vector_isQ0PlusQ1(JsonNode v) {
    BigInteger[] q0 = {new BigInteger(1, hex(v, "Q0_x")), new BigInteger(1, hex(v, "Q0_y"))};
    BigInteger[] q1 = {new BigInteger(1, hex(v, "Q1_x")), new BigInteger(1, hex(v, "Q1_y"))};
    BigInteger[] sum = CURVE.add(q0, q1);
    assertThat(rfcGroup.hashToGroup(hex(v, "msg_hex")))
        .isEqualTo(WeierstrassTestCurve.compressed(sum[0], sum[1]));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void multiply_rfc9380VectorPoint_equalsHashAndMultiply(JsonNode v) throws ProtocolAbortException {
    GroupScalar k = rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(BigInteger.valueOf(7)));
    byte[] p =
        WeierstrassTestCurve.compressed(
            new BigInteger(1, hex(v, "P_x")), new BigInteger(1, hex(v, "P_y")));
    byte[] sevenP = rfcGroup.multiply(k, p);
    assertThat(sevenP).isEqualTo(rfcGroup.hashAndMultiply(k, hex(v, "msg_hex")));
    // 7P as BC's default (non-constant-time) multiplier computes it
    ECPoint expected = rfcGroup.decode(p).multiply(BigInteger.valueOf(7));
    assertThat(sevenP).isEqualTo(expected.getEncoded(true));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void multiply_malformedElements_areRejected(JsonNode v) {
    byte[] p =
        WeierstrassTestCurve.compressed(
            new BigInteger(1, hex(v, "P_x")), new BigInteger(1, hex(v, "P_y")));
    GroupScalar k = rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(BigInteger.TWO));
    Map<String, byte[]> invalid = CURVE.invalidEncodings(p, hex(v, "P_sec1_uncompressed"));
    assertThat(invalid).hasSizeGreaterThan(15);
    invalid.forEach(
        (why, e) ->
            assertThatThrownBy(() -> rfcGroup.multiply(k, e))
                .as(why)
                .isInstanceOf(ProtocolAbortException.class)
                .extracting(x -> ((ProtocolAbortException) x).reason())
                .isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Test
  void multiply_abortMessage_containsNoElementBytes() {
    GroupScalar k = rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(BigInteger.TWO));
    byte[] e = new byte[33];
    e[0] = 0x02;
    Arrays.fill(e, 1, 33, (byte) 0xAB);
    assertThatThrownBy(() -> rfcGroup.multiply(k, e))
        .isInstanceOf(ProtocolAbortException.class)
        .message()
        .doesNotContainIgnoringCase("abab");
  }

  @Test
  void curve_p256Group_isTheRfc9380SuiteCurve() {
    assertThat(SECP256R1.getCurve().getField().getCharacteristic()).isEqualTo(P);
    assertThat(SECP256R1.getCurve().getB().toBigInteger()).isEqualTo(CURVE.b());
    assertThat(HashToCurveProfile.P256_XMD_SHA_256.getZ()).isEqualTo(new BigInteger(param("Z")));
    assertThat(HashToCurveProfile.P256_XMD_SHA_256.getL())
        .isEqualTo(Vectors.file(FILE).get("parameters").get("L").asInt());
  }

  @Test
  void scalarFromBytes_outOfRange_isRejected() {
    BigInteger n = SECP256R1.getN();
    for (BigInteger bad : List.of(BigInteger.ZERO, n, n.add(BigInteger.ONE))) {
      assertThatThrownBy(() -> rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(bad)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> rfcGroup.scalarFromBytes(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(BigInteger.ONE));
    rfcGroup.scalarFromBytes(WeierstrassTestCurve.fixed32(n.subtract(BigInteger.ONE)));
  }

  @Test
  void defaultGroup_jointlyTag_isUsed() {
    P256Group g = new P256Group();
    assertThat(new String(g.domainSeparationTag(), StandardCharsets.US_ASCII))
        .isEqualTo("JOINTLY-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_");
    assertThat(g.domainSeparationTag()).isEqualTo(P256Group.DEFAULT_DST.toByteArray());
    byte[] msg = hex(vectors().get(0), "msg_hex");
    assertThat(g.hashToGroup(msg)).isNotEqualTo(rfcGroup.hashToGroup(msg));
    assertThat(g.elementLength()).isEqualTo(33);
  }

  @Test
  void constructor_emptyTag_isRejected() {
    assertThatThrownBy(() -> new P256Group(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A tag over 255 bytes (the RFC 9380 K.2 one) goes through §5.3.3; the reference here is the
   * separately tested {@link ExpandMessageXmd}, BigInteger reduction, BC's map and plain addition.
   */
  @Test
  void hashToGroup_oversizeTag_followsSection533() {
    byte[] longDst =
        HexFormat.of()
            .parseHex(
                Vectors.file("expand_message_xmd_sha256_long_dst.json").get("dst_hex").asText());
    assertThat(longDst.length).isGreaterThan(255);
    P256Group g = new P256Group(longDst);
    SimplifiedShallueVanDeWoestijneMapToCurve map =
        new SimplifiedShallueVanDeWoestijneMapToCurve(
            SECP256R1.getCurve(), HashToCurveProfile.P256_XMD_SHA_256.getZ());
    for (JsonNode v : vectors()) {
      byte[] msg = hex(v, "msg_hex");
      byte[] uniform = new ExpandMessageXmd(SHA256Digest::new, longDst).expand(msg, 96);
      BigInteger[][] q = new BigInteger[2][];
      for (int i = 0; i < 2; i++) {
        BigInteger u = new BigInteger(1, Arrays.copyOfRange(uniform, 48 * i, 48 * i + 48)).mod(P);
        ECPoint point = map.process(u).normalize();
        q[i] =
            new BigInteger[] {
              point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger()
            };
      }
      BigInteger[] sum = CURVE.add(q[0], q[1]);
      assertThat(g.hashToGroup(msg)).isEqualTo(WeierstrassTestCurve.compressed(sum[0], sum[1]));
    }
  }
}
