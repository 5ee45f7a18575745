package io.jointly.compliance.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider instance the compliance code passes to JCA calls explicitly: it parses
 * and verifies every certificate and signature kind a deployment may use (ECDSA on P-256/P-384,
 * RSA, Ed25519 and SM2 with SM3), with no global registration ({@code Security.addProvider}).
 */
final class Providers {
  static final Provider BC = new BouncyCastleProvider();

  private Providers() {}
}
