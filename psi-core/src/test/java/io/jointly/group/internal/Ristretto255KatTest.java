package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.group.internal.Edwards25519.Point;
import io.jointly.testing.Vectors;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers for ristretto255: RFC 9496 Appendix A.1–A.4 ({@code ristretto255.json}),
 * hash_to_ristretto255 with expand_message_xmd(SHA-512) ({@code
 * hash_to_ristretto255_xmd_sha512.json}, RFC 9380 App. B anchored by RFC 9497) and the RFC 9497
 * App. A.1.1 OPRF mode-0 blind and evaluate steps ({@code oprf_ristretto255_sha512_mode0.json}).
 */
class Ristretto255KatTest {
  private static final String RISTRETTO = "ristretto255.json";
  private static final String H2G = "hash_to_ristretto255_xmd_sha512.json";
  private static final String OPRF = "oprf_ristretto255_sha512_mode0.json";
  private static final HexFormat HEX = HexFormat.of();

  static List<JsonNode> multiples() {
    return Vectors.vectors(RISTRETTO, "multiple");
  }

  static List<JsonNode> invalidEncodings() {
    return Vectors.vectors(RISTRETTO, "invalid_encoding");
  }

  static List<JsonNode> elementDerivations() {
    return Vectors.vectors(RISTRETTO, "element_derivation");
  }

  static List<JsonNode> sqrtRatios() {
    return Vectors.vectors(RISTRETTO, "sqrt_ratio_m1");
  }

  static List<JsonNode> hashToGroup() {
    return Vectors.vectors(H2G, null);
  }

  static List<JsonNode> oprf() {
    return Vectors.vectors(OPRF, null);
  }

  @Test
  void vectorFiles_haveTheDocumentedCounts() {
    assertThat(multiples()).hasSize(16);
    assertThat(invalidEncodings()).hasSize(29);
    assertThat(elementDerivations()).hasSize(11);
    assertThat(sqrtRatios()).hasSize(6);
    assertThat(hashToGroup()).hasSize(11);
    assertThat(oprf()).hasSize(2);
  }

  @Test
  void basepoint_fromRfc8032Coordinates_encodesAsFirstMultiple() {
    assertThat(Ristretto255.encode(TestPoints.basepoint()))
        .isEqualTo(Vectors.hex(multiples().get(1), "encoding"));
  }

  @ParameterizedTest(name = "[{index}] i = {0}")
  @MethodSource("multiples")
  void scalarMul_multipleOfBasepoint_encodesAsVector(JsonNode v) {
    Point p = new Point();
    Edwards25519.scalarMul(Vectors.hex(v, "scalar"), TestPoints.basepoint(), p);
    assertThat(HEX.formatHex(Ristretto255.encode(p))).isEqualTo(v.get("encoding").asText());
  }

  @Test
  void repeatedAddition_ofBasepoint_encodesAsEveryMultiple() {
    Point b = TestPoints.basepoint();
    Point acc = new Point();
    for (JsonNode v : multiples()) {
      assertThat(HEX.formatHex(Ristretto255.encode(acc)))
          .as("%d·B", v.get("i").asInt())
          .isEqualTo(v.get("encoding").asText());
      Edwards25519.addPoints(acc, b, acc);
    }
  }

  @ParameterizedTest(name = "[{index}] i = {0}")
  @MethodSource("multiples")
  void decode_multiple_isValidAndReencodesIdentically(JsonNode v) {
    byte[] encoding = Vectors.hex(v, "encoding");
    Point p = new Point();
    assertThat(Ristretto255.decode(encoding, 0, p)).isEqualTo(1);
    assertThat(Ristretto255.encode(p)).isEqualTo(encoding);
  }

  @ParameterizedTest(name = "[{index}] i = {0}")
  @MethodSource("multiples")
  void groupMultiply_scalarTimesGenerator_matchesVector(JsonNode v) throws Exception {
    if (v.get("i").asInt() == 0) {
      return; // zero is not a valid GroupScalar; 0·B is covered by scalarMul above
    }
    Ristretto255Group group = new Ristretto255Group();
    GroupScalar k = group.scalarFromBytes(Vectors.hex(v, "scalar"));
    byte[] generator = Vectors.hex(multiples().get(1), "encoding");
    assertThat(HEX.formatHex(group.multiply(k, generator))).isEqualTo(v.get("encoding").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidEncodings")
  void decode_invalidEncoding_isRejected(JsonNode v) {
    assertThat(Ristretto255.decode(Vectors.hex(v, "encoding"), 0, new Point())).isZero();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidEncodings")
  void groupMultiply_invalidEncoding_abortsWithInvalidElement(JsonNode v) {
    Ristretto255Group group = new Ristretto255Group();
    GroupScalar k = group.scalarFromBytes(Vectors.hex(multiples().get(7), "scalar"));
    assertThatThrownBy(() -> group.multiply(k, Vectors.hex(v, "encoding")))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT);
              assertThat(e.getMessage()).doesNotContain(v.get("encoding").asText());
            });
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("elementDerivations")
  void fromUniformBytes_rfcInput_encodesAsOutput(JsonNode v) {
    Point p = new Point();
    Ristretto255.fromUniformBytes(Vectors.hex(v, "input"), p);
    assertThat(HEX.formatHex(Ristretto255.encode(p))).isEqualTo(v.get("output").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("sqrtRatios")
  void sqrtRatioM1_rfcInput_returnsFlagAndRoot(JsonNode v) {
    long[] u = Field25519.create();
    long[] w = Field25519.create();
    long[] r = Field25519.create();
    assertThat(Field25519.decode(Vectors.hex(v, "u"), 0, u)).isEqualTo(1);
    assertThat(Field25519.decode(Vectors.hex(v, "v"), 0, w)).isEqualTo(1);
    int wasSquare = Field25519.sqrtRatioM1(u, w, r);
    byte[] root = new byte[32];
    Field25519.encode(r, root, 0);
    assertThat(wasSquare).isEqualTo(v.get("was_square").asBoolean() ? 1 : 0);
    assertThat(HEX.formatHex(root)).isEqualTo(v.get("r").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hashToGroup")
  void hashToGroup_vectorDstAndMessage_givesElement(JsonNode v) {
    byte[] dst = Vectors.hex(v, "dst_hex");
    byte[] msg = Vectors.hex(v, "msg_hex");
    byte[] uniform = new ExpandMessageXmd(SHA512Digest::new, dst).expand(msg, 64);
    assertThat(HEX.formatHex(uniform)).isEqualTo(v.get("uniform_bytes").asText());
    Ristretto255Group group = new Ristretto255Group(dst);
    assertThat(HEX.formatHex(group.hashToGroup(msg))).isEqualTo(v.get("element").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("oprf")
  void oprfBlindAndEvaluate_rfc9497Vector_matchesBlindedAndEvaluationElements(JsonNode v)
      throws Exception {
    JsonNode root = Vectors.file(OPRF);
    byte[] dst = HEX.parseHex(root.get("dst").get("HashToGroup").get("hex").asText());
    Ristretto255Group group = new Ristretto255Group(dst);
    GroupScalar blind = group.scalarFromBytes(Vectors.hex(v, "Blind"));
    GroupScalar skSm = group.scalarFromBytes(Vectors.hex(root.get("key"), "skSm"));

    byte[] blinded = group.hashAndMultiply(blind, Vectors.hex(v, "Input"));
    assertThat(HEX.formatHex(blinded)).isEqualTo(v.get("BlindedElement").asText());
    byte[] evaluated = group.multiply(skSm, Vectors.hex(v, "BlindedElement"));
    assertThat(HEX.formatHex(evaluated)).isEqualTo(v.get("EvaluationElement").asText());
  }
}
