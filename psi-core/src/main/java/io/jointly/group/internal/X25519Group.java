package io.jointly.group.internal;

import io.jointly.core.Abort;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The {@link SuiteId#X25519} suite: RFC 7748 X25519 with the "direct hash as point x" rule of the
 * BFIA/CAICT ECDH-PSI interconnection standard (the suite {@code CURVE25519 + SHA_256 +
 * DIRECT_HASH_AS_POINT_X}, as implemented by SecretFlow's reference). Kept for interoperability;
 * prefer ristretto255 where the peer allows it (see "Security" below).
 *
 * <h2>Definition</h2>
 *
 * <ul>
 *   <li><b>Hash to "group":</b> {@code H(item) = SHA-256(item)} with bit 255 cleared ({@code d[31]
 *       &= 0x7F}), taken as a 32-byte little-endian u-coordinate (RFC 7748 §5 {@code
 *       decodeUCoordinate} would mask that bit too). There is no domain-separation tag: {@link
 *       #domainSeparationTag()} is empty. The hash is <em>not</em> an RFC 9380 hash-to-curve.
 *   <li><b>Elements:</b> 32 bytes, the little-endian u-coordinate (RFC 7748 §5), fully reduced mod
 *       p = 2^255 − 19, bit 255 clear.
 *   <li><b>Scalars:</b> 32 bytes, little-endian, stored already clamped per RFC 7748 §5 (bits 0–2
 *       and 255 cleared, bit 254 set), so never zero. {@link #randomScalar} clamps 32 random bytes;
 *       {@link #scalarFromBytes} accepts any 32 bytes and clamps them (X25519 clamps at use anyway,
 *       so the result of the function is the same).
 *   <li><b>E_k(x):</b> {@code X25519(k, u)} of RFC 7748 §5, computed by Jointly's {@link
 *       Curve25519Ladder} on the radix-2^51 {@link Field25519} arithmetic shared with ristretto255
 *       (Bouncy Castle's X25519 was about 3.3× slower than libsodium here; the tests cross-check
 *       the two on the RFC 7748 vectors).
 * </ul>
 *
 * <h2>Validation of received elements</h2>
 *
 * {@link #multiply} aborts with {@code INVALID_ELEMENT} unless the element is exactly 32 bytes, has
 * bit 255 clear, encodes u &lt; p (canonical), and the X25519 output is not all-zero (RFC 7748
 * §6.1: an all-zero output means the input had no component of large prime order, i.e. it was one
 * of the low-order points such as u = 0 or u = 1). There is no on-curve check, and there cannot be
 * one for an x-only encoding (see the next section).
 *
 * <h2>Why it commutes, and the twist</h2>
 *
 * X25519(k, u) is x([k]P) for either point P with x(P) = u, on Curve25519 or on its quadratic
 * twist; the Montgomery ladder works on both without knowing which. So {@code X25519(a, X25519(b,
 * u)) = x([a][b]P) = x([b][a]P) = X25519(b, X25519(a, u))}. Clamped scalars are multiples of the
 * cofactor 8 of the curve (and of the twist's cofactor 4), so {@code [k]P} always lies in a
 * prime-order subgroup: any small-order component of an input is annihilated, the doubly encrypted
 * values that PSI compares are elements of a prime-order subgroup, and the only low-order result is
 * u = 0 (all-zero), which is rejected.
 *
 * <p>Consequences, stated plainly:
 *
 * <ul>
 *   <li>About half of all SHA-256 digests are u-coordinates of twist points, not curve points. The
 *       suite therefore works in two groups at once: the order-ℓ subgroup of the curve (ℓ ≈ 2^252)
 *       and the prime-order subgroup of the twist (order ≈ 2^253). Curve25519 was chosen to be
 *       twist-secure (discrete logarithms on the twist cost about 2^126 as well), so accepting
 *       twist points does not by itself weaken the key.
 *   <li>A peer may send any 32-byte canonical u, including twist points it chose, and gets back
 *       {@code X25519(k, u)}; that is the same kind of answer the protocol gives it for curve
 *       points, and clamping denies it the key bits mod 8 that a small-subgroup attack would
 *       extract.
 *   <li>SHA-256 as a u-coordinate is not a random oracle onto a prime-order group (the points are
 *       not uniform, and a u-coordinate stands for ±P). The textbook ECDH-PSI security argument (H
 *       a random oracle into a group where DDH is hard) therefore does not apply literally; no
 *       attack is known, but ristretto255 with RFC 9380 hashing is the suite with the clean
 *       argument.
 * </ul>
 *
 * <h2>What is constant-time</h2>
 *
 * The scalar multiplication (a Montgomery ladder of 255 steps with mask-based {@code cswap},
 * fixed-limb field arithmetic and a constant-time Bernstein–Yang final inversion) and its all-zero
 * test (an OR accumulator). SHA-256 runs in time that depends only on the item's length. Clamping
 * is branch-free. Validation of received elements is variable-time but only looks at public data.
 *
 * <p>Immutable and thread-safe. Temporary copies of the scalar are zeroed after use.
 */
public final class X25519Group implements EcdhGroup {
  /** The length of an element (a u-coordinate) and of a scalar. */
  public static final int ELEMENT_LENGTH = X25519.POINT_SIZE;

  private static final int SCALAR_LENGTH = X25519.SCALAR_SIZE;

  public X25519Group() {}

  @Override
  public SuiteId suite() {
    return SuiteId.X25519;
  }

  @Override
  public int elementLength() {
    return ELEMENT_LENGTH;
  }

  /** Empty: the X25519 suite hashes with plain SHA-256 and takes no tag. */
  @Override
  public byte[] domainSeparationTag() {
    return new byte[0];
  }

  @Override
  public GroupScalar randomScalar(SecureRandom random) {
    byte[] k = new byte[SCALAR_LENGTH];
    try {
      // RFC 7748 §5: 32 random bytes, clamped (bit 254 set, so never zero).
      X25519.generatePrivateKey(random, k);
      return new GroupScalar(SuiteId.X25519, k, SecretAccess.insecure());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public GroupScalar scalarFromBytes(byte[] encoded) {
    if (encoded.length != SCALAR_LENGTH) {
      throw new IllegalArgumentException("x25519 scalar must be " + SCALAR_LENGTH + " bytes");
    }
    byte[] k = encoded.clone();
    try {
      X25519.clampPrivateKey(k);
      return new GroupScalar(SuiteId.X25519, k, SecretAccess.insecure());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** SHA-256(item) with bit 255 cleared: the u-coordinate the item is mapped to. */
  @Override
  public byte[] hashToGroup(byte[] item) {
    Objects.requireNonNull(item, "item");
    SHA256Digest sha = new SHA256Digest();
    sha.update(item, 0, item.length);
    byte[] u = new byte[ELEMENT_LENGTH];
    sha.doFinal(u, 0);
    u[ELEMENT_LENGTH - 1] &= 0x7F;
    return u;
  }

  @Override
  public byte[] hashAndMultiply(GroupScalar k, byte[] item) {
    byte[] out = ladder(k, hashToGroup(item));
    if (out == null) {
      // Only if SHA-256(item) hit one of the few low-order u-coordinates: probability ~2^-250.
      throw new IllegalStateException("x25519: item hashed to a low-order point");
    }
    return out;
  }

  @Override
  public byte[] multiply(GroupScalar k, byte[] element) throws ProtocolAbortException {
    byte[] out = ladder(k, decode(element));
    Abort.unless(
        out != null, Reason.INVALID_ELEMENT, "x25519 result is all-zero (low-order input point)");
    return out;
  }

  /**
   * Validates the encoding of an element received from the peer (exact length, bit 255 clear, u
   * &lt; p) and returns it. The low-order check needs the scalar and is done by {@link #multiply}.
   */
  byte[] decode(byte[] element) throws ProtocolAbortException {
    Objects.requireNonNull(element, "element");
    Abort.unless(
        element.length == ELEMENT_LENGTH,
        Reason.INVALID_ELEMENT,
        "x25519 element must be " + ELEMENT_LENGTH + " bytes, got " + element.length);
    Abort.unless(
        (element[ELEMENT_LENGTH - 1] & 0x80) == 0,
        Reason.INVALID_ELEMENT,
        "x25519 element has bit 255 set");
    Abort.unless(isBelowP(element), Reason.INVALID_ELEMENT, "x25519 element is not reduced mod p");
    return element;
  }

  /** X25519(k, u), or null if the result is all-zero. */
  private static byte[] ladder(GroupScalar k, byte[] u) {
    if (k.suite() != SuiteId.X25519) {
      throw new IllegalArgumentException("scalar of suite " + k.suite() + " used with x25519");
    }
    byte[] scalar = k.toByteArray(SecretAccess.insecure());
    try {
      byte[] out = new byte[ELEMENT_LENGTH];
      return Curve25519Ladder.scalarMult(scalar, u, out) ? out : null;
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  /**
   * Whether the little-endian u (bit 255 already known clear) is below p = 2^255 − 19, i.e. not one
   * of the 19 non-canonical values p, ..., 2^255 − 1: those have bytes 1..30 all 0xFF, byte 31 =
   * 0x7F and byte 0 ≥ 0xED.
   */
  private static boolean isBelowP(byte[] u) {
    if ((u[ELEMENT_LENGTH - 1] & 0xFF) != 0x7F) {
      return true;
    }
    for (int i = 1; i < ELEMENT_LENGTH - 1; i++) {
      if ((u[i] & 0xFF) != 0xFF) {
        return true;
      }
    }
    return (u[0] & 0xFF) < 0xED;
  }
}
