package io.jointly.transport;

import io.jointly.core.SecretAccess;
import io.jointly.transport.internal.Names;
import io.jointly.transport.internal.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for trials and tests: a fresh ECDSA P-256 CA whose private key
 * lives only in this object (it is never written), issuing certificates for named parties (subject
 * CN and SAN {@code dNSName} = the party name; usable as TLS client and server).
 *
 * <pre>{@code
 * ThrowawayCa.create().writeFiles(dir, List.of("bank", "partner"));
 * // dir/ca.crt, dir/bank.crt, dir/bank.key (mode 600), dir/partner.crt, dir/partner.key
 * PartyCredentials bank = PartyCredentials.fromPemDirectory(dir, "bank");
 * }</pre>
 *
 * <p>Real deployments use their own CA and load its PEM files with {@link
 * PartyCredentials#fromPem}: whoever holds a throwaway CA's files can impersonate any party it
 * issued for, so the directory must travel to each party over a trusted path (each party needs
 * {@code ca.crt} and only its own {@code NAME.crt} and {@code NAME.key}).
 *
 * <p>Thread-safe. {@code toString} is redacted.
 */
public final class ThrowawayCa {
  /** Default validity of the CA and of the certificates it issues. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

  /** Tolerance for clocks that run behind: certificates are valid from this long ago. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final SecureRandom random;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Duration validity;

  private ThrowawayCa(
      SecureRandom random, KeyPair caKeys, X509Certificate caCertificate, Duration validity) {
    this.random = random;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.validity = validity;
  }

  /** A fresh CA valid for {@link #DEFAULT_VALIDITY}. */
  public static ThrowawayCa create() {
    return create(DEFAULT_VALIDITY);
  }

  /** A fresh CA; it and the certificates it issues are valid for {@code validity}. */
  public static ThrowawayCa create(Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive");
    }
    SecureRandom random = new SecureRandom();
    KeyPair keys = newKeyPair(random);
    byte[] tag = new byte[6];
    random.nextBytes(tag);
    X500Name name = cn("Jointly throwaway CA " + HexFormat.of().formatHex(tag));
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(b, keys, random);
      return new ThrowawayCa(random, keys, cert, validity);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /** The CA certificate: the trust root every party configures. */
  public X509Certificate certificate() {
    return caCertificate;
  }

  /** A fresh key pair and certificate for {@code party}, in memory. */
  public PartyCredentials issue(String party) {
    Names.party(party);
    KeyPair keys = newKeyPair(random);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(validity)),
                  cn(party),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(caCertificate));
      if (!party.contains("_")) { // a dNSName admits letters, digits, '-' and '.'
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, party)));
      }
      X509Certificate cert = sign(b, caKeys, random);
      return PartyCredentials.of(party, List.of(cert), keys.getPrivate(), List.of(caCertificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate", e);
    }
  }

  /**
   * Writes {@code ca.crt} and, for each party, {@code NAME.crt} and {@code NAME.key} (PKCS#8, POSIX
   * mode 600) into {@code directory}, creating it if needed. Refuses to overwrite a key file.
   */
  public void writeFiles(Path directory, Collection<String> parties) throws IOException {
    Set<String> names = new LinkedHashSet<>(parties);
    names.forEach(Names::party);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("name at least one party");
    }
    Files.createDirectories(directory);
    for (String p : names) {
      if (Files.exists(directory.resolve(p + ".key"))) {
        throw new IOException(directory.resolve(p + ".key") + " exists; refusing to overwrite a key");
      }
    }
    Pem.writeCertificates(directory.resolve(PartyCredentials.CA_FILE), List.of(caCertificate));
    for (String p : names) {
      PartyCredentials c = issue(p);
      Pem.writePrivateKey(directory.resolve(p + ".key"), c.privateKey(SecretAccess.insecure()));
      Pem.writeCertificates(directory.resolve(p + ".crt"), c.certificateChain());
    }
  }

  @Override
  public String toString() {
    return "ThrowawayCa[" + caCertificate.getSubjectX500Principal().getName() + ", key redacted]";
  }

  private static X500Name cn(String name) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer, SecureRandom random)
      throws CertificateException {
    try {
      ContentSigner s =
          new JcaContentSignerBuilder("SHA256withECDSA")
              .setSecureRandom(random)
              .build(Objects.requireNonNull(signer.getPrivate()));
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (OperatorCreationException e) {
      throw new CertificateException("cannot sign", e);
    }
  }
}
