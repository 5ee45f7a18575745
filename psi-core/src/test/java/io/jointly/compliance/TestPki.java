package io.jointly.compliance;

import io.jointly.core.SecretAccess;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA issuing P-256 certificates, as the transport's throwaway CA does. */
final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate ca;

  TestPki(String name) {
    this(name, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)));
  }

  TestPki(String name, Instant from, Instant to) {
    caKeys = keys();
    X500Name subject = new X500Name("CN=" + name);
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from), Date.from(to), subject, caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca = sign(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate certificate() {
    return ca;
  }

  List<X509Certificate> roots() {
    return List.of(ca);
  }

  /** An identity for {@code party}, valid for the next 30 days. */
  SigningIdentity issue(String party) {
    return issue(party, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)), true);
  }

  SigningIdentity issue(String party, Instant from, Instant to, boolean maySign) {
    KeyPair keys = keys();
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  ca, serial(), Date.from(from), Date.from(to), new X500Name("CN=" + party), keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(maySign ? KeyUsage.digitalSignature : KeyUsage.keyEncipherment));
      return SigningIdentity.of(party, List.of(sign(b)), keys.getPrivate(), SecretAccess.insecure());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
