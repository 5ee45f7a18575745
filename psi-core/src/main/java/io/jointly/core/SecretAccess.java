package io.jointly.core;

/**
 * An access token required to read secret material out of its holder (after Tink's {@code
 * SecretKeyAccess}). Code that calls {@link #insecure()} is code that handles raw secrets: keep it
 * to the group implementations and grep-able.
 */
public final class SecretAccess {
  private static final SecretAccess INSTANCE = new SecretAccess();

  private SecretAccess() {}

  /** The token. Each call site is a place where a secret leaves its holder: review it. */
  public static SecretAccess insecure() {
    return INSTANCE;
  }
}
