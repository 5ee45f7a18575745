package io.jointly.psi.vole;

import io.jointly.symmetric.Blocks;
import io.jointly.symmetric.FixedKeyAes;
import io.jointly.vole.Gf128Multiplier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The per-item mathematics of VOLE PSI, as pure functions over {@link Blocks} arrays (so that tests
 * need no channel): item keys, OKVS values, outputs, and the packing of ℓ-bit values.
 *
 * <ul>
 *   <li>Item key {@code k(x) = SHA-256(DST ‖ s ‖ x)[0..16)} with the bank's session seed s: a random
 *       oracle onto 128-bit strings (collisions among 2^27 items: probability below 2^-74).
 *   <li>OKVS value {@code H^B(x) = trunc_ℓ(π_v(k) ⊕ k)}, and output {@code H^o(z) = trunc(π_o(z) ⊕
 *       z)}: fixed-key AES (keys derived from s) in the Matyas–Meyer–Oseas form, modelled as random
 *       oracles (RR22's H^B and H^o).
 * </ul>
 */
final class VolePsiMath {
  static final byte[] ITEM_DST = "jointly/vole-psi/v1/item".getBytes(StandardCharsets.US_ASCII);

  private VolePsiMath() {}

  /**
   * ℓ, the bits of OKVS values and of outputs: {@code λ + ⌈log2 n_x⌉ + ⌈log2 n_y⌉} (RR22 §4, "low
   * communication instantiation": |B| ≥ 2^(λ + log2(n_x·n_y))), rounded up to whole bytes, at most
   * 128.
   */
  static int valueBits(int lambda, long nx, long ny) {
    int bits = lambda + ceilLog2(nx) + ceilLog2(ny);
    return Math.min(128, (bits + 7) / 8 * 8);
  }

  static int ceilLog2(long x) {
    return x <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(x - 1);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * The keys of items {@code order[from..to)} (or items {@code from..to} if {@code order} is null)
   * into blocks {@code [from, to)} of {@code out}.
   */
  static void itemKeys(byte[][] items, int[] order, byte[] seed, int from, int to, byte[] out) {
    MessageDigest d = sha256();
    byte[] digest = new byte[32];
    int prefix = ITEM_DST.length + seed.length;
    byte[] buf = new byte[prefix + 64];
    System.arraycopy(ITEM_DST, 0, buf, 0, ITEM_DST.length);
    System.arraycopy(seed, 0, buf, ITEM_DST.length, seed.length);
    for (int i = from; i < to; i++) {
      byte[] x = items[order == null ? i : order[i]];
      if (prefix + x.length > buf.length) {
        buf = Arrays.copyOf(buf, prefix + x.length);
      }
      // One update of DST ‖ s ‖ x: the same digest as three, with less overhead per item.
      System.arraycopy(x, 0, buf, prefix, x.length);
      d.update(buf, 0, prefix + x.length);
      try {
        d.digest(digest, 0, 32);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
      System.arraycopy(digest, 0, out, i * Blocks.BYTES, Blocks.BYTES);
    }
    Arrays.fill(buf, (byte) 0);
    Arrays.fill(digest, (byte) 0);
  }

  /** A fixed-key permutation keyed by {@code SHA-256(label ‖ seed)[0..16)}. */
  static FixedKeyAes permutation(byte[] seed, String label) {
    MessageDigest d = sha256();
    d.update(label.getBytes(StandardCharsets.US_ASCII));
    d.update(seed);
    return new FixedKeyAes(Arrays.copyOf(d.digest(), 16));
  }

  /** {@code out[i] = trunc_ℓ(π(k_i) ⊕ k_i)} for blocks {@code [from, from + count)}. */
  static void values(FixedKeyAes pi, byte[] keys, int from, int count, int ell, byte[] out) {
    pi.mmo(keys, from, out, from, count);
    truncate(out, from, count, ell);
  }

  /** Keeps the low {@code ell} bits of each block. */
  static void truncate(byte[] blocks, int from, int count, int ell) {
    if (ell >= 128) {
      return;
    }
    long maskLo = ell >= 64 ? -1L : (1L << ell) - 1;
    long maskHi = ell <= 64 ? 0 : (1L << (ell - 64)) - 1;
    for (int i = from; i < from + count; i++) {
      Blocks.set(blocks, i, Blocks.lo(blocks, i) & maskLo, Blocks.hi(blocks, i) & maskHi);
    }
  }

  /**
   * The sender's decoded values turned into what it must match: {@code z_i ⊕= Δ·v_i} for blocks
   * {@code [from, from + count)}.
   */
  static void addDeltaTimes(Gf128Multiplier delta, byte[] values, byte[] z, int from, int count) {
    for (int i = from; i < from + count; i++) {
      long vLo = Blocks.lo(values, i);
      long vHi = Blocks.hi(values, i);
      Blocks.xor(z, i, delta.productLo(vLo, vHi), delta.productHi(vLo, vHi));
    }
  }

  /**
   * The outputs {@code H^o(z_i)} of blocks {@code [from, from + count)}, {@code outBytes} each, at
   * {@code out[(i - from)·outBytes + off]}. {@code scratch} holds at least {@code count} blocks.
   */
  static void outputs(FixedKeyAes pi, byte[] z, int from, int count, int outBytes, byte[] scratch, byte[] out, int off) {
    pi.mmo(z, from, scratch, 0, count);
    for (int i = 0; i < count; i++) {
      System.arraycopy(scratch, i * Blocks.BYTES, out, off + i * outBytes, outBytes);
    }
  }

  /** Packs the low {@code bytes} bytes of blocks {@code [from, from + count)} contiguously. */
  static void pack(byte[] blocks, int from, int count, int bytes, byte[] out, int off) {
    for (int i = 0; i < count; i++) {
      System.arraycopy(blocks, (from + i) * Blocks.BYTES, out, off + i * bytes, bytes);
    }
  }

  /** Unpacks {@code count} values of {@code bytes} bytes into blocks {@code [from, from+count)} (high bytes zero). */
  static void unpack(byte[] in, int off, int count, int bytes, byte[] blocks, int from) {
    for (int i = 0; i < count; i++) {
      int at = (from + i) * Blocks.BYTES;
      System.arraycopy(in, off + i * bytes, blocks, at, bytes);
      Arrays.fill(blocks, at + bytes, at + Blocks.BYTES, (byte) 0);
    }
  }
}
