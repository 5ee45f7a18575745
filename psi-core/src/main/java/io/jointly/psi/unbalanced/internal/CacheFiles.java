package io.jointly.psi.unbalanced.internal;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.unbalanced.CacheHeader;
import io.jointly.psi.unbalanced.CacheLayout;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The binary layout shared by cache and delta files (all integers big-endian):
 *
 * <pre>
 * magic          8   "JOPRFC01" (cache) or "JOPRFD01" (delta)
 * suite          1   OPRF suite wire code
 * profile        1   normalisation profile wire code
 * key columns    1
 * capacity log2  1   k; the entry layout follows from it ({@link CacheLayout})
 * server name    1 + n  length, then ASCII
 * key id        16
 * lineage       16
 * version        8
 * count          8   entries in the cache (of a delta: after applying it)
 * created        8   epoch seconds
 * ... body ...
 * digest        32   SHA-256 of every byte before it
 * </pre>
 *
 * A cache's body is the bucket table ({@code 2^p + 1} unsigned 32-bit cumulative counts) and
 * {@code count} entries of {@code r} bytes, sorted by bucket and then remainder. A delta's body is
 * the version it applies to (8), the numbers of added and removed entries (8 + 8) and then the
 * entries themselves, each as bucket (4) and remainder (r), both lists strictly increasing.
 *
 * <p>Every read check names the file and what is wrong, never a value.
 */
public final class CacheFiles {
  private CacheFiles() {}

  /** Magic of a cache file. */
  public static final byte[] CACHE_MAGIC = "JOPRFC01".getBytes(StandardCharsets.US_ASCII);

  /** Magic of a delta file. */
  public static final byte[] DELTA_MAGIC = "JOPRFD01".getBytes(StandardCharsets.US_ASCII);

  /** Length of the trailing digest. */
  public static final int DIGEST_LENGTH = 32;

  /** Bytes of the header of {@code h}. */
  public static int headerLength(CacheHeader h) {
    return 8 + 4 + 1 + h.serverName().length() + 16 + 16 + 8 + 8 + 8;
  }

  /** The encoded header, magic first. */
  public static byte[] encodeHeader(byte[] magic, CacheHeader h) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(headerLength(h));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(magic);
      out.writeByte(h.suite().wireCode());
      out.writeByte(h.profile().wireCode());
      out.writeByte(h.keyColumns());
      out.writeByte(h.layout().capacityLog2());
      byte[] name = h.serverName().getBytes(StandardCharsets.US_ASCII);
      out.writeByte(name.length);
      out.write(name);
      out.write(h.keyId().toByteArray());
      out.write(h.lineage().toByteArray());
      out.writeLong(h.version());
      out.writeLong(h.count());
      out.writeLong(h.created().getEpochSecond());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads and checks a header.
   *
   * @throws InputException {@code MALFORMED_FILE} naming {@code file} if the header is truncated,
   *     of another kind or version, or holds a value out of range
   */
  public static CacheHeader readHeader(DataInputStream in, byte[] magic, Path file, String kind)
      throws InputException, IOException {
    try {
      byte[] m = new byte[8];
      in.readFully(m);
      if (!Arrays.equals(m, magic)) {
        throw malformed(file, "is not a Jointly OPRF " + kind + " file of format 1");
      }
      int suiteCode = in.readUnsignedByte();
      int profileCode = in.readUnsignedByte();
      int keyColumns = in.readUnsignedByte();
      int k = in.readUnsignedByte();
      int nameLength = in.readUnsignedByte();
      byte[] name = new byte[nameLength];
      in.readFully(name);
      byte[] keyId = new byte[16];
      in.readFully(keyId);
      byte[] lineage = new byte[16];
      in.readFully(lineage);
      long version = in.readLong();
      long count = in.readLong();
      long created = in.readLong();
      OprfSuite suite = OprfSuite.fromWireCode(suiteCode);
      IdentifierProfile profile = IdentifierProfile.fromWireCode(profileCode);
      if (suite == null) {
        throw malformed(file, "names an unknown OPRF suite (" + suiteCode + ")");
      }
      if (profile == null) {
        throw malformed(file, "names an unknown normalisation profile (" + profileCode + ")");
      }
      if (k < CacheLayout.MIN_CAPACITY_LOG2 || k > CacheLayout.MAX_CAPACITY_LOG2) {
        throw malformed(file, "has a capacity of 2^" + k + ", outside the supported range");
      }
      try {
        return new CacheHeader(
            suite,
            profile,
            keyColumns,
            CacheLayout.forCapacityLog2(k),
            new String(name, StandardCharsets.US_ASCII),
            Bytes.wrap(keyId),
            Bytes.wrap(lineage),
            version,
            count,
            Instant.ofEpochSecond(created));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw malformed(file, "has an invalid header: " + e.getMessage());
      }
    } catch (EOFException e) {
      throw malformed(file, "is truncated inside its header");
    }
  }

  /**
   * Checks that the last 32 bytes of the file are the SHA-256 of everything before them, reading
   * the file once.
   *
   * @throws InputException {@code MALFORMED_FILE} if the file is shorter than a digest or the
   *     digest differs (altered or truncated)
   */
  public static void verifyDigest(Path file, String kind) throws InputException, IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < DIGEST_LENGTH) {
        throw malformed(file, "is too short to be a " + kind + " file");
      }
      MessageDigest d = sha256();
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long remaining = size - DIGEST_LENGTH;
      long pos = 0;
      while (remaining > 0) {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), remaining));
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw malformed(file, "ended while it was read");
        }
        buf.flip();
        d.update(buf);
        pos += n;
        remaining -= n;
      }
      ByteBuffer stored = ByteBuffer.allocate(DIGEST_LENGTH);
      while (stored.hasRemaining()) {
        if (ch.read(stored, pos + stored.position()) < 0) {
          throw malformed(file, "ended while it was read");
        }
      }
      if (!MessageDigest.isEqual(d.digest(), stored.array())) {
        throw malformed(file, "fails its integrity check (altered or truncated)");
      }
    }
  }

  /** Appends the SHA-256 of the file's current contents to it and forces it to disk. */
  public static void appendDigest(FileChannel ch) throws IOException {
    MessageDigest d = sha256();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long size = ch.size();
    long pos = 0;
    while (pos < size) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new EOFException("file shrank while its digest was computed");
      }
      buf.flip();
      d.update(buf);
      pos += n;
    }
    ByteBuffer digest = ByteBuffer.wrap(d.digest());
    while (digest.hasRemaining()) {
      ch.write(digest, size + digest.position());
    }
    ch.force(true);
  }

  /** Reads an unsigned big-endian integer of {@code width} bytes (1..8). */
  public static long readUnsigned(InputStream in, int width) throws IOException {
    long v = 0;
    for (int i = 0; i < width; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      v = (v << 8) | b;
    }
    return v;
  }

  /** Writes the low {@code width} bytes of {@code v}, big-endian. */
  public static void writeUnsigned(byte[] out, int offset, long v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      out[offset + i] = (byte) v;
      v >>>= 8;
    }
  }

  public static InputException malformed(Path file, String what) {
    return new InputException(InputException.Kind.MALFORMED_FILE, -1, file + " " + what);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
