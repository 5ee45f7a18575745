package io.jointly.lr.internal;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.ProtocolAbortException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The handshake of vertical LR after alignment. The partner states its version, mode, number of
 * encoded features, its public key for pairwise score masks and its Paillier public key; the bank
 * states its version and mode, the schedule every party follows, the fixed-point precision, and —
 * if it asks for information value — its own Paillier public key (else an empty key). Each refuses a version or mode mismatch.
 */
public final class LrHello {
  private LrHello() {}

  /**
   * The partner's half (also the bank's half when scoring): version, mode, encoded features, the
   * 32-byte pairwise mask key, and its Paillier public key's size and encoding (empty when
   * scoring).
   */
  public record Partner(int version, int mode, int features, Bytes maskKey, int modulusBits, Bytes publicKey) {
    public Bytes encode() {
      byte[] pk = publicKey.toByteArray();
      return Bytes.wrap(
          ByteBuffer.allocate(12 + 32 + 8 + pk.length)
              .putInt(version)
              .putInt(mode)
              .putInt(features)
              .put(maskKey.toByteArray())
              .putInt(modulusBits)
              .putInt(pk.length)
              .put(pk)
              .array());
    }

    public static Partner decode(Bytes payload) throws ProtocolAbortException {
      Abort.unlessWellFormed(payload.length() >= 12 + 32 + 8, "partner HELLO has the wrong length");
      ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
      int version = b.getInt();
      int mode = b.getInt();
      int features = b.getInt();
      byte[] key = new byte[32];
      b.get(key);
      int modulusBits = b.getInt();
      int pkLength = b.getInt();
      Abort.unlessWellFormed(pkLength == b.remaining(), "partner HELLO: key length does not match");
      byte[] pk = new byte[pkLength];
      b.get(pk);
      Partner p = new Partner(version, mode, features, Bytes.wrap(key), modulusBits, Bytes.wrap(pk));
      Abort.unlessWellFormed(p.features >= 1 && p.features <= 100_000, "partner HELLO: feature count out of range");
      return p;
    }
  }

  /** Optimiser codes in the bank's HELLO. */
  public static final int GD = 0;

  public static final int LBFGS = 1;

  /**
   * The schedule the partner follows, and what it needs to encode; {@code intercept} and {@code
   * sigmoid} (the approximation's code) matter to the secret-shared mode, where the partner runs
   * the same schedule on its shares.
   */
  public record Bank(
      int version,
      int mode,
      int batchSize,
      int maxEpochs,
      double learningRate,
      double learningRateDecay,
      double l2,
      double l1,
      long seed,
      boolean earlyStopping,
      int scoreBits,
      int residualBits,
      int featureBits,
      int modulusBits,
      boolean informationValue,
      int optimizer,
      int lbfgsMemory,
      double tolerance,
      boolean intercept,
      int sigmoid,
      Bytes publicKey) {
    public Bytes encode() {
      byte[] key = publicKey.toByteArray();
      ByteBuffer b = ByteBuffer.allocate(4 * 4 + 8 * 5 + 1 + 4 * 4 + 1 + 4 * 2 + 8 + 1 + 4 + 4 + key.length);
      b.putInt(version).putInt(mode).putInt(batchSize).putInt(maxEpochs);
      b.putDouble(learningRate).putDouble(learningRateDecay).putDouble(l2).putDouble(l1).putLong(seed);
      b.put((byte) (earlyStopping ? 1 : 0));
      b.putInt(scoreBits).putInt(residualBits).putInt(featureBits).putInt(modulusBits);
      b.put((byte) (informationValue ? 1 : 0));
      b.putInt(optimizer).putInt(lbfgsMemory).putDouble(tolerance);
      b.put((byte) (intercept ? 1 : 0)).putInt(sigmoid);
      b.putInt(key.length).put(key);
      return Bytes.wrap(b.array());
    }

    public static Bank decode(Bytes payload) throws ProtocolAbortException {
      ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
      try {
        int version = b.getInt();
        int mode = b.getInt();
        int batch = b.getInt();
        int epochs = b.getInt();
        double lr = b.getDouble();
        double decay = b.getDouble();
        double l2 = b.getDouble();
        double l1 = b.getDouble();
        long seed = b.getLong();
        boolean early = b.get() != 0;
        int sb = b.getInt();
        int rb = b.getInt();
        int fb = b.getInt();
        int nb = b.getInt();
        boolean iv = b.get() != 0;
        int optimizer = b.getInt();
        int memory = b.getInt();
        double tolerance = b.getDouble();
        byte interceptFlag = b.get();
        int sigmoid = b.getInt();
        int keyLength = b.getInt();
        Abort.unlessWellFormed(keyLength == b.remaining(), "bank HELLO: key length does not match");
        byte[] key = new byte[keyLength];
        b.get(key);
        Abort.unlessWellFormed(batch >= 1 && batch <= 1 << 16, "bank HELLO: batch size out of range");
        Abort.unlessWellFormed(epochs >= 1 && epochs <= 100_000, "bank HELLO: epochs out of range");
        Abort.unlessWellFormed(
            Double.isFinite(lr) && lr > 0 && Double.isFinite(decay) && decay >= 0 && Double.isFinite(l2) && l2 >= 0 && Double.isFinite(l1) && l1 >= 0,
            "bank HELLO: optimiser settings out of range");
        Abort.unlessWellFormed(sb >= 8 && sb <= 40 && rb >= 16 && rb <= 40 && fb >= 8 && fb <= 24 && fb + rb <= FixedPoint.MAX_FRACTIONAL_BITS,
            "bank HELLO: precision out of range");
        Abort.unlessWellFormed(
            (optimizer == GD || (optimizer == LBFGS && l1 == 0)) && memory >= 1 && memory <= 100 && Double.isFinite(tolerance) && tolerance >= 0,
            "bank HELLO: optimiser out of range");
        Abort.unlessWellFormed(interceptFlag == 0 || interceptFlag == 1, "bank HELLO: intercept flag out of range");
        Abort.unlessWellFormed(sigmoid >= 0 && sigmoid < 256, "bank HELLO: sigmoid code out of range");
        return new Bank(
            version, mode, batch, epochs, lr, decay, l2, l1, seed, early, sb, rb, fb, nb, iv, optimizer, memory, tolerance, interceptFlag == 1, sigmoid, Bytes.wrap(key));
      } catch (BufferUnderflowException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "bank HELLO is truncated");
      }
    }
  }
}
