package io.jointly.group;

import java.util.Locale;
import java.util.Optional;

/**
 * The ECDH-PSI suites of the interconnection standard (隐私计算互联互通, CAICT PPCA 9—2023 and the
 * BFIA/金科联盟 variant) that Jointly runs, as the SecretFlow reference implementation runs them.
 * Each carries the standard's codes (from {@code ecc.proto}: {@code CurveType}, {@code HashType},
 * {@code HashToCurveStrategy}, {@code PointOctetFormat}) so a handshake can name it; the codes are
 * plain numbers here, and only the {@code transport} module turns them into protobuf.
 *
 * <p>These are not Jointly's own suites ({@link SuiteId}): {@link #CURVE25519_SHA256_DIRECT} hashes
 * exactly like {@link SuiteId#X25519} (the same group serves both), but {@link
 * #SM2_SHA256_TRY_AND_REHASH} uses the reference's try-and-rehash hash to the SM2 curve, not the
 * RFC 9380 hash of {@link SuiteId#SM2}, and the two never match each other's items.
 */
public enum InterconnectionSuite {
  /**
   * {@code <CURVE25519, SHA_256, DIRECT_HASH_AS_POINT_X>}, point format {@code UNCOMPRESSED}
   * (32-byte little-endian u): the standard's first mandatory suite and the reference's default.
   */
  CURVE25519_SHA256_DIRECT("curve25519", 1, 11, 3, 1, 32),
  /**
   * {@code <SM2, SHA_256, TRY_AND_REHASH>}, point format {@code X962_COMPRESSED} (33 bytes): the
   * reference's only SM2 suite.
   */
  SM2_SHA256_TRY_AND_REHASH("sm2", 2, 11, 2, 2, 33);

  /** {@code CurveType} codes. */
  public static final int CURVE_CURVE25519 = 1;

  public static final int CURVE_SM2 = 2;

  /** {@code HashType.SHA_256}. */
  public static final int HASH_SHA_256 = 11;

  private final String displayName;
  private final int curveType;
  private final int hashType;
  private final int hashToCurveStrategy;
  private final int pointOctetFormat;
  private final int elementLength;

  InterconnectionSuite(
      String displayName,
      int curveType,
      int hashType,
      int hashToCurveStrategy,
      int pointOctetFormat,
      int elementLength) {
    this.displayName = displayName;
    this.curveType = curveType;
    this.hashType = hashType;
    this.hashToCurveStrategy = hashToCurveStrategy;
    this.pointOctetFormat = pointOctetFormat;
    this.elementLength = elementLength;
  }

  /** The name on command lines and in reports: {@code curve25519} or {@code sm2}. */
  public String displayName() {
    return displayName;
  }

  /** The standard's {@code CurveType} code. */
  public int curveType() {
    return curveType;
  }

  /** The standard's {@code HashType} code. */
  public int hashType() {
    return hashType;
  }

  /** The standard's {@code HashToCurveStrategy} code. */
  public int hashToCurveStrategy() {
    return hashToCurveStrategy;
  }

  /** The standard's {@code PointOctetFormat} code of this suite's elements. */
  public int pointOctetFormat() {
    return pointOctetFormat;
  }

  /** The length in bytes of a first-stage ciphertext (an encoded element). */
  public int elementLength() {
    return elementLength;
  }

  /** The suite with these three codes, if Jointly runs it. */
  public static Optional<InterconnectionSuite> of(int curve, int hash, int hashToCurve) {
    for (InterconnectionSuite s : values()) {
      if (s.curveType == curve && s.hashType == hash && s.hashToCurveStrategy == hashToCurve) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Parses {@code curve25519} or {@code sm2}, case-insensitively. */
  public static InterconnectionSuite fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (InterconnectionSuite s : values()) {
      if (s.displayName.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown interconnection suite: " + name + " (curve25519 or sm2)");
  }

  @Override
  public String toString() {
    return displayName;
  }
}
