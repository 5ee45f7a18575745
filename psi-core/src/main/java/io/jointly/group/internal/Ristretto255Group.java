package io.jointly.group.internal;

import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;
import io.jointly.group.PrimeOrderGroup;
import io.jointly.group.SuiteId;
import io.jointly.group.internal.Edwards25519.Point;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The ristretto255 suite ({@link SuiteId#RISTRETTO255}): the prime-order group of RFC 9496 §4 with
 * hash-to-group {@code hash_to_ristretto255} of RFC 9380 Appendix B, i.e. {@code
 * expand_message_xmd} with SHA-512 (RFC 9380 §5.3.1) to 64 bytes followed by the element derivation
 * of RFC 9496 §4.3.4.
 *
 * <h2>Encodings</h2>
 *
 * <ul>
 *   <li>Elements: the 32-byte canonical encoding of RFC 9496 §4.3.2. Received elements are decoded
 *       with the full validation of §4.3.1 and the identity (all zero bytes) is refused as well.
 *   <li>Scalars: 32 bytes little-endian, canonical (below ℓ, RFC 9496 §4.4) and non-zero.
 * </ul>
 *
 * <h2>Constant time</h2>
 *
 * Scalar multiplication ({@link Edwards25519#scalarMul}), hashing to the group (MAP, point
 * addition), encoding and all field arithmetic are written without branches or memory indexes that
 * depend on secret data: the scalar, the hashed items and every intermediate point. The validity of
 * a received element is computed in constant time but then branched on, so it is visible; the
 * element is public. The length of a hashed item is visible (SHA-512 runs per block). The JVM gives
 * no formal constant-time guarantee; see {@link Field25519}.
 *
 * <h2>Prime-order group operations</h2>
 *
 * As a {@link PrimeOrderGroup} (for base OT): {@link #baseMultiply} uses the ristretto255 generator
 * (RFC 9496, the element its Appendix A.1 lists as multiple 1); {@link #add} and {@link #subtract} decode
 * both operands with full validation, refuse the identity and refuse an identity result. Addition
 * and encoding are constant-time; validity is branched on as for {@link #multiply}.
 *
 * <h2>Thread-safety</h2>
 *
 * Immutable: the domain-separation tag is copied at construction and every call works on its own
 * temporaries. One instance serves all threads.
 */
public final class Ristretto255Group implements EcdhGroup, PrimeOrderGroup {
  /** Jointly's domain-separation tag for ristretto255 hash-to-group (RFC 9380 §3.1 style). */
  public static final String DEFAULT_DST =
      "JOINTLY-V01-CS01-with-ristretto255_XMD:SHA-512_R255MAP_RO_";

  private static final int SCALAR_LENGTH = Scalar25519.LENGTH;

  private final byte[] dst;
  private final ExpandMessageXmd xmd;

  /** The group with {@link #DEFAULT_DST}. */
  public Ristretto255Group() {
    this(DEFAULT_DST.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The group with the given hash-to-group domain-separation tag (copied).
   *
   * @param dst a non-empty tag (RFC 9380 §3.1); tags over 255 bytes are hashed as in §5.3.3
   */
  public Ristretto255Group(byte[] dst) {
    Objects.requireNonNull(dst, "dst");
    if (dst.length == 0) {
      throw new IllegalArgumentException("the domain-separation tag must not be empty");
    }
    this.dst = dst.clone();
    this.xmd = new ExpandMessageXmd(SHA512Digest::new, this.dst);
  }

  @Override
  public SuiteId suite() {
    return SuiteId.RISTRETTO255;
  }

  @Override
  public int elementLength() {
    return Ristretto255.ENCODED_LENGTH;
  }

  @Override
  public byte[] domainSeparationTag() {
    return dst.clone();
  }

  /** Reduces 64 bytes from {@code random} modulo ℓ (RFC 9496 §4.4), retrying on zero. */
  @Override
  public GroupScalar randomScalar(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] wide = new byte[64];
    try {
      while (true) {
        random.nextBytes(wide);
        byte[] k = Scalar25519.reduce(wide);
        try {
          // Zero has probability about 2^-252; it is rejected and a fresh value drawn.
          if (Scalar25519.isZero(k) == 0) {
            return new GroupScalar(SuiteId.RISTRETTO255, k, SecretAccess.insecure());
          }
        } finally {
          Arrays.fill(k, (byte) 0);
        }
      }
    } finally {
      Arrays.fill(wide, (byte) 0);
    }
  }

  @Override
  public GroupScalar scalarFromBytes(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != SCALAR_LENGTH) {
      throw new IllegalArgumentException("a ristretto255 scalar has 32 bytes");
    }
    if ((Scalar25519.isCanonical(encoded) & (1 ^ Scalar25519.isZero(encoded))) != 1) {
      throw new IllegalArgumentException("not a canonical non-zero ristretto255 scalar");
    }
    return new GroupScalar(SuiteId.RISTRETTO255, encoded, SecretAccess.insecure());
  }

  /** {@code encode(from_hash(expand_message_xmd(item, DST, 64)))}. */
  @Override
  public byte[] hashToGroup(byte[] item) {
    Point p = new Point();
    hash(item, p);
    byte[] out = Ristretto255.encode(p);
    p.wipe();
    return out;
  }

  @Override
  public byte[] hashAndMultiply(GroupScalar k, byte[] item) {
    Point p = new Point();
    hash(item, p);
    return multiplyAndEncode(k, p);
  }

  @Override
  public byte[] multiply(GroupScalar k, byte[] element) throws ProtocolAbortException {
    Objects.requireNonNull(element, "element");
    checkScalarSuite(k);
    if (element.length != Ristretto255.ENCODED_LENGTH) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT,
          "ristretto255 element has length "
              + element.length
              + ", expected "
              + Ristretto255.ENCODED_LENGTH);
    }
    Point p = new Point();
    if (Ristretto255.decode(element, 0, p) != 1) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT,
          "not a canonical ristretto255 element encoding");
    }
    // The identity's only valid encoding is 32 zero bytes (DECODE accepts canonical input only).
    if (Scalar25519.isZero(element) == 1) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT, "ristretto255 element is the identity");
    }
    return multiplyAndEncode(k, p);
  }

  /** The RFC 9496 generator (Appendix A.1, multiple 1), decoded once; never modified. */
  private static final Point GENERATOR = decodeConstant("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76");

  private static Point decodeConstant(String hex) {
    Point p = new Point();
    if (Ristretto255.decode(java.util.HexFormat.of().parseHex(hex), 0, p) != 1) {
      throw new IllegalStateException("the ristretto255 generator constant does not decode");
    }
    return p;
  }

  @Override
  public byte[] baseMultiply(GroupScalar k) {
    return multiplyBasepoint(k);
  }

  @Override
  public byte[] add(byte[] p, byte[] q) throws ProtocolAbortException {
    return combine(p, q, false);
  }

  @Override
  public byte[] subtract(byte[] p, byte[] q) throws ProtocolAbortException {
    return combine(p, q, true);
  }

  private static byte[] combine(byte[] p, byte[] q, boolean negateQ) throws ProtocolAbortException {
    Point a = decodeNonIdentity(p);
    Point b = decodeNonIdentity(q);
    if (negateQ) {
      Edwards25519.negate(b, b);
    }
    Edwards25519.addPoints(a, b, a);
    byte[] out = Ristretto255.encode(a);
    a.wipe();
    b.wipe();
    if (Scalar25519.isZero(out) == 1) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT, "ristretto255 sum is the identity");
    }
    return out;
  }

  /**
   * {@code HashToScalar} of RFC 9497 §4.1 with an explicit tag: {@code expand_message_xmd}(SHA-512)
   * of {@code msg} to 64 bytes under {@code dst}, read as a little-endian integer and reduced
   * modulo ℓ (RFC 9496 §4.4). Returns {@code null} for the zero scalar (probability about
   * 2^−252), which callers such as {@code DeriveKeyPair} (RFC 9497 §3.2.1) retry.
   */
  public static GroupScalar hashToScalar(byte[] msg, byte[] dst) {
    Objects.requireNonNull(msg, "msg");
    byte[] uniform = new ExpandMessageXmd(SHA512Digest::new, dst).expand(msg, 64);
    byte[] k = Scalar25519.reduce(uniform);
    try {
      if (Scalar25519.isZero(k) == 1) {
        return null;
      }
      return new GroupScalar(SuiteId.RISTRETTO255, k, SecretAccess.insecure());
    } finally {
      Arrays.fill(uniform, (byte) 0);
      Arrays.fill(k, (byte) 0);
    }
  }

  /** {@code ScalarInverse} (RFC 9497 §2.1): k^−1 mod ℓ, constant-time ({@link Scalar25519}). */
  public static GroupScalar invert(GroupScalar k) {
    checkScalarSuite(k);
    byte[] s = k.toByteArray(SecretAccess.insecure());
    byte[] inv = Scalar25519.invert(s);
    try {
      return new GroupScalar(SuiteId.RISTRETTO255, inv, SecretAccess.insecure());
    } finally {
      Arrays.fill(s, (byte) 0);
      Arrays.fill(inv, (byte) 0);
    }
  }

  /**
   * The inverses of several non-zero scalars with a single inversion (Montgomery's trick), for
   * unblinding a batch: about three multiplications modulo ℓ per scalar instead of one inversion.
   */
  public static GroupScalar[] invertAll(GroupScalar[] ks) {
    byte[][] raw = new byte[ks.length][];
    for (int i = 0; i < ks.length; i++) {
      checkScalarSuite(ks[i]);
      raw[i] = ks[i].toByteArray(SecretAccess.insecure());
    }
    byte[][] inv = Scalar25519.invertAll(raw);
    GroupScalar[] out = new GroupScalar[ks.length];
    for (int i = 0; i < ks.length; i++) {
      out[i] = new GroupScalar(SuiteId.RISTRETTO255, inv[i], SecretAccess.insecure());
      Arrays.fill(raw[i], (byte) 0);
      Arrays.fill(inv[i], (byte) 0);
    }
    return out;
  }

  private static Point decodeNonIdentity(byte[] element) throws ProtocolAbortException {
    Objects.requireNonNull(element, "element");
    if (element.length != Ristretto255.ENCODED_LENGTH) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT,
          "ristretto255 element has length " + element.length + ", expected " + Ristretto255.ENCODED_LENGTH);
    }
    Point p = new Point();
    if (Ristretto255.decode(element, 0, p) != 1) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT, "not a canonical ristretto255 element encoding");
    }
    if (Scalar25519.isZero(element) == 1) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.INVALID_ELEMENT, "ristretto255 element is the identity");
    }
    return p;
  }

  /** {@code ScalarMultGen} (RFC 9497 §2.1): the encoding of k·B, B the ristretto255 generator. */
  public static byte[] multiplyBasepoint(GroupScalar k) {
    Point p = new Point();
    p.set(GENERATOR);
    return multiplyAndEncode(k, p);
  }

  @Override
  public String toString() {
    return "Ristretto255Group[dst=" + new String(dst, StandardCharsets.US_ASCII) + "]";
  }

  // hash_to_ristretto255 (RFC 9380 App. B): uniform_bytes = expand_message_xmd(msg, DST, 64);
  // P = element derivation (RFC 9496 §4.3.4) of uniform_bytes.
  private void hash(byte[] item, Point out) {
    Objects.requireNonNull(item, "item");
    byte[] uniform = xmd.expand(item, 64);
    Ristretto255.fromUniformBytes(uniform, out);
    Arrays.fill(uniform, (byte) 0);
  }

  private static byte[] multiplyAndEncode(GroupScalar k, Point p) {
    checkScalarSuite(k);
    byte[] scalar = k.toByteArray(SecretAccess.insecure());
    try {
      if (scalar.length != SCALAR_LENGTH || Scalar25519.isCanonical(scalar) != 1) {
        throw new IllegalArgumentException("not a canonical ristretto255 scalar");
      }
      Edwards25519.scalarMul(scalar, p, p);
      byte[] out = Ristretto255.encode(p);
      p.wipe();
      return out;
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  private static void checkScalarSuite(GroupScalar k) {
    Objects.requireNonNull(k, "k");
    if (k.suite() != SuiteId.RISTRETTO255) {
      throw new IllegalArgumentException(
          "scalar of suite " + k.suite() + ", expected ristretto255");
    }
  }
}
