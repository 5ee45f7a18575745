package io.jointly.transport;

import io.jointly.transport.internal.Names;
import java.util.Objects;

/**
 * How a connection is secured, and who this party is.
 *
 * <ul>
 *   <li>{@link #mutualTls} (the default to use): TLS 1.3 only; both parties present a certificate
 *       chained to the configured trust root, and each checks that the other's certificate names
 *       the party it expects. A peer that fails either check is refused inside the TLS handshake.
 *   <li>{@link #insecurePlaintext}: no encryption, no authentication; the peer's claimed name is
 *       believed. Allowed only on loopback addresses and in-process (refused otherwise with an
 *       {@link IllegalArgumentException}); for tests, benchmarks and single-machine demos.
 * </ul>
 */
public sealed interface TransportSecurity
    permits TransportSecurity.MutualTls, TransportSecurity.InsecurePlaintext {

  /** This party's name. */
  String party();

  /** Mutual TLS with these credentials. */
  static TransportSecurity mutualTls(PartyCredentials credentials) {
    return new MutualTls(credentials);
  }

  /** Plaintext, loopback and in-process only, as party {@code party}. */
  static TransportSecurity insecurePlaintext(String party) {
    return new InsecurePlaintext(party);
  }

  /**
   * Mutual TLS 1.3.
   *
   * @param credentials this party's certificate, key and trust roots
   */
  record MutualTls(PartyCredentials credentials) implements TransportSecurity {
    public MutualTls {
      Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String party() {
      return credentials.party();
    }
  }

  /**
   * Plaintext on loopback only.
   *
   * @param party this party's name
   */
  record InsecurePlaintext(String party) implements TransportSecurity {
    public InsecurePlaintext {
      Names.party(party);
    }
  }
}
