package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import io.jointly.group.internal.Edwards25519.Point;
import java.math.BigInteger;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * ristretto255 group laws and encodings: scalar multiplication against double-and-add, the
 * commutativity ECDH PSI relies on, DECODE/ENCODE round trips, refusal of the identity, torsion
 * invariance of the encoding, and scalar reduction against {@link BigInteger}.
 */
class Ristretto255PropertyTest {
  private static final BigInteger ORDER = Scalar25519.ORDER;
  private static final Ristretto255Group GROUP = new Ristretto255Group();

  /** 32-byte scalars below 2^255 (not necessarily reduced), as scalarMul accepts. */
  @Provide
  Arbitrary<byte[]> rawScalars() {
    return Arbitraries.oneOf(
            Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE)),
            Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1000)),
            Arbitraries.of(
                BigInteger.ZERO,
                BigInteger.ONE,
                ORDER.subtract(BigInteger.ONE),
                ORDER,
                ORDER.add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE)))
        .map(Ristretto255PropertyTest::littleEndian32);
  }

  /** Canonical non-zero scalars, in [1, ℓ). */
  @Provide
  Arbitrary<byte[]> scalars() {
    return Arbitraries.oneOf(
            Arbitraries.bigIntegers().between(BigInteger.ONE, ORDER.subtract(BigInteger.ONE)),
            Arbitraries.of(BigInteger.ONE, BigInteger.TWO, ORDER.subtract(BigInteger.ONE)))
        .map(Ristretto255PropertyTest::littleEndian32);
  }

  /** Byte strings of 0 to 64 bytes with edge values around ℓ and all-ones. */
  @Provide
  Arbitrary<byte[]> wideInputs() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(64),
        Arbitraries.of(
                ORDER.subtract(BigInteger.ONE),
                ORDER,
                ORDER.add(BigInteger.ONE),
                ORDER.shiftLeft(1),
                ORDER.multiply(ORDER),
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE))
            .map(v -> littleEndian(v, 64)));
  }

  private static Point hashedPoint(byte[] seed64) {
    Point p = new Point();
    Ristretto255.fromUniformBytes(seed64, p);
    return p;
  }

  @Property(tries = 100)
  void scalarMul_anyScalarAndPoint_matchesDoubleAndAdd(
      @ForAll("rawScalars") byte[] k, @ForAll @Size(64) byte[] seed) {
    Point p = hashedPoint(seed);
    Point q = new Point();
    Edwards25519.scalarMul(k, p, q);
    Point expected = TestPoints.doubleAndAdd(Scalar25519.toBigInteger(k), p);
    assertThat(Ristretto255.equal(q, expected)).isEqualTo(1);
    assertThat(Ristretto255.encode(q)).isEqualTo(Ristretto255.encode(expected));
  }

  @Property(tries = 100)
  void scalarMul_scalarReducedModOrder_givesSameElement(
      @ForAll("rawScalars") byte[] k, @ForAll @Size(64) byte[] seed) {
    Point p = hashedPoint(seed);
    Point q1 = new Point();
    Point q2 = new Point();
    Edwards25519.scalarMul(k, p, q1);
    Edwards25519.scalarMul(Scalar25519.reduce(k), p, q2);
    assertThat(Ristretto255.encode(q1)).isEqualTo(Ristretto255.encode(q2));
  }

  @Property(tries = 100)
  void multiply_twoScalars_commute(
      @ForAll("scalars") byte[] a, @ForAll("scalars") byte[] b, @ForAll byte[] item)
      throws ProtocolAbortException {
    GroupScalar ka = GROUP.scalarFromBytes(a);
    GroupScalar kb = GROUP.scalarFromBytes(b);
    byte[] h = GROUP.hashToGroup(item);
    byte[] ab = GROUP.multiply(ka, GROUP.multiply(kb, h));
    byte[] ba = GROUP.multiply(kb, GROUP.hashAndMultiply(ka, item));
    assertThat(ab).isEqualTo(ba);
  }

  @Property(tries = 200)
  void decodeEncode_validEncoding_roundTrips(@ForAll byte[] item, @ForAll("scalars") byte[] k)
      throws ProtocolAbortException {
    byte[] x = GROUP.multiply(GROUP.scalarFromBytes(k), GROUP.hashToGroup(item));
    Point p = new Point();
    assertThat(Ristretto255.decode(x, 0, p)).isEqualTo(1);
    assertThat(Ristretto255.encode(p)).isEqualTo(x);
  }

  @Property
  void decode_randomBytes_acceptsOnlyWhatReencodesIdentically(@ForAll @Size(32) byte[] x) {
    Point p = new Point();
    if (Ristretto255.decode(x, 0, p) == 1) {
      assertThat(Ristretto255.encode(p)).isEqualTo(x);
    }
  }

  @Property(tries = 200)
  void equal_differentRepresentations_ofSameElement_isTrue(@ForAll @Size(64) byte[] seed) {
    Point p = hashedPoint(seed);
    Point decoded = new Point();
    assertThat(Ristretto255.decode(Ristretto255.encode(p), 0, decoded)).isEqualTo(1);
    assertThat(Ristretto255.equal(p, decoded)).isEqualTo(1);
    // P ≠ 2P unless P is the identity (the all-zero seed maps there: MAP(0) is the identity).
    Assume.that(Scalar25519.isZero(Ristretto255.encode(p)) == 0);
    Point twice = new Point();
    Edwards25519.addPoints(p, p, twice);
    assertThat(Ristretto255.equal(p, twice)).isZero();
  }

  @Property(tries = 200)
  void encode_pointPlusFourTorsion_isUnchanged(@ForAll @Size(64) byte[] seed) {
    // E[4] = {(0, 1), (0, −1), (±sqrt(−1), 0)}: ristretto255 identifies P with P + T.
    Point p = hashedPoint(seed);
    byte[] expected = Ristretto255.encode(p);
    long[] zero = Field25519.create();
    long[] minusOne = Field25519.create();
    Field25519.neg(Field25519.of(1), minusOne);
    long[] minusSqrtM1 = Field25519.create();
    Field25519.neg(Field25519.SQRT_M1, minusSqrtM1);
    Point[] torsion = {
      Point.fromAffine(zero, minusOne),
      Point.fromAffine(Field25519.SQRT_M1, zero),
      Point.fromAffine(minusSqrtM1, zero)
    };
    for (Point t : torsion) {
      Point q = new Point();
      Edwards25519.addPoints(p, t, q);
      assertThat(Ristretto255.encode(q)).isEqualTo(expected);
      assertThat(Ristretto255.equal(p, q)).isEqualTo(1);
    }
  }

  @Property(tries = 50)
  void multiply_identityEncoding_abortsWithInvalidElement(@ForAll("scalars") byte[] k) {
    GroupScalar scalar = GROUP.scalarFromBytes(k);
    assertThatThrownBy(() -> GROUP.multiply(scalar, new byte[32]))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Property(tries = 50)
  void multiply_wrongLength_abortsWithInvalidElement(
      @ForAll("scalars") byte[] k, @ForAll byte[] element) {
    if (element.length == 32) {
      return;
    }
    GroupScalar scalar = GROUP.scalarFromBytes(k);
    assertThatThrownBy(() -> GROUP.multiply(scalar, element))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Property
  void reduce_upTo64Bytes_matchesBigIntegerMod(@ForAll("wideInputs") byte[] in) {
    byte[] r = Scalar25519.reduce(in);
    assertThat(r).hasSize(32);
    assertThat(Scalar25519.toBigInteger(r)).isEqualTo(Scalar25519.toBigInteger(in).mod(ORDER));
  }

  @Property
  void isCanonical_32Bytes_matchesComparisonWithOrder(
      @ForAll("rawScalars") byte[] s, @ForAll @Size(32) byte[] random) {
    for (byte[] x : new byte[][] {s, random}) {
      boolean below = Scalar25519.toBigInteger(x).compareTo(ORDER) < 0;
      assertThat(Scalar25519.isCanonical(x)).isEqualTo(below ? 1 : 0);
    }
  }

  @Example
  void scalarFromBytes_zeroOrderOrWrongLength_isRejected() {
    for (byte[] bad :
        new byte[][] {
          new byte[32],
          littleEndian32(ORDER),
          littleEndian32(ORDER.add(BigInteger.ONE)),
          littleEndian(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), 32),
          new byte[31],
          new byte[33]
        }) {
      assertThatThrownBy(() -> GROUP.scalarFromBytes(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(GROUP.scalarFromBytes(littleEndian32(ORDER.subtract(BigInteger.ONE))).suite())
        .isEqualTo(SuiteId.RISTRETTO255);
  }

  @Property(tries = 50)
  void randomScalar_secureRandom_isCanonicalNonZeroAndRedacted() {
    GroupScalar k = GROUP.randomScalar(new SecureRandom());
    byte[] bytes = k.toByteArray(io.jointly.core.SecretAccess.insecure());
    assertThat(Scalar25519.isCanonical(bytes)).isEqualTo(1);
    assertThat(Scalar25519.isZero(bytes)).isZero();
    assertThat(k.suite()).isEqualTo(SuiteId.RISTRETTO255);
    assertThat(k.toString()).contains("redacted");
  }

  @Example
  void group_describesItself_withoutSecrets() {
    assertThat(GROUP.suite()).isEqualTo(SuiteId.RISTRETTO255);
    assertThat(GROUP.elementLength()).isEqualTo(32);
    assertThat(new String(GROUP.domainSeparationTag(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(Ristretto255Group.DEFAULT_DST);
    assertThatThrownBy(() -> new Ristretto255Group(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] littleEndian32(BigInteger v) {
    return littleEndian(v, 32);
  }

  private static byte[] littleEndian(BigInteger v, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }
}
