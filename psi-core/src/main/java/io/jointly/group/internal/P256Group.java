package io.jointly.group.internal;

import io.jointly.core.Bytes;
import io.jointly.group.SuiteId;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.crypto.hash2curve.HashToField;
import org.bouncycastle.crypto.hash2curve.impl.NistCurveProcessor;
import org.bouncycastle.crypto.hash2curve.impl.SimplifiedShallueVanDeWoestijneMapToCurve;
import org.bouncycastle.crypto.hash2curve.impl.XmdMessageExpansion;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The {@link SuiteId#P256} suite: NIST P-256 (secp256r1) with the RFC 9380 random-oracle suite
 * {@code P256_XMD:SHA-256_SSWU_RO_} (§8.2).
 *
 * <h2>Definition</h2>
 *
 * <ul>
 *   <li><b>DST:</b> {@link #DEFAULT_DST} = ASCII {@code
 *       "JOINTLY-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_"} (the RFC 9380 §3.1 naming convention),
 *       or any non-empty tag given to {@link #P256Group(byte[])}; tags over 255 bytes are first
 *       reduced to {@code SHA-256("H2C-OVERSIZE-DST-" || DST)} as §5.3.3 prescribes.
 *   <li><b>Hash to curve</b> (RFC 9380 §3 {@code hash_to_curve}): {@code (u0, u1) =
 *       hash_to_field(item, 2)} with {@code expand_message_xmd} over SHA-256 (§5.2, §5.3.1; L = 48,
 *       k = 128); {@code Q0, Q1 = map_to_curve_simple_swu(u0), (u1)} with Z = −10 (§6.6.2, in the
 *       straight-line form of §F.2); {@code P = Q0 + Q1} (h_eff = 1, so clear_cofactor is the
 *       identity map). Computed by Bouncy Castle's {@code org.bouncycastle.crypto.hash2curve}
 *       ({@link HashToField}, {@link XmdMessageExpansion}, {@link
 *       SimplifiedShallueVanDeWoestijneMapToCurve}, {@link NistCurveProcessor}), assembled as BC's
 *       own {@code P256_XMD_SHA_256} profile is but with the tag as bytes; checked against RFC 9380
 *       Appendix J.1.1.
 *   <li><b>Elements:</b> compressed SEC1 points, 33 bytes ({@code 0x02|0x03 || x}); see {@link
 *       Sec1PrimeOrderCurve} for the validation of received elements (length, prefix, x &lt; p, on
 *       the curve, not the identity, canonical).
 *   <li><b>Scalars:</b> 32-byte big-endian integers in [1, n−1], drawn by rejection sampling.
 * </ul>
 *
 * <h2>What is constant-time</h2>
 *
 * <ul>
 *   <li>Scalar multiplication: Bouncy Castle's {@code ECConstantTimeMultiplier} (fixed window,
 *       signed odd digits, cache-safe table scan) over the fixed-limb {@code SecP256R1Field}; see
 *       {@link Sec1PrimeOrderCurve} for exactly what that does and does not cover.
 *   <li>Hash to curve is <b>not</b> constant-time: Bouncy Castle's implementation works on {@link
 *       java.math.BigInteger} ({@code modPow}, {@code mod}, {@code modInverse}) and its {@code
 *       cmov} and square test are ordinary branches, so its running time depends on the item being
 *       hashed (through u0, u1). The item is this party's own input; an attacker who can time
 *       individual hash computations on this machine may learn something about it.
 *       expand_message_xmd (SHA-256) depends only on the item's length.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class P256Group extends Sec1Group {
  /** Jointly's domain-separation tag for this suite. */
  public static final Bytes DEFAULT_DST =
      Bytes.wrap(
          "JOINTLY-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_".getBytes(StandardCharsets.US_ASCII));

  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");

  private final HashToEllipticCurve hashToCurve;

  /** The suite with {@link #DEFAULT_DST}. */
  public P256Group() {
    this(DEFAULT_DST.toByteArray());
  }

  /**
   * The suite with the given domain-separation tag (copied).
   *
   * @throws IllegalArgumentException if {@code dst} is empty (RFC 9380 §3.1)
   */
  public P256Group(byte[] dst) {
    super(SuiteId.P256, PARAMS, dst);
    HashToCurveProfile profile = HashToCurveProfile.P256_XMD_SHA_256;
    this.hashToCurve =
        new HashToEllipticCurve(
            new HashToField(
                ExpandMessageXmd.effectiveTag(SHA256Digest::new, dst()),
                curve.curve(),
                new XmdMessageExpansion(new SHA256Digest(), profile.getK()),
                profile.getL()),
            new SimplifiedShallueVanDeWoestijneMapToCurve(curve.curve(), profile.getZ()),
            new NistCurveProcessor()) {};
  }

  @Override
  ECPoint hashToPoint(byte[] item) {
    Objects.requireNonNull(item, "item");
    ECPoint p = hashToCurve.hashToCurve(item);
    if (p.isInfinity()) {
      // Q0 = -Q1: probability about 2^-256.
      throw new IllegalStateException("p256: item hashed to the identity");
    }
    return p.normalize();
  }
}
