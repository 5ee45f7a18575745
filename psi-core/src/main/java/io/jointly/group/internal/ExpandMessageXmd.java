package io.jointly.group.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.bouncycastle.crypto.ExtendedDigest;

/**
 * RFC 9380 §5.3.1 {@code expand_message_xmd}, over any Merkle–Damgård hash (SHA-256, SHA-512,
 * SM3), including the §5.3.3 rule for domain-separation tags longer than 255 bytes.
 *
 * <p>Immutable and thread-safe: each call uses a fresh digest. Not constant-time in the message
 * length (which is public); the message content is processed by the hash only.
 */
public final class ExpandMessageXmd {
  private static final byte[] OVERSIZE_PREFIX =
      "H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII);

  private final Supplier<ExtendedDigest> digests;
  private final int bInBytes;
  private final int sInBytes;
  private final byte[] dstPrime;

  /**
   * @param digests a fresh digest per call (for example {@code SHA512Digest::new})
   * @param dst the domain-separation tag (any length; over 255 bytes it is hashed per §5.3.3)
   */
  public ExpandMessageXmd(Supplier<ExtendedDigest> digests, byte[] dst) {
    this.digests = digests;
    ExtendedDigest d = digests.get();
    this.bInBytes = d.getDigestSize();
    this.sInBytes = d.getByteLength();
    byte[] tag = effectiveTag(digests, dst);
    // DST_prime = DST || I2OSP(len(DST), 1)
    this.dstPrime = new byte[tag.length + 1];
    System.arraycopy(tag, 0, dstPrime, 0, tag.length);
    dstPrime[tag.length] = (byte) tag.length;
  }

  /**
   * The tag actually used for {@code dst} (RFC 9380 §5.3.3): itself if at most 255 bytes, otherwise
   * {@code H("H2C-OVERSIZE-DST-" || dst)}. For hash-to-curve code that feeds a tag to other
   * expanders.
   */
  public static byte[] effectiveTag(Supplier<ExtendedDigest> digests, byte[] dst) {
    if (dst.length <= 255) {
      return dst;
    }
    ExtendedDigest d = digests.get();
    d.update(OVERSIZE_PREFIX, 0, OVERSIZE_PREFIX.length);
    d.update(dst, 0, dst.length);
    byte[] tag = new byte[d.getDigestSize()];
    d.doFinal(tag, 0);
    return tag;
  }

  /** {@code expand_message_xmd(msg, DST, lenInBytes)}. */
  public byte[] expand(byte[] msg, int lenInBytes) {
    // 1. ell = ceil(len_in_bytes / b_in_bytes); 2. ABORT if ell > 255 or len_in_bytes > 65535
    int ell = (lenInBytes + bInBytes - 1) / bInBytes;
    if (lenInBytes <= 0 || ell > 255 || lenInBytes > 65535) {
      throw new IllegalArgumentException("len_in_bytes out of range: " + lenInBytes);
    }
    ExtendedDigest h = digests.get();
    // msg_prime = Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime
    h.update(new byte[sInBytes], 0, sInBytes);
    h.update(msg, 0, msg.length);
    h.update((byte) (lenInBytes >>> 8));
    h.update((byte) lenInBytes);
    h.update((byte) 0);
    h.update(dstPrime, 0, dstPrime.length);
    byte[] b0 = new byte[bInBytes];
    h.doFinal(b0, 0);
    // b_1 = H(b_0 || I2OSP(1, 1) || DST_prime)
    byte[] out = new byte[ell * bInBytes];
    byte[] bi = new byte[bInBytes];
    h.update(b0, 0, bInBytes);
    h.update((byte) 1);
    h.update(dstPrime, 0, dstPrime.length);
    h.doFinal(bi, 0);
    System.arraycopy(bi, 0, out, 0, bInBytes);
    // b_i = H(strxor(b_0, b_(i - 1)) || I2OSP(i, 1) || DST_prime)
    for (int i = 2; i <= ell; i++) {
      for (int j = 0; j < bInBytes; j++) {
        bi[j] ^= b0[j];
      }
      h.update(bi, 0, bInBytes);
      h.update((byte) i);
      h.update(dstPrime, 0, dstPrime.length);
      h.doFinal(bi, 0);
      System.arraycopy(bi, 0, out, (i - 1) * bInBytes, bInBytes);
    }
    if (out.length == lenInBytes) {
      return out;
    }
    byte[] trimmed = new byte[lenInBytes];
    System.arraycopy(out, 0, trimmed, 0, lenInBytes);
    return trimmed;
  }
}
