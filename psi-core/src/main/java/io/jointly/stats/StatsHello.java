package io.jointly.stats;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The handshake of federated statistics, one message each way after the PSI run. The bank sends
 * {@link Bank} (its policy and the number of segments it will ask about); the partner sends {@link
 * Partner} (its policy, the column layout, the fixed-point precision and its Paillier public key).
 * Both parties must configure the same policy (minimum cell size, noise); each refuses a mismatch.
 */
final class StatsHello {
  static final int VERSION = 1;
  /** Most segments a bank may ask about in one run (each costs the partner a decryption). */
  static final int MAX_SEGMENTS = 100_000;

  private StatsHello() {}

  /** The bank's half. */
  record Bank(int version, int minCellSize, String noise, int segments) {
    Bytes encode() {
      return write(
          out -> {
            out.writeInt(version);
            out.writeInt(minCellSize);
            writeString(out, noise);
            out.writeInt(segments);
          });
    }

    static Bank decode(Bytes payload) throws ProtocolAbortException {
      ByteBuffer in = ByteBuffer.wrap(payload.toByteArray());
      try {
        Bank b = new Bank(in.getInt(), in.getInt(), readString(in), in.getInt());
        Abort.unlessWellFormed(!in.hasRemaining(), "statistics HELLO has trailing bytes");
        Abort.unlessWellFormed(b.segments >= 0 && b.segments <= MAX_SEGMENTS, "segment count out of range");
        return b;
      } catch (BufferUnderflowException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "statistics HELLO is truncated");
      }
    }
  }

  /** The partner's half. */
  record Partner(int version, int minCellSize, String noise, int fractionalBits, ColumnLayout layout, Bytes publicKey) {
    Bytes encode() {
      return write(
          out -> {
            out.writeInt(version);
            out.writeInt(minCellSize);
            writeString(out, noise);
            out.writeInt(fractionalBits);
            out.writeInt(layout.numeric().size());
            for (ColumnLayout.NumericColumn c : layout.numeric()) {
              writeString(out, c.name());
              out.writeDouble(c.bound());
            }
            out.writeInt(layout.categorical().size());
            for (ColumnLayout.CategoricalColumn c : layout.categorical()) {
              writeString(out, c.name());
              out.writeInt(c.levels().size());
              for (String l : c.levels()) {
                writeString(out, l);
              }
            }
            out.writeInt(publicKey.length());
            out.write(publicKey.toByteArray());
          });
    }

    static Partner decode(Bytes payload) throws ProtocolAbortException {
      ByteBuffer in = ByteBuffer.wrap(payload.toByteArray());
      try {
        int version = in.getInt();
        int minCell = in.getInt();
        String noise = readString(in);
        int f = in.getInt();
        int numeric = in.getInt();
        Abort.unlessWellFormed(numeric >= 0 && numeric <= 1024, "too many numeric columns");
        List<ColumnLayout.NumericColumn> n = new ArrayList<>();
        for (int i = 0; i < numeric; i++) {
          n.add(new ColumnLayout.NumericColumn(readString(in), in.getDouble()));
        }
        int categorical = in.getInt();
        Abort.unlessWellFormed(categorical >= 0 && categorical <= 1024, "too many categorical columns");
        List<ColumnLayout.CategoricalColumn> k = new ArrayList<>();
        for (int i = 0; i < categorical; i++) {
          String name = readString(in);
          int levels = in.getInt();
          Abort.unlessWellFormed(levels >= 1 && levels <= PartnerColumns.MAX_LEVELS, "level count out of range");
          List<String> l = new ArrayList<>();
          for (int j = 0; j < levels; j++) {
            l.add(readString(in));
          }
          k.add(new ColumnLayout.CategoricalColumn(name, l));
        }
        int keyLength = in.getInt();
        Abort.unlessWellFormed(keyLength == in.remaining(), "public key length does not match the message");
        byte[] key = new byte[keyLength];
        in.get(key);
        return new Partner(version, minCell, noise, f, new ColumnLayout(n, k), Bytes.wrap(key));
      } catch (BufferUnderflowException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "statistics HELLO is truncated");
      } catch (IllegalArgumentException e) {
        throw new ProtocolAbortException(
            ProtocolAbortException.Reason.MALFORMED_MESSAGE, "statistics HELLO has an invalid column layout");
      }
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static Bytes write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Bytes.wrap(bytes.toByteArray());
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(b.length);
    out.write(b);
  }

  private static String readString(ByteBuffer in) throws ProtocolAbortException {
    int len = Short.toUnsignedInt(in.getShort());
    byte[] b = new byte[len];
    in.get(b);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "statistics HELLO has invalid UTF-8");
    }
  }
}
