package io.jointly.transport;

import io.jointly.core.SecretAccess;
import io.jointly.transport.internal.CertificateIdentities;
import io.jointly.transport.internal.Names;
import io.jointly.transport.internal.Pem;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One party's TLS identity: its name, its certificate chain (leaf first), its private key, and the
 * trust roots its peers' certificates must chain to. Checked when built: the leaf names the party
 * (subject CN or SAN {@code dNSName}), the chain validates to the trust roots, and the key belongs
 * to the leaf.
 *
 * <p>Two ways to get one: {@link ThrowawayCa#issue} for trials and tests, or {@link #fromPem} /
 * {@link #fromPemDirectory} for files issued by the deployment's own CA.
 *
 * <p>The private key leaves this object only with a {@link SecretAccess} token; {@code toString}
 * is redacted. Immutable and thread-safe.
 */
public final class PartyCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(PartyCredentials.class);

  /** File name of the trust root in a PEM directory. */
  public static final String CA_FILE = "ca.crt";

  private final String party;
  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final List<X509Certificate> trustRoots;

  private PartyCredentials(
      String party, List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trustRoots) {
    this.party = party;
    this.chain = chain;
    this.key = key;
    this.trustRoots = trustRoots;
  }

  /**
   * Credentials from objects in memory.
   *
   * @throws IllegalArgumentException if the leaf does not name the party, the chain does not
   *     validate to the trust roots, or the key does not belong to the leaf
   */
  public static PartyCredentials of(
      String party,
      List<X509Certificate> certificateChain,
      PrivateKey privateKey,
      List<X509Certificate> trustRoots) {
    Names.party(party);
    List<X509Certificate> chain = List.copyOf(certificateChain);
    List<X509Certificate> roots = List.copyOf(trustRoots);
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty() || roots.isEmpty()) {
      throw new IllegalArgumentException("need a certificate chain and at least one trust root");
    }
    Set<String> names = CertificateIdentities.of(chain.get(0));
    if (!names.contains(party)) {
      throw new IllegalArgumentException(
          "the certificate names " + names + " but not the party '" + party + "'");
    }
    validateChain(chain, roots);
    checkKeyMatches(privateKey, chain.get(0).getPublicKey());
    return new PartyCredentials(party, chain, privateKey, roots);
  }

  /**
   * Credentials from PEM files: the trust root(s), this party's certificate (optionally followed by
   * intermediate certificates) and its unencrypted private key (PKCS#8 or traditional EC/RSA).
   *
   * @throws IOException if a file cannot be read or parsed
   * @throws IllegalArgumentException if the files do not belong together (see {@link #of})
   */
  public static PartyCredentials fromPem(
      String party, Path trustRootsPem, Path certificateChainPem, Path privateKeyPem)
      throws IOException {
    warnIfKeyIsShared(privateKeyPem);
    return of(
        party,
        Pem.readCertificates(certificateChainPem),
        Pem.readPrivateKey(privateKeyPem),
        Pem.readCertificates(trustRootsPem));
  }

  /**
   * Credentials from a directory laid out as {@link ThrowawayCa#writeFiles} writes it: {@code
   * ca.crt}, {@code PARTY.crt}, {@code PARTY.key}.
   */
  public static PartyCredentials fromPemDirectory(Path directory, String party)
      throws IOException {
    Names.party(party);
    return fromPem(
        party,
        directory.resolve(CA_FILE),
        directory.resolve(party + ".crt"),
        directory.resolve(party + ".key"));
  }

  /** The party these credentials identify. */
  public String party() {
    return party;
  }

  /** The certificate chain, leaf first. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** The roots a peer's certificate must chain to. */
  public List<X509Certificate> trustRoots() {
    return trustRoots;
  }

  /** The private key. Each call site is a place where the key leaves its holder: review it. */
  public PrivateKey privateKey(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return key;
  }

  @Override
  public String toString() {
    return "PartyCredentials[party=" + party + ", private key redacted]";
  }

  private static void validateChain(List<X509Certificate> chain, List<X509Certificate> roots) {
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate r : roots) {
        anchors.add(new TrustAnchor(r, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      // A chain that includes its own root is fine: drop certificates that are anchors.
      List<X509Certificate> path =
          chain.stream().filter(c -> !roots.contains(c)).toList();
      CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the certificate chain does not validate to the trust root: " + e.getMessage());
    }
  }

  private static void checkKeyMatches(PrivateKey key, PublicKey pub) {
    String alg =
        switch (pub.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> throw new IllegalArgumentException(
              "unsupported certificate key algorithm " + pub.getAlgorithm());
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(challenge);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(pub);
      verifier.update(challenge);
      if (!verifier.verify(sig)) {
        throw new IllegalArgumentException("the private key does not belong to the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
  }

  private static void warnIfKeyIsShared(Path keyFile) {
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
        if (perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ)) {
          LOG.warn("private key file {} is readable by group or others; restrict it (chmod 600)", keyFile);
        }
      }
    } catch (IOException e) {
      // reading the key will report the problem
    }
  }
}
