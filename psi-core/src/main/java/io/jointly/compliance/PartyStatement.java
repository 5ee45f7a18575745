package io.jointly.compliance;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one party sends first in the run agreement, and keeps in the receipt: who it is, in which
 * role, with which software, its {@link RunTerms}, when it started, and its certificate chain.
 *
 * @param party this party's name, as its certificate names it (1–64 of {@code [A-Za-z0-9._-]})
 * @param role its role in the protocol, such as {@code bank}, {@code partner}, {@code server}, {@code
 *     client} (1–32 of {@code [a-z0-9-]})
 * @param software the software and its version, such as {@code jointly 0.1.0} (1–64 printable
 *     characters)
 * @param terms the terms it states
 * @param start when it started the run, by its own clock
 * @param certificates its certificate chain, or {@link CertificateChain#NONE}
 */
public record PartyStatement(
    String party,
    String role,
    String software,
    RunTerms terms,
    Instant start,
    CertificateChain certificates) {

  /** The form of party names (the transport's party names). */
  public static final Pattern PARTY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The form of roles. */
  public static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public PartyStatement {
    Objects.requireNonNull(party, "party");
    if (!PARTY.matcher(party).matches()) {
      throw new IllegalArgumentException("a party name is 1-64 of [A-Za-z0-9._-]");
    }
    Objects.requireNonNull(role, "role");
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException("a role is 1-32 of [a-z0-9-]");
    }
    Objects.requireNonNull(software, "software");
    if (software.isEmpty()
        || software.length() > 64
        || software.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
      throw new IllegalArgumentException("a software version is 1-64 printable ASCII characters");
    }
    Objects.requireNonNull(terms, "terms");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(certificates, "certificates");
  }
}
