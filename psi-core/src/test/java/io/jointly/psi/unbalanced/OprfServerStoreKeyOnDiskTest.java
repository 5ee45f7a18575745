package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.SecretAccess;
import io.jointly.oprf.OprfKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's OPRF key never reaches the disk in plain form: after encoding, an update (a delta)
 * and a key rotation, no file the store or the encoder's work directory holds — sealed keys,
 * caches, deltas, pointers, spills — contains the bytes of the current key or of the rotated-out
 * one, and the sealed key files are readable by their owner only.
 */
class OprfServerStoreKeyOnDiskTest {

  @Test
  void encodeUpdateRotate_noFileEverHoldsAKeyInPlain() throws Exception {
    Path dir = Files.createTempDirectory("oprf-key-on-disk");
    try {
      OprfServerStore store = OprfServerStore.open(dir.resolve("server"), KeySealingTest.fastPassphrase());
      CacheEncoder encoder = CacheFixture.encoder(dir);
      store.encode(encoder, CacheFixture.spec(), IdentifierSource.of(CacheFixture.phones(0, 500)), false);
      OprfKey first = store.current().key();
      store.update(
          encoder,
          IdentifierSource.of(CacheFixture.phones(500, 20)),
          IdentifierSource.of(CacheFixture.phones(0, 10)),
          io.jointly.psi.InvalidIdPolicy.FAIL);
      store.encode(encoder, CacheFixture.spec(), IdentifierSource.of(CacheFixture.phones(0, 300)), true);
      OprfKey second = store.current().key();
      assertThat(second.keyId()).isNotEqualTo(first.keyId());

      List<String> secrets = new ArrayList<>();
      for (OprfKey k : List.of(first, second)) {
        byte[] b = k.toBytes(SecretAccess.insecure());
        secrets.add(HexFormat.of().formatHex(b));
        byte[] reversed = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
          reversed[i] = b[b.length - 1 - i];
        }
        secrets.add(HexFormat.of().formatHex(reversed)); // big-endian too
      }
      int files = 0;
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
          String hex = HexFormat.of().formatHex(Files.readAllBytes(p));
          for (String s : secrets) {
            assertThat(hex).as("%s", dir.relativize(p)).doesNotContain(s);
          }
          files++;
        }
      }
      assertThat(files).isGreaterThanOrEqualTo(4);
    } finally {
      CacheEncoder.deleteTree(dir);
    }
  }
}
