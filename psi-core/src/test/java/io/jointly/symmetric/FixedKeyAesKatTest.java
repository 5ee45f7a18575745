package io.jointly.symmetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.testing.Vectors;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AES-128 known answers (FIPS 197 C.1, AESAVS GFSbox) through {@link FixedKeyAes}. */
class FixedKeyAesKatTest {
  private static final String FILE = "aes128_fips197_aesavs.json";

  @Test
  void permute_fipsAndAesavsVectors_matchCiphertexts() {
    List<JsonNode> vectors = Vectors.vectors(FILE, "block");
    assertThat(vectors).hasSize(3);
    for (JsonNode v : vectors) {
      FixedKeyAes aes = new FixedKeyAes(Vectors.hex(v, "key"));
      byte[] out = new byte[16];
      aes.permute(Vectors.hex(v, "plaintext"), 0, out, 0, 1);
      assertThat(HexFormat.of().formatHex(out)).as(v.get("name").asText()).isEqualTo(v.get("ciphertext").asText());
    }
  }

  @Test
  void permute_manyBlocksAtOffsets_eachBlockMatchesItsVector() {
    JsonNode v = Vectors.vectors(FILE, "block").get(0);
    FixedKeyAes aes = new FixedKeyAes(Vectors.hex(v, "key"));
    byte[] pt = Vectors.hex(v, "plaintext");
    byte[] in = Blocks.allocate(5);
    for (int i = 0; i < 5; i++) {
      System.arraycopy(pt, 0, in, 16 * i, 16);
    }
    byte[] out = Blocks.allocate(7);
    aes.permute(in, 1, out, 2, 4);
    for (int i = 2; i < 6; i++) {
      assertThat(HexFormat.of().formatHex(out, 16 * i, 16 * i + 16)).isEqualTo(v.get("ciphertext").asText());
    }
    assertThat(Blocks.lo(out, 0) | Blocks.hi(out, 0) | Blocks.lo(out, 6) | Blocks.hi(out, 6)).isZero();
  }

  @Test
  void permute_inPlace_sameAsSeparateOutput() {
    JsonNode v = Vectors.vectors(FILE, "block").get(1);
    FixedKeyAes aes = new FixedKeyAes(Vectors.hex(v, "key"));
    byte[] buf = Vectors.hex(v, "plaintext");
    aes.permute(buf, 0, buf, 0, 1);
    assertThat(HexFormat.of().formatHex(buf)).isEqualTo(v.get("ciphertext").asText());
  }
}
