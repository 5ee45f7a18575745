package io.jointly.vole;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * GF(2^128) against an independent plain computation: polynomials over GF(2) as {@link BigInteger}
 * bit sets, multiplied by shift-and-xor and reduced by long division by X^128 + X^7 + X^2 + X + 1.
 */
class Gf128PropertyTest {
  private static final BigInteger MODULUS =
      BigInteger.ONE.shiftLeft(128).or(BigInteger.valueOf(0x87));

  static BigInteger poly(long lo, long hi) {
    return new BigInteger(1, toBigEndian(lo, hi));
  }

  static byte[] toBigEndian(long lo, long hi) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[15 - i] = (byte) (lo >>> (8 * i));
      b[7 - i] = (byte) (hi >>> (8 * i));
    }
    return b;
  }

  static BigInteger plainMultiply(BigInteger a, BigInteger b) {
    BigInteger r = BigInteger.ZERO;
    for (int i = 0; i < b.bitLength(); i++) {
      if (b.testBit(i)) {
        r = r.xor(a.shiftLeft(i));
      }
    }
    for (int i = r.bitLength() - 1; i >= 128; i--) {
      if (r.testBit(i)) {
        r = r.xor(MODULUS.shiftLeft(i - 128));
      }
    }
    return r;
  }

  @Property(tries = 300)
  void multiply_matchesPlainPolynomialArithmetic(@ForAll long aLo, @ForAll long aHi, @ForAll long bLo, @ForAll long bHi) {
    long[] r = new long[2];
    Gf128.multiply(aLo, aHi, bLo, bHi, r);
    assertThat(poly(r[0], r[1])).isEqualTo(plainMultiply(poly(aLo, aHi), poly(bLo, bHi)));
  }

  @Property(tries = 200)
  void mulX_isMultiplicationByX(@ForAll long lo, @ForAll long hi) {
    long[] r = new long[2];
    Gf128.multiply(lo, hi, 2, 0, r);
    assertThat(Gf128.mulXLo(lo, hi)).isEqualTo(r[0]);
    assertThat(Gf128.mulXHi(lo, hi)).isEqualTo(r[1]);
  }

  @Property(tries = 200)
  void multiplier_matchesMultiply(
      @ForAll long dLo, @ForAll long dHi, @ForAll long xLo, @ForAll long xHi, @ForAll @IntRange(min = 1, max = 128) int bits) {
    long mLo = bits >= 64 ? xLo : xLo & ((1L << bits) - 1);
    long mHi = bits <= 64 ? 0 : bits == 128 ? xHi : xHi & ((1L << (bits - 64)) - 1);
    Gf128Multiplier m = new Gf128Multiplier(dLo, dHi, bits);
    long[] expected = new long[2];
    Gf128.multiply(mLo, mHi, dLo, dHi, expected);
    long[] got = new long[2];
    m.multiply(mLo, mHi, got);
    assertThat(got).containsExactly(expected[0], expected[1]);
    assertThat(m.productLo(mLo, mHi)).isEqualTo(expected[0]);
    assertThat(m.productHi(mLo, mHi)).isEqualTo(expected[1]);
    m.destroy();
    m.multiply(mLo, mHi, got);
    assertThat(got).containsExactly(0L, 0L);
    assertThat(m.toString()).contains("redacted");
  }

  @Property(tries = 100)
  void gcmLayout_roundTrips(@ForAll @Size(16) byte[] block) {
    long[] e = Gf128.fromGcmBlock(block, 0);
    assertThat(Gf128.toGcmBlock(e[0], e[1])).isEqualTo(block);
  }

  @Property(tries = 40)
  void ghash_randomGcmEncryptions_reproduceJdkTags(
      @ForAll @Size(16) byte[] key, @ForAll @Size(12) byte[] iv, @ForAll @Size(max = 70) byte[] aad, @ForAll @Size(max = 100) byte[] msg)
      throws Exception {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(aad);
    byte[] sealed = gcm.doFinal(msg);
    byte[] ct = java.util.Arrays.copyOf(sealed, msg.length);
    byte[] tag = java.util.Arrays.copyOfRange(sealed, msg.length, sealed.length);
    assertThat(Gf128KatTest.gcmTag(key, iv, aad, ct)).isEqualTo(tag);
  }

  @Property(tries = 50)
  void multiply_fieldLaws(@ForAll long a0, @ForAll long a1, @ForAll long b0, @ForAll long b1, @ForAll long c0, @ForAll long c1) {
    long[] ab = new long[2];
    long[] ba = new long[2];
    Gf128.multiply(a0, a1, b0, b1, ab);
    Gf128.multiply(b0, b1, a0, a1, ba);
    assertThat(ab).isEqualTo(ba);
    long[] left = new long[2];
    Gf128.multiply(a0, a1, b0 ^ c0, b1 ^ c1, left);
    long[] ac = new long[2];
    Gf128.multiply(a0, a1, c0, c1, ac);
    assertThat(left).containsExactly(ab[0] ^ ac[0], ab[1] ^ ac[1]);
  }

}
