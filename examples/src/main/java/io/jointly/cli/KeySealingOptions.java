package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.INPUT;

import io.jointly.cli.HelpLayout.In;
import io.jointly.core.InputException;
import io.jointly.psi.unbalanced.KeySealing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How the server's OPRF key is sealed on disk: under a passphrase read from an environment
 * variable (never from the command line, which other users can see), or under a key file a KMS or
 * secret store provides. Shared by {@code jointly oprf encode}, {@code update} and {@code serve}.
 */
final class KeySealingOptions {
  static final class Source {
    @In(INPUT)
    @Option(
        names = "--key-passphrase-env",
        paramLabel = "VAR",
        description = "Seal the OPRF key under the passphrase in environment variable VAR (Argon2id, 64 MiB); never on the command line, where other users can see it.")
    String passphraseEnv;

    @In(INPUT)
    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description = "Seal the OPRF key under this owner-only file of at least 32 random bytes (HKDF), for example from a KMS.")
    Path keyFile;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** The sealing; a missing or short secret is a usage or input error naming the option. */
  KeySealing sealing() throws CliException {
    if (source.passphraseEnv != null) {
      String value = System.getenv(source.passphraseEnv);
      if (value == null || value.isEmpty()) {
        throw new CliException(
            CliException.USAGE, "--key-passphrase-env: environment variable " + source.passphraseEnv + " is not set");
      }
      try {
        return KeySealing.passphrase(value.toCharArray());
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, "--key-passphrase-env: " + e.getMessage());
      }
    }
    Path f = source.keyFile;
    try {
      if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
          throw CliException.input("--key-file " + f + " is readable by other users; make it owner-only (chmod 600)");
        }
      }
      return KeySealing.keyFile(f);
    } catch (java.nio.file.NoSuchFileException e) {
      throw CliException.input("--key-file " + f + " does not exist");
    } catch (IOException e) {
      throw CliException.input("--key-file " + f + ": " + e.getMessage());
    } catch (InputException e) {
      throw CliException.input("--key-file: " + e.getMessage());
    }
  }
}
