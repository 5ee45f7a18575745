package io.jointly.compliance;

import io.jointly.compliance.internal.Certificates;
import io.jointly.core.Bytes;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A party's X.509 certificate chain, leaf first, as DER encodings (so that receipts carry it byte
 * for byte and compare by value). Empty for a party that runs without a certificate (plaintext
 * trials): its receipts cannot be signed.
 *
 * @param der the DER encoding of each certificate, leaf first (at most {@link #MAX_CERTIFICATES},
 *     each at most {@link #MAX_CERTIFICATE_BYTES})
 */
public record CertificateChain(List<Bytes> der) {
  /** The most certificates in a chain. */
  public static final int MAX_CERTIFICATES = 8;

  /** The largest certificate. */
  public static final int MAX_CERTIFICATE_BYTES = 16 * 1024;

  /** No certificate. */
  public static final CertificateChain NONE = new CertificateChain(List.of());

  public CertificateChain {
    der = List.copyOf(Objects.requireNonNull(der, "der"));
    if (der.size() > MAX_CERTIFICATES) {
      throw new IllegalArgumentException("at most " + MAX_CERTIFICATES + " certificates in a chain");
    }
    for (Bytes b : der) {
      if (b.length() == 0 || b.length() > MAX_CERTIFICATE_BYTES) {
        throw new IllegalArgumentException("a certificate is 1-" + MAX_CERTIFICATE_BYTES + " bytes");
      }
    }
  }

  /** The chain of these certificates, leaf first. */
  public static CertificateChain of(List<X509Certificate> chain) {
    List<Bytes> der = new ArrayList<>(chain.size());
    for (X509Certificate c : chain) {
      try {
        der.add(Bytes.wrap(c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("a certificate cannot be encoded", e);
      }
    }
    return new CertificateChain(der);
  }

  public boolean isEmpty() {
    return der.isEmpty();
  }

  /**
   * The certificates, parsed.
   *
   * @throws IllegalArgumentException if one is not a valid DER X.509 certificate
   */
  public List<X509Certificate> certificates() {
    return Certificates.parse(der);
  }

  /**
   * The party names {@code cert} vouches for: every subject common name (CN) and every subject
   * alternative name {@code dNSName}, in certificate order. A certificate is a party's when the
   * party's name is one of them, compared exactly (the rule mutual TLS applies too).
   */
  public static Set<String> names(X509Certificate cert) {
    return Certificates.names(cert);
  }

  /** The leaf certificate, parsed. */
  public X509Certificate leaf() {
    if (der.isEmpty()) {
      throw new IllegalStateException("no certificate");
    }
    return Certificates.parse(der.subList(0, 1)).get(0);
  }
}
