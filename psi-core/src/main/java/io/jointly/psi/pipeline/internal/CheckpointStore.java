package io.jointly.psi.pipeline.internal;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.SecretAccess;
import io.jointly.psi.pipeline.CheckpointKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A run's checkpoint file: everything a resumed run needs that is not in its work files, sealed
 * with AES-256-GCM under a key derived from the operator's {@link CheckpointKey} (PBKDF2-HMAC-SHA256,
 * {@value #PBKDF2_ITERATIONS} iterations, a random salt per run). It binds the protocol, the role,
 * the parameters and the input digest; the work files' key and epoch; the prepared set's counts and
 * lengths; and the protocol's own state (its secret scalar among it). It is rewritten atomically
 * (temporary file, force, rename) at each checkpoint.
 *
 * <pre>
 * file := "JCKP" version(u16) salt(16) nonce(12) AES-GCM(body, aad = everything before it)
 * </pre>
 */
public final class CheckpointStore {
  static final String FILE = "checkpoint";
  static final int PBKDF2_ITERATIONS = 310_000;
  private static final int MAGIC = 0x4A434B50; // "JCKP"
  private static final int VERSION = 1;

  /** What a checkpoint binds a run to; a resumed run must present the same. */
  public record Binding(String protocol, int role, Bytes settingsDigest) {}

  /** The contents of a checkpoint. */
  public static final class Contents {
    public Binding binding;
    public Bytes inputDigest;
    public byte[] workKey;
    public int epoch;
    public long rows;
    public long distinct;
    public long invalid;
    public long duplicates;
    public long itemsBytes;
    public long rowsBytes;
    /** The protocol's state; empty until the protocol has agreed a run with the peer. */
    public byte[] protocolState = new byte[0];

    /** Zeroes the secrets held here. */
    public void destroy() {
      if (workKey != null) {
        Arrays.fill(workKey, (byte) 0);
      }
      Arrays.fill(protocolState, (byte) 0);
    }
  }

  private final WorkDir dir;
  private final String origin;
  private final byte[] salt;
  private final SecretKey key;
  private final SecureRandom random;

  private CheckpointStore(WorkDir dir, String origin, byte[] salt, SecretKey key, SecureRandom random) {
    this.dir = dir;
    this.origin = origin;
    this.salt = salt;
    this.key = key;
    this.random = random;
  }

  /** A store for a new run (fresh salt). */
  public static CheckpointStore fresh(WorkDir dir, CheckpointKey operatorKey, SecureRandom random) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return new CheckpointStore(dir, operatorKey.origin(), salt, derive(operatorKey, salt), random);
  }

  private static SecretKey derive(CheckpointKey operatorKey, byte[] salt) {
    byte[] secret = operatorKey.secret(SecretAccess.insecure());
    char[] chars = new char[secret.length];
    for (int i = 0; i < secret.length; i++) {
      chars[i] = (char) (secret[i] & 0xFF);
    }
    Arrays.fill(secret, (byte) 0);
    PBEKeySpec spec = new PBEKeySpec(chars, salt, PBKDF2_ITERATIONS, 256);
    try {
      byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      SecretKey sk = new SecretKeySpec(k, "AES");
      Arrays.fill(k, (byte) 0);
      return sk;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2-HMAC-SHA256 is required of every Java platform", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  /** The same store writing into {@code newDir} (the directory after {@link WorkDir#adopt}). */
  public CheckpointStore in(WorkDir newDir) {
    return new CheckpointStore(newDir, origin, salt, key, random);
  }

  /** Whether {@code dir} holds a checkpoint file. */
  public static boolean exists(WorkDir dir) throws IOException {
    return dir.readSmall(FILE) != null;
  }

  /** The result of opening an existing checkpoint: the store (to write later ones) and contents. */
  public record Opened(CheckpointStore store, Contents contents) {}

  /**
   * Opens the checkpoint in {@code dir}.
   *
   * @throws InputException ({@code CHECKPOINT}) if there is none, it is not one, or it does not
   *     open with this key (another key, or altered)
   */
  public static Opened open(WorkDir dir, CheckpointKey operatorKey, SecureRandom random) throws InputException {
    byte[] file;
    try {
      file = dir.readSmall(FILE);
    } catch (IOException e) {
      throw refused(dir, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (file == null) {
      throw new InputException(
          InputException.Kind.CHECKPOINT, -1, "there is no checkpoint to resume in " + dir.path());
    }
    int headerBytes = 4 + 2 + 16 + 12;
    if (file.length < headerBytes + 16
        || SealedFile.getInt(file, 0) != MAGIC
        || (((file[4] & 0xFF) << 8) | (file[5] & 0xFF)) != VERSION) {
      throw refused(dir, "is not a checkpoint of this version of Jointly");
    }
    byte[] salt = Arrays.copyOfRange(file, 6, 22);
    byte[] nonce = Arrays.copyOfRange(file, 22, 34);
    SecretKey key = derive(operatorKey, salt);
    byte[] body;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(file, 0, headerBytes);
      body = c.doFinal(file, headerBytes, file.length - headerBytes);
    } catch (GeneralSecurityException e) {
      throw refused(
          dir,
          "cannot be opened with the key from " + operatorKey.origin()
              + ": it was sealed under another key, or it was altered");
    }
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
      Contents ct = new Contents();
      String protocol = in.readUTF();
      int role = in.readUnsignedByte();
      ct.binding = new Binding(protocol, role, Bytes.wrap(readBytes(in)));
      ct.inputDigest = Bytes.wrap(readBytes(in));
      ct.workKey = readBytes(in);
      ct.epoch = in.readInt();
      ct.rows = in.readLong();
      ct.distinct = in.readLong();
      ct.invalid = in.readLong();
      ct.duplicates = in.readLong();
      ct.itemsBytes = in.readLong();
      ct.rowsBytes = in.readLong();
      ct.protocolState = readBytes(in);
      return new Opened(new CheckpointStore(dir, operatorKey.origin(), salt, key, random), ct);
    } catch (IOException e) {
      throw refused(dir, "is damaged");
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  private static InputException refused(WorkDir dir, String why) {
    return new InputException(InputException.Kind.CHECKPOINT, -1, "the checkpoint in " + dir.path() + " " + why);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (64 << 20)) {
      throw new IOException("bad length");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  /** Seals and writes {@code ct} atomically. */
  public void write(Contents ct) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + ct.protocolState.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(ct.binding.protocol());
      out.writeByte(ct.binding.role());
      writeBytes(out, ct.binding.settingsDigest().toByteArray());
      writeBytes(out, ct.inputDigest.toByteArray());
      writeBytes(out, ct.workKey);
      out.writeInt(ct.epoch);
      out.writeLong(ct.rows);
      out.writeLong(ct.distinct);
      out.writeLong(ct.invalid);
      out.writeLong(ct.duplicates);
      out.writeLong(ct.itemsBytes);
      out.writeLong(ct.rowsBytes);
      writeBytes(out, ct.protocolState);
    }
    byte[] body = bytes.toByteArray();
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    int headerBytes = 4 + 2 + 16 + 12;
    byte[] file = new byte[headerBytes + body.length + 16];
    SealedFile.putInt(file, 0, MAGIC);
    file[4] = (byte) (VERSION >>> 8);
    file[5] = (byte) VERSION;
    System.arraycopy(salt, 0, file, 6, 16);
    System.arraycopy(nonce, 0, file, 22, 12);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(file, 0, headerBytes);
      c.doFinal(body, 0, body.length, file, headerBytes);
    } catch (GeneralSecurityException e) {
      throw new IOException("sealing the checkpoint failed", e);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    dir.writeAtomically(FILE, file);
  }

  /** Where the operator's key came from, for messages. */
  public String keyOrigin() {
    return origin;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
