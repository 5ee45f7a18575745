package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.oprf.OprfKey;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.unbalanced.internal.Items;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's state directory: its sealed OPRF key, the current cache of its set and the deltas
 * that lead to it, so that an encoding run, an update run and a long-running service share one
 * source of truth.
 *
 * <pre>
 * CURRENT                               "key-id lineage version" of the current cache
 * key-KEYID.sealed                      the OPRF key, sealed ({@link KeySealing})
 * cache-LINEAGE-vVERSION.jocache        the current cache (clients download it)
 * delta-LINEAGE-vVERSION.jodelta        the update from VERSION − 1 to VERSION
 * </pre>
 *
 * <p>Every file is written beside its name and renamed into place, and {@code CURRENT} is renamed
 * last, so a reader (the service) sees either the old state or the new one, never a mix, and a
 * crashed run leaves the previous state intact. Writers ({@link #encode}, {@link #update}) hold an
 * exclusive lock on {@code .write-lock} for their run; readers take no lock. {@link #current()}
 * re-reads {@code CURRENT} at most once per second, so a running service follows updates and key
 * rotations made by another process.
 *
 * <p>Key rotation ({@code encode} with {@code rotateKey}) draws a fresh key, encodes the set under
 * it as a new lineage and deletes the old key, cache and deltas: every client cache of the old key
 * is refused from then on ({@code CACHE_MISMATCH}) and clients download the new cache. Outputs
 * clients computed under the old key say nothing about the new one.
 *
 * <p>Thread-safe.
 */
public final class OprfServerStore {
  private static final String CURRENT = "CURRENT";
  private static final Duration RECHECK = Duration.ofSeconds(1);

  private final Path dir;
  private final KeySealing sealing;
  private final SecureRandom random = new SecureRandom();

  private final Object lock = new Object();
  private Snapshot cached; // guarded by lock
  private String cachedPointer; // guarded by lock
  private long checkedAt; // guarded by lock

  private OprfServerStore(Path dir, KeySealing sealing) {
    this.dir = dir;
    this.sealing = sealing;
  }

  /** The store in {@code dir} (created if missing), unsealing keys with {@code sealing}. */
  public static OprfServerStore open(Path dir, KeySealing sealing) throws IOException {
    Files.createDirectories(dir);
    return new OprfServerStore(dir, Objects.requireNonNull(sealing));
  }

  public Path directory() {
    return dir;
  }

  /**
   * The current state: key, cache header and cache file.
   *
   * @param key the unsealed OPRF key (owned by the store: do not destroy it)
   * @param header the current cache's header
   * @param cacheFile the current cache file
   */
  public record Snapshot(OprfKey key, CacheHeader header, Path cacheFile) {}

  /**
   * The current state, re-read from disk if {@code CURRENT} may have changed (at most once per
   * second).
   *
   * @throws InputException {@code INVALID_INPUT} if nothing was encoded yet or the key cannot be
   *     unsealed, {@code MALFORMED_FILE} if a state file is damaged
   */
  public Snapshot current() throws InputException, IOException {
    synchronized (lock) {
      long now = System.nanoTime();
      if (cached != null && now - checkedAt < RECHECK.toNanos()) {
        return cached;
      }
      checkedAt = now;
      String pointer = readPointer();
      if (cached != null && pointer.equals(cachedPointer)) {
        return cached;
      }
      String[] f = pointer.split(" ");
      if (f.length != 3 || !f[0].matches("[0-9a-f]{32}") || !f[1].matches("[0-9a-f]{32}") || !f[2].matches("[0-9]{1,18}")) {
        throw malformed(dir.resolve(CURRENT), "is not a state pointer");
      }
      long version = Long.parseLong(f[2]);
      Path cacheFile = cacheFile(f[1], version);
      CacheHeader header;
      try (OprfCache cache = OprfCache.open(cacheFile)) {
        header = cache.header();
      } catch (java.nio.file.NoSuchFileException e) {
        throw malformed(dir.resolve(CURRENT), "names a cache file that is missing: " + cacheFile.getFileName());
      }
      if (!header.keyId().toHex().equals(f[0]) || !header.lineage().toHex().equals(f[1]) || header.version() != version) {
        throw malformed(cacheFile, "does not match " + CURRENT);
      }
      OprfKey key;
      if (cached != null && cached.key().keyId().equals(header.keyId())) {
        key = cached.key();
      } else {
        KeySealing.SealedKey sealed = sealing.read(keyFile(f[0]));
        key = sealed.key();
        if (!key.keyId().equals(header.keyId())) {
          throw malformed(keyFile(f[0]), "holds another key than its name says");
        }
      }
      cached = new Snapshot(key, header, cacheFile);
      cachedPointer = pointer;
      return cached;
    }
  }

  /** Whether a cache has been encoded in this store. */
  public boolean isInitialised() {
    return Files.exists(dir.resolve(CURRENT));
  }

  private String readPointer() throws InputException, IOException {
    Path p = dir.resolve(CURRENT);
    if (!Files.exists(p)) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, dir + " holds no encoded set yet: encode one first");
    }
    return Files.readString(p, StandardCharsets.US_ASCII).trim();
  }

  /**
   * Encodes a set as the new current cache: under the current key, or under a fresh key if there is
   * none yet or {@code rotateKey} is set. The previous lineage's cache and deltas are removed, and on
   * rotation the previous key.
   *
   * @throws InputException as {@link CacheEncoder#encode}; the previous state is then unchanged
   */
  public CacheEncoder.Result encode(
      CacheEncoder encoder, CacheSpec spec, IdentifierSource source, boolean rotateKey)
      throws InputException, IOException {
    try (WriteLock ignored = writeLock()) {
      Optional<Snapshot> before = isInitialised() ? Optional.of(currentUncached()) : Optional.empty();
      OprfKey key;
      boolean fresh = before.isEmpty() || rotateKey;
      if (fresh) {
        key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, random);
        sealing.write(keyFile(key.keyId().toHex()), key, spec.serverName());
      } else {
        key = before.get().key();
      }
      Path staging = dir.resolve("cache-encoding.jocache");
      CacheEncoder.Result result;
      try {
        result = encoder.encode(key, spec, source, staging);
      } catch (InputException | IOException | RuntimeException e) {
        if (fresh) {
          Files.deleteIfExists(keyFile(key.keyId().toHex()));
        }
        Files.deleteIfExists(staging);
        throw e;
      }
      CacheHeader h = result.header();
      Files.move(staging, cacheFile(h.lineage().toHex(), 0), StandardCopyOption.ATOMIC_MOVE);
      writePointer(h);
      if (before.isPresent()) {
        CacheHeader old = before.get().header();
        deleteLineage(old.lineage().toHex());
        if (!old.keyId().equals(h.keyId())) {
          Files.deleteIfExists(keyFile(old.keyId().toHex()));
        }
      }
      forget();
      return result;
    }
  }

  /**
   * What an update did.
   *
   * @param header the new current cache's header
   * @param added entries added
   * @param removed entries removed
   * @param alreadyPresent requested additions already in the set (ignored)
   * @param notPresent requested removals not in the set (ignored)
   * @param deltaFile the delta clients download to follow
   */
  public record Update(CacheHeader header, long added, long removed, long alreadyPresent, long notPresent, Path deltaFile) {}

  /**
   * Adds and removes identifiers: writes the delta from the current version to the next and the
   * new current cache. Identifiers are normalised with the cache's profile.
   *
   * @throws InputException {@code INVALID_IDENTIFIER} naming a row of {@code adds} or {@code
   *     removes} (under {@code FAIL}), {@code INVALID_INPUT} if the change is too large for a
   *     delta or the capacity
   */
  public Update update(CacheEncoder encoder, IdentifierSource adds, IdentifierSource removes, InvalidIdPolicy invalidIds)
      throws InputException, IOException {
    try (WriteLock ignored = writeLock()) {
      Snapshot s = currentUncached();
      CacheHeader h = s.header();
      byte[][] addItems = read(adds, h, invalidIds, "added");
      byte[][] removeItems = read(removes, h, invalidIds, "removed");
      long[] addPairs = CacheEncoder.join(encoder.evaluate(s.key(), addItems, addItems.length));
      long[] removePairs = CacheEncoder.join(encoder.evaluate(s.key(), removeItems, removeItems.length));
      CacheDelta.Created created;
      try (OprfCache cache = OprfCache.open(s.cacheFile())) {
        created = CacheDelta.create(cache, addPairs, addItems.length, removePairs, removeItems.length);
        CacheDelta delta = created.delta();
        Path deltaFile = deltaFile(h.lineage().toHex(), delta.target().version());
        delta.write(deltaFile);
        Path next = cacheFile(h.lineage().toHex(), delta.target().version());
        CacheHeader target = delta.apply(cache, next);
        writePointer(target);
        Files.deleteIfExists(s.cacheFile());
        forget();
        return new Update(target, delta.added(), delta.removed(), created.alreadyPresent(), created.notPresent(), deltaFile);
      }
    }
  }

  private static byte[][] read(IdentifierSource source, CacheHeader h, InvalidIdPolicy policy, String what)
      throws InputException {
    List<byte[]> out = new ArrayList<>();
    long row = 0;
    for (List<String> values = source.next(); values != null; values = source.next()) {
      row++;
      if (values.size() != h.keyColumns()) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, row, what + " row has " + values.size() + " key values, expected " + h.keyColumns());
      }
      byte[] item = Items.encode(values, h.profile());
      if (item == null) {
        if (policy == InvalidIdPolicy.FAIL) {
          throw new InputException(
              InputException.Kind.INVALID_IDENTIFIER, row, what + " identifier is not a valid " + h.profile().displayName() + " value");
        }
        continue;
      }
      if (out.size() >= CacheDelta.MAX_ENTRIES) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, row, "more than " + CacheDelta.MAX_ENTRIES + " " + what + " identifiers in one update");
      }
      out.add(item);
    }
    return out.toArray(byte[][]::new);
  }

  /** The delta file that leads to {@code version} of {@code lineage}, if this store has it. */
  public Optional<Path> delta(Bytes lineage, long version) {
    Path p = deltaFile(lineage.toHex(), version);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  private Snapshot currentUncached() throws InputException, IOException {
    forget();
    return current();
  }

  private void forget() {
    synchronized (lock) {
      checkedAt = System.nanoTime() - RECHECK.toNanos() - 1;
      cachedPointer = null;
    }
  }

  private void writePointer(CacheHeader h) throws IOException {
    Path tmp = dir.resolve(CURRENT + ".partial");
    Files.writeString(tmp, h.keyId().toHex() + " " + h.lineage().toHex() + " " + h.version() + "\n", StandardCharsets.US_ASCII);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void deleteLineage(String lineage) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*-" + lineage + "-v*")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Path keyFile(String keyIdHex) {
    return dir.resolve("key-" + keyIdHex + ".sealed");
  }

  private Path cacheFile(String lineageHex, long version) {
    return dir.resolve("cache-" + lineageHex + "-v" + version + ".jocache");
  }

  private Path deltaFile(String lineageHex, long version) {
    return dir.resolve("delta-" + lineageHex + "-v" + version + ".jodelta");
  }

  private static InputException malformed(Path file, String what) {
    return new InputException(InputException.Kind.MALFORMED_FILE, -1, file + " " + what);
  }

  /** An exclusive lock of the directory for one writer process and thread. */
  private WriteLock writeLock() throws IOException {
    FileChannel ch =
        FileChannel.open(dir.resolve(".write-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        throw new IOException(dir + " is being updated by another process");
      }
      return new WriteLock(ch, l);
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new IOException(dir + " is being updated by another run in this process");
    }
  }

  private record WriteLock(FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  @Override
  public String toString() {
    return "OprfServerStore[" + dir + "]";
  }
}
