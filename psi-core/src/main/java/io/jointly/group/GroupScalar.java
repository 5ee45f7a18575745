package io.jointly.group;

import io.jointly.core.SecretAccess;
import io.jointly.core.SecretBytes;
import java.util.Objects;

/**
 * A secret scalar of one suite: the private key of the commutative encryption {@code E_k(x) =
 * k·H(x)}. Its encoding is the suite's own (see each suite's Javadoc); it is created only by {@link
 * EcdhGroup#randomScalar} (or, for known-answer tests, {@link EcdhGroup#scalarFromBytes}) and is
 * readable only through a {@link SecretAccess} token. {@code toString} is redacted; there is no
 * {@code equals}.
 */
public final class GroupScalar {
  private final SuiteId suite;
  private final SecretBytes encoded;

  /** For suite implementations: wraps an already validated scalar encoding (copied). */
  public GroupScalar(SuiteId suite, byte[] encoded, SecretAccess access) {
    this.suite = Objects.requireNonNull(suite);
    this.encoded = SecretBytes.copyOf(encoded, access);
  }

  public SuiteId suite() {
    return suite;
  }

  /** The suite's encoding of the scalar; the caller owns and should zero the copy. */
  public byte[] toByteArray(SecretAccess access) {
    return encoded.toByteArray(access);
  }

  /** Zeroes the scalar; later use fails. Call when the protocol run is over. */
  public void destroy() {
    encoded.destroy();
  }

  @Override
  public String toString() {
    return "GroupScalar[" + suite + ", redacted]";
  }
}
