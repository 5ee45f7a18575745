package io.jointly.psi.pipeline;

import io.jointly.core.InputException;
import io.jointly.core.SecretAccess;
import io.jointly.core.SecretBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The operator's secret that checkpoints are sealed under: the bytes of a key file, a passphrase
 * file, or the party's TLS private key file. The sealing key is derived from it with PBKDF2 (a
 * random salt per run, stored in the checkpoint), so a passphrase works as well as a random key;
 * whoever cannot read the secret cannot read a checkpoint, nor change one unnoticed.
 *
 * <p>Secret: redacted {@code toString}, no {@code equals}; {@link #destroy()} zeroes it.
 */
public final class CheckpointKey {
  /** Fewest bytes a secret may have. */
  public static final int MIN_BYTES = 12;

  private final SecretBytes secret;
  private final String origin;

  private CheckpointKey(SecretBytes secret, String origin) {
    this.secret = secret;
    this.origin = origin;
  }

  /**
   * A key from secret bytes; {@code origin} says where they came from, for messages (for example
   * {@code "tls/bank.key"}), and must not contain the secret.
   */
  public static CheckpointKey of(byte[] secret, String origin) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException("a checkpoint key needs at least " + MIN_BYTES + " bytes");
    }
    return new CheckpointKey(SecretBytes.copyOf(secret, SecretAccess.insecure()), Objects.requireNonNull(origin));
  }

  /**
   * A key from the bytes of a file (a key file, a passphrase file, a TLS private key).
   *
   * @throws InputException ({@code CHECKPOINT}) if the file cannot be read or is too short
   */
  public static CheckpointKey fromFile(Path file) throws InputException {
    byte[] b = null;
    try {
      b = Files.readAllBytes(file);
      if (b.length < MIN_BYTES) {
        throw new InputException(
            InputException.Kind.CHECKPOINT, -1, file + ": a checkpoint key needs at least " + MIN_BYTES + " bytes");
      }
      return new CheckpointKey(SecretBytes.copyOf(b, SecretAccess.insecure()), file.toString());
    } catch (NoSuchFileException e) {
      throw new InputException(InputException.Kind.CHECKPOINT, -1, file + ": no such file");
    } catch (IOException e) {
      throw new InputException(
          InputException.Kind.CHECKPOINT, -1, file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    } finally {
      if (b != null) {
        Arrays.fill(b, (byte) 0);
      }
    }
  }

  /** Where the secret came from (a file name), for messages. */
  public String origin() {
    return origin;
  }

  /** The secret, for the checkpoint sealing only; the caller zeroes the copy. */
  public byte[] secret(SecretAccess access) {
    return secret.toByteArray(access);
  }

  /** Zeroes the secret. */
  public void destroy() {
    secret.destroy();
  }

  @Override
  public String toString() {
    return "CheckpointKey[" + origin + ", redacted]";
  }
}
