package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.SecretAccess;
import io.jointly.core.SecretBytes;
import io.jointly.oprf.OprfKey;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.unbalanced.internal.CacheFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * How the server's OPRF key is kept on disk: never in plain form, always sealed with AES-256-GCM
 * under a key-encryption key (KEK) derived from a secret the operator holds outside the state
 * directory.
 *
 * <ul>
 *   <li>{@link #passphrase}: KEK = Argon2id(passphrase, 16-byte random salt) (RFC 9106), by default
 *       with 64 MiB of memory, 3 passes and 1 lane (RFC 9106 §4, the second recommended option):
 *       an operator types or injects a passphrase; guessing it costs 64 MiB and three passes per
 *       guess.
 *   <li>{@link #keyFile}: KEK = HKDF-SHA256(file contents, salt, "jointly oprf key sealing v1")
 *       (RFC 5869), from a file of at least 32 random bytes that a KMS or secret store provides
 *       (mounted at run time, owner-only): for unattended services.
 * </ul>
 *
 * <p>Why not the party's TLS key: it is also plain on disk (mode 600) and rotates with
 * certificates, which would tie the OPRF key's life (and every client's cache) to certificate
 * renewals; a separate secret keeps the two independent.
 *
 * <p>The sealed file holds, in the clear and authenticated as associated data: the KDF and its
 * parameters, salt, nonce, suite, key id, server name and creation time; then the 32-byte key
 * encrypted, with its 16-byte tag. A wrong secret or an altered file fails authentication and
 * nothing is decrypted ({@link InputException} {@code INVALID_INPUT}); a file that is not a sealed
 * key is {@code MALFORMED_FILE}. A fresh salt and nonce are drawn for every sealing.
 *
 * <p>Immutable and thread-safe; the secret is held in a {@link SecretBytes} and printed redacted.
 */
public final class KeySealing {
  private static final byte[] MAGIC = "JOPRFK01".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HKDF_INFO = "jointly oprf key sealing v1".getBytes(StandardCharsets.US_ASCII);
  private static final int KDF_ARGON2ID = 1;
  private static final int KDF_HKDF_FILE = 2;
  private static final int SALT = 16;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  /**
   * Argon2id cost parameters.
   *
   * @param memoryKiB memory per guess, in KiB (at least 8 · lanes)
   * @param iterations passes over the memory (at least 1)
   * @param lanes parallelism (1..16)
   */
  public record Argon2Cost(int memoryKiB, int iterations, int lanes) {
    /** RFC 9106 §4, second recommended option: 64 MiB, 3 passes, and here 1 lane. */
    public static final Argon2Cost DEFAULT = new Argon2Cost(64 * 1024, 3, 1);

    public Argon2Cost {
      if (lanes < 1 || lanes > 16 || iterations < 1 || iterations > 64 || memoryKiB < 8 * lanes
          || memoryKiB > 4 * 1024 * 1024) {
        throw new IllegalArgumentException("Argon2id cost out of range");
      }
    }
  }

  private final int kdf;
  private final SecretBytes secret;
  private final Argon2Cost cost;
  private final SecureRandom random;

  private KeySealing(int kdf, SecretBytes secret, Argon2Cost cost, SecureRandom random) {
    this.kdf = kdf;
    this.secret = secret;
    this.cost = cost;
    this.random = random;
  }

  /** Sealing under a passphrase with {@link Argon2Cost#DEFAULT}. */
  public static KeySealing passphrase(char[] passphrase) {
    return passphrase(passphrase, Argon2Cost.DEFAULT);
  }

  /**
   * Sealing under a passphrase with the given Argon2id cost (unsealing uses the cost stored in
   * the file). The passphrase is copied; the caller should clear its array.
   *
   * @throws IllegalArgumentException if the passphrase has fewer than 12 characters
   */
  public static KeySealing passphrase(char[] passphrase, Argon2Cost cost) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length < 12) {
      throw new IllegalArgumentException("a sealing passphrase needs at least 12 characters");
    }
    java.nio.ByteBuffer utf8 = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] exact = new byte[utf8.remaining()];
    utf8.get(exact);
    Arrays.fill(utf8.array(), (byte) 0);
    try {
      return new KeySealing(KDF_ARGON2ID, SecretBytes.copyOf(exact, SecretAccess.insecure()),
          Objects.requireNonNull(cost), new SecureRandom());
    } finally {
      Arrays.fill(exact, (byte) 0);
    }
  }

  /**
   * Sealing under the contents of a key file (a KMS-provided secret of at least 32 bytes).
   *
   * @throws InputException {@code INVALID_INPUT} if the file holds fewer than 32 bytes
   * @throws IOException if it cannot be read
   */
  public static KeySealing keyFile(Path file) throws InputException, IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      if (bytes.length < 32) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, file + " holds " + bytes.length + " bytes; a sealing key file needs at least 32");
      }
      return new KeySealing(KDF_HKDF_FILE, SecretBytes.copyOf(bytes, SecretAccess.insecure()), null, new SecureRandom());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Seals {@code key} for {@code serverName} and writes it to {@code file} (owner-only, atomic). */
  public void write(Path file, OprfKey key, String serverName) throws IOException {
    byte[] sealed = seal(key, serverName, Instant.now());
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    try {
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(
            tmp,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      Files.write(tmp, sealed);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads and unseals the key in {@code file}.
   *
   * @throws InputException {@code MALFORMED_FILE} if the file is not a sealed key, {@code
   *     INVALID_INPUT} if the secret is wrong or the file was altered
   */
  public SealedKey read(Path file) throws InputException, IOException {
    return unseal(Files.readAllBytes(file), file);
  }

  /**
   * An unsealed key with what its file says about it.
   *
   * @param key the key (the caller destroys it when done)
   * @param serverName the server it was sealed for
   * @param created when it was sealed
   */
  public record SealedKey(OprfKey key, String serverName, Instant created) {}

  byte[] seal(OprfKey key, String serverName, Instant created) {
    byte[] salt = new byte[SALT];
    byte[] nonce = new byte[NONCE];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(head)) {
      out.write(MAGIC);
      out.writeByte(kdf);
      out.writeInt(kdf == KDF_ARGON2ID ? cost.memoryKiB() : 0);
      out.writeInt(kdf == KDF_ARGON2ID ? cost.iterations() : 0);
      out.writeByte(kdf == KDF_ARGON2ID ? cost.lanes() : 0);
      out.write(salt);
      out.write(nonce);
      out.writeByte(key.suite().wireCode());
      out.write(key.keyId().toByteArray());
      byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
      out.writeByte(name.length);
      out.write(name);
      out.writeLong(created.getEpochSecond());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    byte[] aad = head.toByteArray();
    byte[] kek = deriveKek(kdf, salt, kdf == KDF_ARGON2ID ? cost : null);
    byte[] plain = key.toBytes(SecretAccess.insecure());
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plain);
      byte[] out = Arrays.copyOf(aad, aad.length + ct.length);
      System.arraycopy(ct, 0, out, aad.length, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is required of every Java platform", e);
    } finally {
      Arrays.fill(kek, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
  }

  SealedKey unseal(byte[] sealed, Path file) throws InputException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(sealed))) {
      byte[] magic = new byte[8];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw CacheFiles.malformed(file, "is not a sealed Jointly OPRF key");
      }
      int fileKdf = in.readUnsignedByte();
      int memory = in.readInt();
      int iterations = in.readInt();
      int lanes = in.readUnsignedByte();
      byte[] salt = new byte[SALT];
      in.readFully(salt);
      byte[] nonce = new byte[NONCE];
      in.readFully(nonce);
      OprfSuite suite = OprfSuite.fromWireCode(in.readUnsignedByte());
      byte[] keyId = new byte[OprfKey.KEY_ID_LENGTH];
      in.readFully(keyId);
      byte[] name = new byte[in.readUnsignedByte()];
      in.readFully(name);
      long created = in.readLong();
      int aadLength = sealed.length - in.available();
      int ctLength = in.available();
      if (suite == null || ctLength != 32 + TAG_BITS / 8) {
        throw CacheFiles.malformed(file, "has an unknown suite or a ciphertext of the wrong length");
      }
      if (fileKdf != kdf) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            -1,
            file + " was sealed with " + (fileKdf == KDF_ARGON2ID ? "a passphrase" : "a key file")
                + ", not with " + (kdf == KDF_ARGON2ID ? "a passphrase" : "a key file"));
      }
      Argon2Cost fileCost;
      try {
        fileCost = fileKdf == KDF_ARGON2ID ? new Argon2Cost(memory, iterations, lanes) : null;
      } catch (IllegalArgumentException e) {
        throw CacheFiles.malformed(file, "names Argon2id costs out of range");
      }
      byte[] kek = deriveKek(fileKdf, salt, fileCost);
      byte[] plain = null;
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(sealed, 0, aadLength);
        plain = c.doFinal(sealed, aadLength, ctLength);
        OprfKey key;
        try {
          key = OprfKey.fromBytes(suite, plain, SecretAccess.insecure());
        } catch (IllegalArgumentException e) {
          throw CacheFiles.malformed(file, "holds a sealed value that is not a key");
        }
        if (!key.keyId().equals(Bytes.wrap(keyId))) {
          key.destroy();
          throw CacheFiles.malformed(file, "holds a key whose id differs from the one recorded");
        }
        String server = new String(name, StandardCharsets.US_ASCII);
        return new SealedKey(key, server, Instant.ofEpochSecond(created));
      } catch (AEADBadTagException e) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            -1,
            file + " cannot be unsealed: wrong passphrase or key file, or the file was altered");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-GCM is required of every Java platform", e);
      } finally {
        Arrays.fill(kek, (byte) 0);
        if (plain != null) {
          Arrays.fill(plain, (byte) 0);
        }
      }
    } catch (EOFException e) {
      throw CacheFiles.malformed(file, "is truncated");
    } catch (IOException e) {
      throw new IllegalStateException("reading memory cannot fail", e);
    }
  }

  private byte[] deriveKek(int withKdf, byte[] salt, Argon2Cost withCost) {
    byte[] s = secret.toByteArray(SecretAccess.insecure());
    byte[] kek = new byte[32];
    try {
      if (withKdf == KDF_ARGON2ID) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(
            new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(withCost.memoryKiB())
                .withIterations(withCost.iterations())
                .withParallelism(withCost.lanes())
                .build());
        g.generateBytes(s, kek);
      } else {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(s, salt, HKDF_INFO));
        g.generateBytes(kek, 0, kek.length);
      }
      return kek;
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "KeySealing[" + (kdf == KDF_ARGON2ID ? "passphrase, Argon2id" : "key file, HKDF-SHA256") + ", redacted]";
  }
}
