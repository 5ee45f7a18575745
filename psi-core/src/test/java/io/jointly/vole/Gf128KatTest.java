package io.jointly.vole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.testing.Vectors;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * GF(2^128) multiplication against AES-GCM known answers (Project Wycheproof): GCM's GHASH is a
 * polynomial evaluation in the same field (NIST SP 800-38D §6.4, bit-reflected byte strings), so
 * {@code tag = GHASH_H(A, C) ⊕ AES_K(J0)} with {@code H = AES_K(0^128)} tests {@link
 * Gf128#multiply} and the GCM-layout conversion.
 */
class Gf128KatTest {
  private static final String FILE = "aes128_gcm_wycheproof.json";

  @Test
  void ghash_wycheproofVectors_reproduceTags() throws Exception {
    List<JsonNode> vectors = Vectors.vectors(FILE, "gcm");
    assertThat(vectors).hasSize(10);
    for (JsonNode v : vectors) {
      byte[] key = Vectors.hex(v, "key");
      byte[] iv = Vectors.hex(v, "iv");
      byte[] aad = Vectors.hex(v, "aad");
      byte[] ct = Vectors.hex(v, "ct");
      byte[] tag = Vectors.hex(v, "tag");
      // The vector is a valid encryption for an independent implementation too.
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      gcm.updateAAD(aad);
      byte[] sealed = gcm.doFinal(Vectors.hex(v, "msg"));
      assertThat(HexFormat.of().formatHex(sealed)).isEqualTo(v.get("ct").asText() + v.get("tag").asText());

      assertThat(gcmTag(key, iv, aad, ct)).as("tcId " + v.get("tcId")).isEqualTo(tag);
    }
  }

  /** The GCM tag from GHASH computed with {@link Gf128} (SP 800-38D Algorithm 2 and §7.1 step 5-6). */
  static byte[] gcmTag(byte[] key, byte[] iv, byte[] aad, byte[] ct) throws Exception {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    long[] h = Gf128.fromGcmBlock(ecb.doFinal(new byte[16]), 0);
    long[] x = {0, 0};
    x = absorb(x, h, aad);
    x = absorb(x, h, ct);
    byte[] lengths = new byte[16];
    long aBits = 8L * aad.length;
    long cBits = 8L * ct.length;
    for (int i = 0; i < 8; i++) {
      lengths[7 - i] = (byte) (aBits >>> (8 * i));
      lengths[15 - i] = (byte) (cBits >>> (8 * i));
    }
    x = step(x, h, lengths, 0);
    byte[] j0 = new byte[16];
    System.arraycopy(iv, 0, j0, 0, 12);
    j0[15] = 1;
    byte[] ekj0 = ecb.doFinal(j0);
    byte[] s = Gf128.toGcmBlock(x[0], x[1]);
    byte[] out = new byte[16];
    for (int i = 0; i < 16; i++) {
      out[i] = (byte) (s[i] ^ ekj0[i]);
    }
    return out;
  }

  private static long[] absorb(long[] x, long[] h, byte[] data) {
    for (int off = 0; off < data.length; off += 16) {
      byte[] block = new byte[16];
      System.arraycopy(data, off, block, 0, Math.min(16, data.length - off));
      x = step(x, h, block, 0);
    }
    return x;
  }

  private static long[] step(long[] x, long[] h, byte[] block, int off) {
    long[] b = Gf128.fromGcmBlock(block, off);
    long[] r = new long[2];
    Gf128.multiply(x[0] ^ b[0], x[1] ^ b[1], h[0], h[1], r);
    return r;
  }
}
