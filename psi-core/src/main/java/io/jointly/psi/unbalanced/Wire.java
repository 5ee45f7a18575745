package io.jointly.psi.unbalanced;

import io.jointly.channel.RoundKey;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.nio.ByteBuffer;

/**
 * Round keys and the batch codec of the OPRF sessions (protocol {@value #PROTOCOL}). Rounds have
 * explicit wire codes. Package-private.
 */
final class Wire {
  private Wire() {}

  static final String PROTOCOL = "oprf-psi";

  /** Session modes, with wire codes. */
  enum Mode {
    /** Unbalanced PSI: the client's whole set in batches, then transcript confirmation. */
    BATCH(1),
    /** Membership checks: one element per query, for as long as the session lasts. */
    MEMBERSHIP(2),
    /** Cache download: the deltas from the client's version, or the whole current cache. */
    FETCH(3);

    final int wireCode;

    Mode(int wireCode) {
      this.wireCode = wireCode;
    }

    static Mode fromWireCode(int code) {
      for (Mode m : values()) {
        if (m.wireCode == code) {
          return m;
        }
      }
      return null;
    }
  }

  /** Rounds, with wire codes. */
  enum Round {
    /** Both directions: the client's hello, then the server's answer. */
    HELLO(1),
    /** Client → server, batch b: blinded elements. */
    BLINDED(2),
    /** Server → client, batch b: evaluated elements, in the order received. */
    EVALUATED(3),
    /** Both directions: transcript digests (batch mode). */
    CONFIRM(4),
    /** Client → server, query i: one blinded element, or the end of the session. */
    QUERY(5),
    /** Server → client, query i: the evaluated element, or a refusal. */
    ANSWER(6),
    /** Server → client: what a fetch sends (full cache or deltas) and the files' lengths. */
    FETCH_PLAN(7),
    /** Server → client, chunk k: the next bytes of the planned files, in order. */
    FETCH_DATA(8);

    final int wireCode;

    Round(int wireCode) {
      this.wireCode = wireCode;
    }

    RoundKey key(int sequence) {
      return new RoundKey(PROTOCOL, wireCode, sequence);
    }
  }

  /** What the server says about a hello or a query, with wire codes. */
  enum Status {
    OK(0),
    /** Version, mode, suite, profile or key columns differ. */
    MISMATCH(1),
    /** The client's cache is not the server's current one (key, encoding or version). */
    STALE_CACHE(2),
    /** The purpose is not served to this client. */
    PURPOSE_REFUSED(3),
    /** The daily budget for this purpose would be exceeded. */
    BUDGET_EXHAUSTED(4),
    /** The client's set is below the server's minimum, or above its maximum. */
    CLIENT_SET_REFUSED(5),
    /** The server's set is below the client's minimum. */
    SERVER_SET_REFUSED(6),
    /** The client's batch size exceeds the server's maximum. */
    BATCH_REFUSED(7);

    final int wireCode;

    Status(int wireCode) {
      this.wireCode = wireCode;
    }

    static Status fromWireCode(int code) {
      for (Status s : values()) {
        if (s.wireCode == code) {
          return s;
        }
      }
      return null;
    }
  }

  /** Largest chunk of a fetch: 4 MiB. */
  static final int FETCH_CHUNK = 4 << 20;

  /** A batch: 4-byte count, then {@code count} elements of {@code width} bytes. */
  static Bytes encodeBatch(byte[] values, int count, int width) {
    byte[] out = new byte[4 + count * width];
    ByteBuffer.wrap(out).putInt(count);
    System.arraycopy(values, 0, out, 4, count * width);
    return Bytes.wrap(out);
  }

  /** The elements of a batch that must hold exactly {@code expected} of them. */
  static byte[] decodeBatch(Bytes payload, int expected, int width, String round, int index)
      throws ProtocolAbortException {
    Abort.unlessWellFormed(
        payload.length() == 4 + (long) expected * width,
        round + " batch " + index + " has " + payload.length() + " bytes, expected " + (4 + (long) expected * width));
    byte[] raw = payload.toByteArray();
    int count = ByteBuffer.wrap(raw).getInt();
    Abort.unlessWellFormed(
        count == expected, round + " batch " + index + " declares " + count + " elements, expected " + expected);
    byte[] values = new byte[count * width];
    System.arraycopy(raw, 4, values, 0, values.length);
    return values;
  }
}
