package io.jointly.oprf;

import io.jointly.core.Bytes;
import io.jointly.core.SecretAccess;
import io.jointly.group.GroupScalar;
import io.jointly.group.internal.Ristretto255Group;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The server's OPRF private key {@code skS} (RFC 9497 §3.2), with its public key {@code pkS =
 * skS·G} and a short public key id. Whoever holds {@code skS} can compute the PRF of any input, so
 * it stays in this final class: redacted {@code toString}, no {@code equals}, export only through a
 * {@link SecretAccess} token (to seal it), {@link #destroy()} when done.
 *
 * <p>The key id is {@code SHA-256("JOINTLY-OPRF-KEY-ID-V1" || I2OSP(suite, 1) || pkS)}, first 16
 * bytes: it names the key in cache files and handshakes, so a cache encoded under another key is
 * recognised and refused. It reveals no more than {@code pkS}, which in the discrete-logarithm
 * setting reveals nothing about {@code skS}.
 *
 * <p>Thread-safe until destroyed.
 */
public final class OprfKey {
  /** Length of {@link #keyId()}. */
  public static final int KEY_ID_LENGTH = 16;

  private static final byte[] KEY_ID_LABEL = "JOINTLY-OPRF-KEY-ID-V1".getBytes(StandardCharsets.US_ASCII);

  private final OprfSuite suite;
  private final GroupScalar scalar;
  private final Bytes publicKey;
  private final Bytes keyId;

  private OprfKey(OprfSuite suite, GroupScalar scalar) {
    this.suite = suite;
    this.scalar = scalar;
    this.publicKey = Bytes.wrap(Ristretto255Group.multiplyBasepoint(scalar));
    this.keyId = keyIdOf(suite, publicKey);
  }

  /** A fresh key: {@code skS = G.RandomScalar()} (RFC 9497 §3.2, {@code GenerateKeyPair}). */
  public static OprfKey generate(OprfSuite suite, SecureRandom random) {
    Objects.requireNonNull(suite, "suite");
    return new OprfKey(suite, new Ristretto255Group().randomScalar(Objects.requireNonNull(random)));
  }

  /**
   * {@code DeriveKeyPair(seed, info)} (RFC 9497 §3.2.1): {@code skS = HashToScalar(seed ||
   * I2OSP(len(info), 2) || info || I2OSP(counter, 1))} under the tag {@code "DeriveKeyPair" ||
   * contextString}, for the first counter in 0..255 that gives a non-zero scalar.
   *
   * @param seed 32 bytes of secret seed (Nseed = 32 for every RFC 9497 suite)
   * @param info public key information, at most 65,535 bytes
   * @throws IllegalArgumentException if the seed is not 32 bytes, {@code info} is too long, or
   *     every counter gives zero ({@code DeriveKeyPairError}, probability about 2^−2000)
   */
  public static OprfKey derive(OprfSuite suite, byte[] seed, byte[] info) {
    Objects.requireNonNull(suite, "suite");
    if (seed.length != 32) {
      throw new IllegalArgumentException("DeriveKeyPair takes a 32-byte seed");
    }
    if (info.length > 0xFFFF) {
      throw new IllegalArgumentException("DeriveKeyPair info has at most 65535 bytes");
    }
    // deriveInput = seed || I2OSP(len(info), 2) || info
    byte[] input = new byte[seed.length + 2 + info.length + 1];
    System.arraycopy(seed, 0, input, 0, seed.length);
    input[seed.length] = (byte) (info.length >>> 8);
    input[seed.length + 1] = (byte) info.length;
    System.arraycopy(info, 0, input, seed.length + 2, info.length);
    byte[] dst = suite.deriveKeyPairDst();
    try {
      for (int counter = 0; counter <= 255; counter++) {
        input[input.length - 1] = (byte) counter; // || I2OSP(counter, 1)
        GroupScalar sk = Ristretto255Group.hashToScalar(input, dst);
        if (sk != null) {
          return new OprfKey(suite, sk);
        }
      }
    } finally {
      Arrays.fill(input, (byte) 0);
    }
    throw new IllegalArgumentException("DeriveKeyPairError: every counter gave the zero scalar");
  }

  /**
   * A key from its 32-byte encoding, for unsealing a stored key.
   *
   * @throws IllegalArgumentException if the bytes are not a canonical non-zero scalar
   */
  public static OprfKey fromBytes(OprfSuite suite, byte[] encoded, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    return new OprfKey(suite, new Ristretto255Group().scalarFromBytes(encoded));
  }

  /** The 32-byte encoding of {@code skS}, to seal it. The caller owns and should zero the copy. */
  public byte[] toBytes(SecretAccess access) {
    return scalar.toByteArray(access);
  }

  public OprfSuite suite() {
    return suite;
  }

  /** {@code pkS = skS·G} (RFC 9497 §3.2), serialized. */
  public Bytes publicKey() {
    return publicKey;
  }

  /** The public key id (see the class documentation). */
  public Bytes keyId() {
    return keyId;
  }

  GroupScalar scalar() {
    return scalar;
  }

  /** Zeroes the scalar; later use fails. */
  public void destroy() {
    scalar.destroy();
  }

  /** The key id of a public key. */
  static Bytes keyIdOf(OprfSuite suite, Bytes publicKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(KEY_ID_LABEL);
      d.update((byte) suite.wireCode());
      d.update(publicKey.toByteArray());
      return Bytes.wrap(Arrays.copyOf(d.digest(), KEY_ID_LENGTH));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "OprfKey[" + suite + ", id " + keyId.toHex() + ", redacted]";
  }
}
