package io.jointly.ot;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.symmetric.AesPrg;
import java.nio.ByteBuffer;

/**
 * What both roles of the IKNP extension share: the width κ, the PRG G, the bit-matrix transpose
 * and the encoding of the receiver's message U (see {@code package-info.java}).
 */
public final class Iknp {
  /** κ: the number of base OTs, the width of a row in bits (one 128-bit block). */
  public static final int KAPPA = 128;

  private Iknp() {}

  /** The 64-bit words of a column of {@code m} OTs (and of a choice vector): {@code ⌈m/64⌉}. */
  public static int words(int m) {
    if (m < 0) {
      throw new IllegalArgumentException("a batch has m ≥ 0 OTs");
    }
    return (m + 63) >>> 6;
  }

  /** The length in bytes of the receiver's message U for a batch of {@code m} OTs. */
  public static long messageLength(int m) {
    return (long) KAPPA * words(m) * 8;
  }

  /**
   * G: {@code words} big-endian longs of AES-128 in counter mode keyed by the 16-byte seed, the
   * initial counter block {@code batch ‖ 0^64} (so the batches of one seed draw disjoint streams
   * for fewer than 2^64 blocks each): {@link AesPrg}'s stream under nonce {@code batch}.
   */
  static long[] prg(byte[] seed, long batch, int words) {
    byte[] bytes = new byte[words * 8];
    new AesPrg(seed, batch, 0).nextBytes(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long[] r = new long[words];
    for (int w = 0; w < words; w++) {
      r[w] = b.getLong();
    }
    return r;
  }

  /** U on the wire: the κ columns in order, each its {@code words} longs big-endian. */
  static Bytes encode(long[][] u) {
    int words = u[0].length;
    ByteBuffer msg = ByteBuffer.allocate(KAPPA * words * 8);
    for (long[] column : u) {
      for (long w : column) {
        msg.putLong(w);
      }
    }
    return Bytes.wrap(msg.array());
  }

  /** Reads U of a batch of {@code m} OTs, refusing any other length. */
  static long[][] decode(Bytes payload, int m) throws ProtocolAbortException {
    int words = words(m);
    Abort.unlessWellFormed(payload.length() == messageLength(m), "an OT matrix has the wrong length");
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    long[][] u = new long[KAPPA][words];
    for (int j = 0; j < KAPPA; j++) {
      for (int w = 0; w < words; w++) {
        u[j][w] = b.getLong();
      }
    }
    return u;
  }

  /**
   * Transposes κ columns of {@code words} longs (bit i of column j: {@code (cols[j][i/64] >>> i%64)
   * & 1}) into {@code rows.length} rows of two longs (bit j of row i: {@code (rows[i][j/64] >>>
   * j%64) & 1}), in 64×64 blocks.
   */
  static void transpose(long[][] cols, int words, long[][] rows) {
    int m = rows.length;
    long[] block = new long[64];
    for (int w = 0; w < words; w++) {
      for (int half = 0; half < 2; half++) {
        for (int j = 0; j < 64; j++) {
          block[j] = cols[half * 64 + j][w];
        }
        transpose64(block);
        for (int i = 0; i < 64 && w * 64 + i < m; i++) {
          rows[w * 64 + i][half] = block[i];
        }
      }
    }
  }

  /**
   * In-place transpose of a 64×64 bit matrix, bit c of {@code a[r]} being entry (r, c) (Warren,
   * Hacker's Delight, 2nd ed., §7-3, with bit 0 the first column).
   */
  static void transpose64(long[] a) {
    long m = 0x00000000FFFFFFFFL;
    for (int j = 32; j != 0; j >>>= 1, m ^= m << j) {
      for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
        long t = ((a[k] >>> j) ^ a[k | j]) & m;
        a[k] ^= t << j;
        a[k | j] ^= t;
      }
    }
  }
}
