package io.jointly.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes (scalars, seeds, masks): redacted {@code toString}, constant-time equality, reading
 * only with a {@link SecretAccess} token, and {@link #destroy()} to zero the memory when done.
 */
public final class SecretBytes {
  private final byte[] data;
  private volatile boolean destroyed;

  private SecretBytes(byte[] data) {
    this.data = data;
  }

  /** Takes a copy of {@code data}; the caller should zero its own array. */
  public static SecretBytes copyOf(byte[] data, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return new SecretBytes(data.clone());
  }

  public int length() {
    return data.length;
  }

  /** A fresh copy of the secret. The caller owns (and should zero) the copy. */
  public byte[] toByteArray(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
    return data.clone();
  }

  /** Constant-time comparison of contents (the lengths are not secret). */
  public boolean equalsSecret(SecretBytes other) {
    return MessageDigest.isEqual(data, other.data);
  }

  /** Zeroes the secret; later reads fail. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(data, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + data.length + " bytes, redacted]";
  }
}
