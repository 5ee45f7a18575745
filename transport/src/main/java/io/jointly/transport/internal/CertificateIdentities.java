package io.jointly.transport.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The party names a certificate vouches for: every subject common name (CN) and every
 * subject-alternative-name {@code dNSName}. A peer is the expected party when the expected name is
 * one of them, compared exactly.
 */
public final class CertificateIdentities {
  private static final int SAN_DNS_NAME = 2;

  private CertificateIdentities() {}

  /** The names of {@code cert} (possibly empty), in certificate order. */
  public static Set<String> of(X509Certificate cert) {
    Set<String> names = new LinkedHashSet<>();
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
      ASN1Encodable value = rdn.getFirst().getValue();
      if (value instanceof ASN1String s) {
        names.add(s.getString());
      }
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2
              && san.get(0) instanceof Integer type
              && type == SAN_DNS_NAME
              && san.get(1) instanceof String dns) {
            names.add(dns);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unparsable SAN extension vouches for nothing; the CN may still name the party
    }
    return names;
  }
}
