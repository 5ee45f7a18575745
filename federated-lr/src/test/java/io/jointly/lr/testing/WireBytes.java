package io.jointly.lr.testing;

import io.jointly.core.Bytes;
import java.nio.ByteBuffer;
import java.util.List;

/** Searching recorded payloads for plaintext (test support for the wire tests). */
public final class WireBytes {
  private WireBytes() {}

  public static byte[] concat(List<Bytes> parts) {
    int n = 0;
    for (Bytes p : parts) {
      n += p.length();
    }
    ByteBuffer out = ByteBuffer.allocate(n);
    for (Bytes p : parts) {
      out.put(p.toByteArray());
    }
    return out.array();
  }

  /** The first index of {@code needle} in {@code hay}, or −1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
