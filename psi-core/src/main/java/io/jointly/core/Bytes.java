package io.jointly.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string: the value type for wire payloads and public encodings (records never
 * hold a bare {@code byte[]}). Never use it for secrets: see {@link SecretBytes}.
 */
public final class Bytes implements Comparable<Bytes> {
  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** A copy of the given array. */
  public static Bytes copyOf(byte[] data) {
    return new Bytes(data.clone());
  }

  /** A copy of {@code length} bytes of {@code data} from {@code offset}. */
  public static Bytes copyOf(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return new Bytes(Arrays.copyOfRange(data, offset, offset + length));
  }

  /**
   * Takes ownership of {@code data} without copying. The caller must not modify the array
   * afterwards; used on hot paths where the array was freshly built for this purpose.
   */
  public static Bytes wrap(byte[] data) {
    return new Bytes(Objects.requireNonNull(data));
  }

  /** Parses lower- or upper-case hex without separators. */
  public static Bytes fromHex(String hex) {
    return new Bytes(HexFormat.of().parseHex(hex));
  }

  public int length() {
    return data.length;
  }

  public byte get(int index) {
    return data[index];
  }

  /** A fresh copy of the contents. */
  public byte[] toByteArray() {
    return data.clone();
  }

  /** Copies the contents into {@code dest} at {@code offset}. */
  public void copyTo(byte[] dest, int offset) {
    System.arraycopy(data, 0, dest, offset, data.length);
  }

  public Bytes slice(int offset, int length) {
    return copyOf(data, offset, length);
  }

  public String toHex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  /** Length only: payloads may carry data derived from customer identifiers. */
  @Override
  public String toString() {
    return "Bytes[" + data.length + "]";
  }
}
