package io.jointly.lr.aggregated;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.ProtocolAbortException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The payloads of the aggregated-scores rounds beyond the session's ({@link
 * io.jointly.lr.internal.LrWire}): CONTROL, DIRECTION and the fixed point of L-BFGS's masked
 * scalars (big-endian, fixed widths, every length checked).
 */
final class AggregatedWire {
  /**
   * The fixed-point codec of L-BFGS's masked scalars (Gram entries, squared weight norms): 32
   * fractional bits (resolution 2.3·10⁻¹⁰), sums below 2^31 in magnitude.
   */
  static final FixedPoint GRAM_CODEC = new FixedPoint(32);

  /** DIRECTION flags: store the pending pair, drop the history, stop (converged). */
  static final int STORE = 1;

  static final int RESET = 2;
  static final int CONVERGED = 4;

  private AggregatedWire() {}

  /** CONTROL: bit 0 "best so far", bit 1 "stop". */
  static Bytes flags(boolean best, boolean stop) {
    return Bytes.wrap(new byte[] {(byte) ((best ? 1 : 0) | (stop ? 2 : 0))});
  }

  /** DIRECTION: flags, then the coefficients (count, doubles). */
  static Bytes direction(int flags, double[] coefficients) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 * coefficients.length);
    b.put((byte) flags).putInt(coefficients.length);
    for (double c : coefficients) {
      b.putDouble(c);
    }
    return Bytes.wrap(b.array());
  }

  record Direction(int flags, double[] coefficients) {}

  /** Decodes DIRECTION, expecting {@code expected} finite coefficients unless the flags say stop. */
  static Direction direction(Bytes payload, int expected) throws ProtocolAbortException {
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    try {
      int flags = b.get();
      Abort.unlessWellFormed((flags & ~(STORE | RESET | CONVERGED)) == 0, "DIRECTION has unknown flags");
      int n = b.getInt();
      Abort.unlessWellFormed(n == expected && b.remaining() == 8L * n, "DIRECTION has the wrong number of coefficients");
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = b.getDouble();
        Abort.unlessWellFormed(Double.isFinite(c[i]), "DIRECTION has a coefficient that is not finite");
      }
      return new Direction(flags, c);
    } catch (BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "DIRECTION is truncated");
    }
  }
}
