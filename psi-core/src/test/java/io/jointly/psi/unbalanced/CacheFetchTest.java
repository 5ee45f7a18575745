package io.jointly.psi.unbalanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.InvalidIdPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloading the cache: whole at first, then only the deltas, whole again after a key rotation;
 * a cache of another server and a download beyond the limit refused, leaving the old cache intact.
 */
@Timeout(60)
class CacheFetchTest {
  @TempDir Path dir;

  private static CacheFetch.Result fetch(ServerFixture f, Path cache, long maxBytes, String server) throws Exception {
    return TwoPartyRun.run(
            InMemoryChannel.pair("fetch", server, "bank"),
            ch -> f.server.serve(ch),
            ch -> CacheFetch.run(cache, ServerFixture.clientParams(ServerFixture.PURPOSE), maxBytes, ch),
            Duration.ofSeconds(30))
        .second()
        .value();
  }

  @Test
  void fetch_wholeThenDeltasThenWholeAfterRotation() throws Exception {
    try (ServerFixture f = ServerFixture.withSet(dir, CacheFixture.phones(0, 200))) {
      Path cache = dir.resolve("partner.jocache");
      CacheFetch.Result first = fetch(f, cache, 1 << 30, "partner");
      assertThat(first.full()).isTrue();
      assertThat(Files.readAllBytes(cache)).isEqualTo(Files.readAllBytes(f.store.current().cacheFile()));

      f.store.update(f.encoder, IdentifierSource.of(CacheFixture.phones(200, 10)), IdentifierSource.of(List.of()), InvalidIdPolicy.FAIL);
      f.store.update(f.encoder, IdentifierSource.of(List.of()), IdentifierSource.of(CacheFixture.phones(0, 5)), InvalidIdPolicy.FAIL);
      CacheFetch.Result second = fetch(f, cache, 1 << 30, "partner");
      assertThat(second.full()).isFalse();
      assertThat(second.files()).isEqualTo(2);
      assertThat(second.header().version()).isEqualTo(2);
      assertThat(second.bytes()).isLessThan(first.bytes());
      assertThat(Files.readAllBytes(cache)).isEqualTo(Files.readAllBytes(f.store.current().cacheFile()));

      CacheFetch.Result none = fetch(f, cache, 1 << 30, "partner");
      assertThat(none.files()).isZero();

      f.store.encode(f.encoder, CacheFixture.spec(), IdentifierSource.of(CacheFixture.phones(0, 200)), true);
      CacheFetch.Result rotated = fetch(f, cache, 1 << 30, "partner");
      assertThat(rotated.full()).isTrue();
      assertThat(rotated.header().keyId()).isEqualTo(f.store.current().key().keyId());
      try (var files = Files.list(dir)) {
        assertThat(files.filter(p -> p.toString().endsWith(".partial"))).isEmpty();
      }
    }
  }

  @Test
  void fetch_beyondLimitOrOtherServersCache_refusedAndOldCacheKept() throws Exception {
    try (ServerFixture f = ServerFixture.withSet(dir, CacheFixture.phones(0, 200))) {
      Path cache = dir.resolve("partner.jocache");
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("fetch", "partner", "bank"),
              ch -> f.server.serve(ch),
              ch -> CacheFetch.run(cache, ServerFixture.clientParams(ServerFixture.PURPOSE), 1000, ch),
              Duration.ofSeconds(30));
      assertThat(o.second().failure())
          .isInstanceOfSatisfying(
              ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
      assertThat(cache).doesNotExist();

      fetch(f, cache, 1 << 30, "partner");
      byte[] before = Files.readAllBytes(cache);
      assertThatThrownBy(() -> fetch(f, cache, 1 << 30, "other-partner"))
          .isInstanceOfSatisfying(
              InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.CACHE_MISMATCH));
      assertThat(Files.readAllBytes(cache)).isEqualTo(before);
    }
  }
}
