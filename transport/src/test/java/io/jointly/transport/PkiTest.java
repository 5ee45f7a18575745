package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.SecretAccess;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throwaway CA and loading of user-supplied PEM files. */
class PkiTest {
  @TempDir Path dir;

  @Test
  void writeFiles_writesCaAndPerPartyPemWithOwnerOnlyKeys() throws Exception {
    ThrowawayCa.create().writeFiles(dir, List.of("bank", "partner"));
    assertThat(dir.resolve("ca.crt")).exists();
    for (String p : List.of("bank", "partner")) {
      assertThat(Files.readString(dir.resolve(p + ".crt"))).startsWith("-----BEGIN CERTIFICATE-----");
      Path key = dir.resolve(p + ".key");
      assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
      PartyCredentials c = PartyCredentials.fromPemDirectory(dir, p);
      assertThat(c.party()).isEqualTo(p);
      X509Certificate leaf = c.certificateChain().get(0);
      assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + p);
      assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, p));
      assertThat(c.trustRoots()).hasSize(1);
    }
  }

  @Test
  void writeFiles_keyExists_refusesToOverwrite() throws Exception {
    ThrowawayCa.create().writeFiles(dir, List.of("bank"));
    String before = Files.readString(dir.resolve("bank.key"));
    assertThatThrownBy(() -> ThrowawayCa.create().writeFiles(dir, List.of("bank")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refusing to overwrite");
    assertThat(Files.readString(dir.resolve("bank.key"))).isEqualTo(before);
  }

  @Test
  void fromPem_traditionalEcKeyOfTheCertificate_loads() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    PartyCredentials issued = ca.issue("bank");
    Files.writeString(dir.resolve("ca.crt"), pem(ca.certificate()));
    Files.writeString(dir.resolve("bank.crt"), pem(issued.certificateChain().get(0)));
    // "EC PRIVATE KEY" (SEC 1 with the curve's parameters), as openssl ecparam -genkey writes it
    PrivateKeyInfo pkcs8 =
        PrivateKeyInfo.getInstance(issued.privateKey(SecretAccess.insecure()).getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(256, inner.getKey(), pkcs8.getPrivateKeyAlgorithm().getParameters());
    StringWriter w = new StringWriter();
    try (PemWriter pw = new PemWriter(w)) {
      pw.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    Files.writeString(dir.resolve("bank.key"), w.toString());
    assertThat(PartyCredentials.fromPemDirectory(dir, "bank").party()).isEqualTo("bank");
  }

  @Test
  void fromPem_keyOfAnotherCertificate_rejected() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    ca.writeFiles(dir, List.of("bank", "partner"));
    assertThatThrownBy(
            () ->
                PartyCredentials.fromPem(
                    "bank", dir.resolve("ca.crt"), dir.resolve("bank.crt"), dir.resolve("partner.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void fromPem_certificateForAnotherParty_rejected() throws Exception {
    ThrowawayCa.create().writeFiles(dir, List.of("bank"));
    assertThatThrownBy(
            () ->
                PartyCredentials.fromPem(
                    "partner", dir.resolve("ca.crt"), dir.resolve("bank.crt"), dir.resolve("bank.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the party 'partner'");
  }

  @Test
  void fromPem_certificateFromAnotherCa_rejected() throws Exception {
    ThrowawayCa.create().writeFiles(dir, List.of("bank"));
    Files.writeString(dir.resolve("ca.crt"), pem(ThrowawayCa.create().certificate()));
    assertThatThrownBy(() -> PartyCredentials.fromPemDirectory(dir, "bank"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not validate to the trust root");
  }

  @Test
  void fromPem_encryptedKey_rejectedWithAdvice() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create();
    ca.writeFiles(dir, List.of("bank"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(
          new JcaPKCS8Generator(
              kp.getPrivate(),
              new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                  .setProvider(new BouncyCastleProvider()) // an instance: no global registration
                  .setPassword("secret".toCharArray())
                  .build()));
    }
    Path key = dir.resolve("encrypted.key");
    Files.writeString(key, w.toString());
    assertThatThrownBy(
            () -> PartyCredentials.fromPem("bank", dir.resolve("ca.crt"), dir.resolve("bank.crt"), key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("encrypted private keys are not supported");
  }

  @Test
  void fromPem_notPem_rejected() throws Exception {
    Path junk = dir.resolve("junk.crt");
    Files.writeString(junk, "hello");
    assertThatThrownBy(() -> PartyCredentials.fromPem("bank", junk, junk, junk))
        .isInstanceOf(IOException.class);
  }

  @Test
  void toString_neverShowsKeyMaterial() {
    PartyCredentials c = ThrowawayCa.create().issue("bank");
    PrivateKey key = c.privateKey(SecretAccess.insecure());
    String hex = java.util.HexFormat.of().formatHex(key.getEncoded());
    assertThat(c.toString()).contains("redacted").doesNotContain(hex.substring(hex.length() - 16));
    assertThat(TransportSecurity.mutualTls(c).toString()).contains("redacted");
    assertThat(ThrowawayCa.create().toString()).contains("redacted");
  }

  private static String pem(X509Certificate cert) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(cert);
    }
    return w.toString();
  }
}
