package io.jointly.group.internal;

import static io.jointly.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** GB/T 32905-2016 Appendix A SM3 examples ({@code vectors/sm3.json}) through BC's SM3Digest. */
class Sm3KatTest {

  static List<JsonNode> vectors() {
    return Vectors.vectors("sm3.json", null);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void sm3Digest_gbt32905Example_givesDigest(JsonNode v) {
    byte[] msg = hex(v, "msg_hex");
    assertThat(msg).isEqualTo(v.get("msg").asText().getBytes(StandardCharsets.US_ASCII));
    SM3Digest sm3 = new SM3Digest();
    sm3.update(msg, 0, msg.length);
    byte[] out = new byte[sm3.getDigestSize()];
    sm3.doFinal(out, 0);
    assertThat(out).isEqualTo(hex(v, "digest"));
  }
}
