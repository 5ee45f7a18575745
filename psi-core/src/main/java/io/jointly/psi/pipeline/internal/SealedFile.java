package io.jointly.psi.pipeline.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A work file sealed block by block with AES-256-GCM, so that nothing a run writes to its work
 * directory (normalised identifiers, blinded values, row numbers) is on disk in plain form, and any
 * alteration, reordering, swap between files or truncation is detected when it is read back.
 *
 * <pre>
 * file   := "JWF1" fileId(u32) block*
 * block  := plainLength(u32) epoch(u32) ciphertext(plainLength) tag(16)
 * nonce  := fileId(u32) epoch(u32) blockIndex(u32)
 * aad    := fileName(UTF-8) blockIndex(u64) plainLength(u32) epoch(u32)
 * </pre>
 *
 * The work directory's key is fresh per run; the epoch grows with every resume; file ids are unique
 * within an epoch and those of a later epoch are above every earlier one's, so a file continued
 * after a resume (its old id, the new epoch) never shares a nonce with a file created in that epoch:
 * no (key, nonce) pair is ever used twice, even when a resumed run rewrites blocks past its last
 * checkpoint. A reader is told how many plain bytes to expect, so a
 * file cut short is an error, not a shorter input.
 */
public final class SealedFile {
  /** Plain bytes per block (the last block of a flush may be shorter). */
  public static final int BLOCK_BYTES = 1 << 16;

  static final int TAG_BYTES = 16;
  static final int HEADER_BYTES = 8;
  static final int BLOCK_HEADER_BYTES = 8;
  private static final int MAGIC = 0x4A574631; // "JWF1"

  private SealedFile() {}

  /** Where a writer stands: physical length, blocks and plain bytes written. */
  public record Position(long physicalBytes, long blocks, long plainBytes) {
    /** The position of a new, empty file. */
    public static final Position EMPTY = new Position(HEADER_BYTES, 0, 0);
  }

  /** Accounting of bytes on disk, by the work directory. */
  interface DiskMeter {
    void grew(long bytes);
  }

  private static byte[] nonce(int fileId, int epoch, long block) {
    byte[] iv = new byte[12];
    putInt(iv, 0, fileId);
    putInt(iv, 4, epoch);
    putInt(iv, 8, (int) block);
    return iv;
  }

  private static void aad(Cipher c, byte[] name, long block, byte[] header) {
    c.updateAAD(name);
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (block >>> (56 - 8 * i));
    }
    c.updateAAD(b);
    c.updateAAD(header, 0, BLOCK_HEADER_BYTES);
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  private static Cipher gcm() throws IOException {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM is not available", e);
    }
  }

  private static void writeFully(FileChannel ch, byte[] b, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** Creates (or replaces) a sealed file. */
  static Writer create(Path path, String name, SecretKey key, int fileId, int epoch, DiskMeter meter)
      throws IOException {
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      byte[] header = new byte[HEADER_BYTES];
      putInt(header, 0, MAGIC);
      putInt(header, 4, fileId);
      writeFully(ch, header, 0, HEADER_BYTES);
      meter.grew(HEADER_BYTES);
      return new Writer(ch, name, key, fileId, epoch, Position.EMPTY, meter);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Reopens a sealed file to append after {@code at} (a position a checkpoint recorded), cutting
   * off anything written after it. New blocks are sealed in {@code epoch}.
   */
  static Writer append(Path path, String name, SecretKey key, int epoch, Position at, DiskMeter meter)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = ch.size();
      if (size < at.physicalBytes()) {
        throw new WorkFileException("work file " + name + " is shorter than its checkpoint recorded");
      }
      byte[] header = new byte[HEADER_BYTES];
      readFully(ch, 0, header, HEADER_BYTES, name);
      if (getInt(header, 0) != MAGIC) {
        throw new WorkFileException("work file " + name + " is not a sealed work file");
      }
      int fileId = getInt(header, 4);
      ch.truncate(at.physicalBytes());
      meter.grew(at.physicalBytes() - size);
      ch.position(at.physicalBytes());
      return new Writer(ch, name, key, fileId, epoch, at, meter);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void readFully(FileChannel ch, long pos, byte[] b, int len, String name) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        throw new WorkFileException("work file " + name + " ends early");
      }
    }
  }

  /** Opens a sealed file for reading; {@code plainBytes} is how much it must hold. */
  static Reader open(Path path, String name, SecretKey key, long plainBytes) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      byte[] header = new byte[HEADER_BYTES];
      readFully(ch, 0, header, HEADER_BYTES, name);
      if (getInt(header, 0) != MAGIC) {
        throw new WorkFileException("work file " + name + " is not a sealed work file");
      }
      ch.position(HEADER_BYTES);
      return new Reader(ch, name, key, getInt(header, 4), plainBytes);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Appends to a sealed file; not thread-safe. */
  public static final class Writer extends OutputStream {
    private final FileChannel ch;
    private final byte[] name;
    private final String displayName;
    private final SecretKey key;
    private final int fileId;
    private final int epoch;
    private final DiskMeter meter;
    private final Cipher cipher;
    private final byte[] plain = new byte[BLOCK_BYTES];
    private final byte[] sealed = new byte[BLOCK_HEADER_BYTES + BLOCK_BYTES + TAG_BYTES];
    private int fill;
    private long physical;
    private long blocks;
    private long plainTotal;
    private boolean closed;

    private Writer(FileChannel ch, String name, SecretKey key, int fileId, int epoch, Position at, DiskMeter meter)
        throws IOException {
      this.ch = ch;
      this.name = name.getBytes(StandardCharsets.UTF_8);
      this.displayName = name;
      this.key = key;
      this.fileId = fileId;
      this.epoch = epoch;
      this.meter = meter;
      this.cipher = gcm();
      this.physical = at.physicalBytes();
      this.blocks = at.blocks();
      this.plainTotal = at.plainBytes();
    }

    @Override
    public void write(int b) throws IOException {
      if (fill == BLOCK_BYTES) {
        seal();
      }
      plain[fill++] = (byte) b;
      plainTotal++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (fill == BLOCK_BYTES) {
          seal();
        }
        int n = Math.min(len, BLOCK_BYTES - fill);
        System.arraycopy(b, off, plain, fill, n);
        fill += n;
        off += n;
        len -= n;
        plainTotal += n;
      }
    }

    private void seal() throws IOException {
      if (closed) {
        throw new IOException("work file " + displayName + " is closed");
      }
      if (blocks >= 0xFFFF_FFFFL) {
        throw new IOException("work file " + displayName + " has too many blocks");
      }
      putInt(sealed, 0, fill);
      putInt(sealed, 4, epoch);
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(fileId, epoch, blocks)));
        aad(cipher, name, blocks, sealed);
        int n = cipher.doFinal(plain, 0, fill, sealed, BLOCK_HEADER_BYTES);
        writeFully(ch, sealed, 0, BLOCK_HEADER_BYTES + n);
        physical += BLOCK_HEADER_BYTES + n;
        meter.grew(BLOCK_HEADER_BYTES + n);
      } catch (GeneralSecurityException e) {
        throw new IOException("sealing a block of work file " + displayName + " failed", e);
      }
      blocks++;
      fill = 0;
    }

    /** Seals what is buffered as a (possibly short) block, so that {@link #position()} is final. */
    @Override
    public void flush() throws IOException {
      if (fill > 0) {
        seal();
      }
    }

    /** Flushes and forces the file to the device. */
    public Position sync() throws IOException {
      flush();
      ch.force(false);
      return position();
    }

    /** The position after the last sealed block (call {@link #flush} first to include the buffer). */
    public Position position() {
      return new Position(physical, blocks, plainTotal - fill);
    }

    /** Plain bytes written so far, buffered ones included. */
    public long plainBytes() {
      return plainTotal;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      try {
        flush();
      } finally {
        closed = true;
        ch.close();
      }
    }
  }

  /** Reads a sealed file from its start; not thread-safe. */
  public static final class Reader extends InputStream {
    private final FileChannel ch;
    private final byte[] name;
    private final String displayName;
    private final SecretKey key;
    private final int fileId;
    private final long expected;
    private final Cipher cipher;
    private final byte[] header = new byte[BLOCK_HEADER_BYTES];
    private final byte[] sealed = new byte[BLOCK_BYTES + TAG_BYTES];
    private final byte[] plain = new byte[BLOCK_BYTES];
    private int pos;
    private int limit;
    private long block;
    private long plainRead;
    private final ByteBuffer headerBuf = ByteBuffer.wrap(header);

    private Reader(FileChannel ch, String name, SecretKey key, int fileId, long expected) throws IOException {
      this.ch = ch;
      this.name = name.getBytes(StandardCharsets.UTF_8);
      this.displayName = name;
      this.key = key;
      this.fileId = fileId;
      this.expected = expected;
      this.cipher = gcm();
    }

    private boolean nextBlock() throws IOException {
      if (plainRead >= expected) {
        return false;
      }
      headerBuf.clear();
      while (headerBuf.hasRemaining()) {
        if (ch.read(headerBuf) < 0) {
          throw new WorkFileException("work file " + displayName + " ends early");
        }
      }
      int len = getInt(header, 0);
      int epoch = getInt(header, 4);
      if (len < 1 || len > BLOCK_BYTES || plainRead + len > expected) {
        throw new WorkFileException("work file " + displayName + " has a damaged block");
      }
      ByteBuffer body = ByteBuffer.wrap(sealed, 0, len + TAG_BYTES);
      while (body.hasRemaining()) {
        if (ch.read(body) < 0) {
          throw new WorkFileException("work file " + displayName + " ends early");
        }
      }
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(fileId, epoch, block)));
        aad(cipher, name, block, header);
        limit = cipher.doFinal(sealed, 0, len + TAG_BYTES, plain, 0);
      } catch (GeneralSecurityException e) {
        throw new WorkFileException(
            "work file " + displayName + " failed its integrity check (altered, damaged or from another run)", e);
      }
      pos = 0;
      block++;
      plainRead += limit;
      return true;
    }

    @Override
    public int read() throws IOException {
      if (pos == limit && !nextBlock()) {
        return -1;
      }
      return plain[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == limit && !nextBlock()) {
        return -1;
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(plain, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  /** Reads exactly {@code len} bytes, or throws {@link EOFException}. */
  public static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new EOFException();
      }
      off += n;
      len -= n;
    }
  }
}
