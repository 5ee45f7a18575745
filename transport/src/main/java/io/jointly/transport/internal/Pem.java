package io.jointly.transport.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reading and writing PEM files with Bouncy Castle's pkix: certificates ({@code CERTIFICATE}) and
 * unencrypted private keys (PKCS#8 {@code PRIVATE KEY}, or the traditional {@code EC PRIVATE KEY}
 * and {@code RSA PRIVATE KEY}). Private keys are written PKCS#8 into files readable by the owner
 * only. Error messages name files and PEM types, never key material.
 */
public final class Pem {
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private Pem() {}

  /** Every certificate in the file, in file order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          certs.add(converter.getCertificate(holder));
        } else {
          throw new IOException(
              file + ": expected only CERTIFICATE blocks, found " + o.getClass().getSimpleName());
        }
      }
    } catch (CertificateException | RuntimeException e) {
      throw new IOException(file + ": not a readable PEM certificate file", e);
    }
    if (certs.isEmpty()) {
      throw new IOException(file + ": no PEM certificate found");
    }
    return List.copyOf(certs);
  }

  /** The single unencrypted private key in the file. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    Object o;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      o = parser.readObject();
      if (o == null) {
        throw new IOException(file + ": no PEM private key found");
      }
      if (parser.readObject() != null) {
        throw new IOException(file + ": expected exactly one PEM block");
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable PEM private key file");
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
      throw new IOException(
          file
              + ": encrypted private keys are not supported; decrypt it into a file readable only"
              + " by the owner (for example: openssl pkcs8 -topk8 -nocrypt)");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": unsupported private key algorithm or encoding");
    }
    throw new IOException(file + ": expected a PRIVATE KEY block, found " + o.getClass().getSimpleName());
  }

  /** The PEM text of certificates, in order. */
  public static String certificatesToPem(List<X509Certificate> certs) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      for (X509Certificate c : certs) {
        writer.writeObject(new PemObject("CERTIFICATE", c.getEncoded()));
      }
    } catch (IOException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
    return out.toString();
  }

  /** Writes certificates to a new or replaced file (public data: default permissions). */
  public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
    Files.writeString(file, certificatesToPem(certs), StandardCharsets.US_ASCII);
  }

  /**
   * Writes a private key as PKCS#8 PEM to a new file that only its owner may read and write
   * (POSIX mode 600, set when the file is created, so the key is never readable by others). Refuses
   * to overwrite an existing file.
   */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new IOException("the private key cannot be exported");
    }
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Set<StandardOpenOption> open =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (SeekableByteChannel ch =
            posix
                ? Files.newByteChannel(
                    file, open, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                : Files.newByteChannel(file, open);
        Writer w = Channels.newWriter(ch, StandardCharsets.US_ASCII);
        PemWriter writer = new PemWriter(w)) {
      writer.writeObject(new PemObject("PRIVATE KEY", encoded));
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
    if (posix) {
      Files.setPosixFilePermissions(file, OWNER_READ_WRITE); // independent of the umask
    } else {
      ownerOnlyBestEffort(file);
    }
  }

  private static void ownerOnlyBestEffort(Path file) {
    java.io.File f = file.toFile();
    boolean ok =
        f.setReadable(false, false)
            && f.setReadable(true, true)
            && f.setWritable(false, false)
            && f.setWritable(true, true);
    if (!ok) {
      throw new IllegalStateException("cannot restrict permissions of " + file);
    }
  }
}
