package io.jointly.psi.ic;

import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * One party's configuration of an interconnection-standard ECDH-PSI run. Immutable; invalid
 * combinations are rejected at construction. Start from {@link #defaults(int)} and change fields
 * with {@link #toBuilder()}.
 *
 * <p>Negotiated in the handshake (rank 0 decides, a mismatch is refused): {@link #suite}, its point
 * format, {@link #resultToRank}, and whether second-stage values are truncated ({@link
 * #bitLengthAfterTruncated}). Not negotiated, so both operators must agree out of band: how
 * identifiers become the hashed bytes ({@link #profile}, key columns and their order). Local
 * only: everything else.
 *
 * @param rank this party's rank: 0 (answers the handshake) or 1 (asks)
 * @param suite the curve, hash and hash-to-curve rule
 * @param resultToRank who learns the intersection: -1 both parties, 0 or 1 that rank only
 * @param secondStage how long the second-stage values this party sends are ({@link SecondStage})
 * @param bitLengthAfterTruncated the truncation this party supports and, at rank 0, chooses when the
 *     peer supports truncation too: -1 none (the reference's default), else a multiple of 8 from 40
 *     to the element's bit length. Only {@link SecondStage#NEGOTIATED} sends what was agreed.
 * @param batchSize items per first-stage batch, 1–65,536 (the reference uses 4,096)
 * @param minPeerSetSize the privacy guardrail: if the peer learns anything, refuse to answer its
 *     items unless it brought at least this many
 * @param receiveTimeout how long to wait for any one message from the peer
 * @param profile how each key value is written before it is hashed: {@link IdentifierProfile#RAW}
 *     is the reference's rule exactly (ASCII whitespace trimmed, nothing else: what a SecretFlow
 *     party hashes); {@code phone}, {@code email} or {@code cn-id} apply that Jointly profile after
 *     the reference's trimming, so the partner's values must already be in the profile's canonical
 *     form (see {@link IcInput})
 * @param invalidIdPolicy what to do with identifiers that are empty or fail the profile
 * @param duplicatePolicy what to do with repeated identifiers (each distinct one is sent once)
 */
public record IcParameters(
    int rank,
    InterconnectionSuite suite,
    int resultToRank,
    SecondStage secondStage,
    int bitLengthAfterTruncated,
    int batchSize,
    long minPeerSetSize,
    Duration receiveTimeout,
    IdentifierProfile profile,
    InvalidIdPolicy invalidIdPolicy,
    DuplicatePolicy duplicatePolicy) {

  /** The reference's batch size: 4,096 items. */
  public static final int DEFAULT_BATCH_SIZE = 4096;

  /** Largest batch: 64 Ki items (2 MiB of 32-byte elements, sent in chunks). */
  public static final int MAX_BATCH_SIZE = 1 << 16;

  /** Largest set either party may bring: 2^27 items. */
  public static final int MAX_SET_SIZE = 1 << 27;

  /** Bytes of a second-stage value as the reference sends it ({@code kFinalCompareBytes}). */
  public static final int REFERENCE_SECOND_STAGE_BYTES = 12;

  /** No truncation, in {@code bit_length_after_truncated}. */
  public static final int NO_TRUNCATION = -1;

  /** How long the second-stage ("dual.enc") values this party sends are. */
  public enum SecondStage {
    /**
     * Always the last 12 bytes of the encoding, whatever the handshake said, as the SecretFlow
     * reference does (spec §5.6): the default, needed to match a reference peer.
     */
    REFERENCE,
    /**
     * What the handshake agreed: the whole encoding for -1, else the last {@code bits / 8} bytes.
     * For peers that follow the written standard.
     */
    NEGOTIATED
  }

  public IcParameters {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(secondStage, "secondStage");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(invalidIdPolicy, "invalidIdPolicy");
    Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
    if (rank != 0 && rank != 1) {
      throw new IllegalArgumentException("rank must be 0 or 1");
    }
    if (resultToRank < -1 || resultToRank > 1) {
      throw new IllegalArgumentException("resultToRank must be -1 (both), 0 or 1");
    }
    if (!validBitLength(bitLengthAfterTruncated, suite)) {
      throw new IllegalArgumentException(
          "bitLengthAfterTruncated must be -1 or a multiple of 8 from 40 to "
              + 8 * suite.elementLength());
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

  /**
   * The reference's defaults for a party of {@code rank}: CURVE25519 suite, both parties learn the
   * result, reference second stage, no truncation proposed, 4,096 items per batch; plus Jointly's
   * guardrail (peer set of at least 100), a 2-minute receive time-out, the reference's rule for
   * the hashed bytes ({@code raw}), invalid identifiers fail the run, duplicates are merged.
   */
  public static IcParameters defaults(int rank) {
    return new IcParameters(
        rank,
        InterconnectionSuite.CURVE25519_SHA256_DIRECT,
        -1,
        SecondStage.REFERENCE,
        NO_TRUNCATION,
        DEFAULT_BATCH_SIZE,
        100,
        Duration.ofMinutes(2),
        IdentifierProfile.RAW,
        InvalidIdPolicy.FAIL,
        DuplicatePolicy.DEDUPLICATE);
  }

  /** The peer's rank. */
  public int peerRank() {
    return 1 - rank;
  }

  /** Whether this party learns the intersection under {@code resultToRank}. */
  public static boolean gets(int resultToRank, int rank) {
    return resultToRank == -1 || resultToRank == rank;
  }

  /** Whether {@code bits} is a usable {@code bit_length_after_truncated} for {@code suite}. */
  static boolean validBitLength(int bits, InterconnectionSuite suite) {
    return bits == NO_TRUNCATION
        || (bits % 8 == 0 && bits >= 40 && bits <= 8 * suite.elementLength());
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds modified parameters; {@link #build()} validates. */
  public static final class Builder {
    private int rank;
    private InterconnectionSuite suite;
    private int resultToRank;
    private SecondStage secondStage;
    private int bitLengthAfterTruncated;
    private int batchSize;
    private long minPeerSetSize;
    private Duration receiveTimeout;
    private IdentifierProfile profile;
    private InvalidIdPolicy invalidIdPolicy;
    private DuplicatePolicy duplicatePolicy;

    private Builder(IcParameters p) {
      rank = p.rank;
      suite = p.suite;
      resultToRank = p.resultToRank;
      secondStage = p.secondStage;
      bitLengthAfterTruncated = p.bitLengthAfterTruncated;
      batchSize = p.batchSize;
      minPeerSetSize = p.minPeerSetSize;
      receiveTimeout = p.receiveTimeout;
      profile = p.profile;
      invalidIdPolicy = p.invalidIdPolicy;
      duplicatePolicy = p.duplicatePolicy;
    }

    public Builder rank(int v) {
      rank = v;
      return this;
    }

    public Builder suite(InterconnectionSuite v) {
      suite = v;
      return this;
    }

    public Builder resultToRank(int v) {
      resultToRank = v;
      return this;
    }

    public Builder secondStage(SecondStage v) {
      secondStage = v;
      return this;
    }

    public Builder bitLengthAfterTruncated(int v) {
      bitLengthAfterTruncated = v;
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

    public Builder receiveTimeout(Duration v) {
      receiveTimeout = v;
      return this;
    }

    /** How key values are written before hashing ({@code raw}: the reference's rule). */
    public Builder profile(IdentifierProfile v) {
      profile = v;
      return this;
    }

    public Builder invalidIdPolicy(InvalidIdPolicy v) {
      invalidIdPolicy = v;
      return this;
    }

    public Builder duplicatePolicy(DuplicatePolicy v) {
      duplicatePolicy = v;
      return this;
    }

    public IcParameters build() {
      return new IcParameters(
          rank,
          suite,
          resultToRank,
          secondStage,
          bitLengthAfterTruncated,
          batchSize,
          minPeerSetSize,
          receiveTimeout,
          profile,
          invalidIdPolicy,
          duplicatePolicy);
    }
  }
}
