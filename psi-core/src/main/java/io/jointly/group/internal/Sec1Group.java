package io.jointly.group.internal;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The part of the short-Weierstrass suites (p256, sm2) that does not depend on the hash-to-curve:
 * scalars, compressed SEC1 encoding with full validation and scalar multiplication, all through
 * {@link Sec1PrimeOrderCurve}. Subclasses supply {@link #hashToPoint}.
 *
 * <p>Immutable and thread-safe.
 */
abstract class Sec1Group implements EcdhGroup {
  private final SuiteId suite;
  private final byte[] dst;
  final Sec1PrimeOrderCurve curve;

  /**
   * @throws IllegalArgumentException if {@code dst} is empty (RFC 9380 §3.1)
   */
  Sec1Group(SuiteId suite, X9ECParameters params, byte[] dst) {
    Objects.requireNonNull(dst, "dst");
    if (dst.length == 0) {
      throw new IllegalArgumentException("domain-separation tag must not be empty");
    }
    this.suite = suite;
    this.dst = dst.clone();
    this.curve = new Sec1PrimeOrderCurve(suite, params);
  }

  /** For a hash-to-curve that takes no domain-separation tag: {@link #domainSeparationTag} is empty. */
  Sec1Group(SuiteId suite, X9ECParameters params) {
    this.suite = suite;
    this.dst = new byte[0];
    this.curve = new Sec1PrimeOrderCurve(suite, params);
  }

  /** The item hashed to a point of the curve (never the point at infinity), normalised. */
  abstract ECPoint hashToPoint(byte[] item);

  /** The tag, for subclasses' hash-to-curve set-up (not a copy: do not modify). */
  final byte[] dst() {
    return dst;
  }

  @Override
  public final SuiteId suite() {
    return suite;
  }

  @Override
  public final int elementLength() {
    return Sec1PrimeOrderCurve.ELEMENT_LENGTH;
  }

  @Override
  public final byte[] domainSeparationTag() {
    return dst.clone();
  }

  @Override
  public final GroupScalar randomScalar(SecureRandom random) {
    return curve.randomScalar(random);
  }

  @Override
  public final GroupScalar scalarFromBytes(byte[] encoded) {
    return curve.scalarFromBytes(encoded);
  }

  @Override
  public final byte[] hashToGroup(byte[] item) {
    return curve.encode(hashToPoint(item));
  }

  @Override
  public final byte[] hashAndMultiply(GroupScalar k, byte[] item) {
    return curve.multiply(k, hashToPoint(item));
  }

  @Override
  public final byte[] multiply(GroupScalar k, byte[] element) throws ProtocolAbortException {
    return curve.multiply(k, curve.decode(element));
  }

  /** For tests in this package: decoding with full validation. */
  final ECPoint decode(byte[] element) throws ProtocolAbortException {
    return curve.decode(element);
  }
}
