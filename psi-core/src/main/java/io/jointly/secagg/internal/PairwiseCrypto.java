package io.jointly.secagg.internal;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The key agreement, key derivation and authenticated encryption of secure aggregation:
 *
 * <ul>
 *   <li>X25519 (RFC 7748 §5, §6.1) through Jointly's own {@link SuiteId#X25519} group: a key pair
 *       is a clamped random scalar and {@code X25519(sk, 9)}; an agreement rejects a peer key that
 *       is non-canonical or yields the all-zero output (RFC 7748 §6.1);
 *   <li>HKDF-SHA-256 (RFC 5869) from the agreed secret, salted with the run's digest and labelled
 *       by purpose, for the pairwise mask seed and the share-encryption key;
 *   <li>AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and 128-bit tag for the shares sent
 *       client to client through the server.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PairwiseCrypto {
  /** Length of an X25519 public key. */
  public static final int PUBLIC_KEY_BYTES = 32;

  /** GCM tag length in bytes. */
  public static final int TAG_BYTES = 16;

  /** HKDF label of pairwise mask seeds. */
  public static final String MASK_LABEL = "jointly secagg v1 pairwise mask";

  /** HKDF label of share-encryption keys. */
  public static final String ENCRYPTION_LABEL = "jointly secagg v1 share encryption";

  private static final EcdhGroup X25519 = EcdhGroups.create(SuiteId.X25519);

  /** RFC 7748 §4.1: the base point of Curve25519 has u = 9. */
  private static final byte[] BASE_POINT = basePoint();

  private PairwiseCrypto() {}

  /** A fresh secret key. */
  public static GroupScalar newSecretKey(SecureRandom random) {
    return X25519.randomScalar(random);
  }

  /** The secret key with the given (clamped) encoding, as reconstructed from shares. */
  public static GroupScalar secretKeyFromBytes(byte[] encoded) {
    return X25519.scalarFromBytes(encoded);
  }

  /** {@code X25519(sk, 9)}. */
  public static byte[] publicKey(GroupScalar sk) {
    try {
      return X25519.multiply(sk, BASE_POINT);
    } catch (ProtocolAbortException e) {
      throw new IllegalStateException("the base point cannot give a low-order result", e);
    }
  }

  /**
   * The shared secret {@code X25519(sk, peer)}, 32 bytes.
   *
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} if the peer key is malformed or of low
   *     order
   */
  public static byte[] agree(GroupScalar sk, byte[] peerPublicKey) throws ProtocolAbortException {
    return X25519.multiply(sk, peerPublicKey);
  }

  /** HKDF-SHA-256 (RFC 5869) of {@code ikm} with {@code salt} and {@code label}, 32 bytes. */
  public static byte[] derive(byte[] ikm, byte[] salt, String label) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, label.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  /** AES-256-GCM encryption; the result is ciphertext followed by the tag. */
  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(aad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * AES-256-GCM decryption.
   *
   * @throws ProtocolAbortException {@code MALFORMED_MESSAGE} if the tag does not verify
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed)
      throws ProtocolAbortException {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(aad);
      return c.doFinal(sealed);
    } catch (AEADBadTagException e) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "an encrypted share failed authentication");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static byte[] basePoint() {
    byte[] u = new byte[PUBLIC_KEY_BYTES];
    u[0] = 9;
    return u;
  }

  /** Zeroes arrays holding secrets. */
  public static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }
}
