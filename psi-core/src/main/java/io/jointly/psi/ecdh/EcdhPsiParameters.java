package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.group.SuiteId;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything both parties of an ECDH PSI run must agree on, plus each party's local policies.
 * Immutable; invalid combinations are rejected at construction. Start from a named preset and
 * change fields with {@link #toBuilder()}.
 *
 * <p>Agreed in the handshake (a mismatch aborts both sides): {@link #suite}, {@link #profile},
 * {@link #keyColumns}, {@link #revealMode}. Exchanged so each side can check the other: the set
 * sizes, batch sizes and minimum peer set sizes. Local only: {@link #duplicatePolicy}, {@link
 * #invalidIdPolicy}, {@link #receiveTimeout}.
 *
 * @param suite the group suite
 * @param profile how identifiers are normalised before hashing
 * @param keyColumns how many columns form the key (1 for a plain identifier)
 * @param revealMode who learns what
 * @param batchSize items per message, 1–65,536
 * @param minPeerSetSize the privacy guardrail: refuse to run against a peer set smaller than this
 * @param duplicatePolicy what to do with repeated identifiers
 * @param invalidIdPolicy what to do with identifiers that fail the profile
 * @param receiveTimeout how long the peer may give no sign of work while a message is awaited (a
 *     busy peer is waited for; see {@link io.jointly.channel.MessageChannel})
 */
public record EcdhPsiParameters(
    SuiteId suite,
    IdentifierProfile profile,
    int keyColumns,
    RevealMode revealMode,
    int batchSize,
    long minPeerSetSize,
    DuplicatePolicy duplicatePolicy,
    InvalidIdPolicy invalidIdPolicy,
    Duration receiveTimeout) {

  /** Largest batch: 64 Ki items (2 MiB of 32-byte elements per message). */
  public static final int MAX_BATCH_SIZE = 1 << 16;

  /** Default batch size: 4,096 items. */
  public static final int DEFAULT_BATCH_SIZE = 1 << 12;

  /** Default privacy guardrail: 100 items. */
  public static final long DEFAULT_MIN_PEER_SET_SIZE = 100;

  /**
   * Largest set a party may bring: 2^32 items (the streaming run keeps nothing proportional to a set
   * in memory; {@link EcdhPsi#run(io.jointly.psi.PsiInput, io.jointly.channel.MessageChannel)}, which
   * returns row indexes in memory, is limited by its arrays to about 2^31).
   */
  public static final long MAX_SET_SIZE = 1L << 32;

  /** Largest number of key columns. */
  public static final int MAX_KEY_COLUMNS = 16;

  /** ristretto255 with SHA-512 hash-to-group (RFC 9496, RFC 9380): the default suite. */
  public static final EcdhPsiParameters RISTRETTO255_SHA512 = defaults(SuiteId.RISTRETTO255);

  /** X25519 with SHA-256 of the item as u-coordinate (interconnection-standard style). */
  public static final EcdhPsiParameters X25519_SHA256 = defaults(SuiteId.X25519);

  /** P-256 with RFC 9380 P256_XMD:SHA-256_SSWU_RO_. */
  public static final EcdhPsiParameters P256_SHA256_SSWU = defaults(SuiteId.P256);

  /** SM2 curve with SSWU hash-to-curve over SM3, for GB/T-bound deployments. */
  public static final EcdhPsiParameters SM2_SM3_SSWU = defaults(SuiteId.SM2);

  public EcdhPsiParameters {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(revealMode, "revealMode");
    Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
    Objects.requireNonNull(invalidIdPolicy, "invalidIdPolicy");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    if (keyColumns < 1 || keyColumns > MAX_KEY_COLUMNS) {
      throw new IllegalArgumentException("keyColumns must be 1.." + MAX_KEY_COLUMNS);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE);
    }
    if (minPeerSetSize < 0) {
      throw new IllegalArgumentException("minPeerSetSize must be >= 0");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receiveTimeout must be positive");
    }
  }

  private static EcdhPsiParameters defaults(SuiteId suite) {
    return new EcdhPsiParameters(
        suite,
        IdentifierProfile.RAW,
        1,
        RevealMode.BANK,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MIN_PEER_SET_SIZE,
        DuplicatePolicy.DEDUPLICATE,
        InvalidIdPolicy.FAIL,
        Duration.ofMinutes(2));
  }

  /** How this party's rows become items (profile, key columns, policies). */
  public io.jointly.psi.pipeline.IdentifierSettings identifierSettings() {
    return new io.jointly.psi.pipeline.IdentifierSettings(profile, keyColumns, invalidIdPolicy, duplicatePolicy);
  }

  /**
   * A digest of everything that shapes this party's run apart from the time-out: the agreed
   * parameters, the batch size, the guardrail and the local policies. A checkpoint is bound to it.
   */
  public io.jointly.core.Bytes digest() {
    String canonical =
        "ecdh-psi|" + suite.wireCode() + "|" + profile.wireCode() + "|" + keyColumns + "|" + revealMode.wireCode()
            + "|" + batchSize + "|" + minPeerSetSize + "|" + duplicatePolicy + "|" + invalidIdPolicy;
    try {
      return io.jointly.core.Bytes.wrap(
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The preset of a suite. */
  public static EcdhPsiParameters preset(SuiteId suite) {
    return switch (suite) {
      case RISTRETTO255 -> RISTRETTO255_SHA512;
      case X25519 -> X25519_SHA256;
      case P256 -> P256_SHA256_SSWU;
      case SM2 -> SM2_SM3_SSWU;
    };
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds modified parameters; {@link #build()} validates. */
  public static final class Builder {
    private SuiteId suite;
    private IdentifierProfile profile;
    private int keyColumns;
    private RevealMode revealMode;
    private int batchSize;
    private long minPeerSetSize;
    private DuplicatePolicy duplicatePolicy;
    private InvalidIdPolicy invalidIdPolicy;
    private Duration receiveTimeout;

    private Builder(EcdhPsiParameters p) {
      suite = p.suite;
      profile = p.profile;
      keyColumns = p.keyColumns;
      revealMode = p.revealMode;
      batchSize = p.batchSize;
      minPeerSetSize = p.minPeerSetSize;
      duplicatePolicy = p.duplicatePolicy;
      invalidIdPolicy = p.invalidIdPolicy;
      receiveTimeout = p.receiveTimeout;
    }

    public Builder suite(SuiteId v) {
      suite = v;
      return this;
    }

    public Builder profile(IdentifierProfile v) {
      profile = v;
      return this;
    }

    public Builder keyColumns(int v) {
      keyColumns = v;
      return this;
    }

    public Builder revealMode(RevealMode v) {
      revealMode = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder minPeerSetSize(long v) {
      minPeerSetSize = v;
      return this;
    }

    public Builder duplicatePolicy(DuplicatePolicy v) {
      duplicatePolicy = v;
      return this;
    }

    public Builder invalidIdPolicy(InvalidIdPolicy v) {
      invalidIdPolicy = v;
      return this;
    }

    public Builder receiveTimeout(Duration v) {
      receiveTimeout = v;
      return this;
    }

    public EcdhPsiParameters build() {
      return new EcdhPsiParameters(
          suite,
          profile,
          keyColumns,
          revealMode,
          batchSize,
          minPeerSetSize,
          duplicatePolicy,
          invalidIdPolicy,
          receiveTimeout);
    }
  }
}
