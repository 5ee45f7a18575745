package io.jointly.secagg;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.secagg.internal.MaskPrg;
import io.jointly.secagg.internal.PairwiseCrypto;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Zero-sum pairwise masks for a fixed group of parties that each send one vector per round to an
 * aggregator and never drop out — the repeated rounds of vertical logistic regression with several
 * partners, where the bank may learn only the sum of the partners' partial scores. (For clients
 * that may drop out, use {@link SecureAggregationServer} and {@link SecureAggregationClient}.)
 *
 * <p>Party i of n holds an X25519 key pair; with every other party j it derives a seed {@code s_ij
 * = HKDF-SHA-256(X25519(sk_i, pk_j), salt = context, info = "jointly pairwise masks v1")}, the same
 * at both ends (Bonawitz et al., CCS 2017, §4: pairwise masks). For round r it adds to its vector,
 * modulo 2^64, {@code Σ_{j>i} PRG(s_ij, r) − Σ_{j<i} PRG(s_ij, r)}, where {@code PRG(s, r)} is the
 * AES-256-CTR stream of s from word {@code r·2^32} ({@link MaskPrg}; rounds never overlap for
 * vectors shorter than 2^32 words). The masks cancel in the sum over all n parties, and any
 * vector alone is uniformly distributed to the aggregator (given the pairwise seeds are secret,
 * which holds against an aggregator that relays the public keys faithfully — the semi-honest model;
 * in deployment the keys ride inside the mutually authenticated channel to the aggregator).
 *
 * <p>With n = 1 there are no pairs and the mask is zero: the aggregator sees the vector itself.
 *
 * <p>Not thread-safe; {@link #destroy()} wipes the secret key and seeds.
 */
public final class PairwiseMasks {
  private static final String LABEL = "jointly pairwise masks v1";

  private final GroupScalar secretKey;
  private final Bytes publicKey;
  private byte[][] seeds;
  private int self = -1;

  private PairwiseMasks(GroupScalar secretKey) {
    this.secretKey = secretKey;
    this.publicKey = Bytes.wrap(PairwiseCrypto.publicKey(secretKey));
  }

  /** A fresh key pair. */
  public static PairwiseMasks generate(SecureRandom random) {
    return new PairwiseMasks(PairwiseCrypto.newSecretKey(Objects.requireNonNull(random)));
  }

  /** This party's public key (32 bytes), to be relayed to the others. */
  public Bytes publicKey() {
    return publicKey;
  }

  /**
   * Derives the pairwise seeds.
   *
   * @param self this party's index in {@code publicKeys}
   * @param publicKeys every party's public key, in the order all parties agree on
   * @param context bytes that bind the seeds to this session (for example the session id)
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} if a key is malformed or of low order,
   *     {@code MALFORMED_MESSAGE} if this party's own key is not at index {@code self} or a key
   *     repeats
   */
  public void agree(int self, List<Bytes> publicKeys, Bytes context) throws ProtocolAbortException {
    if (self < 0 || self >= publicKeys.size()) {
      throw new IllegalArgumentException("self index out of range");
    }
    if (!publicKeys.get(self).equals(publicKey) || publicKeys.stream().distinct().count() != publicKeys.size()) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "the relayed key list does not hold this party's key once");
    }
    byte[][] s = new byte[publicKeys.size()][];
    byte[] salt = context.toByteArray();
    for (int j = 0; j < publicKeys.size(); j++) {
      if (j == self) {
        continue;
      }
      byte[] shared = PairwiseCrypto.agree(secretKey, publicKeys.get(j).toByteArray());
      s[j] = PairwiseCrypto.derive(shared, salt, LABEL);
      PairwiseCrypto.wipe(shared);
    }
    destroySeeds();
    this.seeds = s;
    this.self = self;
  }

  /** Adds this party's mask for {@code round} (≥ 0) to {@code values}, modulo 2^64, in place. */
  public void mask(long[] values, long round) {
    if (seeds == null) {
      throw new IllegalStateException("agree() first");
    }
    if (round < 0 || round >= 1L << 30) {
      throw new IllegalArgumentException("round out of range");
    }
    for (int j = 0; j < seeds.length; j++) {
      if (j != self) {
        MaskPrg.apply(seeds[j], round << 32, values, 0, values.length, j < self);
      }
    }
  }

  /**
   * Adds the mask this party shares with party {@code other} alone for {@code round} (≥ 0) to
   * {@code values}, modulo 2^64, in place: the two parties' pads for the same round cancel, so one
   * can send the other a vector through a relay that learns nothing of it. Rounds are shared with
   * {@link #mask}: use distinct rounds for the two.
   */
  public void pad(long[] values, int other, long round) {
    if (seeds == null) {
      throw new IllegalStateException("agree() first");
    }
    if (other < 0 || other >= seeds.length || other == self) {
      throw new IllegalArgumentException("other party index out of range");
    }
    if (round < 0 || round >= 1L << 30) {
      throw new IllegalArgumentException("round out of range");
    }
    MaskPrg.apply(seeds[other], round << 32, values, 0, values.length, other < self);
  }

  /** Wipes the secret key and the seeds. */
  public void destroy() {
    secretKey.destroy();
    destroySeeds();
  }

  private void destroySeeds() {
    if (seeds != null) {
      for (byte[] s : seeds) {
        if (s != null) {
          Arrays.fill(s, (byte) 0);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "PairwiseMasks[redacted]";
  }
}
