package io.jointly.oprf;

import io.jointly.core.SecretAccess;
import io.jointly.group.GroupScalar;
import io.jointly.group.internal.Ristretto255Group;
import java.util.Objects;

/**
 * The client's secret blinding scalar of one OPRF evaluation (RFC 9497 §3.3.1 {@code Blind}): it
 * hides the input from the server, and the client needs it once more to unblind the server's
 * answer in {@code Finalize}. Whoever learns it can recover {@code HashToGroup(input)} from the
 * blinded element, so it never leaves the client: redacted {@code toString}, no {@code equals},
 * {@link #destroy()} when done.
 *
 * <p>Safe to read from several threads until destroyed.
 */
public final class OprfBlind {
  private final GroupScalar scalar;
  private final GroupScalar inverse; // null unless precomputed ({@link Oprf#blinds})

  OprfBlind(GroupScalar scalar) {
    this(scalar, null);
  }

  OprfBlind(GroupScalar scalar, GroupScalar inverse) {
    this.scalar = Objects.requireNonNull(scalar);
    this.inverse = inverse;
  }

  /** The precomputed {@code blind^−1}, or {@code null}. */
  GroupScalar inverse() {
    return inverse;
  }

  /**
   * A blind from its 32-byte little-endian encoding: for known-answer tests, which fix the blind.
   *
   * @throws IllegalArgumentException if the bytes are not a canonical non-zero scalar
   */
  public static OprfBlind fromBytes(byte[] encoded, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return new OprfBlind(new Ristretto255Group().scalarFromBytes(encoded));
  }

  GroupScalar scalar() {
    return scalar;
  }

  /** Zeroes the scalar (and its inverse); later use fails. */
  public void destroy() {
    scalar.destroy();
    if (inverse != null) {
      inverse.destroy();
    }
  }

  @Override
  public String toString() {
    return "OprfBlind[redacted]";
  }
}
