package io.jointly.psi.unbalanced;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why a client asks for evaluations, as a short name the server configures budgets for, such as
 * {@code card-application} or {@code weekly-campaign}. A simple typed value, sent in the handshake,
 * so that it can later be unified with a project-wide notion of purpose.
 *
 * @param name 1–32 of {@code [a-z0-9-]}
 */
public record Purpose(String name) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  public Purpose {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a purpose is 1-32 of [a-z0-9-]");
    }
  }

  /** Parses a purpose name. */
  public static Purpose of(String name) {
    return new Purpose(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
