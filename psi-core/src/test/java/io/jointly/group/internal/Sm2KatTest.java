package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.testing.Vectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * The SM2 suite: the curve against GB/T 32918.5 ({@code vectors/sm2p256v1.json}); the SSWU constant
 * Z against RFC 9380 §6.6.2 and Appendix H.2; and {@link Sm2Group#hashToGroup} against an
 * independent plain-{@link BigInteger} implementation written here from the RFC text (its own
 * expand_message_xmd, the non-optimised §6.6.2 map with the §I.1 square root, affine addition). No
 * published SM2 hash-to-curve vectors exist.
 */
class Sm2KatTest {
  private static final JsonNode PARAMS = Vectors.vectors("sm2p256v1.json", null).get(0);
  private static final BigInteger P = big("p");
  private static final BigInteger A = big("a");
  private static final BigInteger B = big("b");
  private static final WeierstrassTestCurve CURVE = new WeierstrassTestCurve(P, A, B);
  private static final BigInteger Z = Sm2Group.Z.mod(P);

  private static BigInteger big(String field) {
    return new BigInteger(PARAMS.get(field).asText(), 16);
  }

  private final Sm2Group group = new Sm2Group();

  @Test
  void domain_gbt32918Parameters_areTheCurveInUse() {
    X9ECParameters d = Sm2Group.domain();
    assertThat(d.getCurve().getField().getCharacteristic()).isEqualTo(P);
    assertThat(d.getCurve().getA().toBigInteger()).isEqualTo(A);
    assertThat(d.getCurve().getB().toBigInteger()).isEqualTo(B);
    assertThat(d.getN()).isEqualTo(big("n"));
    assertThat(d.getH()).isEqualTo(big("h"));
    assertThat(d.getG().getAffineXCoord().toBigInteger()).isEqualTo(big("Gx"));
    assertThat(d.getG().getAffineYCoord().toBigInteger()).isEqualTo(big("Gy"));
    assertThat(A).isEqualTo(P.subtract(BigInteger.valueOf(3)));
    assertThat(P.testBit(0) && P.testBit(1)).as("p = 3 mod 4").isTrue();
  }

  @Test
  void z_section662Criteria_allHold() {
    assertThat(Sm2Group.Z).isEqualTo(BigInteger.valueOf(-9));
    // 1. Z is non-square in F.
    assertThat(CURVE.isSquare(Z)).isFalse();
    // 2. Z != -1 in F.
    assertThat(Z).isNotEqualTo(P.subtract(BigInteger.ONE));
    // 3. g(x) - Z is irreducible over F: a cubic is irreducible iff it has no root in F, iff
    //    gcd(x^p - x, g(x) - Z) = 1.
    assertThat(cubicIsIrreducible(P, A, B.subtract(Z).mod(P))).isTrue();
    // 4. g(B / (Z * A)) is square in F.
    assertThat(CURVE.isSquare(CURVE.g(B.multiply(Z.multiply(A).modInverse(P)).mod(P)))).isTrue();
  }

  @Test
  void findZSswu_sm2Curve_returnsMinusNine() {
    assertThat(findZSswu(P, A, B)).isEqualTo(Z);
  }

  @Test
  void findZSswu_p256Curve_returnsTheRfcZ() {
    JsonNode p256 = Vectors.file("p256_xmd_sha256_sswu_ro.json").get("parameters");
    BigInteger p = new BigInteger(p256.get("p").asText(), 16);
    BigInteger a = new BigInteger(p256.get("A").asText()).mod(p);
    BigInteger b = new BigInteger(p256.get("B").asText(), 16);
    assertThat(findZSswu(p, a, b)).isEqualTo(new BigInteger(p256.get("Z").asText()).mod(p));
  }

  @Test
  void mapToCurve_manyInputsIncludingExceptional_agreesWithSection662AndIsOnCurve() {
    List<BigInteger> us = new ArrayList<>();
    BigInteger third = BigInteger.valueOf(3).modInverse(P);
    // u = 0 and u = ±1/3 (Z·u^2 = -1) are the exceptional cases where tv2 = 0 (§6.6.2 step 3).
    us.addAll(
        List.of(
            BigInteger.ZERO, third, P.subtract(third), BigInteger.ONE, P.subtract(BigInteger.ONE)));
    SplittableRandom random = new SplittableRandom(20240601L);
    while (us.size() < 300) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      us.add(new BigInteger(1, b).mod(P));
    }
    for (BigInteger u : us) {
      BigInteger[] expected = sswu(u);
      assertThat(CURVE.onCurve(expected)).isTrue();
      ECPoint q = group.mapToCurve(u).normalize();
      assertThat(q.isValid()).isTrue();
      assertThat(
              new BigInteger[] {
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()
              })
          .as("u = %s", u)
          .containsExactly(expected);
    }
  }

  @Test
  void hashToGroup_manyItems_agreesWithIndependentImplementation() {
    List<byte[]> items = new ArrayList<>();
    for (JsonNode v : Vectors.vectors("p256_xmd_sha256_sswu_ro.json", null)) {
      items.add(Vectors.hex(v, "msg_hex")); // the RFC 9380 test messages
    }
    SplittableRandom random = new SplittableRandom(7L);
    while (items.size() < 300) {
      byte[] b = new byte[random.nextInt(200)];
      random.nextBytes(b);
      items.add(b);
    }
    byte[] otherDst = "QUUX-V01-CS03-with-SM2_XMD:SM3_SSWU_RO_".getBytes(StandardCharsets.US_ASCII);
    Sm2Group other = new Sm2Group(otherDst);
    for (byte[] item : items) {
      assertThat(group.hashToGroup(item))
          .isEqualTo(hashToCurve(Sm2Group.DEFAULT_DST.toByteArray(), item));
      assertThat(other.hashToGroup(item)).isEqualTo(hashToCurve(otherDst, item));
    }
  }

  @Test
  void multiply_malformedElements_areRejected() {
    byte[] valid = group.hashToGroup("malformed".getBytes(StandardCharsets.US_ASCII));
    ECPoint point = Sm2Group.domain().getCurve().decodePoint(valid);
    GroupScalar k = group.scalarFromBytes(WeierstrassTestCurve.fixed32(BigInteger.TWO));
    Map<String, byte[]> invalid = CURVE.invalidEncodings(valid, point.getEncoded(false));
    assertThat(invalid).hasSizeGreaterThan(15);
    invalid.forEach(
        (why, e) ->
            assertThatThrownBy(() -> group.multiply(k, e))
                .as(why)
                .isInstanceOf(ProtocolAbortException.class)
                .extracting(x -> ((ProtocolAbortException) x).reason())
                .isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Test
  void multiply_generator_matchesBouncyCastleDefaultMultiplier() throws ProtocolAbortException {
    X9ECParameters d = Sm2Group.domain();
    BigInteger k = d.getN().subtract(BigInteger.valueOf(12345));
    byte[] out =
        group.multiply(
            group.scalarFromBytes(WeierstrassTestCurve.fixed32(k)), d.getG().getEncoded(true));
    assertThat(out).isEqualTo(d.getG().multiply(k).getEncoded(true));
  }

  @Test
  void scalarFromBytes_outOfRange_isRejected() {
    BigInteger n = big("n");
    for (BigInteger bad :
        List.of(BigInteger.ZERO, n, BigInteger.TWO.pow(256).subtract(BigInteger.ONE))) {
      assertThatThrownBy(() -> group.scalarFromBytes(WeierstrassTestCurve.fixed32(bad)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    group.scalarFromBytes(WeierstrassTestCurve.fixed32(n.subtract(BigInteger.ONE)));
  }

  @Test
  void defaultGroup_jointlyTag_isUsed() {
    assertThat(new String(group.domainSeparationTag(), StandardCharsets.US_ASCII))
        .isEqualTo("JOINTLY-V01-CS03-with-SM2_XMD:SM3_SSWU_RO_");
    assertThat(group.elementLength()).isEqualTo(33);
    assertThatThrownBy(() -> new Sm2Group(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- The independent implementation (plain BigInteger, straight from RFC 9380) ----

  /** §3 hash_to_curve with §5.2 hash_to_field (L = 48, m = 1, count = 2). */
  private static byte[] hashToCurve(byte[] dst, byte[] msg) {
    byte[] uniform = expandMessageXmdSm3(msg, dst, 96);
    BigInteger u0 = new BigInteger(1, Arrays.copyOfRange(uniform, 0, 48)).mod(P);
    BigInteger u1 = new BigInteger(1, Arrays.copyOfRange(uniform, 48, 96)).mod(P);
    BigInteger[] r = CURVE.add(sswu(u0), sswu(u1));
    return WeierstrassTestCurve.compressed(r[0], r[1]);
  }

  /**
   * §5.3.1 expand_message_xmd over SM3 (b_in_bytes = 32, s_in_bytes = 64), written out with whole
   * byte strings. (Bouncy Castle 1.87's {@code XmdMessageExpansion} cannot be used as the
   * reference: its digest cloning does not support {@code SM3Digest}.)
   */
  private static byte[] expandMessageXmdSm3(byte[] msg, byte[] dst, int lenInBytes) {
    int ell = (lenInBytes + 31) / 32;
    byte[] dstPrime = concat(dst, new byte[] {(byte) dst.length});
    byte[] lib = {(byte) (lenInBytes >> 8), (byte) lenInBytes};
    byte[] msgPrime = concat(new byte[64], msg, lib, new byte[1], dstPrime);
    byte[] b0 = sm3(msgPrime);
    byte[][] b = new byte[ell + 1][];
    b[1] = sm3(concat(b0, new byte[] {1}, dstPrime));
    for (int i = 2; i <= ell; i++) {
      byte[] x = new byte[32];
      for (int j = 0; j < 32; j++) {
        x[j] = (byte) (b0[j] ^ b[i - 1][j]);
      }
      b[i] = sm3(concat(x, new byte[] {(byte) i}, dstPrime));
    }
    byte[] uniform = new byte[0];
    for (int i = 1; i <= ell; i++) {
      uniform = concat(uniform, b[i]);
    }
    return Arrays.copyOf(uniform, lenInBytes);
  }

  private static byte[] sm3(byte[] data) {
    SM3Digest d = new SM3Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /** §6.6.2 simplified SWU, the non-optimised formulation, with inv0 and sgn0 of §4. */
  private static BigInteger[] sswu(BigInteger u) {
    BigInteger u2 = u.multiply(u).mod(P);
    // 1. tv1 = inv0(Z^2 * u^4 + Z * u^2)
    BigInteger den = Z.pow(2).multiply(u2.pow(2)).add(Z.multiply(u2)).mod(P);
    BigInteger tv1 = den.signum() == 0 ? BigInteger.ZERO : den.modInverse(P);
    // 2. x1 = (-B / A) * (1 + tv1); 3. if tv1 == 0, x1 = B / (Z * A)
    BigInteger x1 =
        tv1.signum() == 0
            ? B.multiply(Z.multiply(A).modInverse(P)).mod(P)
            : B.negate().multiply(A.modInverse(P)).multiply(BigInteger.ONE.add(tv1)).mod(P);
    // 4. gx1 = x1^3 + A * x1 + B
    BigInteger gx1 = CURVE.g(x1);
    BigInteger x;
    BigInteger y;
    if (CURVE.isSquare(gx1)) {
      // 5. x = x1, y = sqrt(gx1)
      x = x1;
      y = CURVE.sqrt(gx1);
    } else {
      // 6. x2 = Z * u^2 * x1, gx2 = x2^3 + A * x2 + B, x = x2, y = sqrt(gx2)
      x = Z.multiply(u2).multiply(x1).mod(P);
      y = CURVE.sqrt(CURVE.g(x));
    }
    // 7. if sgn0(u) != sgn0(y), y = -y
    if (u.testBit(0) != y.testBit(0)) {
      y = P.subtract(y).mod(P);
    }
    return new BigInteger[] {x, y};
  }

  /** RFC 9380 Appendix H.2 find_z_sswu: candidates 1, -1, 2, -2, ... */
  private static BigInteger findZSswu(BigInteger p, BigInteger a, BigInteger b) {
    WeierstrassTestCurve c = new WeierstrassTestCurve(p, a, b);
    for (long ctr = 1; ctr < 1000; ctr++) {
      for (BigInteger cand :
          List.of(BigInteger.valueOf(ctr).mod(p), BigInteger.valueOf(-ctr).mod(p))) {
        if (c.isSquare(cand)) {
          continue; // Criterion 1
        }
        if (cand.equals(p.subtract(BigInteger.ONE))) {
          continue; // Criterion 2
        }
        if (!cubicIsIrreducible(p, a, b.subtract(cand).mod(p))) {
          continue; // Criterion 3
        }
        if (c.isSquare(c.g(b.multiply(cand.multiply(a).modInverse(p)).mod(p)))) {
          return cand; // Criterion 4
        }
      }
    }
    throw new AssertionError("no Z found");
  }

  /** Whether x^3 + a·x + c has no root in GF(p): gcd(x^p - x, f) is a constant. */
  private static boolean cubicIsIrreducible(BigInteger p, BigInteger a, BigInteger c) {
    BigInteger[] f = {c, a, BigInteger.ZERO, BigInteger.ONE}; // low degree first, monic
    // r = x^p mod f, by square-and-multiply on polynomials of degree < 3.
    BigInteger[] r = {BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO};
    BigInteger[] base = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ZERO};
    for (int i = p.bitLength() - 1; i >= 0; i--) {
      r = mulMod(r, r, f, p);
      if (p.testBit(i)) {
        r = mulMod(r, base, f, p);
      }
    }
    r[1] = r[1].subtract(BigInteger.ONE).mod(p); // x^p - x mod f
    return polyGcd(f, r, p).length == 1;
  }

  private static BigInteger[] mulMod(BigInteger[] s, BigInteger[] t, BigInteger[] f, BigInteger p) {
    BigInteger[] prod = new BigInteger[5];
    Arrays.fill(prod, BigInteger.ZERO);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        prod[i + j] = prod[i + j].add(s[i].multiply(t[j]));
      }
    }
    for (int d = 4; d >= 3; d--) {
      BigInteger q = prod[d].mod(p);
      for (int k = 0; k <= 3; k++) {
        prod[d - 3 + k] = prod[d - 3 + k].subtract(q.multiply(f[k]));
      }
    }
    return new BigInteger[] {prod[0].mod(p), prod[1].mod(p), prod[2].mod(p)};
  }

  /** Euclid's algorithm over GF(p); returns the gcd with trailing zero coefficients removed. */
  private static BigInteger[] polyGcd(BigInteger[] x, BigInteger[] y, BigInteger p) {
    BigInteger[] s = trim(x, p);
    BigInteger[] t = trim(y, p);
    while (t.length > 0) {
      BigInteger[] rem = s.clone();
      while (rem.length >= t.length) {
        BigInteger q = rem[rem.length - 1].multiply(t[t.length - 1].modInverse(p)).mod(p);
        int shift = rem.length - t.length;
        for (int i = 0; i < t.length; i++) {
          rem[shift + i] = rem[shift + i].subtract(q.multiply(t[i])).mod(p);
        }
        rem = trim(rem, p);
      }
      s = t;
      t = rem;
    }
    return s;
  }

  private static BigInteger[] trim(BigInteger[] poly, BigInteger p) {
    int n = poly.length;
    while (n > 0 && poly[n - 1].mod(p).signum() == 0) {
      n--;
    }
    BigInteger[] out = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      out[i] = poly[i].mod(p);
    }
    return out;
  }
}
