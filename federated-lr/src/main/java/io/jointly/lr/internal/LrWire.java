package io.jointly.lr.internal;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.training.Split;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Canonical binary payloads of the vertical-lr session (big-endian, fixed widths, every length
 * checked): SCORES and the other masked vectors, ALIGN, IV_SUMS, KEYS.
 */
public final class LrWire {
  public static final int VERSION = 3;

  /** Split tags of aligned rows in ALIGN. */
  public static final byte TRAIN = 0;

  public static final byte VALIDATION = 1;
  public static final byte HOLDOUT = 2;
  /** Scoring: every aligned row is scored. */
  public static final byte SCORE = 3;

  private LrWire() {}

  public static Bytes longs(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length);
    b.putInt(values.length);
    for (long v : values) {
      b.putLong(v);
    }
    return Bytes.wrap(b.array());
  }

  public static long[] longs(Bytes payload, int expected, String round) throws ProtocolAbortException {
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
  public static Bytes align(int[] positions, byte[] tags) {
    ByteBuffer b = ByteBuffer.allocate(4 + 5 * positions.length);
    b.putInt(positions.length);
    for (int i = 0; i < positions.length; i++) {
      b.putInt(positions[i]);
      b.put(tags[i]);
    }
    return Bytes.wrap(b.array());
  }

  public record Alignment(int[] positions, byte[] tags) {}

  public static Alignment align(Bytes payload, int maxRows) throws ProtocolAbortException {
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

  /** One feature's bins in IV_SUMS: its name, and per bin its rows and whether it is suppressed. */
  public record IvFeature(String name, int[] rows, boolean[] suppressed) {}

  /** IV_SUMS: features, then the packed ciphertexts (already encoded). */
  public static Bytes ivSums(List<IvFeature> features, Bytes ciphertexts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    try {
      d.writeInt(features.size());
      for (IvFeature f : features) {
        byte[] name = f.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.writeShort(name.length);
        d.write(name);
        d.writeInt(f.rows().length);
        for (int i = 0; i < f.rows().length; i++) {
          d.writeInt(f.rows()[i]);
          d.writeByte(f.suppressed()[i] ? 1 : 0);
        }
      }
      d.writeInt(ciphertexts.length());
      d.write(ciphertexts.toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Bytes.wrap(out.toByteArray());
  }

  public record IvMessage(List<IvFeature> features, Bytes ciphertexts) {}

  public static IvMessage ivSums(Bytes payload, int maxRows) throws ProtocolAbortException {
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    try {
      int n = b.getInt();
      Abort.unlessWellFormed(n >= 0 && n <= 10_000, "IV_SUMS: feature count out of range");
      List<IvFeature> features = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(name);
        int bins = b.getInt();
        Abort.unlessWellFormed(bins >= 1 && bins <= 1_000, "IV_SUMS: bin count out of range");
        int[] rows = new int[bins];
        boolean[] suppressed = new boolean[bins];
        long total = 0;
        for (int j = 0; j < bins; j++) {
          rows[j] = b.getInt();
          byte flag = b.get();
          Abort.unlessWellFormed(rows[j] >= 0 && (flag == 0 || flag == 1), "IV_SUMS: bad bin");
          suppressed[j] = flag == 1;
          total += rows[j];
        }
        Abort.unlessWellFormed(total == maxRows, "IV_SUMS: bins do not cover the training rows");
        String s;
        try {
          s = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(name)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
          throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "IV_SUMS: invalid UTF-8");
        }
        features.add(new IvFeature(s, rows, suppressed));
      }
      int len = b.getInt();
      Abort.unlessWellFormed(len == b.remaining(), "IV_SUMS: ciphertext length does not match");
      byte[] cts = new byte[len];
      b.get(cts);
      return new IvMessage(features, Bytes.wrap(cts));
    } catch (BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "IV_SUMS is truncated");
    }
  }

  /** KEYS: this partner's index, the partners' mask keys (32 bytes each) and a 32-byte context. */
  public static Bytes keys(int index, List<Bytes> maskKeys, Bytes context) {
    ByteBuffer b = ByteBuffer.allocate(8 + 32 * maskKeys.size() + 32);
    b.putInt(index).putInt(maskKeys.size());
    for (Bytes k : maskKeys) {
      b.put(k.toByteArray());
    }
    b.put(context.toByteArray());
    return Bytes.wrap(b.array());
  }

  public record Keys(int index, List<Bytes> maskKeys, Bytes context) {}

  public static Keys keys(Bytes payload) throws ProtocolAbortException {
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    try {
      int index = b.getInt();
      int n = b.getInt();
      Abort.unlessWellFormed(n >= 1 && n <= 1000 && index >= 0 && index < n, "KEYS: index or count out of range");
      Abort.unlessWellFormed(payload.length() == 8 + 32L * n + 32, "KEYS has the wrong length");
      List<Bytes> keys = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] k = new byte[32];
        b.get(k);
        keys.add(Bytes.wrap(k));
      }
      byte[] context = new byte[32];
      b.get(context);
      return new Keys(index, keys, Bytes.wrap(context));
    } catch (BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "KEYS is truncated");
    }
  }
}
