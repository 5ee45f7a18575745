package io.jointly.group.internal;

import io.jointly.core.Bytes;
import io.jointly.group.SuiteId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.gm.SM2P256V1Field;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.Pack;

/**
 * The {@link SuiteId#SM2} suite: the SM2 curve sm2p256v1 of GB/T 32918.5-2017 (y² = x³ + ax + b
 * over p = 2^256 − 2^224 − 2^96 + 2^64 − 1, a = −3, prime order n, cofactor 1) with an RFC 9380
 * random-oracle hash-to-curve built the way RFC 9380 builds its NIST suites, with SM3 in place of
 * SHA-256. In RFC 9380 §8.10 naming the suite is {@code SM2_XMD:SM3_SSWU_RO_}; it is not one of the
 * RFC's registered suites.
 *
 * <h2>Definition</h2>
 *
 * <ul>
 *   <li><b>DST:</b> {@link #DEFAULT_DST} = ASCII {@code
 *       "JOINTLY-V01-CS03-with-SM2_XMD:SM3_SSWU_RO_"} or any non-empty tag given to {@link
 *       #Sm2Group(byte[])} (over 255 bytes: §5.3.3).
 *   <li><b>hash_to_field</b> (§5.2): {@code expand_message_xmd} (§5.3.1) over SM3 (GB/T 32905,
 *       Bouncy Castle {@code SM3Digest}), security level k = 128, L = ceil((256 + 128) / 8) = 48, m
 *       = 1, count = 2: {@code u_i = OS2IP(uniform_bytes[48·i, 48·i + 48)) mod p}.
 *   <li><b>map_to_curve</b>: simplified SWU (§6.6.2), which applies directly because a ≠ 0 and b ≠
 *       0, in the straight-line form of §F.2 with {@code sqrt_ratio} for q ≡ 3 (mod 4) (§F.2.1.2).
 *       <b>Z = −9</b>, found with the {@code find_z_sswu} procedure of RFC 9380 Appendix H.2: it
 *       tries 1, −1, 2, −2, ... and returns the first candidate that is a non-square, is not −1,
 *       makes g(x) − Z irreducible over GF(p) and makes g(B / (Z·A)) a square. For sm2p256v1 every
 *       candidate of absolute value below 9 fails one of these, and −9 passes all four (9 is a
 *       square and p ≡ 3 mod 4, so −9 is not). The same procedure gives RFC 9380's Z = −10 for
 *       P-256. {@code Sm2KatTest} re-runs the search and checks the four criteria.
 *   <li><b>hash_to_curve</b> (§3): {@code P = map_to_curve(u0) + map_to_curve(u1)}; the cofactor is
 *       1, so {@code clear_cofactor} is the identity (h_eff = 1).
 *   <li><b>Elements:</b> compressed SEC1 points, 33 bytes; <b>scalars:</b> 32-byte big-endian in
 *       [1, n−1]. See {@link Sec1PrimeOrderCurve}.
 * </ul>
 *
 * <p>This is not the interconnection standard's SM2 suite (SHA-256 try-and-rehash, see the
 * interconnection spec §5.4); it does not interoperate with it.
 *
 * <h2>What is constant-time</h2>
 *
 * <ul>
 *   <li>The map to the curve is written in straight-line form over Bouncy Castle's fixed-limb
 *       sm2p256v1 field arithmetic ({@code SM2P256V1Field}, eight 32-bit limbs): the same sequence
 *       of field operations runs for every input; CMOV and the equality and sign tests are masks,
 *       not branches; the square root is a single exponentiation by the public exponent (p − 3) / 4
 *       with a fixed 4-bit window (the §I.1 exponentiation for p ≡ 3 mod 4, in the ratio form of
 *       §F.2.1.2); the one inversion is Bouncy Castle's constant-time {@code
 *       Mod.checkedModOddInverse}. hash_to_field reduces mod p with the same limb arithmetic, not
 *       with {@link BigInteger}. Not constant-time: the field layer's own carry corrections
 *       (conditional additions or subtractions of p after an operation, and {@code negate}'s test
 *       for zero) are branches, and the conversion of the two mapped points into Bouncy Castle
 *       points and their addition go through {@link BigInteger} and the exceptional-case branches
 *       of point addition. This is "constant-time-ish" Java, not a guarantee.
 *   <li>Scalar multiplication: as for P-256, see {@link Sec1PrimeOrderCurve}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Sm2Group extends Sec1Group {
  /** Jointly's domain-separation tag for this suite. */
  public static final Bytes DEFAULT_DST =
      Bytes.wrap("JOINTLY-V01-CS03-with-SM2_XMD:SM3_SSWU_RO_".getBytes(StandardCharsets.US_ASCII));

  /** hash_to_field element length L = ceil((ceil(log2(p)) + k) / 8) with k = 128 (§5.1). */
  static final int L = 48;

  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("sm2p256v1");
  private static final BigInteger P = PARAMS.getCurve().getField().getCharacteristic();

  /** The SSWU constant Z = −9 (see the class documentation), as an integer. */
  static final BigInteger Z = BigInteger.valueOf(-9);

  private static final int[] A_LIMBS =
      SM2P256V1Field.fromBigInteger(PARAMS.getCurve().getA().toBigInteger());
  private static final int[] B_LIMBS =
      SM2P256V1Field.fromBigInteger(PARAMS.getCurve().getB().toBigInteger());
  private static final int[] Z_LIMBS = SM2P256V1Field.fromBigInteger(Z.mod(P));
  private static final int[] ONE_LIMBS = SM2P256V1Field.fromBigInteger(BigInteger.ONE);

  /** §F.2.1.2 constant c2 = sqrt(−Z) (= 3 up to sign; any square root will do). */
  private static final int[] C2_LIMBS;

  /** §F.2.1.2 constant c1 = (p − 3) / 4, as 4-bit window digits, most significant first. */
  private static final int[] C1_WINDOWS;

  static {
    BigInteger minusZ = Z.negate().mod(P);
    BigInteger c2 = minusZ.modPow(P.add(BigInteger.ONE).shiftRight(2), P); // §I.1 sqrt
    if (!c2.multiply(c2).mod(P).equals(minusZ)) {
      throw new IllegalStateException("-Z is not a square mod p");
    }
    C2_LIMBS = SM2P256V1Field.fromBigInteger(c2);
    BigInteger c1 = P.subtract(BigInteger.valueOf(3)).shiftRight(2);
    int digits = (c1.bitLength() + 3) / 4;
    C1_WINDOWS = new int[digits];
    for (int i = 0; i < digits; i++) {
      C1_WINDOWS[digits - 1 - i] = c1.shiftRight(4 * i).intValue() & 0xF;
    }
  }

  private final ExpandMessageXmd xmd;

  /** The suite with {@link #DEFAULT_DST}. */
  public Sm2Group() {
    this(DEFAULT_DST.toByteArray());
  }

  /**
   * The suite with the given domain-separation tag (copied).
   *
   * @throws IllegalArgumentException if {@code dst} is empty (RFC 9380 §3.1)
   */
  public Sm2Group(byte[] dst) {
    super(SuiteId.SM2, PARAMS, dst);
    this.xmd = new ExpandMessageXmd(SM3Digest::new, dst());
  }

  /** The sm2p256v1 domain parameters in use (Bouncy Castle's custom-arithmetic curve). */
  static X9ECParameters domain() {
    return PARAMS;
  }

  /** For tests in this package: map_to_curve_simple_swu(u) for u in [0, p). */
  ECPoint mapToCurve(BigInteger u) {
    if (u.signum() < 0 || u.compareTo(P) >= 0) {
      throw new IllegalArgumentException("u must be in [0, p)");
    }
    return toPoint(mapToCurve(SM2P256V1Field.fromBigInteger(u)));
  }

  /** RFC 9380 §3 hash_to_curve. */
  @Override
  ECPoint hashToPoint(byte[] item) {
    Objects.requireNonNull(item, "item");
    // 1. u = hash_to_field(msg, 2)  (§5.2, m = 1, L = 48)
    byte[] uniform = xmd.expand(item, 2 * L);
    int[] u0 = fieldElement(uniform, 0);
    int[] u1 = fieldElement(uniform, L);
    // 2.-4. Q0 = map_to_curve(u[0]); Q1 = map_to_curve(u[1]); R = Q0 + Q1
    ECPoint r = toPoint(mapToCurve(u0)).add(toPoint(mapToCurve(u1)));
    // 5. P = clear_cofactor(R): h_eff = 1.
    if (r.isInfinity()) {
      // Q0 = -Q1: probability about 2^-256.
      throw new IllegalStateException("sm2: item hashed to the identity");
    }
    return r.normalize();
  }

  /** §5.2 step 6: e_j = OS2IP(tv) mod p for the 48-byte tv at {@code off}, reduced in limbs. */
  private static int[] fieldElement(byte[] uniform, int off) {
    // A 384-bit number as 16 little-endian 32-bit limbs (the top four zero), below p^2, which is
    // what the field's double-width reduction accepts.
    int[] wide = Nat256.createExt();
    for (int i = 0; i < L / 4; i++) {
      wide[i] = Pack.bigEndianToInt(uniform, off + L - 4 * (i + 1));
    }
    int[] z = Nat256.create();
    SM2P256V1Field.reduce(wide, z);
    return z;
  }

  private ECPoint toPoint(int[][] xy) {
    ECCurve c = curve.curve();
    return c.createPoint(Nat256.toBigInteger(xy[0]), Nat256.toBigInteger(xy[1]));
  }

  /**
   * RFC 9380 §F.2 {@code map_to_curve_simple_swu(u)}, straight-line, returning affine (x, y) as
   * limbs. Step numbers are the RFC's.
   */
  private static int[][] mapToCurve(int[] u) {
    int[] tv1 = sqr(u); //                                   1. tv1 = u^2
    tv1 = mul(Z_LIMBS, tv1); //                               2. tv1 = Z * tv1
    int[] tv2 = sqr(tv1); //                                  3. tv2 = tv1^2
    tv2 = add(tv2, tv1); //                                   4. tv2 = tv2 + tv1
    int[] tv3 = add(tv2, ONE_LIMBS); //                       5. tv3 = tv2 + 1
    tv3 = mul(B_LIMBS, tv3); //                               6. tv3 = B * tv3
    int[] tv4 = cmov(Z_LIMBS, neg(tv2), ~isZero(tv2)); //     7. tv4 = CMOV(Z, -tv2, tv2 != 0)
    tv4 = mul(A_LIMBS, tv4); //                               8. tv4 = A * tv4
    tv2 = sqr(tv3); //                                        9. tv2 = tv3^2
    int[] tv6 = sqr(tv4); //                                 10. tv6 = tv4^2
    int[] tv5 = mul(A_LIMBS, tv6); //                        11. tv5 = A * tv6
    tv2 = add(tv2, tv5); //                                  12. tv2 = tv2 + tv5
    tv2 = mul(tv2, tv3); //                                  13. tv2 = tv2 * tv3
    tv6 = mul(tv6, tv4); //                                  14. tv6 = tv6 * tv4
    tv5 = mul(B_LIMBS, tv6); //                              15. tv5 = B * tv6
    tv2 = add(tv2, tv5); //                                  16. tv2 = tv2 + tv5
    int[] x = mul(tv1, tv3); //                              17. x = tv1 * tv3
    int[] y1 = new int[8];
    int isGx1Square =
        sqrtRatio(tv2, tv6, y1); //            18. (is_gx1_square, y1) = sqrt_ratio(tv2, tv6)
    int[] y = mul(tv1, u); //                                19. y = tv1 * u
    y = mul(y, y1); //                                       20. y = y * y1
    x = cmov(x, tv3, isGx1Square); //                        21. x = CMOV(x, tv3, is_gx1_square)
    y = cmov(y, y1, isGx1Square); //                         22. y = CMOV(y, y1, is_gx1_square)
    int e1 = ((u[0] ^ y[0]) & 1) - 1; //                     23. e1 = sgn0(u) == sgn0(y)
    y = cmov(neg(y), y, e1); //                              24. y = CMOV(-y, y, e1)
    int[] inv = Nat256.create(); //                          25. x = x / tv4
    SM2P256V1Field.inv(tv4, inv); //     (tv4 = A·Z or −A·tv2 with tv2 ≠ 0: never zero)
    x = mul(x, inv);
    return new int[][] {x, y}; //                            26. return (x, y)
  }

  /**
   * RFC 9380 §F.2.1.2 {@code sqrt_ratio(u, v)} for q ≡ 3 (mod 4): writes sqrt(u/v) if u/v is a
   * square, else sqrt(Z·u/v), into {@code y}; returns an all-ones mask if u/v was a square, else 0.
   */
  private static int sqrtRatio(int[] u, int[] v, int[] y) {
    int[] tv1 = sqr(v); //                 1. tv1 = v^2
    int[] tv2 = mul(u, v); //              2. tv2 = u * v
    tv1 = mul(tv1, tv2); //                3. tv1 = tv1 * tv2
    int[] y1 = powC1(tv1); //              4. y1 = tv1^c1
    y1 = mul(y1, tv2); //                  5. y1 = y1 * tv2
    int[] y2 = mul(y1, C2_LIMBS); //       6. y2 = y1 * c2
    int[] tv3 = sqr(y1); //                7. tv3 = y1^2
    tv3 = mul(tv3, v); //                  8. tv3 = tv3 * v
    int isQr = equal(tv3, u); //           9. isQR = tv3 == u
    int[] r = cmov(y2, y1, isQr); //      10. y = CMOV(y2, y1, isQR)
    System.arraycopy(r, 0, y, 0, 8);
    return isQr; //                       11. return (isQR, y)
  }

  /**
   * x^c1 with c1 = (p − 3) / 4, by a fixed 4-bit window. The exponent is a public constant, so the
   * sequence of squarings and multiplications and the table indexes do not depend on x.
   */
  private static int[] powC1(int[] x) {
    int[][] table = new int[16][];
    table[1] = x;
    for (int i = 2; i < 16; i++) {
      table[i] = mul(table[i - 1], x);
    }
    int[] r = table[C1_WINDOWS[0]].clone(); // the leading digit is non-zero
    for (int i = 1; i < C1_WINDOWS.length; i++) {
      SM2P256V1Field.squareN(r, 4, r);
      if (C1_WINDOWS[i] != 0) {
        SM2P256V1Field.multiply(r, table[C1_WINDOWS[i]], r);
      }
    }
    return r;
  }

  // Field helpers over canonical (fully reduced) eight-limb little-endian values.

  private static int[] add(int[] a, int[] b) {
    int[] z = Nat256.create();
    SM2P256V1Field.add(a, b, z);
    return z;
  }

  private static int[] mul(int[] a, int[] b) {
    int[] z = Nat256.create();
    SM2P256V1Field.multiply(a, b, z);
    return z;
  }

  private static int[] sqr(int[] a) {
    int[] z = Nat256.create();
    SM2P256V1Field.square(a, z);
    return z;
  }

  private static int[] neg(int[] a) {
    int[] z = Nat256.create();
    SM2P256V1Field.negate(a, z);
    return z;
  }

  /** CMOV(a, b, c) of RFC 9380 §4: b if {@code mask} is all ones, a if it is zero. */
  private static int[] cmov(int[] a, int[] b, int mask) {
    int[] z = new int[8];
    for (int i = 0; i < 8; i++) {
      z[i] = a[i] ^ ((a[i] ^ b[i]) & mask);
    }
    return z;
  }

  /** All ones if a == b, else 0, without branching. */
  private static int equal(int[] a, int[] b) {
    int d = 0;
    for (int i = 0; i < 8; i++) {
      d |= a[i] ^ b[i];
    }
    return ((d | -d) >> 31) ^ -1;
  }

  /** All ones if a == 0, else 0, without branching. */
  private static int isZero(int[] a) {
    int d = 0;
    for (int i = 0; i < 8; i++) {
      d |= a[i];
    }
    return ((d | -d) >> 31) ^ -1;
  }
}
