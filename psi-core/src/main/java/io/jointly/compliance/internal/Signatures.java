package io.jointly.compliance.internal;

import io.jointly.core.Bytes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;

/**
 * The signature algorithm a certificate key implies, and signing and verifying with it. The
 * algorithm follows the key, never a choice written next to a signature: a verifier recomputes it
 * from the certificate and refuses any other, so a stored receipt cannot downgrade it.
 *
 * <ul>
 *   <li>EC on SM2's curve (GB/T 32918): {@code SM3withSM2} (default user id);
 *   <li>other EC keys: ECDSA with SHA-256, SHA-384 or SHA-512 by field size (P-256, P-384, P-521);
 *   <li>RSA: {@code SHA256withRSA}; Ed25519 and Ed448: themselves.
 * </ul>
 */
public final class Signatures {
  /** The prime of SM2's curve sm2p256v1 (GB/T 32918.5). */
  private static final BigInteger SM2_P =
      new BigInteger("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", 16);

  private Signatures() {}

  /**
   * The JCA algorithm for {@code key}.
   *
   * @throws IllegalArgumentException for a key of another kind
   */
  public static String algorithmFor(Key key) {
    switch (key.getAlgorithm()) {
      case "EC", "ECDSA", "SM2" -> {
        if (!(key instanceof ECKey ec)) {
          throw new IllegalArgumentException("an EC key without its parameters");
        }
        ECField field = ec.getParams().getCurve().getField();
        if (field instanceof ECFieldFp fp && fp.getP().equals(SM2_P)) {
          return "SM3withSM2";
        }
        int bits = field.getFieldSize();
        return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
      }
      case "RSA" -> {
        return "SHA256withRSA";
      }
      case "Ed25519", "EdDSA" -> {
        return "Ed25519";
      }
      case "Ed448" -> {
        return "Ed448";
      }
      default -> throw new IllegalArgumentException(
          "unsupported certificate key algorithm " + key.getAlgorithm());
    }
  }

  /** Signs {@code message} with {@code key} under {@code algorithm}. */
  public static Bytes sign(String algorithm, PrivateKey key, Bytes message) {
    try {
      Signature s = instance(algorithm, key);
      s.initSign(key);
      s.update(message.toByteArray());
      return Bytes.wrap(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /**
   * The platform's implementation where it has one for this key (faster), else Bouncy Castle's
   * (SM3withSM2, or a key only Bouncy Castle can read).
   */
  private static Signature instance(String algorithm, Key key) throws GeneralSecurityException {
    if (!algorithm.equals("SM3withSM2") && !key.getClass().getName().startsWith("org.bouncycastle.")) {
      try {
        return Signature.getInstance(algorithm);
      } catch (java.security.NoSuchAlgorithmException e) {
        // fall through to Bouncy Castle
      }
    }
    return Signature.getInstance(algorithm, Providers.BC);
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code message} under {@code algorithm}. */
  public static boolean verify(String algorithm, PublicKey key, Bytes message, Bytes signature) {
    try {
      Signature s = instance(algorithm, key);
      s.initVerify(key);
      s.update(message.toByteArray());
      return s.verify(signature.toByteArray());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
