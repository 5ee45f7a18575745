package io.jointly.secagg.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator that expands a 256-bit seed into a mask: AES-256 in counter mode
 * (NIST SP 800-38A §6.5) with the seed as key and a zero initial counter block, the keystream read
 * as little-endian 64-bit words, i.e. elements of Z_2^64. Word {@code w} of the stream is bytes
 * {@code 8w .. 8w+7} of the keystream, so any range can be produced independently (the counter
 * block of word {@code w} is {@code w / 2}), which lets the server unmask in parallel slices.
 *
 * <p>Each seed keys exactly one stream: a self-mask seed is fresh per client and run, and a
 * pairwise seed is derived per pair and run (HKDF with the run's digest), so no key/counter pair
 * is ever reused for different purposes. The two ends of a pair produce the <em>same</em> stream on
 * purpose: that is how pairwise masks cancel.
 *
 * <p>Implementation: JCE {@code AES/CTR/NoPadding}, which HotSpot compiles to AES-NI counter-mode
 * intrinsics on x86-64 and to the ARMv8 crypto extensions on AArch64. The benchmark {@code
 * io.jointly.bench.secagg.PrgBenchmark} compares it with Bouncy Castle's AES-CTR and ChaCha20
 * (which run in plain Java) — see bench/README.md; the JCE path was the fastest by a wide margin.
 *
 * <p>Stateless and thread-safe (each call uses its own {@link Cipher}).
 */
public final class MaskPrg {
  /** Seed (AES-256 key) length. */
  public static final int SEED_BYTES = 32;

  /** Words per chunk of keystream (32 KiB: stays in L1/L2 while it is added). */
  private static final int CHUNK_WORDS = 4096;

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final byte[] ZEROS = new byte[CHUNK_WORDS * 8];

  private MaskPrg() {}

  /**
   * Adds ({@code negate == false}) or subtracts words {@code firstWord .. firstWord + count − 1}
   * of the stream of {@code seed} to {@code acc[offset ..]}, modulo 2^64.
   *
   * @param firstWord the first word of the stream, ≥ 0 and even (streams are consumed in 16-byte
   *     AES blocks; every caller slices at even word offsets)
   */
  public static void apply(
      byte[] seed, long firstWord, long[] acc, int offset, int count, boolean negate) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes");
    }
    if (firstWord < 0 || (firstWord & 1) != 0) {
      throw new IllegalArgumentException("first word must be even and >= 0");
    }
    java.util.Objects.checkFromIndexSize(offset, count, acc.length);
    Cipher cipher = cipher(seed, firstWord >>> 1);
    byte[] buf = new byte[Math.min(count, CHUNK_WORDS) * 8 + 16];
    try {
      int done = 0;
      while (done < count) {
        int words = Math.min(CHUNK_WORDS, count - done);
        int bytes = ((words * 8) + 15) & ~15; // whole blocks keep the counter aligned
        int produced = cipher.update(ZEROS, 0, bytes, buf, 0);
        if (produced != bytes) {
          throw new IllegalStateException("AES-CTR produced " + produced + " of " + bytes + " bytes");
        }
        int base = offset + done;
        if (negate) {
          for (int i = 0; i < words; i++) {
            acc[base + i] -= (long) LE_LONG.get(buf, i * 8);
          }
        } else {
          for (int i = 0; i < words; i++) {
            acc[base + i] += (long) LE_LONG.get(buf, i * 8);
          }
        }
        done += words;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }

  /**
   * A sequential reader of the stream of {@code seed} from word 0, for deterministic public
   * choices (the neighbour graph's permutation).
   */
  public static Stream stream(byte[] seed) {
    return new Stream(seed);
  }

  /** Sequential words of one stream. Not thread-safe. */
  public static final class Stream {
    private final Cipher cipher;
    private final byte[] buf = new byte[512];
    private int pos = buf.length;

    private Stream(byte[] seed) {
      if (seed.length != SEED_BYTES) {
        throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes");
      }
      this.cipher = cipher(seed, 0);
    }

    /** The next 64-bit word. */
    public long nextLong() {
      if (pos == buf.length) {
        try {
          cipher.update(ZEROS, 0, buf.length, buf, 0);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-CTR failed", e);
        }
        pos = 0;
      }
      long v = (long) LE_LONG.get(buf, pos);
      pos += 8;
      return v;
    }

    /** A uniform integer in [0, bound), by rejection (no modulo bias). */
    public int nextInt(int bound) {
      if (bound < 1) {
        throw new IllegalArgumentException("bound must be positive");
      }
      long excess = (Long.remainderUnsigned(-1L, bound) + 1) % bound; // 2^64 mod bound
      while (true) {
        long v = nextLong();
        // accept v < 2^64 - excess: that range holds a whole number of copies of [0, bound)
        if (excess == 0 || Long.compareUnsigned(v, -excess) < 0) {
          return (int) Long.remainderUnsigned(v, bound);
        }
      }
    }
  }

  private static Cipher cipher(byte[] seed, long block) {
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[15 - i] = (byte) (block >>> (8 * i));
    }
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(iv));
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is not available", e);
    }
  }
}
