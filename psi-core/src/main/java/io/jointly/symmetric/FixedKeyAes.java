package io.jointly.symmetric;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 under a public key, used as a random permutation π on 128-bit blocks, and the hashes
 * built from it (Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty Computation from Fixed-Key
 * Block Ciphers", IEEE S&amp;P 2020 — GKWY20):
 *
 * <ul>
 *   <li>{@link #permute}: {@code π(x)}.
 *   <li>{@link #mmo}: {@code π(x) ⊕ x}, the Matyas–Meyer–Oseas form, correlation robust in the
 *       random-permutation model (GKWY20 §7.2).
 *   <li>{@link #ccr}: {@code π(σ(x)) ⊕ σ(x)} with a linear orthomorphism σ, circular correlation
 *       robust (GKWY20 §7.3): the half-tree GGM's left child.
 * </ul>
 *
 * This is the code base's only fixed-key AES: the tweakable hash that turns correlated OTs into
 * random OTs ({@code io.jointly.ot.CorrelationRobustHash}, GKWY20 §7.4, used by the IKNP extension,
 * federated-lr's secret-shared OTs and the silent VOLE's tree OTs) is built on {@link #permute} and
 * {@link #mmo} of an instance keyed {@code "jointly-ot/v1"}.
 *
 * Blocks live in {@link Blocks}-layout byte arrays. Every method takes whole blocks; input and output
 * may be the same array only when their ranges do not overlap.
 *
 * <p>Not thread-safe (it wraps one {@link Cipher}); the key is public, so an instance holds no
 * secret.
 */
public final class FixedKeyAes {
  private final Cipher cipher;
  private byte[] scratch = new byte[0];

  /** π with the given public 16-byte key. */
  public FixedKeyAes(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != 16) {
      throw new IllegalArgumentException("an AES-128 key has 16 bytes");
    }
    try {
      cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required of every Java platform", e);
    }
  }

  /** π with the key {@code label} padded with zeros (or cut) to 16 bytes: a named public key. */
  public static FixedKeyAes named(String label) {
    byte[] k = Arrays.copyOf(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 16);
    return new FixedKeyAes(k);
  }

  /** {@code out[outBlock + j] = π(in[inBlock + j])} for {@code j < blocks}. */
  public void permute(byte[] in, int inBlock, byte[] out, int outBlock, int blocks) {
    if (blocks == 0) {
      return;
    }
    int inOff = inBlock * Blocks.BYTES;
    int outOff = outBlock * Blocks.BYTES;
    int len = blocks * Blocks.BYTES;
    if (in == out && inOff < outOff + len && outOff < inOff + len && inOff != outOff) {
      throw new IllegalArgumentException("input and output ranges overlap");
    }
    try {
      if (in == out && inOff == outOff) {
        // The provider copies overlapping input itself; do it once here in a reused buffer.
        byte[] tmp = scratch(len);
        System.arraycopy(in, inOff, tmp, 0, len);
        cipher.update(tmp, 0, len, out, outOff);
      } else {
        cipher.update(in, inOff, len, out, outOff);
      }
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output array too short", e);
    }
  }

  /**
   * {@code out[outBlock + j] = π(σ(x)) ⊕ σ(x)} with {@code x = in[inBlock + j]} and the linear
   * orthomorphism {@code σ(x_0, x_1) = (x_0 ⊕ x_1, x_0)} on the two 64-bit words: GKWY20's
   * circular correlation-robust hash (§7.3), the left child of the half-tree GGM. {@code scratch}
   * must hold {@code blocks} blocks and may not be {@code in} or {@code out}.
   */
  public void ccr(byte[] in, int inBlock, byte[] out, int outBlock, int blocks, byte[] scratch) {
    for (int j = 0; j < blocks; j++) {
      long x0 = Blocks.lo(in, inBlock + j);
      long x1 = Blocks.hi(in, inBlock + j);
      Blocks.set(scratch, j, x0 ^ x1, x0);
    }
    permute(scratch, 0, out, outBlock, blocks);
    Blocks.xorRange(out, outBlock, scratch, 0, blocks);
  }

  /** {@code out[outBlock + j] = π(x) ⊕ x} with {@code x = in[inBlock + j]}. */
  public void mmo(byte[] in, int inBlock, byte[] out, int outBlock, int blocks) {
    if (in == out && inBlock == outBlock) {
      byte[] tmp = scratch(blocks * Blocks.BYTES);
      cipher(in, inBlock, tmp, blocks);
      Blocks.xorRange(out, outBlock, tmp, 0, blocks);
      return;
    }
    permute(in, inBlock, out, outBlock, blocks);
    Blocks.xorRange(out, outBlock, in, inBlock, blocks);
  }

  private void cipher(byte[] in, int inBlock, byte[] out, int blocks) {
    try {
      cipher.update(in, inBlock * Blocks.BYTES, blocks * Blocks.BYTES, out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] scratch(int len) {
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, 2 * scratch.length)];
    }
    return scratch;
  }

  @Override
  public String toString() {
    return "FixedKeyAes[public key]";
  }
}
