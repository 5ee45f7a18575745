package io.jointly.lr;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** Canonical binary payloads of vertical LR (big-endian, fixed widths, every length checked). */
final class LrWire {
  static final int VERSION = 1;

  /** Split tags of aligned rows in ALIGN. */
  static final byte TRAIN = 0;

  static final byte VALIDATION = 1;
  static final byte HOLDOUT = 2;
  /** Scoring: every aligned row is scored. */
  static final byte SCORE = 3;

  private LrWire() {}

  static Bytes longs(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length);
    b.putInt(values.length);
    for (long v : values) {
      b.putLong(v);
    }
    return Bytes.wrap(b.array());
  }

  static long[] longs(Bytes payload, int expected, String round) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == 4 + 8L * expected, round + " has " + payload.length() + " bytes, expected " + (4 + 8L * expected));
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    Abort.unlessWellFormed(b.getInt() == expected, round + " declares the wrong count");
    long[] out = new long[expected];
    for (int i = 0; i < expected; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  /** ALIGN: count, then per aligned row its peer position (int) and split tag (byte). */
  static Bytes align(int[] positions, byte[] tags) {
    ByteBuffer b = ByteBuffer.allocate(4 + 5 * positions.length);
    b.putInt(positions.length);
    for (int i = 0; i < positions.length; i++) {
      b.putInt(positions[i]);
      b.put(tags[i]);
    }
    return Bytes.wrap(b.array());
  }

  record Alignment(int[] positions, byte[] tags) {}

  static Alignment align(Bytes payload, int maxRows) throws ProtocolAbortException {
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    try {
      int n = b.getInt();
      Abort.unlessWellFormed(n >= 0 && n <= maxRows, "ALIGN names more rows than this party shares");
      Abort.unlessWellFormed(payload.length() == 4 + 5L * n, "ALIGN has the wrong length");
      int[] positions = new int[n];
      byte[] tags = new byte[n];
      for (int i = 0; i < n; i++) {
        positions[i] = b.getInt();
        tags[i] = b.get();
        Abort.unlessWellFormed(tags[i] >= TRAIN && tags[i] <= SCORE, "ALIGN has an unknown split tag");
      }
      return new Alignment(positions, tags);
    } catch (BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "ALIGN is truncated");
    }
  }

  /** Unsigned integers below {@code 2^(8·width)}, each {@code width} bytes. */
  static Bytes integers(BigInteger[] values, int width) {
    byte[] out = new byte[values.length * width];
    for (int i = 0; i < values.length; i++) {
      byte[] v = values[i].toByteArray();
      int skip = v.length > width ? v.length - width : 0; // a leading sign byte
      System.arraycopy(v, skip, out, i * width + width - (v.length - skip), v.length - skip);
    }
    return Bytes.wrap(out);
  }

  static BigInteger[] integers(Bytes payload, int count, int width, BigInteger bound, String round)
      throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == (long) count * width, round + " has the wrong length");
    byte[] raw = payload.toByteArray();
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      byte[] v = new byte[width];
      System.arraycopy(raw, i * width, v, 0, width);
      out[i] = new BigInteger(1, v);
      Abort.unlessWellFormed(out[i].compareTo(bound) < 0, round + " has a value out of range");
    }
    return out;
  }

  static Bytes flags(boolean best, boolean stop) {
    return Bytes.wrap(new byte[] {(byte) ((best ? 1 : 0) | (stop ? 2 : 0))});
  }
}
