package io.jointly.ot;

import io.jointly.symmetric.Blocks;
import io.jointly.symmetric.FixedKeyAes;
import java.nio.ByteBuffer;

/**
 * Hashes from one fixed-key AES permutation π (Guo, Katz, Wang, Yu, "Efficient and Secure
 * Multiparty Computation from Fixed-Key Block Ciphers", IEEE S&amp;P 2020, ePrint 2019/074), for
 * turning extension rows into OT messages and pads:
 *
 * <ul>
 *   <li>{@link #hash}: the tweakable circular correlation-robust hash {@code H(i, x) = π(π(x) ⊕ i)
 *       ⊕ π(x)} (§7.4), with the tweak of row i the block {@code tweak ‖ i} (the high word the
 *       caller's tweak, the low word the row index). {@code H(i, q_i)} and {@code H(i, q_i ⊕ s)}
 *       are the sender's two random-OT messages, {@code H(i, t_i)} the receiver's: for the other
 *       message the receiver would have to query H at {@code t_i ⊕ s}, with s unknown to it.
 *   <li>{@link #expand}: a longer pad from a 128-bit seed, the blocks {@code π(y) ⊕ y} (the
 *       correlation-robust hash of §7.2) of {@code y = seed ⊕ b} for b = 0, 1, …
 * </ul>
 *
 * Tweaks must not repeat within a session for the same rows: the caller makes them unique (the
 * extension batch number is the natural choice; a second hash of the same rows needs a tweak no
 * batch uses). π is AES-128 under the public key {@code "jointly-ot/v1\0\0\0"} (ASCII): fixing it
 * is part of the wire format of every protocol that sends values padded by these hashes.
 *
 * <p>Blocks are pairs of longs: bit j of a block is bit {@code j mod 64} of word {@code j / 64}
 * (the layout of the extension rows), and a block enters AES as the 16 bytes of that 128-bit
 * integer, big-endian.
 *
 * <p>π and the MMO form are {@link FixedKeyAes}'s (the one fixed-key AES of the code base, shared
 * with VOLE and the OKVS); this class is the adapter from extension rows to its byte blocks. Those
 * bytes are the big-endian 128-bit integer of a row, the layout federated-lr's secret-shared OTs
 * have always hashed: {@code OtWireFormatTest} pins the outputs.
 *
 * <p>Stateless; thread-safe (one {@link FixedKeyAes} per thread).
 */
public final class CorrelationRobustHash {
  /** π, per thread ({@link FixedKeyAes} is not thread-safe): the key "jointly-ot/v1\0\0\0". */
  private static final ThreadLocal<FixedKeyAes> PI =
      ThreadLocal.withInitial(() -> FixedKeyAes.named("jointly-ot/v1"));

  private CorrelationRobustHash() {}

  /**
   * {@code H(tweak ‖ i, rows[i] ⊕ xor)} for the first {@code m} rows.
   *
   * @param tweak the high word of every row's tweak (the low word is the row's index)
   * @param rows at least {@code m} blocks of two longs
   * @param xor a block XORed into every row first (the sender's s for its second message), or
   *     {@code null}
   * @return block i at {@code [2i]} (bits 0–63) and {@code [2i+1]} (bits 64–127)
   */
  public static long[] hash(long tweak, long[][] rows, int m, long[] xor) {
    long x0 = xor == null ? 0 : xor[0];
    long x1 = xor == null ? 0 : xor[1];
    ByteBuffer x = ByteBuffer.allocate(16 * m);
    for (int i = 0; i < m; i++) {
      x.putLong(rows[i][1] ^ x1).putLong(rows[i][0] ^ x0);
    }
    FixedKeyAes pi = PI.get();
    byte[] px = new byte[16 * m];
    pi.permute(x.array(), 0, px, 0, m);
    // x is no longer needed: it becomes π(x) ⊕ (tweak ‖ i), then π of that ⊕ π(x).
    ByteBuffer tweaked = x;
    ByteBuffer pxb = ByteBuffer.wrap(px);
    for (int i = 0; i < m; i++) {
      tweaked.putLong(16 * i, pxb.getLong(16 * i) ^ tweak);
      tweaked.putLong(16 * i + 8, pxb.getLong(16 * i + 8) ^ i);
    }
    byte[] h = new byte[16 * m];
    pi.permute(tweaked.array(), 0, h, 0, m);
    Blocks.xorRange(h, 0, px, 0, m);
    ByteBuffer hb = ByteBuffer.wrap(h);
    long[] out = new long[2 * m];
    for (int i = 0; i < m; i++) {
      out[2 * i + 1] = hb.getLong(16 * i);
      out[2 * i] = hb.getLong(16 * i + 8);
    }
    return out;
  }

  /**
   * {@code len} words from each of {@code m} seeds: seed i gives the byte stream {@code π(y_0) ⊕
   * y_0 ‖ π(y_1) ⊕ y_1 ‖ …} ({@link FixedKeyAes#mmo}) with {@code y_b = seed_i ⊕ b}, read as
   * big-endian longs.
   *
   * @param seeds block i at {@code [2i]} (bits 0–63) and {@code [2i+1]} (bits 64–127), as {@link
   *     #hash} returns them
   * @return seed i's words at {@code [i·len, (i+1)·len)}
   */
  public static long[] expand(long[] seeds, int m, int len) {
    int blocks = (len + 1) / 2;
    ByteBuffer in = ByteBuffer.allocate(16 * m * blocks);
    for (int i = 0; i < m; i++) {
      for (int b = 0; b < blocks; b++) {
        in.putLong(seeds[2 * i + 1]).putLong(seeds[2 * i] ^ b);
      }
    }
    byte[] mmo = new byte[16 * m * blocks];
    PI.get().mmo(in.array(), 0, mmo, 0, m * blocks);
    ByteBuffer outBytes = ByteBuffer.wrap(mmo);
    long[] out = new long[m * len];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < len; k++) {
        out[i * len + k] = outBytes.getLong(16 * (i * blocks + k / 2) + 8 * (k & 1));
      }
    }
    return out;
  }
}
