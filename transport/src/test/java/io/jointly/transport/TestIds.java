package io.jointly.transport;

import java.util.ArrayList;
import java.util.List;

/** Identifier lists for the protocol runs over the transport (test support). */
final class TestIds {
  private TestIds() {}

  /** {@code n} e-mail-shaped identifiers with {@code prefix}. */
  static List<String> ids(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix + "-" + i + "@example.com");
    }
    return out;
  }

  /** {@code a} then {@code b}. */
  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
