package io.jointly.transport.internal;

import io.jointly.compliance.CertificateChain;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * The party names a certificate vouches for: every subject common name (CN) and every
 * subject-alternative-name {@code dNSName}. A peer is the expected party when the expected name is
 * one of them, compared exactly. The rule is {@link CertificateChain#names}, the one receipts are
 * checked by, so that TLS and receipts agree on who a certificate names.
 */
public final class CertificateIdentities {
  private CertificateIdentities() {}

  /** The names of {@code cert} (possibly empty), in certificate order. */
  public static Set<String> of(X509Certificate cert) {
    return CertificateChain.names(cert);
  }
}
