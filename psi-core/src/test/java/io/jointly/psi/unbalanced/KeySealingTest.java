package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import io.jointly.core.SecretAccess;
import io.jointly.oprf.OprfKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sealed key file: round trips under a passphrase and a key file, never the key in plain form
 * on disk, owner-only permissions, and typed refusals of a wrong secret, an altered file and a
 * file that is not a sealed key.
 */
class KeySealingTest {
  @TempDir Path dir;

  /** A passphrase sealing with a cheap Argon2id cost, for tests only. */
  static KeySealing fastPassphrase() {
    return KeySealing.passphrase("correct horse battery".toCharArray(), new KeySealing.Argon2Cost(256, 1, 1));
  }

  @Test
  void passphrase_roundTrip_keepsKeyAndNeverWritesItPlain() throws Exception {
    OprfKey key = CacheFixture.key();
    Path file = dir.resolve("k.sealed");
    fastPassphrase().write(file, key, "partner");
    byte[] onDisk = Files.readAllBytes(file);
    String plainHex = HexFormat.of().formatHex(key.toBytes(SecretAccess.insecure()));
    assertThat(HexFormat.of().formatHex(onDisk)).doesNotContain(plainHex);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    KeySealing.SealedKey back = fastPassphrase().read(file);
    assertThat(back.key().keyId()).isEqualTo(key.keyId());
    assertThat(back.key().toBytes(SecretAccess.insecure())).isEqualTo(key.toBytes(SecretAccess.insecure()));
    assertThat(back.serverName()).isEqualTo("partner");
  }

  @Test
  void keyFile_roundTrip_andShortFileRefused() throws Exception {
    Path kek = dir.resolve("kek");
    byte[] secret = new byte[32];
    CacheFixture.RANDOM.nextBytes(secret);
    Files.write(kek, secret);
    OprfKey key = CacheFixture.key();
    Path file = dir.resolve("k.sealed");
    KeySealing.keyFile(kek).write(file, key, "partner");
    assertThat(KeySealing.keyFile(kek).read(file).key().keyId()).isEqualTo(key.keyId());

    Files.write(dir.resolve("short"), new byte[31]);
    assertThatThrownBy(() -> KeySealing.keyFile(dir.resolve("short")))
        .isInstanceOfSatisfying(
            InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_INPUT));
  }

  @Test
  void read_wrongSecretOrAlteredOrForeignFile_isTypedError() throws Exception {
    OprfKey key = CacheFixture.key();
    Path file = dir.resolve("k.sealed");
    fastPassphrase().write(file, key, "partner");
    KeySealing wrong = KeySealing.passphrase("incorrect horse battery".toCharArray(), new KeySealing.Argon2Cost(256, 1, 1));
    assertThatThrownBy(() -> wrong.read(file))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_INPUT);
              assertThat(e.getMessage()).contains("cannot be unsealed");
            });
    byte[] altered = Files.readAllBytes(file);
    altered[altered.length - 60] ^= 1; // inside the authenticated header (server name / time)
    Files.write(dir.resolve("altered"), altered);
    assertThatThrownBy(() -> fastPassphrase().read(dir.resolve("altered"))).isInstanceOf(InputException.class);
    Files.writeString(dir.resolve("foreign"), "-----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(() -> fastPassphrase().read(dir.resolve("foreign")))
        .isInstanceOfSatisfying(
            InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.MALFORMED_FILE));
  }

  @Test
  void passphrase_tooShort_isRefused_andSealingPrintsRedacted() {
    assertThatThrownBy(() -> KeySealing.passphrase("short".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fastPassphrase().toString()).contains("redacted").doesNotContain("horse");
  }
}
