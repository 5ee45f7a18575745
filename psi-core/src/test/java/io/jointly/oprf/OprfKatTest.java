package io.jointly.oprf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.Bytes;
import io.jointly.core.SecretAccess;
import io.jointly.testing.Vectors;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9497 Appendix A.1.1 ({@code ristretto255-SHA512}, OPRF mode) through {@link Oprf} and
 * {@link OprfKey} end to end: the context string and tags, {@code DeriveKeyPair} from the seed and
 * key info, {@code Blind} with the vector's blind, {@code BlindEvaluate}, {@code Finalize} (single
 * and batched) and the server's direct {@code Evaluate}, each compared with the vector
 * ({@code vectors/oprf_ristretto255_sha512_mode0.json}, whose source is named in the file).
 */
class OprfKatTest {
  private static final String FILE = "oprf_ristretto255_sha512_mode0.json";
  private static final HexFormat HEX = HexFormat.of();
  private static final Oprf OPRF = Oprf.RISTRETTO255_SHA512;

  static List<JsonNode> vectors() {
    return Vectors.vectors(FILE, null);
  }

  private static OprfKey key() {
    JsonNode k = Vectors.file(FILE).get("key");
    return OprfKey.derive(OprfSuite.RISTRETTO255_SHA512, Vectors.hex(k, "Seed"), Vectors.hex(k, "KeyInfo"));
  }

  @Test
  void suite_contextStringAndTags_matchTheVectorFile() {
    JsonNode root = Vectors.file(FILE);
    OprfSuite suite = OprfSuite.RISTRETTO255_SHA512;
    assertThat(root.get("suite").asText()).isEqualTo(suite.identifier());
    assertThat(HEX.formatHex(suite.contextString())).isEqualTo(root.get("context_string_hex").asText());
    assertThat(HEX.formatHex(suite.hashToGroupDst()))
        .isEqualTo(root.get("dst").get("HashToGroup").get("hex").asText());
    assertThat(HEX.formatHex(suite.deriveKeyPairDst()))
        .isEqualTo(root.get("dst").get("DeriveKeyPair").get("hex").asText());
  }

  @Test
  void deriveKeyPair_seedAndInfo_giveTheVectorsKey() {
    OprfKey key = key();
    assertThat(HEX.formatHex(key.toBytes(SecretAccess.insecure())))
        .isEqualTo(Vectors.file(FILE).get("key").get("skSm").asText());
    assertThat(key.toString()).doesNotContain(Vectors.file(FILE).get("key").get("skSm").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("vectors")
  void protocol_vector_blindEvaluateAndFinalizeMatch(JsonNode v) throws Exception {
    OprfKey key = key();
    byte[] input = Vectors.hex(v, "Input");
    OprfBlind blind = OprfBlind.fromBytes(Vectors.hex(v, "Blind"), SecretAccess.insecure());

    Oprf.Blinded blinded = OPRF.blind(input, blind);
    assertThat(blinded.element().toHex()).isEqualTo(v.get("BlindedElement").asText());

    Bytes evaluated = OPRF.blindEvaluate(key, blinded.element());
    assertThat(evaluated.toHex()).isEqualTo(v.get("EvaluationElement").asText());

    Bytes output = OPRF.finalizeOutput(input, blind, evaluated);
    assertThat(output.toHex()).isEqualTo(v.get("Output").asText());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("vectors")
  void evaluate_vectorInput_givesTheVectorsOutput(JsonNode v) throws Exception {
    assertThat(OPRF.evaluate(key(), Vectors.hex(v, "Input")).toHex()).isEqualTo(v.get("Output").asText());
  }

  @Test
  void batch_allVectors_flatEvaluateAndFinalizeAllMatch() throws Exception {
    List<JsonNode> vs = vectors();
    int n = vs.size();
    byte[][] inputs = new byte[n][];
    OprfBlind[] blinds = new OprfBlind[n];
    byte[] flat = new byte[32 * n];
    for (int i = 0; i < n; i++) {
      inputs[i] = Vectors.hex(vs.get(i), "Input");
      blinds[i] = OprfBlind.fromBytes(Vectors.hex(vs.get(i), "Blind"), SecretAccess.insecure());
      OPRF.blind(inputs[i], blinds[i]).element().copyTo(flat, 32 * i);
    }
    byte[] evaluated = new byte[32 * n];
    OPRF.blindEvaluate(key(), flat, 0, n, evaluated, 0);
    Bytes[] elements = new Bytes[n];
    for (int i = 0; i < n; i++) {
      elements[i] = Bytes.copyOf(evaluated, 32 * i, 32);
      assertThat(elements[i].toHex()).isEqualTo(vs.get(i).get("EvaluationElement").asText());
    }
    Bytes[] outputs = OPRF.finalizeAll(inputs, blinds, elements);
    for (int i = 0; i < n; i++) {
      assertThat(outputs[i].toHex()).isEqualTo(vs.get(i).get("Output").asText());
    }
  }
}
