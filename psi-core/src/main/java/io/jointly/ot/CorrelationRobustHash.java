package io.jointly.ot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

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
 * <p>Stateless; thread-safe (one cipher per thread).
 */
public final class CorrelationRobustHash {
  /** π's key: public, fixed (the bytes of "jointly-ot/v1\0\0\0"). */
  private static final byte[] FIXED_KEY = "jointly-ot/v1\0\0\0".getBytes(StandardCharsets.US_ASCII);

  /** π, per thread (a {@link Cipher} is not thread-safe; creating one is a provider lookup). */
  private static final ThreadLocal<Cipher> PI = ThreadLocal.withInitial(CorrelationRobustHash::pi);

  private CorrelationRobustHash() {}

  private static Cipher pi() {
    try {
      Cipher c = Iknp.cipher("AES/ECB/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(FIXED_KEY, "AES"));
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

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
    try {
      Cipher pi = PI.get();
      byte[] px = pi.doFinal(x.array());
      ByteBuffer tweaked = ByteBuffer.wrap(px.clone());
      for (int i = 0; i < m; i++) {
        tweaked.putLong(16 * i, tweaked.getLong(16 * i) ^ tweak);
        tweaked.putLong(16 * i + 8, tweaked.getLong(16 * i + 8) ^ i);
      }
      ByteBuffer h = ByteBuffer.wrap(pi.doFinal(tweaked.array()));
      ByteBuffer pxb = ByteBuffer.wrap(px);
      long[] out = new long[2 * m];
      for (int i = 0; i < m; i++) {
        out[2 * i + 1] = h.getLong(16 * i) ^ pxb.getLong(16 * i);
        out[2 * i] = h.getLong(16 * i + 8) ^ pxb.getLong(16 * i + 8);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }

  /**
   * {@code len} words from each of {@code m} seeds: seed i gives the byte stream {@code π(y_0) ⊕
   * y_0 ‖ π(y_1) ⊕ y_1 ‖ …} with {@code y_b = seed_i ⊕ b}, read as big-endian longs.
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
    try {
      ByteBuffer outBytes = ByteBuffer.wrap(PI.get().doFinal(in.array()));
      long[] out = new long[m * len];
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < len; k++) {
          int at = 16 * (i * blocks + k / 2) + 8 * (k & 1);
          out[i * len + k] = outBytes.getLong(at) ^ in.getLong(at);
        }
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required by every Java platform", e);
    }
  }
}
