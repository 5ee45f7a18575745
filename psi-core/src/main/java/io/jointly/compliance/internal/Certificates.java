package io.jointly.compliance.internal;

import io.jointly.core.Bytes;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Certificates as receipts use them: parsing DER, the party names a certificate vouches for, and
 * PKIX validation of a chain to a trust root at a given time (the time a receipt was made, not
 * today: a receipt stays verifiable after its certificates expire). The platform's providers do
 * the work where they can (their ECDSA is several times faster); Bouncy Castle takes over for
 * what they lack, such as SM2 certificates.
 */
public final class Certificates {
  private static final int SAN_DNS_NAME = 2;

  private Certificates() {}

  /**
   * Parses DER certificates.
   *
   * @throws IllegalArgumentException if one is not a valid X.509 certificate
   */
  public static List<X509Certificate> parse(List<Bytes> der) {
    try {
      return parse(der, CertificateFactory.getInstance("X.509"));
    } catch (GeneralSecurityException | RuntimeException e) {
      try {
        return parse(der, CertificateFactory.getInstance("X.509", Providers.BC));
      } catch (GeneralSecurityException | RuntimeException again) {
        throw new IllegalArgumentException("not a valid X.509 certificate");
      }
    }
  }

  private static List<X509Certificate> parse(List<Bytes> der, CertificateFactory f)
      throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>(der.size());
    for (Bytes b : der) {
      X509Certificate c = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.toByteArray()));
      c.getPublicKey(); // a platform that parses but cannot read the key (SM2) hands over to BC
      out.add(c);
    }
    return out;
  }

  /**
   * The party names {@code cert} vouches for: every subject common name and every SAN {@code
   * dNSName}, in certificate order (the rule the transport applies to TLS peers).
   */
  public static Set<String> names(X509Certificate cert) {
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

  /**
   * Why {@code chain} (leaf first) is not a valid certificate of {@code party} under {@code roots}
   * at {@code when}, or empty if it is: the chain validates (PKIX, no revocation check), the leaf
   * names the party, and the leaf's key may sign (key usage absent or with digitalSignature).
   */
  public static Optional<String> problem(
      List<X509Certificate> chain, List<X509Certificate> roots, String party, Instant when) {
    if (chain.isEmpty()) {
      return Optional.of("no certificate");
    }
    if (roots.isEmpty()) {
      return Optional.of("no trust root to check the certificate against");
    }
    X509Certificate leaf = chain.get(0);
    if (!names(leaf).contains(party)) {
      return Optional.of("the certificate names " + names(leaf) + ", not '" + party + "'");
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage != null && !usage[0]) {
      return Optional.of("the certificate's key may not sign (no digitalSignature key usage)");
    }
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate r : roots) {
        anchors.add(new TrustAnchor(r, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(when));
      List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
      if (path.isEmpty()) {
        return Optional.of("the certificate is a trust root itself, not a party's");
      }
      try {
        CertPathValidator.getInstance("PKIX")
            .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      } catch (GeneralSecurityException | RuntimeException platform) {
        // The platform may lack an algorithm of the chain (SM2): Bouncy Castle decides.
        CertPathValidator.getInstance("PKIX", Providers.BC)
            .validate(CertificateFactory.getInstance("X.509", Providers.BC).generateCertPath(path), params);
      }
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      return Optional.of(
          "the certificate does not chain to the trust root at " + when + " (" + e.getMessage() + ")");
    }
  }
}
