package io.jointly.paillier;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.FixedPoint;
import io.jointly.core.ProtocolAbortException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every operation against its plain computation mod n, on one 2,048-bit key. The encryptor uses the
 * key holder's CRT randomness so each property stays fast; FULL and DJN public-key randomness have
 * their own properties.
 */
class PaillierPropertyTest {
  private static final PaillierKeyPair KEYS = TestKeys.key2048();
  private static final PaillierPublicKey PK = KEYS.publicKey();
  private static final BigInteger N = PK.n();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
  private static final PaillierEncryptor ENC =
      PaillierEncryptor.builder(PK)
          .random(new SecureRandom())
          .secretKey(KEYS.secretKey())
          .build();
  private static final PaillierDecryptor DEC = new PaillierDecryptor(KEYS.secretKey());

  @AfterContainer
  static void shutDown() {
    ENC.close();
    POOL.shutdownNow();
  }

  @Provide
  Arbitrary<BigInteger> plaintexts() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, N.subtract(BigInteger.ONE)),
        Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, N.subtract(BigInteger.ONE), N.shiftRight(1)));
  }

  @Property(tries = 40)
  void encrypt_anyResidue_decryptsBackWithCrtAndTextbook(@ForAll("plaintexts") BigInteger m) {
    Ciphertext c = ENC.encrypt(m);
    assertThat(DEC.decrypt(c)).isEqualTo(m);
    assertThat(TestKeys.textbookDecrypt(KEYS.secretKey(), c.value())).isEqualTo(m);
  }

  @Property(tries = 40)
  void encrypt_signedLong_decryptsToSameLong(@ForAll long v) {
    assertThat(DEC.decryptLong(ENC.encrypt(v))).isEqualTo(v);
  }

  @Property(tries = 30)
  void add_subtract_negate_matchPlainArithmetic(@ForAll long a, @ForAll long b) {
    Ciphertext ca = ENC.encrypt(a);
    Ciphertext cb = ENC.encrypt(b);
    BigInteger ba = BigInteger.valueOf(a);
    BigInteger bb = BigInteger.valueOf(b);
    assertThat(DEC.decryptSigned(ENC.add(ca, cb))).isEqualTo(ba.add(bb));
    assertThat(DEC.decryptSigned(ENC.subtract(ca, cb))).isEqualTo(ba.subtract(bb));
    assertThat(DEC.decryptSigned(ENC.negate(ca))).isEqualTo(ba.negate());
    assertThat(DEC.decryptSigned(ENC.addPlaintext(ca, b))).isEqualTo(ba.add(bb));
  }

  @Property(tries = 30)
  void multiply_signedScalar_matchesPlainProduct(@ForAll long m, @ForAll long k) {
    BigInteger expected = BigInteger.valueOf(m).multiply(BigInteger.valueOf(k));
    Ciphertext c = ENC.encrypt(m);
    assertThat(DEC.decryptSigned(ENC.multiply(c, k))).isEqualTo(expected);
    assertThat(DEC.decryptSigned(ENC.multiply(c, BigInteger.valueOf(k)))).isEqualTo(expected);
  }

  @Property(tries = 10)
  void multiply_extremeScalars_matchPlainProduct(@ForAll("plaintexts") BigInteger m) {
    Ciphertext c = ENC.encrypt(m);
    for (long k : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      BigInteger expected = m.multiply(BigInteger.valueOf(k)).mod(N);
      assertThat(DEC.decrypt(ENC.multiply(c, k))).isEqualTo(expected);
    }
    BigInteger big = N.shiftLeft(3).add(BigInteger.TEN).negate();
    assertThat(DEC.decrypt(ENC.multiply(c, big))).isEqualTo(m.multiply(big).mod(N));
  }

  @Property(tries = 20)
  void rerandomize_keepsPlaintext_changesCiphertext(@ForAll long v) {
    Ciphertext c = ENC.encrypt(v);
    Ciphertext r = ENC.rerandomize(c);
    assertThat(r).isNotEqualTo(c);
    assertThat(DEC.decryptLong(r)).isEqualTo(v);
  }

  @Provide
  Arbitrary<Long> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE),
        Arbitraries.longs(),
        Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  @Property(tries = 15)
  void multiExp_signedScalars_matchesPlainInnerProduct(
      @ForAll @Size(max = 40) List<Long> values,
      @ForAll @Size(max = 40) List<@From("scalars") Long> scalarList) {
    int size = Math.min(values.size(), scalarList.size());
    List<Ciphertext> cs = new ArrayList<>();
    long[] k = new long[size];
    BigInteger expected = BigInteger.ZERO;
    for (int i = 0; i < size; i++) {
      cs.add(ENC.encrypt(values.get(i)));
      k[i] = scalarList.get(i);
      expected = expected.add(BigInteger.valueOf(values.get(i)).multiply(BigInteger.valueOf(k[i])));
    }
    expected = expected.mod(N);
    assertThat(DEC.decrypt(ENC.multiExp(cs, k))).isEqualTo(expected);
    assertThat(DEC.decrypt(ENC.multiExp(cs, k, POOL, 2))).isEqualTo(expected);
  }

  @Property(tries = 3)
  void multiExp_manyTerms_parallelMatchesPlain(@ForAll @IntRange(min = 64, max = 160) int size) {
    SecureRandom random = new SecureRandom();
    List<Ciphertext> cs = new ArrayList<>();
    long[] k = new long[size];
    BigInteger expected = BigInteger.ZERO;
    for (int i = 0; i < size; i++) {
      long v = random.nextInt();
      cs.add(ENC.encrypt(v));
      k[i] = random.nextInt();
      expected = expected.add(BigInteger.valueOf(v).multiply(BigInteger.valueOf(k[i])));
    }
    assertThat(DEC.decryptSigned(ENC.multiExp(cs, k))).isEqualTo(expected);
    assertThat(DEC.decryptSigned(ENC.multiExp(cs, k, POOL, 3))).isEqualTo(expected);
  }

  @Property(tries = 20)
  void sum_matchesPlainSum(@ForAll @Size(max = 20) List<Long> values) {
    List<Ciphertext> cs = new ArrayList<>();
    BigInteger expected = BigInteger.ZERO;
    for (long v : values) {
      cs.add(ENC.encrypt(v));
      expected = expected.add(BigInteger.valueOf(v));
    }
    assertThat(DEC.decryptSigned(ENC.sum(cs))).isEqualTo(expected);
  }

  @Property(tries = 20)
  void fixedPoint_encryptedSum_decodesToRealSum(
      @ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = -1e6, max = 1e6) Double> xs) {
    FixedPoint fp = FixedPoint.DEFAULT;
    List<Ciphertext> cs = new ArrayList<>();
    double plain = 0;
    for (double x : xs) {
      cs.add(ENC.encrypt(fp.encode(x, N)));
      plain += x;
    }
    assertThat(DEC.decrypt(ENC.sum(cs), fp))
        .isCloseTo(plain, org.assertj.core.data.Offset.offset(xs.size() * fp.resolution()));
  }

  @Property(tries = 20)
  void encodeCiphertext_thenDecode_roundTrips(@ForAll @Size(max = 5) List<Long> values)
      throws ProtocolAbortException {
    List<Ciphertext> cs = new ArrayList<>();
    for (long v : values) {
      cs.add(ENC.encrypt(v));
    }
    for (Ciphertext c : cs) {
      assertThat(PK.encode(c).length()).isEqualTo(512);
      assertThat(PK.decodeCiphertext(PK.encode(c))).isEqualTo(c);
    }
    assertThat(PK.decodeAll(PK.encodeAll(cs), cs.size())).isEqualTo(cs);
  }

  @Property(tries = 5)
  void publicFullAndDjnRandomness_decryptCorrectly(@ForAll long v) {
    for (PaillierParameters params :
        List.of(PaillierParameters.PAILLIER_2048, PaillierParameters.PAILLIER_2048_DJN)) {
      try (PaillierEncryptor enc =
          PaillierEncryptor.builder(PK)
              .parameters(params)
              .random(new SecureRandom())
              .poolCapacity(4)
              .build()) {
        Ciphertext a = enc.encrypt(v);
        Ciphertext b = enc.encrypt(v);
        assertThat(a).isNotEqualTo(b);
        assertThat(DEC.decryptLong(a)).isEqualTo(v);
        assertThat(DEC.decryptLong(enc.rerandomize(b))).isEqualTo(v);
        assertThat(DEC.decryptLong(enc.encryptZero())).isZero();
      }
    }
  }
}
