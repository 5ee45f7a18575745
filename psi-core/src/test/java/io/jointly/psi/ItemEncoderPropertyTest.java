package io.jointly.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ItemEncoderPropertyTest {

  @Property
  void encode_composite_decodesBackToParts(@ForAll("composites") List<String> parts) {
    assertThat(decode(ItemEncoder.encode(parts))).isEqualTo(parts);
  }

  @Property
  void encode_twoDifferentComposites_differ(
      @ForAll("composites") List<String> a, @ForAll("composites") List<String> b) {
    assertThat(Arrays.equals(ItemEncoder.encode(a), ItemEncoder.encode(b))).isEqualTo(a.equals(b));
  }

  @Provide
  Arbitrary<List<String>> composites() {
    // A small alphabet with NUL and a multi-byte character, so that splits and prefixes collide
    // often enough to matter.
    Arbitrary<String> part = Arbitraries.strings().withChars("ab\u0000\u0001\u5F20").ofMaxLength(4);
    return part.list().ofMinSize(2).ofMaxSize(4);
  }

  /** The inverse of the composite encoding: length, bytes, length, bytes... to the end. */
  private static List<String> decode(byte[] encoded) {
    ByteBuffer in = ByteBuffer.wrap(encoded);
    List<String> parts = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] part = new byte[in.getInt()];
      in.get(part);
      parts.add(new String(part, StandardCharsets.UTF_8));
    }
    return parts;
  }
}
