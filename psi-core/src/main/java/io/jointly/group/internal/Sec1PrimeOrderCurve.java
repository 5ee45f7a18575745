package io.jointly.group.internal;

import io.jointly.core.Abort;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.core.SecretAccess;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * What the P-256 and SM2 suites share: a 256-bit short-Weierstrass curve of prime order (cofactor
 * 1), elements as compressed SEC1 points, scalars as 32-byte big-endian integers in {@code [1,
 * n-1]}, and scalar multiplication by a secret scalar.
 *
 * <p>Encodings (SEC 1 v2 §2.3.3 and §2.3.4, compressed form only): {@code 0x02 | 0x03} (the parity
 * of y) followed by x as 32 big-endian bytes. The point at infinity has no 33-byte encoding and is
 * never produced or accepted. Since the curve has prime order it has no point with y = 0, so each
 * point has exactly one compressed encoding.
 *
 * <p>Scalar multiplication uses Bouncy Castle's {@code ECAlgorithms.multiplySecret}, i.e. {@code
 * org.bouncycastle.math.ec.ECConstantTimeMultiplier}: the scalar is made odd under a mask (adding
 * the odd group order n when it is even), recoded into a fixed number of non-zero signed odd
 * digits, and the table of odd multiples is read with a masked scan over every entry ({@code
 * createCacheSafeLookupTable}); the number of doublings and additions does not depend on the
 * scalar. What is <em>not</em> constant-time: the scalar is handed to Bouncy Castle as a {@link
 * BigInteger} (its internal length follows the scalar's magnitude, and that copy cannot be zeroed);
 * the field arithmetic underneath (Bouncy Castle's fixed-limb {@code SecP256R1Field} / {@code
 * SM2P256V1Field}) ends its reductions with a data-dependent conditional subtraction of p; point
 * addition has branches for its exceptional cases (an input at infinity, or equal inputs); and the
 * final conversion to affine coordinates and the encoding go through {@link BigInteger}. We know of
 * no way in which these expose the scalar, but they have not been measured, and Java (JIT, garbage
 * collector, {@link BigInteger}) gives no guarantee against an attacker who can time this process
 * closely, for example from the same machine.
 *
 * <p>Immutable and thread-safe.
 */
final class Sec1PrimeOrderCurve {
  /** The length of a compressed encoding: one prefix byte and a 32-byte x-coordinate. */
  static final int ELEMENT_LENGTH = 33;

  /** The length of a scalar encoding. */
  static final int SCALAR_LENGTH = 32;

  private final SuiteId suite;
  private final ECCurve curve;
  private final BigInteger p;
  private final BigInteger n;

  Sec1PrimeOrderCurve(SuiteId suite, X9ECParameters params) {
    this.suite = Objects.requireNonNull(suite);
    this.curve = params.getCurve();
    this.p = curve.getField().getCharacteristic();
    this.n = params.getN();
    if (!BigInteger.ONE.equals(params.getH())
        || p.bitLength() != 8 * SCALAR_LENGTH
        || n.bitLength() != 8 * SCALAR_LENGTH) {
      throw new IllegalArgumentException("expected a 256-bit prime-order curve");
    }
  }

  ECCurve curve() {
    return curve;
  }

  BigInteger order() {
    return n;
  }

  /** A uniform scalar in [1, n-1] by rejection sampling of 32-byte strings. */
  GroupScalar randomScalar(SecureRandom random) {
    byte[] buf = new byte[SCALAR_LENGTH];
    try {
      while (true) {
        random.nextBytes(buf);
        BigInteger k = new BigInteger(1, buf);
        if (k.signum() > 0 && k.compareTo(n) < 0) {
          return new GroupScalar(suite, buf, SecretAccess.insecure());
        }
      }
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }

  GroupScalar scalarFromBytes(byte[] encoded) {
    if (encoded.length != SCALAR_LENGTH) {
      throw new IllegalArgumentException(suite + " scalar must be " + SCALAR_LENGTH + " bytes");
    }
    BigInteger k = new BigInteger(1, encoded);
    if (k.signum() == 0 || k.compareTo(n) >= 0) {
      throw new IllegalArgumentException(suite + " scalar must be in [1, n-1]");
    }
    return new GroupScalar(suite, encoded, SecretAccess.insecure());
  }

  /** {@code encode(k·point)} for a point of the prime-order group (not the identity). */
  byte[] multiply(GroupScalar k, ECPoint point) {
    if (k.suite() != suite) {
      throw new IllegalArgumentException("scalar of suite " + k.suite() + " used with " + suite);
    }
    byte[] buf = k.toByteArray(SecretAccess.insecure());
    BigInteger scalar;
    try {
      scalar = new BigInteger(1, buf);
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
    // k in [1, n-1] and point of prime order n: k·point is never the identity.
    return encode(ECAlgorithms.multiplySecret(point, scalar, n));
  }

  /** The compressed SEC1 encoding of a finite point. */
  byte[] encode(ECPoint point) {
    if (point.isInfinity()) {
      throw new IllegalStateException(suite + ": the identity has no element encoding");
    }
    return point.getEncoded(true);
  }

  /**
   * Decodes and fully validates an element received from the peer: exact length, compressed prefix,
   * x reduced mod p, x the abscissa of a curve point, not the identity, canonical.
   */
  ECPoint decode(byte[] element) throws ProtocolAbortException {
    Objects.requireNonNull(element, "element");
    Abort.unless(
        element.length == ELEMENT_LENGTH,
        Reason.INVALID_ELEMENT,
        suite + " element must be " + ELEMENT_LENGTH + " bytes, got " + element.length);
    Abort.unless(
        element[0] == 0x02 || element[0] == 0x03,
        Reason.INVALID_ELEMENT,
        suite + " element must be a compressed SEC1 point (prefix 0x02 or 0x03)");
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(element, 1, ELEMENT_LENGTH));
    Abort.unless(
        x.compareTo(p) < 0, Reason.INVALID_ELEMENT, suite + " element x-coordinate is not below p");
    ECPoint point;
    try {
      // Decompression: y = sqrt(x^3 + ax + b), rejected by Bouncy Castle if not a square.
      point = curve.decodePoint(element);
    } catch (IllegalArgumentException e) {
      throw new ProtocolAbortException(
          Reason.INVALID_ELEMENT, suite + " element is not a point on the curve");
    }
    Abort.unless(
        !point.isInfinity() && point.isValid(),
        Reason.INVALID_ELEMENT,
        suite + " element is not a valid non-identity point");
    Abort.unless(
        Arrays.equals(point.getEncoded(true), element),
        Reason.INVALID_ELEMENT,
        suite + " element is not canonically encoded");
    return point;
  }
}
