package io.jointly.psi.unbalanced;

import static io.jointly.psi.unbalanced.CacheFixture.output;
import static io.jointly.psi.unbalanced.CacheFixture.phone;
import static io.jointly.psi.unbalanced.CacheFixture.phones;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import io.jointly.oprf.OprfKey;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline encoding and the cache file: layout and false-positive arithmetic, membership of
 * every encoded item, duplicates and invalid rows, and a typed {@code MALFORMED_FILE} for every
 * kind of damaged file.
 */
class OprfCacheTest {
  @TempDir Path dir;

  @Test
  void layout_everyCapacity_keepsTheFalsePositiveBound() {
    for (int k = CacheLayout.MIN_CAPACITY_LOG2; k <= CacheLayout.MAX_CAPACITY_LOG2; k++) {
      CacheLayout l = CacheLayout.forCapacityLog2(k);
      assertThat(l.entryBits()).isGreaterThanOrEqualTo(40 + k);
      assertThat(l.falsePositiveBound(l.capacity())).isLessThanOrEqualTo(Math.scalb(1.0, -40));
      assertThat(l.remainderBytes()).isEqualTo(6);
    }
    CacheLayout l24 = CacheLayout.forItems(1L << 24);
    assertThat(l24.capacityLog2()).isEqualTo(25);
    assertThat(l24.prefixBits()).isEqualTo(19);
    // 6 bytes per entry plus 4 · 2^19 table bytes over 2^24 entries
    assertThat(6 + (double) l24.tableBytes() / (1 << 24)).isLessThan(6.13);
  }

  @Test
  void layout_truncation_takesPrefixThenRemainderBits() {
    CacheLayout l = CacheLayout.forCapacityLog2(20); // p = 14, r = 6
    long hi = 0xABCD_EF01_2345_6789L;
    long lo = 0xFEDC_BA98_7654_3210L;
    assertThat(l.bucketOf(hi)).isEqualTo((int) (hi >>> 50));
    long next48 = ((hi << 14) | (lo >>> 50)) >>> 16;
    assertThat(l.remainderOf(hi, lo)).isEqualTo(next48);
  }

  @Test
  void encode_set_containsEveryItemAndNoOther() throws Exception {
    OprfKey key = CacheFixture.key();
    List<String> set = phones(0, 600);
    Path file = dir.resolve("c.jocache");
    CacheEncoder.Result r =
        CacheFixture.encoder(dir).encode(key, CacheFixture.spec(), IdentifierSource.of(set), file);
    assertThat(r.header().count()).isEqualTo(600);
    assertThat(r.header().version()).isZero();
    assertThat(r.header().keyId()).isEqualTo(key.keyId());
    try (OprfCache cache = OprfCache.open(file)) {
      for (String p : set) {
        assertThat(cache.containsOutput(output(key, p))).isTrue();
      }
      for (int i = 600; i < 900; i++) {
        assertThat(cache.containsOutput(output(key, phone(i)))).isFalse();
      }
    }
    assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith("oprf-encode-"))).isEmpty();
  }

  @Test
  void encode_duplicatesAndInvalidRows_keptOnceAndSkippedOrRefused() throws Exception {
    OprfKey key = CacheFixture.key();
    List<String> rows = new ArrayList<>(phones(0, 50));
    rows.add("+86 139-0000-0001"); // the same customer as phone(1)
    rows.add("not a phone");
    Path file = dir.resolve("c.jocache");
    CacheSpec skip = new CacheSpec("partner", IdentifierProfile.PHONE, 1, InvalidIdPolicy.SKIP, 0);
    CacheEncoder.Result r = CacheFixture.encoder(dir).encode(key, skip, IdentifierSource.of(rows), file);
    assertThat(r.header().count()).isEqualTo(50);
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.invalidRowsSkipped()).isEqualTo(1);

    Path other = dir.resolve("d.jocache");
    assertThatThrownBy(
            () -> CacheFixture.encoder(dir).encode(key, CacheFixture.spec(), IdentifierSource.of(rows), other))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_IDENTIFIER);
              assertThat(e.row()).isEqualTo(52);
              assertThat(e.getMessage()).doesNotContain("not a phone");
            });
    assertThat(other).doesNotExist();
    assertThat(dir.resolve("d.jocache.partial")).doesNotExist();
  }

  @Test
  void encode_emptySet_givesAnEmptyCache() throws Exception {
    Path file = dir.resolve("c.jocache");
    CacheFixture.encoder(dir).encode(CacheFixture.key(), CacheFixture.spec(), IdentifierSource.of(List.of()), file);
    try (OprfCache cache = OprfCache.open(file)) {
      assertThat(cache.size()).isZero();
      assertThat(cache.containsOutput(output(CacheFixture.key(), phone(1)))).isFalse();
    }
  }

  @Test
  void encode_beyondCapacity_isAnInputError() {
    CacheSpec tiny = new CacheSpec("partner", IdentifierProfile.PHONE, 1, InvalidIdPolicy.FAIL, 10);
    assertThatThrownBy(
            () ->
                CacheFixture.encoder(dir)
                    .encode(CacheFixture.key(), tiny, IdentifierSource.of(phones(0, 1025)), dir.resolve("c")))
        .isInstanceOfSatisfying(
            InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_INPUT));
  }

  @Test
  void open_damagedFiles_areMalformedFileErrors() throws Exception {
    Path file = dir.resolve("c.jocache");
    CacheFixture.encoder(dir).encode(CacheFixture.key(), CacheFixture.spec(), IdentifierSource.of(phones(0, 100)), file);
    byte[] good = Files.readAllBytes(file);

    assertMalformed(write("truncated", java.util.Arrays.copyOf(good, good.length - 7)), "truncated or padded");
    assertMalformed(write("header-only", java.util.Arrays.copyOf(good, 20)), "truncated");
    byte[] flipped = good.clone();
    flipped[good.length - 100] ^= 1;
    assertMalformed(write("flipped", flipped), "integrity");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertMalformed(write("magic", magic), "not a Jointly OPRF cache");
    assertMalformed(write("empty", new byte[0]), "");
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static void assertMalformed(Path p, String fragment) {
    assertThatThrownBy(() -> OprfCache.open(p))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.MALFORMED_FILE);
              assertThat(e.getMessage()).contains(p.toString()).contains(fragment);
            });
  }

  @Test
  void open_unsortedEntriesWithAValidDigest_isRefused() throws Exception {
    Path file = dir.resolve("c.jocache");
    CacheFixture.encoder(dir).encode(CacheFixture.key(), CacheFixture.spec(), IdentifierSource.of(phones(0, 3000)), file);
    CacheHeader h;
    try (OprfCache c = OprfCache.open(file)) {
      h = c.header();
    }
    long entries = io.jointly.psi.unbalanced.internal.CacheFiles.headerLength(h) + h.layout().tableBytes();
    // Swap two neighbouring entries of one bucket and re-seal the digest: only the order check finds it.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      int r = h.layout().remainderBytes();
      byte[] a = new byte[r];
      byte[] b = new byte[r];
      long firstBucketWithTwo = findBucketWithTwo(file, h);
      raf.seek(entries + firstBucketWithTwo * r);
      raf.readFully(a);
      raf.readFully(b);
      raf.seek(entries + firstBucketWithTwo * r);
      raf.write(b);
      raf.write(a);
      raf.setLength(raf.length() - 32);
    }
    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      io.jointly.psi.unbalanced.internal.CacheFiles.appendDigest(ch);
    }
    assertMalformed(file, "out of order");
  }

  private static long findBucketWithTwo(Path file, CacheHeader h) throws Exception {
    try (OprfCache c = OprfCache.open(file)) {
      for (int b = 0; b < h.layout().buckets(); b++) {
        if (c.tableAt(b + 1) - c.tableAt(b) >= 2) {
          return c.tableAt(b);
        }
      }
    }
    throw new AssertionError("no bucket with two entries");
  }
}
