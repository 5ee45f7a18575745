package io.jointly.psi.unbalanced;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.oprf.OprfKey;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads the server's cache, or only what changed: a client with a cache of the server's
 * current encoding receives the deltas from its version on and applies them ({@link
 * CacheDelta#apply}); a client without a cache, with one of an older key or encoding, or one the
 * server no longer has deltas for, receives the whole current cache. Over an authenticated channel
 * to the server, which charges no evaluation for it.
 *
 * <p>Bounded: the server announces every file's length first; the client refuses a plan beyond its
 * {@code maxBytes}, writes chunks (at most 4 MiB each) to disk as they arrive, checks the transcript,
 * then checks every file in full (digest, structure, that it is the announced version of the
 * authenticated server) before it replaces the cache file atomically. A failed download leaves the
 * previous cache in place and no partial file behind.
 *
 * <p>Stateless; each call uses its own temporary files beside the cache file.
 */
public final class CacheFetch {
  private CacheFetch() {}

  /** Largest number of deltas in one plan. */
  static final int MAX_FILES = 1 << 16;

  /**
   * What a fetch did.
   *
   * @param header the cache's header now (the server's current version)
   * @param full whether the whole cache was downloaded (else deltas, possibly none)
   * @param files files received
   * @param bytes bytes of those files
   * @param traffic bytes and messages on the channel
   * @param elapsed wall time
   */
  public record Result(CacheHeader header, boolean full, int files, long bytes, ChannelStats traffic, Duration elapsed) {}

  /**
   * Brings {@code cacheFile} (which may not exist yet) to the server's current version.
   *
   * @param maxBytes the most this party accepts to download
   * @throws InputException {@code CACHE_MISMATCH} if the existing cache is of another server,
   *     {@code MALFORMED_FILE} if it or a received file is damaged
   * @throws io.jointly.core.ProtocolAbortException if the server's plan or data are malformed or
   *     exceed {@code maxBytes}, or the transcript differs
   */
  public static Result run(Path cacheFile, UnbalancedPsiParameters params, long maxBytes, MessageChannel channel)
      throws JointlyException, IOException {
    long start = System.nanoTime();
    CacheHeader have = null;
    if (Files.exists(cacheFile)) {
      try (OprfCache c = OprfCache.open(cacheFile)) {
        have = c.header();
      }
      if (!have.serverName().equals(channel.peer())) {
        throw new InputException(
            InputException.Kind.CACHE_MISMATCH,
            -1,
            cacheFile + " is a cache of server " + have.serverName() + ", not of " + channel.peer()
                + "; name another file");
      }
    }
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Bytes zero = Bytes.wrap(new byte[16]);
    ClientHello hello =
        new ClientHello(
            ClientHello.VERSION,
            Wire.Mode.FETCH,
            OprfSuite.RISTRETTO255_SHA512,
            have == null ? IdentifierProfile.RAW : have.profile(),
            have == null ? 1 : have.keyColumns(),
            have == null ? zero : have.keyId(),
            have == null ? zero : have.lineage(),
            have == null ? 0 : have.version(),
            0,
            1,
            0,
            params.purpose());
    tx.send(Wire.Round.HELLO.key(0), hello.encode());
    ServerHello server = ServerHello.decode(tx.receive(Wire.Round.HELLO.key(0), params.receiveTimeout()));
    Abort.unless(server.mode() == Wire.Mode.FETCH && server.status() == Wire.Status.OK, HANDSHAKE_MISMATCH,
        "the server did not accept the download (" + server.status() + ")");
    Abort.unless(server.keyId().length() == OprfKey.KEY_ID_LENGTH, HANDSHAKE_MISMATCH, "server key id is malformed");

    Bytes planBytes = tx.receive(Wire.Round.FETCH_PLAN.key(0), params.receiveTimeout());
    Abort.unlessWellFormed(planBytes.length() >= 5, "FETCH_PLAN has " + planBytes.length() + " bytes");
    ByteBuffer plan = ByteBuffer.wrap(planBytes.toByteArray());
    int kind = plan.get();
    int count = plan.getInt();
    boolean full = kind == 1;
    Abort.unlessWellFormed(kind == 0 || kind == 1, "FETCH_PLAN has an unknown kind");
    Abort.unlessWellFormed(count >= 0 && count <= MAX_FILES && planBytes.length() == 5 + 8L * count,
        "FETCH_PLAN announces " + count + " files in " + planBytes.length() + " bytes");
    Abort.unlessWellFormed(!full || count == 1, "FETCH_PLAN of a whole cache announces " + count + " files");
    Abort.unlessWellFormed(
        full || (have != null && server.keyId().equals(have.keyId()) && server.lineage().equals(have.lineage())
            && count == server.cacheVersion() - have.version()),
        "FETCH_PLAN of deltas does not lead from this party's cache to the server's version");
    long[] lengths = new long[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      lengths[i] = plan.getLong();
      Abort.unlessWellFormed(lengths[i] > 0, "FETCH_PLAN announces an empty file");
      total += lengths[i];
      Abort.unless(total <= maxBytes, io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED,
          "the download would exceed this party's limit of " + maxBytes + " bytes");
    }

    List<Path> received = new ArrayList<>();
    Path dir = cacheFile.toAbsolutePath().getParent();
    String base = cacheFile.getFileName().toString();
    try {
      int chunk = 0;
      for (int i = 0; i < count; i++) {
        Path f = dir.resolve(base + ".fetch-" + i + ".partial");
        received.add(f);
        try (OutputStream out = Files.newOutputStream(f)) {
          long left = lengths[i];
          while (left > 0) {
            Bytes data = tx.receive(Wire.Round.FETCH_DATA.key(chunk), params.receiveTimeout());
            Abort.unlessWellFormed(
                data.length() > 0 && data.length() <= Wire.FETCH_CHUNK && data.length() <= left,
                "FETCH_DATA chunk " + chunk + " has " + data.length() + " bytes");
            out.write(data.toByteArray());
            left -= data.length();
            chunk++;
          }
        }
      }
      tx.confirm(Wire.Round.CONFIRM.key(0), params.receiveTimeout());

      Path result;
      CacheHeader now;
      if (full) {
        result = received.get(0);
        try (OprfCache c = OprfCache.open(result)) {
          now = c.header();
        }
      } else {
        result = cacheFile;
        now = have;
        for (int i = 0; i < count; i++) {
          CacheDelta d = CacheDelta.read(received.get(i));
          Path next = dir.resolve(base + ".applied-" + i + ".partial");
          try (OprfCache c = OprfCache.open(result)) {
            now = d.apply(c, next);
          }
          if (!result.equals(cacheFile)) {
            Files.deleteIfExists(result);
          }
          received.add(next);
          result = next;
        }
      }
      if (!now.serverName().equals(channel.peer()) || !now.keyId().equals(server.keyId())
          || !now.lineage().equals(server.lineage()) || now.version() != server.cacheVersion()
          || now.count() != server.serverSetSize()) {
        throw new InputException(
            InputException.Kind.CACHE_MISMATCH, -1, "the downloaded cache is not the one the server announced");
      }
      if (!result.equals(cacheFile)) {
        Files.move(result, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Result(now, full, count, total, counting.stats(), Duration.ofNanos(System.nanoTime() - start));
    } finally {
      for (Path p : received) {
        Files.deleteIfExists(p);
      }
    }
  }
}
