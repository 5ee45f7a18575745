package io.jointly.compliance;

import io.jointly.compliance.internal.Certificates;
import io.jointly.compliance.internal.Signatures;
import io.jointly.core.Bytes;
import io.jointly.core.SecretAccess;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A party's signing identity for receipts: its name, its certificate chain (leaf first) and the
 * private key of the leaf: the same certificate and key it authenticates with in mutual TLS. The
 * key never leaves this object; {@code toString} is redacted.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigningIdentity {
  private final String party;
  private final CertificateChain chain;
  private final PrivateKey key;
  private final PublicKey publicKey;
  private final String algorithm;

  private SigningIdentity(String party, CertificateChain chain, PrivateKey key, PublicKey publicKey, String algorithm) {
    this.party = party;
    this.chain = chain;
    this.key = key;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
  }

  /**
   * The identity of {@code party} with this chain and key. The access token marks the call site as
   * one where a private key changes hands.
   *
   * @throws IllegalArgumentException if the leaf does not name the party, its key kind is not
   *     supported, or the key does not belong to the leaf
   */
  public static SigningIdentity of(
      String party, List<X509Certificate> chain, PrivateKey key, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a signing identity needs a certificate");
    }
    X509Certificate leaf = chain.get(0);
    if (!Certificates.names(leaf).contains(party)) {
      throw new IllegalArgumentException(
          "the certificate names " + Certificates.names(leaf) + " but not the party '" + party + "'");
    }
    PublicKey pub = leaf.getPublicKey();
    String algorithm = Signatures.algorithmFor(pub);
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Bytes c = Bytes.wrap(challenge);
    if (!Signatures.verify(algorithm, pub, c, Signatures.sign(algorithm, key, c))) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
    return new SigningIdentity(party, CertificateChain.of(chain), key, pub, algorithm);
  }

  /** The party. */
  public String party() {
    return party;
  }

  /** The certificate chain, leaf first. */
  public CertificateChain chain() {
    return chain;
  }

  /** The signature algorithm the key implies. */
  public String algorithm() {
    return algorithm;
  }

  /** This party's signature over {@code message}. */
  public PartySignature sign(Bytes message) {
    return new PartySignature(party, algorithm, Signatures.sign(algorithm, key, message));
  }

  /** Whether {@code signature} is this identity's over {@code message}. */
  boolean verifies(Bytes message, PartySignature signature) {
    return signature.algorithm().equals(algorithm)
        && Signatures.verify(algorithm, publicKey, message, signature.value());
  }

  @Override
  public String toString() {
    return "SigningIdentity[party=" + party + ", private key redacted]";
  }
}
