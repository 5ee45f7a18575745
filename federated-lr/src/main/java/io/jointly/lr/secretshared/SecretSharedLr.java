package io.jointly.lr.secretshared;

import io.jointly.channel.MessageChannel;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.training.BatchPlan;
import io.jointly.lr.training.DeterministicStream;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.TrainingListener;
import io.jointly.psi.RowIndexes;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Secret-shared vertical logistic regression between the bank and its partners: every weight, score,
 * sigmoid value, residual and gradient stays split into two additive shares, one per party, and
 * only the final weights are opened (each party its own). The construction follows the HE + secret
 * sharing pattern of Chen et al., "When Homomorphic Encryption Marries Secret Sharing" (KDD 2021):
 * the gradient products run on features that each party packs and encrypts under its own Paillier
 * key once; unlike there, the sigmoid is a Fourier series on shares ({@link SharesSigmoid}), not a
 * Taylor expansion, and it and the scores are computed with correlated OTs ({@link SharesOt}) on
 * IKNP extension ({@link io.jointly.ot}), which costs symmetric cryptography only.
 *
 * <h2>Setting</h2>
 *
 * The rows are already aligned (after PSI): row r of the bank's and of the partner's {@link
 * FeatureMatrix} is the same customer, and every row is a training row. The bank also holds the
 * labels (and the class weights they imply). Mini-batch gradient descent with L2 on a public,
 * fixed batch composition ({@link BatchPlan} epoch 0 of the agreed seed), the batch order
 * reshuffled every epoch ({@link DeterministicStream}{@code (seed, "ss-order/" + epoch)}).
 *
 * <h2>Protocol</h2>
 *
 * Notation: X_b, X_p the parties' fixed-point features ({@link SharesLayout}; the bank's with a
 * column of ones for the intercept); every weight and residual v is {@code ⟨v⟩_b + ⟨v⟩_p} over ℤ
 * with 40 bits of statistical slack ({@link SharesMath}); scores are shared modulo the sigmoid's
 * period; [[·]]_b, [[·]]_p Paillier encryption under the bank's or partner's key.
 *
 * <ol>
 *   <li>{@code HELLO} ({@link SecretSharedHello}): version, role, rows, columns, the schedule, the sigmoid ({@link
 *       SecretSharedLrParameters.Sigmoid}), whether the bank learns the per-epoch loss and the
 *       partner's weights, and a fresh Paillier key, both ways; any difference aborts.
 *   <li>{@code BASE_OT}, {@code BASE_OT_REPLY} ({@link BaseOts}): 128 base OTs each way for two
 *       IKNP extension instances ({@link io.jointly.ot.IknpSender}, {@link
 *       io.jointly.ot.IknpReceiver}; each party's choice bits encrypted under its own key; the peer
 *       returns {@code [[k^0 + s·(k^1 − k^0)]]}, re-randomised). In instance A the bank is the extension sender,
 *       in instance B the partner.
 *   <li>{@code ROWS} ({@link EncryptedRows}), once: each party sends its features encrypted under its own key, per row and
 *       group of {@link SharesLayout#columnsPerPlaintext} columns, {@code [[Σ_j X[r,j]·2^(W·j)]]}.
 *   <li>Per step, batch B:
 *       <ol>
 *         <li>{@code FORWARD_CHOICES}, {@code FORWARD_PADS} (scores, {@link Forward}): for each party's block,
 *             the peer, as OT receiver, chooses with the bits of its weight shares modulo
 *             2^{@link SharesLayout#forwardRingBits}; the owner, as sender, correlates each OT
 *             with the vector {@code (X[r,j]·2^t)_{r∈B}}: shares of {@code X·⟨w⟩_peer} modulo
 *             2^64, to which the owner adds {@code X·⟨w⟩_own}; each party shifts its share by
 *             {@link SharesLayout#T_FORWARD} and keeps it modulo the period.
 *         <li>{@code SIGMOID_CHOICES}, {@code SIGMOID_PADS} (sigmoid and residual, {@link
 *             Residuals}): with {@code θ_x = 2π·(⟨z⟩_x mod P)/P} (P the series' period) the bank
 *             computes {@code u = η·s/|B|·(β_k sin kθ_b, β_k cos kθ_b)_k}, the partner {@code v = (cos kθ_p, sin kθ_p)_k}; one correlated OT
 *             per bit of v gives integer shares of {@code ⟨u, v⟩ = η·s·(σ̂(z) − 1/2)/|B|}; the bank
 *             adds {@code η·s·(1/2 − y)/|B|}: shares of the scaled residual {@code d'}.
 *         <li>{@code BACKWARD} (update, {@link Backward}): each party, for the peer's block, multi-exponentiates
 *             the peer's row groups of B by its negated residual shares, adds {@code K·⟨w_peer⟩_me
 *             + m} ({@code K = (1 − ηλ₂)} in fixed point, 1 for the intercept), re-randomises with
 *             full randomness and sends it; the key holder opens, adds {@code K·⟨w⟩_own −
 *             X_ownᵀ·⟨d'⟩_own} and shifts: new shares of {@code w ← (1 − ηλ₂)·w − η·Xᵀd}, the
 *             masker keeps {@code −⌊m/2^t'⌋} (so weight shares are fresh each step and never grow).
 *       </ol>
 *   <li>{@code LOSS} ({@link EpochLoss}), at the end of each epoch if both agreed (below): the partner's share of the
 *       epoch's loss, modulo 2^64.
 *   <li>{@code REVEAL} ({@link Reveal}): each party sends the other its shares of the other's weights (with {@code
 *       revealAllToBank} the partner also sends the bank its shares of its own); {@code CONFIRM}:
 *       transcripts agree.
 * </ol>
 *
 * <h2>Per-epoch loss ({@link SecretSharedLrParameters#epochLoss}, off by default)</h2>
 *
 * If both parties set it, the bank learns after each epoch the class-weighted mean over the
 * training rows of {@code ℓ̂(y, z)}, a Fourier series of the log-loss with the sigmoid's period and
 * terms ({@link SharesLoss}), each row's score z taken before its batch's step (the running loss
 * of mini-batch training, without penalties). It rides on the sigmoid's OTs: the partner's choice
 * bits are the same ({@code ℓ̂}'s cross terms pair the bank's vector {@link SharesLoss#bankTerms}
 * with the partner's {@code (cos kθ_p, sin kθ_p)}), and each OT carries a second correlation
 * {@code U'·2^t} modulo 2^64 (SIGMOID_PADS grows by 8 bytes per OT), under pads from the same
 * extension rows hashed with their own tweak, so independent of the sigmoid's. Each party adds its
 * per-row shares into one 64-bit word; at the end of the epoch the partner sends its word ({@code
 * LOSS}), uniform modulo 2^64 to the bank, which adds its own and scales: exactly the epoch's sum
 * (below 2^62 by {@link SharesLoss#scaleBits}). The bank learns that one number per epoch and
 * nothing per row; the partner learns nothing (the corrections are one-time-padded). With several
 * partners the loss runs in session 0 with partner 0, whose share covers every partner's scores.
 * Cost: per OT of the sigmoid three more fixed-key AES blocks at the bank (six) and the partner
 * (three) and 8 bytes, about half the sigmoid's correlation cost again.
 *
 * <h2>Several partners</h2>
 *
 * The bank runs one session ({@link Session}) of the protocol above with each partner k = 0…K−1
 * (HELLO tells each its index and K; {@link PartnerRelay} holds the relays below); session 0
 * carries the bank's block and the sigmoid, session k only partner k's block (the bank's block has no columns there, so its OTs and messages are skipped). The
 * partners first agree pairwise masks ({@code MASK_KEY}, {@code KEYS}: X25519 keys relayed by the
 * bank, {@link PairwiseMasks}). Per step, after FORWARD in every session:
 *
 * <ol>
 *   <li>{@code SCORE_RELAY}: partner k ≥ 1 sends its raw score shares (modulo 2^64) under the
 *       zero-sum partner masks; the bank adds them and sends the sum to partner 0 ({@code
 *       SCORE_GATHER}), which adds its own masked shares: the masks cancel and partner 0 holds the
 *       sum of every partner's share, the bank the sum of its own — a two-party sharing of z;
 *   <li>the sigmoid runs in session 0 and gives residual shares to the bank and partner 0;
 *   <li>{@code RESIDUAL_RELAY}: partner 0 sends its residual shares to each partner k ≥ 1 under
 *       their pairwise pad (128-bit words, through the bank), so the bank and partner k hold a
 *       two-party sharing of the residuals for BACKWARD in session k.
 * </ol>
 *
 * Costs grow linearly in K: per step the bank runs FORWARD and BACKWARD once per partner, the
 * sigmoid once; the relays add 8 + 16 bytes per row and partner. What the bank sees of the relays
 * are words under masks from keys it does not hold; partner 0 learns the sum of the other
 * partners' score shares and partner k ≥ 1 partner 0's residual shares, both uniformly
 * distributed shares as long as the bank does not collude (the protocol, like the rest of this
 * engine, assumes semi-honest, non-colluding parties).
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * Each party: the other's number of rows (equal) and columns, the schedule and sigmoid, and at the end its own
 * weights (the bank also the partner's if both set {@code revealAllToBank}, and the per-epoch loss
 * if both set {@code epochLoss}). Everything else it
 * receives is a ciphertext under the other's key (semantically secure), an OT matrix U
 * (one-time-padded by a PRG), a vector of OT corrections modulo 2^64 (uniform), sigmoid OT
 * corrections τ (40 bits of statistical slack), or an opened backward slot (the true value plus a
 * mask with 40 bits of slack: distance ≤ 2^−40 from uniform). No label, feature, score, sigmoid
 * value, residual or gradient is ever opened to either party; the number of rows, the batch plan
 * and the class-weight bound are public. The weights' hiding in the backward slot assumes |w| &lt;
 * 2^12 ({@link SharesLayout}); larger weights reduce the slack by the excess bits.
 *
 * <h2>Cost</h2>
 *
 * Setup: each party encrypts {@code n·⌈p/columnsPerPlaintext⌉} plaintexts. Per step and party:
 * one multi-exponentiation over the batch per own column group (|B| bases, residual shares as
 * scalars), as many full re-randomisations and decryptions; {@code r·p} vector OTs for the
 * scores ({@code r =} {@link SharesLayout#forwardRingBits}: 45 for the STANDARD sigmoid, 47 for
 * WIDE, 48 for EXTRA_WIDE) and {@link SharesLayout#otsPerRow} correlated OTs per row for the
 * sigmoid (256, 768 or 2,048; AES
 * only). No Paillier operation is per row. Traffic per step: about {@code 8·r·(p_b + p_p)·|B|}
 * bytes of score corrections, {@code 16·otsPerRow·|B|} bytes of sigmoid corrections, a few
 * ciphertexts.
 *
 * <p>Thread-safety: the functions block the calling thread; the executor runs encryption,
 * decryption and multi-exponentiation in parallel.
 */
public final class SecretSharedLr {
  /** The protocol name in this engine's round keys ({@link io.jointly.channel.RoundKey#protocol}). */
  public static final String PROTOCOL = "ss-lr";

  /** 4: HELLO carries the per-epoch-loss and reveal-all flags; 3: several partners; 2: the sigmoid. */
  static final int VERSION = 4;

  /** The most partners one bank trains with at once. */
  static final int MAX_PARTNERS = 64;

  /** Rows per ROWS message. */
  static final int ROW_CHUNK = 512;

  /** Precomputed full randomness for re-randomising results sent to the peer. */
  static final int PEER_POOL = 16;

  private SecretSharedLr() {}

  /**
   * The bank's side.
   *
   * @param features the bank's encoded features, one row per aligned customer
   * @param labels 0 or 1 per row
   * @throws InputException if the bank's own data is unusable
   * @throws ProtocolAbortException if the partner disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public static SecretSharedResult bank(
      SecretSharedLrParameters params, FeatureMatrix features, int[] labels, MessageChannel channel, Executor executor)
      throws JointlyException {
    return bank(params, features, labels, channel, executor, TrainingListener.NONE);
  }

  /** The bank's side, reporting progress (rows encrypted and exchanged, steps, epochs) to {@code listener}. */
  public static SecretSharedResult bank(
      SecretSharedLrParameters params,
      FeatureMatrix features,
      int[] labels,
      MessageChannel channel,
      Executor executor,
      TrainingListener listener)
      throws JointlyException {
    return bank(params, features, labels, List.of(channel), executor, listener);
  }

  /**
   * The bank's side with several partners, one channel each (see "Several partners" above): the
   * rows of every partner's matrix are the bank's rows, in the same order. With revealAllToBank,
   * the result's partner weights are the partners' weights concatenated in channel order.
   */
  public static SecretSharedResult bank(
      SecretSharedLrParameters params,
      FeatureMatrix features,
      int[] labels,
      List<MessageChannel> channels,
      Executor executor,
      TrainingListener listener)
      throws JointlyException {
    Objects.requireNonNull(labels, "labels");
    return bankRun(params, features, labels, channels, executor, new SecureRandom(), listener);
  }

  /**
   * The partner's side.
   *
   * @param features the partner's encoded features, one row per aligned customer (the bank's order)
   */
  public static SecretSharedResult partner(
      SecretSharedLrParameters params, FeatureMatrix features, MessageChannel channel, Executor executor)
      throws JointlyException {
    return partner(params, features, channel, executor, TrainingListener.NONE);
  }

  /** The partner's side, reporting progress (rows encrypted and exchanged, steps, epochs) to {@code listener}. */
  public static SecretSharedResult partner(
      SecretSharedLrParameters params, FeatureMatrix features, MessageChannel channel, Executor executor, TrainingListener listener)
      throws JointlyException {
    return new Session(Role.PARTNER, params, features, null, channel, executor, new SecureRandom(), listener, 0, 1).run();
  }

  /**
   * The bank with its partners: one two-party session per partner, driven phase by phase so that
   * no partner waits on the bank for longer than one phase of the others. Session 0 carries the
   * bank's own block and the sigmoid; the others carry only their partner's block.
   */
  private static SecretSharedResult bankRun(
      SecretSharedLrParameters params,
      FeatureMatrix features,
      int[] labels,
      List<MessageChannel> channels,
      Executor executor,
      SecureRandom random,
      TrainingListener listener)
      throws JointlyException {
    Objects.requireNonNull(features, "features");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("at least one partner is needed");
    }
    int count = channels.size();
    FeatureMatrix none = FeatureMatrix.of(List.of(), features.rowCount(), new double[0]);
    List<Session> runs = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      runs.add(new Session(Role.BANK, params, k == 0 ? features : none, labels, channels.get(k), executor, random, listener, k, count));
    }
    long start = System.nanoTime();
    try {
      for (Session r : runs) {
        r.prepare();
      }
      for (Session r : runs) {
        SecretSharedHello.exchange(r);
        r.openPeer();
      }
      if (count > 1) {
        PartnerRelay.relayMaskKeys(runs, random);
      }
      for (Session r : runs) {
        BaseOts.run(r);
      }
      Session lead = runs.get(0);
      int n = lead.n;
      for (int from = 0, seq = 0; from < n; from += ROW_CHUNK, seq++) {
        for (Session r : runs) {
          EncryptedRows.chunk(r, from, seq);
        }
        listener.onSetup(Math.min(n, from + ROW_CHUNK), n);
      }
      for (Session r : runs) {
        r.startTraining();
      }
      LogisticRegressionParameters lr = params.lr();
      int step = 0;
      long planned = (long) lead.batches.length * lr.maxEpochs();
      for (int e = 0; e < lr.maxEpochs(); e++) {
        double eta = eta(lr, e);
        for (int bi : batchOrder(lr.seed(), lead.batches.length, e)) {
          int[] rows = lead.batches[bi];
          long[] acc = new long[rows.length];
          for (Session r : runs) {
            long[] part = Forward.scores(r, rows, step);
            for (int i = 0; i < acc.length; i++) {
              acc[i] += part[i];
            }
          }
          if (count > 1) {
            PartnerRelay.relayScores(runs, rows.length, step);
          }
          BigInteger[] d = Residuals.asSender(lead, rows, Forward.residues(lead.layout, acc), eta, step);
          if (count > 1) {
            PartnerRelay.relayResiduals(runs, rows.length, step);
          }
          for (Session r : runs) {
            Backward.update(r, rows, d, eta, step);
          }
          step++;
          listener.onStep(step, planned);
        }
        if (lead.loss != null) {
          EpochLoss.open(lead, e);
        }
        listener.onEpoch(e, lr.maxEpochs());
      }
      List<SecretSharedResult> results = new ArrayList<>();
      for (Session r : runs) {
        results.add(Reveal.run(r, step));
      }
      SecretSharedResult own = results.get(0);
      Optional<double[]> partnerWeights = Optional.empty();
      if (params.revealAllToBank()) {
        List<Double> all = new ArrayList<>();
        for (SecretSharedResult r : results) {
          for (double w : r.partnerWeights().orElseThrow()) {
            all.add(w);
          }
        }
        partnerWeights = Optional.of(all.stream().mapToDouble(Double::doubleValue).toArray());
      }
      io.jointly.channel.ChannelStats traffic = own.traffic();
      for (int k = 1; k < results.size(); k++) {
        traffic = traffic.plus(results.get(k).traffic());
      }
      return new SecretSharedResult(
          own.weights(),
          own.intercept(),
          partnerWeights,
          own.epochs(),
          own.steps(),
          traffic,
          Duration.ofNanos(System.nanoTime() - start),
          own.epochLosses());
    } finally {
      for (Session r : runs) {
        r.close();
      }
    }
  }

  /** The fixed batches: epoch 0 of the batch plan over all rows. */
  static int[][] batches(long seed, int rows, int batchSize) {
    int[] all = new int[rows];
    Arrays.setAll(all, i -> i);
    return BatchPlan.of(seed, RowIndexes.of(all), batchSize).epoch(0);
  }

  /** The order of the batches in epoch {@code e}. */
  static int[] batchOrder(long seed, int batches, int epoch) {
    int[] order = new int[batches];
    Arrays.setAll(order, i -> i);
    new DeterministicStream(seed, "ss-order/" + epoch).shuffle(order);
    return order;
  }

  /** The learning rate of epoch e. */
  static double eta(LogisticRegressionParameters lr, int epoch) {
    return lr.learningRate() / (1 + lr.learningRateDecay() * epoch);
  }

}
