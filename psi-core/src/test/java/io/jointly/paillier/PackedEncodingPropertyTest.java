package io.jointly.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.FixedPoint;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

/**
 * Packed slots against the plain slot-wise sums, at the declared bounds and beyond them. Packing
 * and unpacking are checked on plaintexts (cheap, many tries); a smaller number of tries goes
 * through encryption.
 */
class PackedEncodingPropertyTest {
  private static final PaillierKeyPair KEYS = TestKeys.key2048();
  private static final PaillierPublicKey PK = KEYS.publicKey();
  private static final PaillierEncryptor ENC =
      PaillierEncryptor.builder(PK).random(new SecureRandom()).secretKey(KEYS.secretKey()).build();
  private static final PaillierDecryptor DEC = new PaillierDecryptor(KEYS.secretKey());

  @AfterContainer
  static void close() {
    ENC.close();
  }

  @Test
  void layout_default_derivesSlotBitsFromRangeAndAdditions() {
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1000.0, 1 << 20, PaillierParameters.PAILLIER_2048);
    // 1000·2^24 needs 34 bits, 2^20 additions 20 more, one sign bit.
    assertThat(enc.slotBits()).isEqualTo(34 + 20 + 1);
    assertThat(enc.slots()).isEqualTo((2048 - 2) / 55);
    assertThatThrownBy(() -> PackedEncoding.of(FixedPoint.DEFAULT, 1000.0, 0, PaillierParameters.PAILLIER_2048))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Sums of {@code terms} random slot vectors, values anywhere in ±maxEncoded, as plaintexts. */
  @Property(tries = 300)
  void packedPlaintextSum_matchesSlotwiseSum(
      @ForAll @IntRange(min = 1, max = 62) int fractionBitsMinus,
      @ForAll @LongRange(min = 1, max = 1L << 40) long additions,
      @ForAll @IntRange(min = 1, max = 64) int termsWanted,
      @ForAll long seed) {
    FixedPoint codec = new FixedPoint(Math.min(fractionBitsMinus, 40));
    double maxAbs = Math.scalb(1.0, 20 - codec.fractionalBits() / 2);
    PackedEncoding enc = PackedEncoding.of(codec, maxAbs, additions, PaillierParameters.PAILLIER_2048);
    SplittableRandom random = new SplittableRandom(seed);
    int count = 1 + random.nextInt(enc.slots());
    long terms = Math.min(termsWanted, additions);
    long max = enc.maxEncoded();
    BigInteger[] expected = new BigInteger[count];
    Arrays.fill(expected, BigInteger.ZERO);
    BigInteger acc = BigInteger.ZERO;
    for (int t = 0; t < terms; t++) {
      long[] v = new long[count];
      for (int j = 0; j < count; j++) {
        int pick = random.nextInt(4);
        v[j] = pick == 0 ? max : pick == 1 ? -max : random.nextLong(-max, max + 1);
        expected[j] = expected[j].add(BigInteger.valueOf(v[j]));
      }
      acc = acc.add(enc.pack(v, PK)).mod(PK.n());
    }
    long[] got = enc.unpack(acc, count, PK);
    for (int j = 0; j < count; j++) {
      assertThat(BigInteger.valueOf(got[j])).isEqualTo(expected[j]);
    }
  }

  @Test
  void packedPlaintext_extremeSlotsAtFullWeight_unpackExactly() {
    // Every slot at ±additions·maxEncoded, the largest magnitudes the layout promises.
    long additions = 1000;
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1.0, additions, PaillierParameters.PAILLIER_2048);
    long max = enc.maxEncoded();
    long[] up = new long[enc.slots()];
    long[] alternating = new long[enc.slots()];
    for (int j = 0; j < up.length; j++) {
      up[j] = max;
      alternating[j] = j % 2 == 0 ? -max : max;
    }
    for (long[] v : List.of(up, alternating, negate(up))) {
      BigInteger one = enc.pack(v, PK);
      BigInteger sum = one.multiply(BigInteger.valueOf(additions)).mod(PK.n());
      long[] got = enc.unpack(sum, v.length, PK);
      for (int j = 0; j < v.length; j++) {
        assertThat(got[j]).isEqualTo(v[j] * additions);
      }
    }
  }

  @Property(tries = 8)
  void encryptedPackedSum_decryptsToSlotwiseSum(
      @ForAll @IntRange(min = 1, max = 6) int terms, @ForAll long seed) {
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1e4, 8, PaillierParameters.PAILLIER_2048);
    SplittableRandom random = new SplittableRandom(seed);
    int count = 1 + random.nextInt(enc.slots());
    double[] expected = new double[count];
    List<PackedCiphertext> cts = new ArrayList<>();
    for (int t = 0; t < terms; t++) {
      double[] v = new double[count];
      for (int j = 0; j < count; j++) {
        v[j] = random.nextDouble(-1e4, 1e4);
        expected[j] += v[j];
      }
      cts.add(enc.encrypt(ENC, v));
    }
    PackedCiphertext sum = enc.sum(ENC, cts);
    assertThat(sum.weight()).isEqualTo(terms);
    double[] got = enc.decrypt(DEC, sum);
    for (int j = 0; j < count; j++) {
      assertThat(got[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(terms * 1e-7));
    }
  }

  @Property(tries = 5)
  void encryptedPacked_negativeScalarAndSubtract_matchSlotwise(
      @ForAll @LongRange(min = -50, max = 50) long k, @ForAll long seed) {
    if (k == 0) {
      k = -3;
    }
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 100.0, 200, PaillierParameters.PAILLIER_2048);
    SplittableRandom random = new SplittableRandom(seed);
    int count = enc.slots();
    long[] a = new long[count];
    long[] b = new long[count];
    for (int j = 0; j < count; j++) {
      a[j] = random.nextLong(-enc.maxEncoded(), enc.maxEncoded() + 1);
      b[j] = random.nextLong(-enc.maxEncoded(), enc.maxEncoded() + 1);
    }
    PackedCiphertext ca = enc.encryptEncoded(ENC, a);
    PackedCiphertext cb = enc.encryptEncoded(ENC, b);
    long[] scaled = enc.decryptEncoded(DEC, enc.multiply(ENC, ca, k));
    long[] diff = enc.decryptEncoded(DEC, enc.subtract(ENC, ca, cb));
    for (int j = 0; j < count; j++) {
      assertThat(scaled[j]).isEqualTo(a[j] * k);
      assertThat(diff[j]).isEqualTo(a[j] - b[j]);
    }
  }

  @Test
  void operations_beyondDeclaredAdditions_areRejected() {
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1.0, 3, PaillierParameters.PAILLIER_2048);
    PackedCiphertext one = enc.encrypt(ENC, new double[] {0.5, -0.5});
    PackedCiphertext three = enc.sum(ENC, List.of(one, one, one));
    assertThat(enc.decrypt(DEC, three)).containsExactly(1.5, -1.5);
    assertThatThrownBy(() -> enc.add(ENC, three, one)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.multiply(ENC, one, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.multiply(ENC, one, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.wrap(one.ciphertext(), 2, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.wrap(one.ciphertext(), enc.slots() + 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pack_valuesOutsideDeclaredRange_areRejected() {
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1.0, 3, PaillierParameters.PAILLIER_2048);
    assertThatThrownBy(() -> enc.pack(new double[] {1.0001}, PK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.pack(new long[] {enc.maxEncoded() + 1}, PK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.pack(new long[enc.slots() + 1], PK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.pack(new double[] {Double.NaN}, PK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unpack_overflowFromOutsideTheEncoding_isDetected() {
    PackedEncoding enc = PackedEncoding.of(FixedPoint.DEFAULT, 1.0, 3, PaillierParameters.PAILLIER_2048);
    long[] v = new long[enc.slots()];
    Arrays.fill(v, enc.maxEncoded());
    BigInteger packed = enc.pack(v, PK);
    // Summed 4 times behind the encoding's back: a slot exceeds 3·maxEncoded.
    BigInteger overflowed = packed.multiply(BigInteger.valueOf(4)).mod(PK.n());
    assertThatThrownBy(() -> enc.unpack(overflowed, v.length, PK))
        .isInstanceOf(ArithmeticException.class);
    // Bits above the slots read: asking for fewer slots than packed is detected too.
    assertThatThrownBy(() -> enc.unpack(packed, v.length - 1, PK))
        .isInstanceOf(ArithmeticException.class);
  }

  private static long[] negate(long[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }
}
