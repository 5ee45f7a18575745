package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.testing.Vectors;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9380 Appendix K.1, K.2 (oversize DST, §5.3.3) and K.3 vectors. */
class ExpandMessageXmdKatTest {

  static Stream<Arguments> vectors() {
    return Stream.of(
            Arguments.of("expand_message_xmd_sha256.json", (Supplier<ExtendedDigest>) SHA256Digest::new),
            Arguments.of(
                "expand_message_xmd_sha256_long_dst.json",
                (Supplier<ExtendedDigest>) SHA256Digest::new),
            Arguments.of(
                "expand_message_xmd_sha512.json", (Supplier<ExtendedDigest>) SHA512Digest::new))
        .flatMap(
            a -> {
              String file = (String) a.get()[0];
              JsonNode root = Vectors.file(file);
              byte[] dst = HexFormat.of().parseHex(root.get("dst_hex").asText());
              return Vectors.vectors(file, null).stream()
                  .map(v -> Arguments.of(file, a.get()[1], dst, v));
            });
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("vectors")
  void expand_rfc9380Vector_matchesUniformBytes(
      String file, Supplier<ExtendedDigest> digest, byte[] dst, JsonNode v) {
    ExpandMessageXmd xmd = new ExpandMessageXmd(digest, dst);
    byte[] out = xmd.expand(Vectors.hex(v, "msg_hex"), v.get("len_in_bytes").asInt());
    assertThat(HexFormat.of().formatHex(out)).isEqualTo(v.get("uniform_bytes").asText());
  }
}
