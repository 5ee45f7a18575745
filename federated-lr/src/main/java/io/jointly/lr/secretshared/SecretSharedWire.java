package io.jointly.lr.secretshared;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Canonical payloads of secret-shared training (big-endian, fixed widths, every length checked):
 * vectors of 64-bit words, 128-bit two's complement pairs and signed integers of up to 128 bits.
 */
final class SecretSharedWire {
  private SecretSharedWire() {}

  static Bytes longs(long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (long x : v) {
      b.putLong(x);
    }
    return Bytes.wrap(b.array());
  }

  static long[] longs(Bytes payload, int count, String round) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == 8L * count, round + " has the wrong length");
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  /** 128-bit pairs {@code (hi, lo)} as 16-byte big-endian two's complement (the layout of {@link #wide(BigInteger[])}). */
  static Bytes pairs(long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (long x : v) {
      b.putLong(x);
    }
    return Bytes.wrap(b.array());
  }

  static long[] pairs(Bytes payload, int count, int maxBits, String round) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == 16L * count, round + " has the wrong length");
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    long[] out = new long[2 * count];
    long limit = 1L << (maxBits - 64);
    for (int i = 0; i < count; i++) {
      long hi = b.getLong();
      out[2 * i] = hi;
      out[2 * i + 1] = b.getLong();
      Abort.unlessWellFormed(hi < limit && hi >= -limit, round + " carries a value out of range");
    }
    return out;
  }

  /** Signed integers as fixed-width 16-byte two's complement. */
  static Bytes wide(BigInteger[] values) {
    ByteBuffer b = ByteBuffer.allocate(16 * values.length);
    for (BigInteger v : values) {
      if (v.bitLength() > 127) {
        throw new ArithmeticException("value exceeds 128 bits");
      }
      byte[] raw = v.toByteArray();
      byte fill = (byte) (v.signum() < 0 ? 0xFF : 0);
      for (int i = 0; i < 16 - raw.length; i++) {
        b.put(fill);
      }
      b.put(raw);
    }
    return Bytes.wrap(b.array());
  }

  static BigInteger[] wide(Bytes payload, int count, int maxBits, String round) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == 16L * count, round + " has the wrong length");
    byte[] all = payload.toByteArray();
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      out[i] = new BigInteger(Arrays.copyOfRange(all, 16 * i, 16 * i + 16));
      Abort.unlessWellFormed(out[i].bitLength() <= maxBits, round + " carries a value out of range");
    }
    return out;
  }

  static Bytes concat(Bytes a, Bytes b) {
    byte[] out = Arrays.copyOf(a.toByteArray(), a.length() + b.length());
    System.arraycopy(b.toByteArray(), 0, out, a.length(), b.length());
    return Bytes.wrap(out);
  }
}
