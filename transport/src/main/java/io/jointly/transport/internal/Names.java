package io.jointly.transport.internal;

import java.util.regex.Pattern;

/**
 * The rules for party names and session ids. Party names appear in certificates (subject CN or
 * SAN) and as PEM file names, so they are restricted to a portable alphabet.
 */
public final class Names {
  private static final Pattern PARTY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private Names() {}

  /** Whether {@code name} is a well-formed party name. */
  public static boolean isParty(String name) {
    return name != null && PARTY.matcher(name).matches();
  }

  /** Whether {@code id} is a well-formed session id. */
  public static boolean isSession(String id) {
    return id != null && SESSION.matcher(id).matches();
  }

  /** Returns {@code name}, or throws if it is not a well-formed party name. */
  public static String party(String name) {
    if (!isParty(name)) {
      throw new IllegalArgumentException(
          "party name must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
    }
    return name;
  }

  /** Returns {@code id}, or throws if it is not a well-formed session id. */
  public static String session(String id) {
    if (!isSession(id)) {
      throw new IllegalArgumentException(
          "session id must be 1-128 of [A-Za-z0-9._:-], starting with a letter or digit");
    }
    return id;
  }
}
