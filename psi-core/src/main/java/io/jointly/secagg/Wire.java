package io.jointly.secagg;

import io.jointly.channel.RoundKey;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of secure-aggregation messages: big-endian fields, every payload followed by a
 * CRC-32C of its round key and body. The checksum catches accidental corruption and truncation on
 * any channel (the fault-injection tests rely on it); integrity against an attacker on the
 * network is the transport's job (mutual TLS).
 */
final class Wire {
  private Wire() {}

  /** Appends fields; {@link #frame} adds the checksum. */
  static final class Writer {
    private final ByteArrayOutputStream out;
    private final byte[] scratch = new byte[8];

    Writer(int sizeHint) {
      out = new ByteArrayOutputStream(Math.max(16, sizeHint));
    }

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer u32(int v) {
      ByteBuffer.wrap(scratch).putInt(0, v);
      out.write(scratch, 0, 4);
      return this;
    }

    Writer u64(long v) {
      ByteBuffer.wrap(scratch).putLong(0, v);
      out.write(scratch, 0, 8);
      return this;
    }

    Writer bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    /** A length-prefixed (u32) byte string. */
    Writer blob(byte[] b) {
      u32(b.length);
      return bytes(b);
    }

    /** A name: u8 length and UTF-8. */
    Writer name(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 255) {
        throw new IllegalArgumentException("a client name is longer than 255 bytes");
      }
      u8(b.length);
      return bytes(b);
    }

    byte[] body() {
      return out.toByteArray();
    }

    Bytes frame(RoundKey key) {
      return Wire.frame(key, body());
    }
  }

  /** The body followed by its checksum. */
  static Bytes frame(RoundKey key, byte[] body) {
    byte[] framed = new byte[body.length + 4];
    System.arraycopy(body, 0, framed, 0, body.length);
    int crc = checksum(key, framed, body.length);
    ByteBuffer.wrap(framed).putInt(body.length, crc);
    return Bytes.wrap(framed);
  }

  /**
   * Checks the checksum and returns a reader over the body.
   *
   * @throws ProtocolAbortException {@code MALFORMED_MESSAGE} if the payload is too short or the
   *     checksum does not match
   */
  static Reader open(RoundKey key, Bytes payload) throws ProtocolAbortException {
    byte[] b = payload.toByteArray();
    Abort.unlessWellFormed(b.length >= 4, "message " + key + " is too short");
    int len = b.length - 4;
    int crc = ByteBuffer.wrap(b).getInt(len);
    Abort.unlessWellFormed(crc == checksum(key, b, len), "message " + key + " fails its checksum");
    return new Reader(key, ByteBuffer.wrap(b, 0, len));
  }

  private static int checksum(RoundKey key, byte[] body, int len) {
    CRC32C c = new CRC32C();
    c.update(key.protocol().getBytes(StandardCharsets.US_ASCII));
    c.update(key.round() >>> 8);
    c.update(key.round());
    c.update(ByteBuffer.allocate(4).putInt(key.sequence()).array());
    c.update(body, 0, len);
    return (int) c.getValue();
  }

  /** Reads fields; every read past the end, and leftover bytes, abort as malformed. */
  static final class Reader {
    private final RoundKey key;
    private final ByteBuffer buf;

    Reader(RoundKey key, ByteBuffer buf) {
      this.key = key;
      this.buf = buf;
    }

    int u8() throws ProtocolAbortException {
      try {
        return buf.get() & 0xFF;
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    int u16() throws ProtocolAbortException {
      try {
        return buf.getShort() & 0xFFFF;
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    int u32() throws ProtocolAbortException {
      try {
        return buf.getInt();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    /** A u32 that must lie in [min, max]. */
    int count(int min, int max, String what) throws ProtocolAbortException {
      int v = u32();
      Abort.unlessWellFormed(
          v >= min && v <= max, "message " + key + ": " + what + " " + v + " outside " + min + ".." + max);
      return v;
    }

    long u64() throws ProtocolAbortException {
      try {
        return buf.getLong();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    byte[] bytes(int n) throws ProtocolAbortException {
      Abort.unlessWellFormed(n >= 0 && n <= buf.remaining(), "message " + key + " is truncated");
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    byte[] blob(int max) throws ProtocolAbortException {
      int n = count(0, max, "length");
      return bytes(n);
    }

    String name() throws ProtocolAbortException {
      int n = u8();
      Abort.unlessWellFormed(n >= 1, "message " + key + ": empty client name");
      return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** Reads {@code count} little-endian 64-bit words into {@code dest[offset..]}. */
    void words(long[] dest, int offset, int count) throws ProtocolAbortException {
      Abort.unlessWellFormed(
          buf.remaining() == (long) count * 8, "message " + key + " does not hold " + count + " values");
      buf.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dest, offset, count);
      buf.position(buf.limit());
    }

    /** Checks that nothing is left. */
    void end() throws ProtocolAbortException {
      Abort.unlessWellFormed(!buf.hasRemaining(), "message " + key + " has " + buf.remaining() + " trailing bytes");
    }

    private ProtocolAbortException truncated() {
      return new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "message " + key + " is truncated");
    }
  }

  /** A frame of little-endian 64-bit words {@code src[offset .. offset+count)}. */
  static Bytes words(RoundKey key, long[] src, int offset, int count) {
    byte[] body = new byte[count * 8];
    ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(src, offset, count);
    return frame(key, body);
  }
}
