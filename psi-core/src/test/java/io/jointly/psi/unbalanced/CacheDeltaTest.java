package io.jointly.psi.unbalanced;

import static io.jointly.psi.unbalanced.CacheFixture.output;
import static io.jointly.psi.unbalanced.CacheFixture.phone;
import static io.jointly.psi.unbalanced.CacheFixture.phones;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import io.jointly.psi.InvalidIdPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental updates through the server's store and the client's copy: add, remove, then query;
 * a delta chain applied in order; deltas of another encoding or out of order refused; damaged
 * delta files refused.
 */
class CacheDeltaTest {
  @TempDir Path dir;
  private OprfServerStore store;
  private CacheEncoder encoder;

  @BeforeEach
  void setUp() throws Exception {
    store = OprfServerStore.open(dir.resolve("server"), KeySealingTest.fastPassphrase());
    encoder = CacheFixture.encoder(dir);
    store.encode(encoder, CacheFixture.spec(), IdentifierSource.of(phones(0, 300)), false);
  }

  private Path clientCopy(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.copy(store.current().cacheFile(), p);
    return p;
  }

  @Test
  void update_addRemoveThenQuery_clientCopyFollows() throws Exception {
    Path v0 = clientCopy("v0.jocache");
    OprfServerStore.Update u1 =
        store.update(encoder, IdentifierSource.of(phones(300, 20)), IdentifierSource.of(phones(0, 10)), InvalidIdPolicy.FAIL);
    assertThat(u1.header().version()).isEqualTo(1);
    assertThat(u1.header().count()).isEqualTo(310);
    assertThat(u1.added()).isEqualTo(20);
    assertThat(u1.removed()).isEqualTo(10);
    // Already-present additions and absent removals are ignored and counted.
    OprfServerStore.Update u2 =
        store.update(
            encoder,
            IdentifierSource.of(List.of(phone(100), phone(400))),
            IdentifierSource.of(List.of(phone(5), phone(11))),
            InvalidIdPolicy.FAIL);
    assertThat(u2.alreadyPresent()).isEqualTo(1);
    assertThat(u2.notPresent()).isEqualTo(1);
    assertThat(u2.header().count()).isEqualTo(310);

    Path v1 = dir.resolve("v1.jocache");
    Path v2 = dir.resolve("v2.jocache");
    try (OprfCache c0 = OprfCache.open(v0)) {
      CacheDelta.read(u1.deltaFile()).apply(c0, v1);
    }
    try (OprfCache c1 = OprfCache.open(v1)) {
      CacheDelta.read(u2.deltaFile()).apply(c1, v2);
    }
    var key = store.current().key();
    try (OprfCache c = OprfCache.open(v2)) {
      assertThat(c.header()).isEqualTo(store.current().header());
      assertThat(Files.readAllBytes(v2)).isEqualTo(Files.readAllBytes(store.current().cacheFile()));
      for (int i = 0; i < 420; i++) {
        boolean expected = (i >= 10 && i < 320 && i != 11) || i == 400;
        assertThat(c.containsOutput(output(key, phone(i)))).as("phone %d", i).isEqualTo(expected);
      }
    }
  }

  @Test
  void apply_outOfOrderOrAlreadyApplied_isACacheMismatch() throws Exception {
    Path v0 = clientCopy("v0.jocache");
    OprfServerStore.Update u1 =
        store.update(encoder, IdentifierSource.of(phones(300, 5)), IdentifierSource.of(List.of()), InvalidIdPolicy.FAIL);
    OprfServerStore.Update u2 =
        store.update(encoder, IdentifierSource.of(phones(305, 5)), IdentifierSource.of(List.of()), InvalidIdPolicy.FAIL);
    try (OprfCache c0 = OprfCache.open(v0)) {
      assertMismatch(() -> CacheDelta.read(u2.deltaFile()).apply(c0, dir.resolve("x")), "apply the deltas before it");
    }
    Path v1 = dir.resolve("v1.jocache");
    try (OprfCache c0 = OprfCache.open(v0)) {
      CacheDelta.read(u1.deltaFile()).apply(c0, v1);
    }
    try (OprfCache c1 = OprfCache.open(v1)) {
      assertMismatch(() -> CacheDelta.read(u1.deltaFile()).apply(c1, dir.resolve("y")), "already applied");
    }
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void apply_deltaOfAnotherEncoding_isACacheMismatch() throws Exception {
    Path old = clientCopy("old.jocache");
    // Re-encoding (same key, new lineage) and rotating (new key) both start a new lineage.
    store.encode(encoder, CacheFixture.spec(), IdentifierSource.of(phones(0, 300)), false);
    OprfServerStore.Update u =
        store.update(encoder, IdentifierSource.of(phones(300, 5)), IdentifierSource.of(List.of()), InvalidIdPolicy.FAIL);
    try (OprfCache c = OprfCache.open(old)) {
      assertThat(c.header().keyId()).isEqualTo(store.current().header().keyId());
      assertMismatch(() -> CacheDelta.read(u.deltaFile()).apply(c, dir.resolve("x")), "is for server partner");
    }
  }

  @Test
  void update_itemBothAddedAndRemoved_isRefusedAndStateUnchanged() throws Exception {
    CacheHeader before = store.current().header();
    assertThatThrownBy(
            () ->
                store.update(
                    encoder, IdentifierSource.of(List.of(phone(500))), IdentifierSource.of(List.of(phone(500))),
                    InvalidIdPolicy.FAIL))
        .isInstanceOfSatisfying(
            InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_INPUT));
    assertThat(store.current().header()).isEqualTo(before);
  }

  @Test
  void read_damagedDelta_isMalformed() throws Exception {
    OprfServerStore.Update u =
        store.update(encoder, IdentifierSource.of(phones(300, 5)), IdentifierSource.of(phones(0, 5)), InvalidIdPolicy.FAIL);
    byte[] good = Files.readAllBytes(u.deltaFile());
    Path cut = dir.resolve("cut.jodelta");
    Files.write(cut, java.util.Arrays.copyOf(good, good.length - 3));
    Path flipped = dir.resolve("flipped.jodelta");
    byte[] f = good.clone();
    f[90] ^= 4;
    Files.write(flipped, f);
    Path cache = dir.resolve("cache-as-delta");
    Files.copy(store.current().cacheFile(), cache);
    for (Path p : List.of(cut, flipped, cache)) {
      assertThatThrownBy(() -> CacheDelta.read(p))
          .isInstanceOfSatisfying(
              InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.MALFORMED_FILE));
    }
  }

  private static void assertMismatch(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String fragment) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.CACHE_MISMATCH);
              assertThat(e.getMessage()).contains(fragment);
            });
  }
}
