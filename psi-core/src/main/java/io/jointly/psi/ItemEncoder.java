package io.jointly.psi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The bytes that get hashed to the group for a normalised key (the output of {@link
 * IdentifierProfile#normalize(String)} for each key column).
 *
 * <ul>
 *   <li><b>Single column</b>: exactly the UTF-8 bytes of the canonical string, with no prefix or
 *       tag. This is what other ECDH-PSI implementations hash, so a single-column run can
 *       interoperate with them when both sides use the same canonical form.
 *   <li><b>Composite key</b> (two or more columns, in the agreed column order): for each part, its
 *       UTF-8 byte length as a 4-byte big-endian unsigned integer, then its UTF-8 bytes. Reading
 *       length, bytes, length, bytes... to the end recovers the parts, so the encoding is injective
 *       over all lists of two or more parts: {@code ["ab","c"]} and {@code ["a","bc"]} differ, as
 *       do lists with empty parts and lists of different lengths.
 * </ul>
 *
 * <p>A single-column encoding can equal a composite one (the string {@code "\0\0\0\1a\0\0\0\1b"}
 * encodes like {@code ["a","b"]}), but the two are never compared: the key arity is agreed in the
 * handshake, so in one run every item of both parties has the same arity. A list of one part is a
 * single column and is encoded as such.
 *
 * <p>A part containing an unpaired UTF-16 surrogate is rejected with an {@link
 * IllegalArgumentException} rather than encoded with a replacement character, which would make
 * different strings encode alike; {@link IdentifierProfile#normalize(String)} never returns such a
 * string. Stateless and thread-safe.
 */
public final class ItemEncoder {
  private ItemEncoder() {}

  /**
   * The UTF-8 bytes of a single-column canonical value: the fast path.
   *
   * @throws IllegalArgumentException if {@code single} contains an unpaired surrogate
   */
  public static byte[] encode(String single) {
    Objects.requireNonNull(single, "single");
    requireWellFormed(single, 0);
    return single.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The encoding of a key of one or more normalised parts: a single part as by {@link
   * #encode(String)}, several parts length-prefixed.
   *
   * @throws IllegalArgumentException if the list is empty, a part contains an unpaired surrogate,
   *     or the encoding would exceed the maximum array size
   */
  public static byte[] encode(List<String> normalizedParts) {
    Objects.requireNonNull(normalizedParts, "normalizedParts");
    int arity = normalizedParts.size();
    if (arity == 0) {
      throw new IllegalArgumentException("a key needs at least one part");
    }
    if (arity == 1) {
      return encode(Objects.requireNonNull(normalizedParts.get(0), "part 0"));
    }
    byte[][] encoded = new byte[arity][];
    long total = 0;
    for (int i = 0; i < arity; i++) {
      String part = normalizedParts.get(i);
      if (part == null) {
        throw new NullPointerException("part " + i);
      }
      requireWellFormed(part, i);
      encoded[i] = part.getBytes(StandardCharsets.UTF_8);
      total += Integer.BYTES + (long) encoded[i].length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("composite key too long: " + total + " bytes");
    }
    byte[] out = new byte[(int) total];
    int pos = 0;
    for (byte[] e : encoded) {
      int len = e.length;
      out[pos] = (byte) (len >>> 24);
      out[pos + 1] = (byte) (len >>> 16);
      out[pos + 2] = (byte) (len >>> 8);
      out[pos + 3] = (byte) len;
      pos += Integer.BYTES;
      System.arraycopy(e, 0, out, pos, len);
      pos += len;
    }
    return out;
  }

  private static void requireWellFormed(String part, int index) {
    if (!Normalization.isWellFormedUtf16(part)) {
      throw new IllegalArgumentException("part " + index + " contains an unpaired surrogate");
    }
  }
}
