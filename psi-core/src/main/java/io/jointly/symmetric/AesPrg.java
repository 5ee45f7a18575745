package io.jointly.symmetric;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pseudorandom generator: the AES-128-CTR key stream under a 16-byte seed, counter starting at
 * zero. With a secret uniform seed its output is pseudorandom (AES as a PRP); with a public seed it
 * expands public randomness that both parties derive alike (a code's random matrix, an OKVS's row
 * hashes). The stream is the same on every platform, so two parties with the same seed read the
 * same bytes in the same order.
 *
 * <p>HotSpot runs AES-CTR as a pipelined AES-NI stub, several times faster per block than single
 * blocks through ECB; draw large chunks.
 *
 * <p>Not thread-safe. Holds its seed as an AES key: treat an instance seeded with a secret as that
 * secret (redacted {@code toString}).
 */
public final class AesPrg {
  private static final int CHUNK = 1 << 16;
  /** Reads of at least this many bytes are encrypted straight into the caller's array. */
  private static final int DIRECT = 1 << 10;
  private static final byte[] ZEROS = new byte[CHUNK];

  static {
    warmUp();
  }

  /**
   * HotSpot replaces the provider's whole CTR loop by its AES-NI stub only when it compiles that
   * method normally, which needs many calls; a few long calls get an on-stack-replacement compile
   * of the plain Java loop instead, 50–100 times slower (measured: 0.05–0.09 GB/s against 6–7
   * GB/s here). So the class makes 20,000 one-block calls once, under a throwaway key (about 20
   * ms), before any real use.
   */
  private static void warmUp() {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
      byte[] in = new byte[16];
      byte[] out = new byte[16];
      for (int i = 0; i < 20_000; i++) {
        c.update(in, 0, 16, out, 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required of every Java platform", e);
    }
  }

  private final Cipher cipher;
  /** Stream bytes drawn ahead for short reads, allocated at the second one. */
  private byte[] buffer;
  private int available;
  private boolean shortReadSeen;

  /** The generator seeded with {@code seed} (16 bytes, copied). */
  public AesPrg(byte[] seed) {
    this(seed, 0);
  }

  /**
   * The same stream as {@link #AesPrg(byte[])}, starting at its block {@code startBlock} (byte
   * {@code 16·startBlock}): so that several threads can each produce their own part of one stream.
   */
  public AesPrg(byte[] seed, long startBlock) {
    this(seed, 0, startBlock);
  }

  /**
   * The AES-128-CTR key stream under {@code seed} from the initial counter block {@code nonce ‖
   * startBlock} (two big-endian 64-bit words): independent streams of one seed under distinct
   * nonces, each good for 2^64 blocks (the IKNP extension's G draws batch {@code b} of a seed from
   * nonce b). {@code nonce = 0} is the stream of {@link #AesPrg(byte[], long)}.
   */
  public AesPrg(byte[] seed, long nonce, long startBlock) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != 16) {
      throw new IllegalArgumentException("a seed has 16 bytes");
    }
    if (startBlock < 0) {
      throw new IllegalArgumentException("startBlock must be >= 0");
    }
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[7 - i] = (byte) (nonce >>> (8 * i));
      iv[15 - i] = (byte) (startBlock >>> (8 * i));
    }
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(iv));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is required of every Java platform", e);
    }
  }

  /** Fills {@code out[off, off + len)} with the next {@code len} bytes of the stream. */
  public void nextBytes(byte[] out, int off, int len) {
    Objects.checkFromIndexSize(off, len, out.length);
    // Serve buffered bytes first so that the stream is the same however it is cut into calls.
    int fromBuffer = Math.min(available, len);
    if (fromBuffer > 0) {
      System.arraycopy(buffer, CHUNK - available, out, off, fromBuffer);
      available -= fromBuffer;
      off += fromBuffer;
      len -= fromBuffer;
    }
    try {
      while (len >= CHUNK) {
        cipher.update(ZEROS, 0, CHUNK, out, off);
        off += CHUNK;
        len -= CHUNK;
      }
      if (len >= DIRECT || !shortReadSeen) {
        // The provider's CTR continues mid-block, so a long tail, or the first short read (a
        // generator used once, as the IKNP extension's G), needs no read-ahead.
        shortReadSeen |= len > 0 && len < DIRECT;
        if (len > 0) {
          cipher.update(ZEROS, 0, len, out, off);
        }
      } else if (len > 0) {
        if (buffer == null) {
          buffer = new byte[CHUNK];
        }
        cipher.update(ZEROS, 0, CHUNK, buffer, 0);
        System.arraycopy(buffer, 0, out, off, len);
        available = CHUNK - len;
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fills {@code out} with the next bytes of the stream. */
  public void nextBytes(byte[] out) {
    nextBytes(out, 0, out.length);
  }

  /** The next 8 bytes of the stream, little-endian. */
  public long nextLong() {
    byte[] b = new byte[8];
    nextBytes(b, 0, 8);
    long v = Blocks.word(b, 0);
    Arrays.fill(b, (byte) 0);
    return v;
  }

  /**
   * A permutation of [0, n) by Fisher–Yates from this stream, each index drawn by Lemire's
   * multiply-and-shift with rejection ("Fast Random Integer Generation in an Interval", ACM TOMACS
   * 2019), so it is exactly uniform given uniform stream bytes.
   */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    byte[] words = new byte[Math.max(4, Math.min(1 << 16, 4 * n))];
    int at = words.length;
    for (int i = n - 1; i > 0; i--) {
      long bound = i + 1L;
      long threshold = (1L << 32) % bound;
      long product;
      do {
        if (at == words.length) {
          nextBytes(words, 0, words.length);
          at = 0;
        }
        long x = Integer.toUnsignedLong((int) INTS.get(words, at));
        at += 4;
        product = x * bound;
      } while ((product & 0xFFFFFFFFL) < threshold);
      int j = (int) (product >>> 32);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    Arrays.fill(words, (byte) 0);
    return p;
  }

  private static final java.lang.invoke.VarHandle INTS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  @Override
  public String toString() {
    return "AesPrg[redacted]";
  }
}
