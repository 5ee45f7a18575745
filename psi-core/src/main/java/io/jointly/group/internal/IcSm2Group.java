package io.jointly.group.internal;

import io.jointly.group.InterconnectionSuite;
import io.jointly.group.SuiteId;
import java.math.BigInteger;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * The interconnection standard's SM2 suite as the SecretFlow reference runs it, {@link
 * InterconnectionSuite#SM2_SHA256_TRY_AND_REHASH}: the SM2 curve sm2p256v1 (GB/T 32918.5), points
 * as 33-byte X9.62 compressed encodings, and the reference's try-and-rehash hash to the curve.
 *
 * <h2>Hash to the curve (try-and-rehash)</h2>
 *
 * As in the reference (yacl tag {@code 0.4.5b4_nightly_20240731}, {@code
 * yacl/crypto/ecc/openssl/openssl_group.cc} {@code HashToCurve} with {@code TryAndRehash_SHA2} for
 * a 256-bit order; interconnection spec §5.4):
 *
 * <ol>
 *   <li>{@code h = SHA-256(item)}.
 *   <li>Up to 100 times: {@code x = OS2IP(h) mod p} (h read as a big-endian integer); if {@code x}
 *       is the x-coordinate of a curve point, the result is the point {@code (x, y)} with
 *       <b>even</b> {@code y} (OpenSSL {@code EC_POINT_set_compressed_coordinates(..., y_bit = 0)});
 *       otherwise {@code h = SHA-256(h)} (the 32-byte digest re-hashed) and try again.
 *   <li>After 100 failures (probability about 2^-100) the item cannot be hashed: an {@link
 *       IllegalStateException}, as the reference throws.
 * </ol>
 *
 * This is not Jointly's {@link SuiteId#SM2} hash (RFC 9380 SSWU over SM3) and not an RFC 9380
 * hash-to-curve at all: it is not a random oracle onto the group in the RFC's sense (the point is
 * the first hit of a walk, and its y is fixed by parity), and it takes no domain-separation tag
 * ({@link #domainSeparationTag()} is empty). It exists for interoperability only.
 *
 * <h2>Scalars, elements, validation</h2>
 *
 * As {@link Sm2Group}, through {@link Sec1PrimeOrderCurve}: scalars are 32-byte big-endian integers
 * in [1, n−1], uniform; elements received from the peer are fully validated (length, prefix, x &lt;
 * p, on the curve, canonical). The reference draws its scalar as 32 random bytes read little-endian
 * and unreduced; the peer never sees the scalar, and any fixed scalar commutes, so this changes
 * nothing on the wire. {@link #suite()} is {@link SuiteId#SM2} because scalars and elements are those
 * of the SM2 suite; only the hash differs.
 *
 * <h2>What is constant-time</h2>
 *
 * Not the hash: the number of rehash rounds depends on the item (each round succeeds with
 * probability about 1/2), so the time to hash an item leaks a few bits about it to an observer who
 * can time single hashes. That is inherent in the standard's rule. Scalar multiplication as in
 * {@link Sec1PrimeOrderCurve}.
 *
 * <p>Immutable and thread-safe.
 */
public final class IcSm2Group extends Sec1Group {
  /** The reference's bound on rehash rounds ({@code kHashToCurveCounterGuard}). */
  static final int MAX_ROUNDS = 100;

  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("sm2p256v1");
  private static final BigInteger P = PARAMS.getCurve().getField().getCharacteristic();
  private static final int FIELD_BYTES = 32;

  public IcSm2Group() {
    super(SuiteId.SM2, PARAMS);
  }

  @Override
  ECPoint hashToPoint(byte[] item) {
    Objects.requireNonNull(item, "item");
    Hit hit = tryAndRehash(item);
    if (hit == null) {
      throw new IllegalStateException(
          "sm2 (interconnection): no curve point after " + MAX_ROUNDS + " rehash rounds");
    }
    return hit.point();
  }

  /** A point found by the walk, and in which round (1 = the first digest was an x-coordinate). */
  record Hit(ECPoint point, int round) {}

  /** The try-and-rehash walk, or null after {@link #MAX_ROUNDS} misses. */
  static Hit tryAndRehash(byte[] item) {
    ECCurve curve = PARAMS.getCurve();
    byte[] h = sha256(item);
    byte[] compressed = new byte[1 + FIELD_BYTES];
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      compressed[0] = 0x02; // even y
      BigIntegers.asUnsignedByteArray(new BigInteger(1, h).mod(P), compressed, 1, FIELD_BYTES);
      ECPoint point = decompress(curve, compressed);
      if (point != null) {
        return new Hit(point, round);
      }
      h = sha256(h);
    }
    return null;
  }

  /** The point with this compressed encoding, or null if x is not an x-coordinate of the curve. */
  private static ECPoint decompress(ECCurve curve, byte[] compressed) {
    try {
      ECPoint p = curve.decodePoint(compressed);
      return p.isInfinity() ? null : p.normalize();
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
  }

  private static byte[] sha256(byte[] in) {
    SHA256Digest d = new SHA256Digest();
    d.update(in, 0, in.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
