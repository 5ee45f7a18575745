package io.jointly.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemEncoderTest {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void encode_single_isExactlyUtf8Bytes() {
    assertThat(ItemEncoder.encode("+8613800138000"))
        .isEqualTo("+8613800138000".getBytes(StandardCharsets.US_ASCII));
    assertThat(hex(ItemEncoder.encode("\u5F20\u4E09"))).isEqualTo("e5bca0e4b889");
    assertThat(hex(ItemEncoder.encode("\uD83D\uDE00"))).isEqualTo("f09f9880");
    assertThat(ItemEncoder.encode("")).isEmpty();
  }

  @Test
  void encode_listOfOnePart_equalsSingleEncoding() {
    assertThat(ItemEncoder.encode(List.of("alice@example.com")))
        .isEqualTo(ItemEncoder.encode("alice@example.com"));
  }

  @Test
  void encode_composite_isLengthPrefixedBigEndian() {
    assertThat(hex(ItemEncoder.encode(List.of("ab", "c"))))
        .isEqualTo("00000002616200000001" + "63");
    assertThat(hex(ItemEncoder.encode(List.of("\u5F20", ""))))
        .isEqualTo("00000003e5bca0" + "00000000");
  }

  @Test
  void encode_composite_lengthCountsUtf8BytesNotChars() {
    byte[] e = ItemEncoder.encode(List.of("\uD83D\uDE00", "x"));
    assertThat(hex(e)).startsWith("00000004f09f9880");
  }

  @Test
  void encode_longPart_usesAllFourLengthBytes() {
    String part = "a".repeat(0x010203);
    byte[] e = ItemEncoder.encode(List.of(part, "b"));
    assertThat(hex(Arrays.copyOf(e, 4))).isEqualTo("00010203");
    assertThat(e).hasSize(4 + 0x010203 + 4 + 1);
  }

  @Test
  void encode_splitPointMoved_differs() {
    assertThat(ItemEncoder.encode(List.of("ab", "c")))
        .isNotEqualTo(ItemEncoder.encode(List.of("a", "bc")));
    assertThat(ItemEncoder.encode(List.of("abc", "")))
        .isNotEqualTo(ItemEncoder.encode(List.of("", "abc")));
  }

  @Test
  void encode_emptyParts_areDistinguished() {
    List<List<String>> keys =
        List.of(
            List.of("", ""),
            List.of("", "", ""),
            List.of("a", ""),
            List.of("", "a"),
            List.of("a", "", ""),
            List.of("", "a", ""),
            List.of("", "", "a"),
            List.of("a", "a"));
    assertDistinct(keys);
  }

  @Test
  void encode_partsThatLookLikeLengthPrefixes_areDistinguished() {
    // A part whose bytes spell another key's framing must not collide with that key.
    String framed = "\u0000\u0000\u0000\u0001a";
    List<List<String>> keys =
        List.of(
            List.of("a", "b"),
            List.of("a", "b", ""),
            List.of("a", "\u0000\u0000\u0000\u0001b"),
            List.of(framed, "b"),
            List.of("", "\u0000\u0000\u0000\u0001a\u0000\u0000\u0000\u0001b"),
            List.of("\u0000\u0000\u0000", "\u0001a"));
    assertDistinct(keys);
  }

  @Test
  void encode_differentArity_differs() {
    assertThat(ItemEncoder.encode(List.of("a", "b", "c")))
        .isNotEqualTo(ItemEncoder.encode(List.of("a", "b")))
        .isNotEqualTo(ItemEncoder.encode(List.of("a", "bc")));
  }

  @Test
  void encode_emptyList_throwsIllegalArgument() {
    assertThatThrownBy(() -> ItemEncoder.encode(List.<String>of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encode_nullPart_throwsNullPointer() {
    List<String> parts = new ArrayList<>();
    parts.add("a");
    parts.add(null);
    assertThatThrownBy(() -> ItemEncoder.encode(parts))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("part 1");
    assertThatThrownBy(() -> ItemEncoder.encode((String) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void encode_unpairedSurrogate_throwsIllegalArgumentWithoutValue() {
    assertThatThrownBy(() -> ItemEncoder.encode("a\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("a\uD800");
    assertThatThrownBy(() -> ItemEncoder.encode(List.of("ok", "\uDC00x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part 1");
  }

  @Test
  void encode_unpairedSurrogates_wouldOtherwiseCollide() {
    // getBytes alone maps both to "?": this is why the encoder refuses them.
    assertThat("\uD800".getBytes(StandardCharsets.UTF_8))
        .isEqualTo("\uD801".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ItemEncoder.encode("\uD800"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertDistinct(List<List<String>> keys) {
    List<String> encodings = new ArrayList<>();
    for (List<String> k : keys) {
      encodings.add(hex(ItemEncoder.encode(k)));
    }
    assertThat(encodings).doesNotHaveDuplicates();
  }
}
