package io.jointly.lr;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.ot.Iknp;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.psi.RowIndexes;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

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
 *   <li>{@code HELLO}: version, role, rows, columns, the schedule, the sigmoid ({@link
 *       SecretSharedLrParameters.Sigmoid}), whether the bank learns the per-epoch loss and the
 *       partner's weights, and a fresh Paillier key, both ways; any difference aborts.
 *   <li>{@code BASE_OT}, {@code BASE_OT_REPLY}: 128 base OTs each way for two IKNP extension
 *       instances ({@link io.jointly.ot.IknpSender}, {@link io.jointly.ot.IknpReceiver}; each party's choice bits encrypted under its own key; the peer returns {@code
 *       [[k^0 + s·(k^1 − k^0)]]}, re-randomised). In instance A the bank is the extension sender,
 *       in instance B the partner.
 *   <li>{@code ROWS}, once: each party sends its features encrypted under its own key, per row and
 *       group of {@link SharesLayout#columnsPerPlaintext} columns, {@code [[Σ_j X[r,j]·2^(W·j)]]}.
 *   <li>Per step, batch B:
 *       <ol>
 *         <li>{@code FORWARD_CHOICES}, {@code FORWARD_PADS} (scores): for each party's block,
 *             the peer, as OT receiver, chooses with the bits of its weight shares modulo
 *             2^{@link SharesLayout#forwardRingBits}; the owner, as sender, correlates each OT
 *             with the vector {@code (X[r,j]·2^t)_{r∈B}}: shares of {@code X·⟨w⟩_peer} modulo
 *             2^64, to which the owner adds {@code X·⟨w⟩_own}; each party shifts its share by
 *             {@link SharesLayout#T_FORWARD} and keeps it modulo the period.
 *         <li>{@code SIGMOID_CHOICES}, {@code SIGMOID_PADS} (sigmoid and residual): with {@code
 *             θ_x = 2π·(⟨z⟩_x mod P)/P} (P the series' period) the bank computes {@code u = η·s/|B|·(β_k sin kθ_b,
 *             β_k cos kθ_b)_k}, the partner {@code v = (cos kθ_p, sin kθ_p)_k}; one correlated OT
 *             per bit of v gives integer shares of {@code ⟨u, v⟩ = η·s·(σ̂(z) − 1/2)/|B|}; the bank
 *             adds {@code η·s·(1/2 − y)/|B|}: shares of the scaled residual {@code d'}.
 *         <li>{@code BACKWARD} (update): each party, for the peer's block, multi-exponentiates
 *             the peer's row groups of B by its negated residual shares, adds {@code K·⟨w_peer⟩_me
 *             + m} ({@code K = (1 − ηλ₂)} in fixed point, 1 for the intercept), re-randomises with
 *             full randomness and sends it; the key holder opens, adds {@code K·⟨w⟩_own −
 *             X_ownᵀ·⟨d'⟩_own} and shifts: new shares of {@code w ← (1 − ηλ₂)·w − η·Xᵀd}, the
 *             masker keeps {@code −⌊m/2^t'⌋} (so weight shares are fresh each step and never grow).
 *       </ol>
 *   <li>{@code LOSS}, at the end of each epoch if both agreed (below): the partner's share of the
 *       epoch's loss, modulo 2^64.
 *   <li>{@code REVEAL}: each party sends the other its shares of the other's weights (with {@code
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
 * The bank runs one session of the protocol above with each partner k = 0…K−1 (HELLO tells each
 * its index and K); session 0 carries the bank's block and the sigmoid, session k only partner
 * k's block (the bank's block has no columns there, so its OTs and messages are skipped). The
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
  /** 4: HELLO carries the per-epoch-loss and reveal-all flags; 3: several partners; 2: the sigmoid. */
  static final int VERSION = 4;

  /** The most partners one bank trains with at once. */
  static final int MAX_PARTNERS = 64;

  /** Rows per ROWS message. */
  static final int ROW_CHUNK = 512;

  /** Precomputed full randomness for re-randomising results sent to the peer. */
  private static final int PEER_POOL = 16;

  private static final int LIMB = 62;
  private static final BigInteger LIMB_MASK = BigInteger.ONE.shiftLeft(LIMB).subtract(BigInteger.ONE);
  private static final BigInteger LIMB_SHIFT = BigInteger.ONE.shiftLeft(LIMB);

  private SecretSharedLr() {}

  enum Role {
    BANK(1),
    PARTNER(2);

    final int wireCode;

    Role(int wireCode) {
      this.wireCode = wireCode;
    }
  }

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
    return new Run(Role.PARTNER, params, features, null, channel, executor, new SecureRandom(), listener, 0, 1).run();
  }

  /** With a given randomness source (tests). */
  static SecretSharedResult run(
      Role role,
      SecretSharedLrParameters params,
      FeatureMatrix features,
      int[] labels,
      MessageChannel channel,
      Executor executor,
      SecureRandom random)
      throws JointlyException {
    return role == Role.BANK
        ? bankRun(params, features, labels, List.of(channel), executor, random, TrainingListener.NONE)
        : new Run(role, params, features, labels, channel, executor, random, TrainingListener.NONE, 0, 1).run();
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
    List<Run> runs = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      runs.add(new Run(Role.BANK, params, k == 0 ? features : none, labels, channels.get(k), executor, random, listener, k, count));
    }
    long start = System.nanoTime();
    try {
      for (Run r : runs) {
        r.prepare();
      }
      for (Run r : runs) {
        r.hello();
        r.openPeer();
      }
      if (count > 1) {
        relayMaskKeys(runs, random);
      }
      for (Run r : runs) {
        r.baseOts();
      }
      Run lead = runs.get(0);
      int n = lead.n;
      for (int from = 0, seq = 0; from < n; from += ROW_CHUNK, seq++) {
        for (Run r : runs) {
          r.rowsChunk(from, seq);
        }
        listener.onSetup(Math.min(n, from + ROW_CHUNK), n);
      }
      for (Run r : runs) {
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
          for (Run r : runs) {
            long[] part = r.forward(rows, step);
            for (int i = 0; i < acc.length; i++) {
              acc[i] += part[i];
            }
          }
          if (count > 1) {
            relayScores(runs, rows.length, step);
          }
          BigInteger[] d = lead.residualsAsSender(rows, lead.residues(acc), eta, step);
          if (count > 1) {
            relayResiduals(runs, rows.length, step);
          }
          for (Run r : runs) {
            r.backward(rows, d, eta, step);
          }
          step++;
          listener.onStep(step, planned);
        }
        if (lead.loss != null) {
          lead.openEpochLoss(e);
        }
        listener.onEpoch(e, lr.maxEpochs());
      }
      List<SecretSharedResult> results = new ArrayList<>();
      for (Run r : runs) {
        results.add(r.reveal(step));
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
      for (Run r : runs) {
        r.close();
      }
    }
  }

  /** MASK_KEY from every partner, then KEYS to each: its index, every key, a fresh context. */
  private static void relayMaskKeys(List<Run> runs, SecureRandom random) throws JointlyException {
    List<Bytes> keys = new ArrayList<>();
    for (Run r : runs) {
      Bytes k = r.tx.receive(SecretSharedRound.MASK_KEY.key(0), r.timeout);
      Abort.unlessWellFormed(k.length() == 32, "MASK_KEY has the wrong length");
      keys.add(k);
    }
    byte[] context = new byte[32];
    random.nextBytes(context);
    for (int k = 0; k < runs.size(); k++) {
      runs.get(k).tx.send(SecretSharedRound.KEYS.key(0), LrWire.keys(k, keys, Bytes.wrap(context)));
    }
  }

  /**
   * SCORE_RELAY from partners 1…K−1 (their raw score shares under zero-sum pairwise masks), summed
   * modulo 2^64 and sent to partner 0 as SCORE_GATHER: the masks of the others cancel against
   * partner 0's own, so it ends with the sum of every partner's share and the bank sees only
   * masked words.
   */
  private static void relayScores(List<Run> runs, int b, int step) throws JointlyException {
    long[] sum = new long[b];
    for (int k = 1; k < runs.size(); k++) {
      Run r = runs.get(k);
      long[] v = Run.longs(r.tx.receive(SecretSharedRound.SCORE_RELAY.key(step), r.timeout), b, "SCORE_RELAY");
      for (int i = 0; i < b; i++) {
        sum[i] += v[i];
      }
    }
    runs.get(0).tx.send(SecretSharedRound.SCORE_GATHER.key(step), Run.longs(sum));
  }

  /**
   * RESIDUAL_RELAY from partner 0 — its residual shares, padded for each other partner — split and
   * forwarded: partner k gets partner 0's shares under their pairwise pad, so the bank and partner
   * k hold a two-party sharing of the residuals for k's update.
   */
  private static void relayResiduals(List<Run> runs, int b, int step) throws JointlyException {
    int others = runs.size() - 1;
    Run lead = runs.get(0);
    byte[] all = lead.tx.receive(SecretSharedRound.RESIDUAL_RELAY.key(step), lead.timeout).toByteArray();
    Abort.unlessWellFormed(all.length == 16L * b * others, "RESIDUAL_RELAY has the wrong length");
    for (int k = 1; k <= others; k++) {
      runs.get(k).tx.send(
          SecretSharedRound.RESIDUAL_RELAY.key(step), Bytes.wrap(Arrays.copyOfRange(all, (k - 1) * 16 * b, k * 16 * b)));
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

  /** {@code K = round((1 − ηλ₂)·2^T_BACKWARD)}, or {@code 2^T_BACKWARD} for an unpenalised column. */
  static BigInteger decay(double eta, double l2, boolean penalised) {
    double k = penalised ? 1 - eta * l2 : 1;
    return BigInteger.valueOf(Math.round(Math.scalb(k, SharesLayout.T_BACKWARD)));
  }

  /** Fixed-point features (with a trailing column of ones when {@code intercept}). */
  static long[][] scalars(FeatureMatrix x, boolean intercept) throws InputException {
    int p = x.columnCount() + (intercept ? 1 : 0);
    long[][] out = new long[x.rowCount()][p];
    for (int r = 0; r < x.rowCount(); r++) {
      for (int c = 0; c < x.columnCount(); c++) {
        try {
          out[r][c] = SharesMath.encode(x.get(r, c), SharesLayout.F_X, SharesLayout.X_LIMIT_BITS);
        } catch (ArithmeticException e) {
          throw new InputException(
              InputException.Kind.INVALID_INPUT,
              -1,
              "encoded feature " + x.columnNames().get(c) + " has a value beyond ±2^" + SharesLayout.X_LIMIT_BITS);
        }
      }
      if (intercept) {
        out[r][p - 1] = 1L << SharesLayout.F_X;
      }
    }
    return out;
  }

  /**
   * {@code [[Σ_i k_i·x_i]]} for signed scalars of any size: base-2^62 limbs, one
   * multi-exponentiation each, combined by Horner's rule.
   */
  static Ciphertext multiExp(PaillierEncryptor enc, List<Ciphertext> bases, BigInteger[] k) {
    int bits = 1;
    for (BigInteger v : k) {
      bits = Math.max(bits, v.bitLength() + 1);
    }
    int limbs = (bits + LIMB - 1) / LIMB;
    Ciphertext acc = null;
    for (int l = limbs - 1; l >= 0; l--) {
      long[] limb = new long[k.length];
      for (int i = 0; i < k.length; i++) {
        BigInteger shifted = k[i].shiftRight(LIMB * l);
        limb[i] = l == limbs - 1 ? shifted.longValueExact() : shifted.and(LIMB_MASK).longValue();
      }
      Ciphertext part = enc.multiExp(bases, limb);
      acc = acc == null ? part : enc.add(enc.multiply(acc, LIMB_SHIFT), part);
    }
    return acc;
  }

  /** Signed integers as fixed-width 16-byte two's complement. */
  static Bytes wide(BigInteger[] values) {
    ByteBuffer b = ByteBuffer.allocate(16 * values.length);
    for (BigInteger v : values) {
      if (v.bitLength() > 127) {
        throw new ArithmeticException("value exceeds 128 bits");
      }
      byte[] raw = v.toByteArray();
      byte fill = (byte) (v.signum() < 0 ? 0xFF : 0);
      for (int i = 0; i < 16 - raw.length; i++) {
        b.put(fill);
      }
      b.put(raw);
    }
    return Bytes.wrap(b.array());
  }

  static BigInteger[] wide(Bytes payload, int count, int maxBits, String round) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == 16L * count, round + " has the wrong length");
    byte[] all = payload.toByteArray();
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      out[i] = new BigInteger(Arrays.copyOfRange(all, 16 * i, 16 * i + 16));
      Abort.unlessWellFormed(out[i].bitLength() <= maxBits, round + " carries a value out of range");
    }
    return out;
  }

  /** One party's run: its state and the rounds, in order. */
  private static final class Run implements AutoCloseable {
    final Role role;
    final SecretSharedLrParameters params;
    final LogisticRegressionParameters lr;
    final FeatureMatrix features;
    final int[] labels;
    final Executor executor;
    final SecureRandom random;
    final TrainingListener listener;
    final CountingChannel counting;
    final TranscriptChannel tx;
    final Duration timeout;
    final long start = System.nanoTime();

    long[][] x;
    int n;
    int pOwn;
    int pPeer;
    double[] rowWeights;
    SharesSigmoid sigmoid;
    SharesLayout layout;
    int[][] batches;
    PaillierKeyPair keys;
    PaillierEncryptor ownEnc;
    PaillierDecryptor dec;
    PaillierPublicKey peerKey;
    PaillierEncryptor peerEnc;
    /** The peer's row groups: [row][group]. */
    Ciphertext[][] peerRows;
    /** This party's shares of its own block's and of the peer's block's weights. */
    BigInteger[] wOwn;
    BigInteger[] wPeer;
    /** This party as extension sender (bank: instance A, partner: B) and receiver (the other). */
    IknpSender otSender;
    IknpReceiver otReceiver;
    /** Partner: its index among the bank's partners (0 leads); bank: the index of this session's partner. */
    int index;
    /** The number of partners (1: the two-party protocol). */
    int count;
    /** A partner among several: pairwise masks shared with the other partners. */
    PairwiseMasks masks;
    /** The loss series if the per-epoch loss is opened (null otherwise). */
    SharesLoss loss;
    /** Bank: fractional bits of its loss terms ({@link SharesLoss#scaleBits}). */
    int lossBits;
    /** This party's share, modulo 2^64, of the epoch's loss so far (scale lossBits + F_V). */
    long lossShare;
    /** Bank: the losses opened so far, one per epoch. */
    final List<Double> epochLosses = new ArrayList<>();
    /** Bank: Σ of the class weights over all rows, the denominator of every epoch's loss. */
    double lossWeight;

    Run(
        Role role,
        SecretSharedLrParameters params,
        FeatureMatrix features,
        int[] labels,
        MessageChannel channel,
        Executor executor,
        SecureRandom random,
        TrainingListener listener,
        int index,
        int count) {
      this.role = Objects.requireNonNull(role);
      this.index = index;
      this.count = count;
      this.listener = Objects.requireNonNull(listener);
      this.params = Objects.requireNonNull(params);
      this.lr = params.lr();
      this.features = Objects.requireNonNull(features);
      this.labels = labels;
      this.executor = Objects.requireNonNull(executor);
      this.random = Objects.requireNonNull(random);
      this.counting = new CountingChannel(Objects.requireNonNull(channel));
      this.tx = new TranscriptChannel(counting);
      this.timeout = params.receiveTimeout();
    }

    /** A partner's whole run (the bank's runs are driven by {@code bankRun}). */
    SecretSharedResult run() throws JointlyException {
      try {
        prepare();
        hello();
        openPeer();
        if (count > 1) {
          agreeMasks();
        }
        baseOts();
        for (int from = 0, seq = 0; from < n; from += ROW_CHUNK, seq++) {
          rowsChunk(from, seq);
          listener.onSetup(Math.min(n, from + ROW_CHUNK), n);
        }
        startTraining();
        int step = 0;
        long planned = (long) batches.length * lr.maxEpochs();
        for (int e = 0; e < lr.maxEpochs(); e++) {
          double eta = eta(lr, e);
          for (int b : batchOrder(lr.seed(), batches.length, e)) {
            int[] rows = batches[b];
            backward(rows, partnerResiduals(rows, forward(rows, step), step), eta, step);
            step++;
            listener.onStep(step, planned);
          }
          if (loss != null && index == 0) {
            // Only partner 0 runs the sigmoid with the bank, and so holds loss shares.
            tx.send(SecretSharedRound.LOSS.key(e), longs(new long[] {lossShare}));
            lossShare = 0;
          }
          listener.onEpoch(e, lr.maxEpochs());
        }
        return reveal(step);
      } finally {
        close();
      }
    }

    /** Labels, fixed-point features and this party's Paillier key; no I/O. */
    void prepare() throws JointlyException {
      n = features.rowCount();
      boolean bank = role == Role.BANK;
      if (bank) {
        checkLabels();
      }
      // The bank's intercept column belongs to its own block, which only session 0 carries.
      boolean intercept = bank && lr.intercept() && index == 0;
      x = scalars(features, intercept);
      pOwn = features.columnCount() + (intercept ? 1 : 0);
      if (bank && params.epochLoss() && index == 0) {
        lossWeight = Arrays.stream(rowWeights).sum();
        lossBits = SharesLoss.of(SharesSigmoid.of(params.sigmoid())).scaleBits(n);
        if (lossBits < SharesLoss.MIN_SCALE_BITS) {
          throw new InputException(
              InputException.Kind.INVALID_INPUT, -1, "too many rows to open the per-epoch loss with enough precision");
        }
      }
      keys = PaillierKeyPair.generate(params.paillier(), random);
      ownEnc =
          PaillierEncryptor.builder(keys.publicKey())
              .parameters(params.paillier())
              .random(random)
              .executor(executor)
              .secretKey(keys.secretKey())
              .build();
      dec = new PaillierDecryptor(keys.secretKey());
    }

    /**
     * The encryptor for results going back to the peer: they are re-randomised with full
     * randomness, since the key holder knows the randomness of its own encryptions. A step
     * re-randomises one ciphertext per column group: a small pool suffices.
     */
    void openPeer() {
      PaillierParameters full = new PaillierParameters(peerKey.modulusBits(), PaillierParameters.Randomness.FULL);
      peerEnc = PaillierEncryptor.builder(peerKey).parameters(full).random(random).executor(executor).poolCapacity(PEER_POOL).build();
    }

    /** After the setup: this party's own rows are sent; weights start at zero. */
    void startTraining() {
      ownEnc.close();
      wOwn = zeros(pOwn);
      wPeer = zeros(pPeer);
    }

    @Override
    public void close() {
      if (ownEnc != null) {
        ownEnc.close();
      }
      if (peerEnc != null) {
        peerEnc.close();
      }
      if (masks != null) {
        masks.destroy();
      }
      if (otSender != null) {
        otSender.destroy();
      }
      if (otReceiver != null) {
        otReceiver.destroy();
      }
    }

    /** A partner among several: MASK_KEY out, KEYS in, pairwise seeds with the other partners. */
    private void agreeMasks() throws JointlyException {
      masks = PairwiseMasks.generate(random);
      tx.send(SecretSharedRound.MASK_KEY.key(0), masks.publicKey());
      LrWire.Keys k = LrWire.keys(tx.receive(SecretSharedRound.KEYS.key(0), timeout));
      Abort.unless(
          k.index() == index && k.maskKeys().size() == count,
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "KEYS does not match the partner index and count of HELLO");
      masks.agree(k.index(), k.maskKeys(), k.context());
    }

    /**
     * The partner's residual shares for the batch: with one partner from the sigmoid directly;
     * among several, partner 0 gathers every partner's score share (SCORE_GATHER), runs the
     * sigmoid with the bank and sends its residual shares on, padded for each other partner
     * (RESIDUAL_RELAY); the others send their masked score shares (SCORE_RELAY) and receive
     * partner 0's residual shares as their own.
     */
    private BigInteger[] partnerResiduals(int[] rows, long[] acc, int step) throws JointlyException {
      int b = rows.length;
      if (count == 1) {
        return residualsAsReceiver(rows, residues(acc), step);
      }
      long scoreRound = 2L * step;
      long residualRound = 2L * step + 1;
      if (index > 0) {
        masks.mask(acc, scoreRound);
        tx.send(SecretSharedRound.SCORE_RELAY.key(step), longs(acc));
        long[] words = longs(tx.receive(SecretSharedRound.RESIDUAL_RELAY.key(step), timeout), 2 * b, "RESIDUAL_RELAY");
        masks.pad(words, 0, residualRound);
        BigInteger[] d = new BigInteger[b];
        for (int i = 0; i < b; i++) {
          d[i] = SharesOt.toBigInteger(words, i);
          Abort.unlessWellFormed(d[i].bitLength() <= layout.residualShareBits(), "RESIDUAL_RELAY carries a value out of range");
        }
        return d;
      }
      long[] others = longs(tx.receive(SecretSharedRound.SCORE_GATHER.key(step), timeout), b, "SCORE_GATHER");
      masks.mask(acc, scoreRound);
      for (int i = 0; i < b; i++) {
        acc[i] += others[i];
      }
      BigInteger[] d = residualsAsReceiver(rows, residues(acc), step);
      long[] all = new long[2 * b * (count - 1)];
      for (int k = 1; k < count; k++) {
        long[] words = new long[2 * b];
        for (int i = 0; i < b; i++) {
          SharesOt.fromBigInteger(d[i], words, i);
        }
        masks.pad(words, k, residualRound);
        System.arraycopy(words, 0, all, 2 * b * (k - 1), 2 * b);
      }
      tx.send(SecretSharedRound.RESIDUAL_RELAY.key(step), longs(all));
      return d;
    }

    private void checkLabels() throws InputException {
      if (labels.length != n) {
        throw new IllegalArgumentException("one label per feature row is needed");
      }
      for (int y : labels) {
        if (y != 0 && y != 1) {
          throw new InputException(InputException.Kind.INVALID_INPUT, -1, "labels must be 0 or 1");
        }
      }
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      rowWeights = lr.classWeights().rowWeights(labels, all);
      for (double s : rowWeights) {
        if (!(s < 1 << SharesLayout.S_LIMIT_BITS)) {
          throw new InputException(InputException.Kind.INVALID_INPUT, -1, "class weights must be below 256");
        }
      }
    }

    // ---- HELLO ----

    private void hello() throws JointlyException {
      Bytes key = keys.publicKey().toBytes();
      ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + 4 + 4 + 4 + 4 + 4 + 8 * 3 + 8 + 1 + 1 + 1 + 1 + 4 + 4 + key.length());
      boolean bank = role == Role.BANK;
      // The bank states the partner's index and the number of partners; a partner sends zeros.
      b.putInt(VERSION).put((byte) role.wireCode).putInt(bank ? index : 0).putInt(bank ? count : 0);
      b.putInt(n).putInt(pOwn).putInt(lr.batchSize()).putInt(lr.maxEpochs());
      b.putDouble(lr.learningRate()).putDouble(lr.learningRateDecay()).putDouble(lr.l2()).putLong(lr.seed());
      b.put((byte) (lr.intercept() ? 1 : 0)).put((byte) params.sigmoid().wireCode).put((byte) (params.epochLoss() ? 1 : 0));
      b.put((byte) (params.revealAllToBank() ? 1 : 0));
      b.putInt(keys.publicKey().modulusBits()).putInt(key.length()).put(key.toByteArray());
      tx.send(SecretSharedRound.HELLO.key(0), Bytes.wrap(b.array()));
      ByteBuffer r = ByteBuffer.wrap(tx.receive(SecretSharedRound.HELLO.key(0), timeout).toByteArray());
      try {
        Abort.unless(r.getInt() == VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
        byte peerRole = r.get();
        Abort.unlessWellFormed(peerRole == Role.BANK.wireCode || peerRole == Role.PARTNER.wireCode, "HELLO: unknown role");
        Abort.unless(peerRole != role.wireCode, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "both parties have the same role");
        int peerIndex = r.getInt();
        int peerCount = r.getInt();
        if (bank) {
          Abort.unlessWellFormed(peerIndex == 0 && peerCount == 0, "HELLO: a partner states an index");
        } else {
          Abort.unlessWellFormed(peerCount >= 1 && peerCount <= MAX_PARTNERS && peerIndex >= 0 && peerIndex < peerCount, "HELLO: partner index out of range");
          index = peerIndex;
          count = peerCount;
        }
        Abort.unless(r.getInt() == n, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the parties have different numbers of rows");
        pPeer = r.getInt();
        // Only the bank's session with partner 0 carries the bank's block.
        int minPeer = !bank && index > 0 ? 0 : 1;
        int maxPeer = !bank && index > 0 ? 0 : 100_000;
        Abort.unlessWellFormed(pPeer >= minPeer && pPeer <= maxPeer, "HELLO: column count out of range");
        boolean same =
            r.getInt() == lr.batchSize()
                && r.getInt() == lr.maxEpochs()
                && r.getDouble() == lr.learningRate()
                && r.getDouble() == lr.learningRateDecay()
                && r.getDouble() == lr.l2()
                && r.getLong() == lr.seed()
                && r.get() == (lr.intercept() ? 1 : 0);
        Abort.unless(same, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the parties' training schedules differ");
        Abort.unless(
            r.get() == params.sigmoid().wireCode,
            ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
            "the parties' sigmoid approximations differ");
        Abort.unless(
            r.get() == (params.epochLoss() ? 1 : 0),
            ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
            "the parties disagree on opening the per-epoch loss to the bank");
        Abort.unless(
            r.get() == (params.revealAllToBank() ? 1 : 0),
            ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
            "the parties disagree on revealing the partner's weights to the bank");
        Abort.unless(
            r.getInt() == params.paillier().modulusBits(),
            ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
            "the parties' Paillier key sizes differ");
        int len = r.getInt();
        Abort.unlessWellFormed(len == r.remaining(), "HELLO: key length does not match");
        byte[] k = new byte[len];
        r.get(k);
        peerKey = PaillierPublicKey.fromBytes(Bytes.wrap(k), params.paillier());
      } catch (BufferUnderflowException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "HELLO is truncated");
      }
      sigmoid = SharesSigmoid.of(params.sigmoid());
      if (params.epochLoss() && index == 0) {
        // Session 0 runs the sigmoid, and the loss with it (the bank set its scale in prepare()).
        loss = SharesLoss.of(sigmoid);
      }
      layout =
          SharesLayout.of(
              Math.min(lr.batchSize(), Math.max(1, n)), SharesLayout.etaBits(lr.learningRate()), params.paillier().modulusBits(), sigmoid);
      batches = batches(lr.seed(), n, lr.batchSize());
    }

    // ---- base OTs ----

    /**
     * Base OTs of both instances: this party's choices (as extension sender) go out encrypted under
     * its own key; it answers the peer's with its seed pairs (as extension receiver).
     */
    private void baseOts() throws JointlyException {
      int kappa = Iknp.KAPPA;
      otSender = new IknpSender(random);
      otReceiver = new IknpReceiver(random);
      List<Supplier<Ciphertext>> jobs = new ArrayList<>();
      for (int j = 0; j < kappa; j++) {
        long bit = otSender.baseOtChoice(j, SecretAccess.insecure());
        jobs.add(() -> ownEnc.encrypt(bit));
      }
      tx.send(SecretSharedRound.BASE_OT.key(0), keys.publicKey().encodeAll(parallel(jobs)));
      List<Ciphertext> bits = peerKey.decodeAll(tx.receive(SecretSharedRound.BASE_OT.key(0), timeout), kappa);
      List<Supplier<Ciphertext>> replies = new ArrayList<>();
      for (int j = 0; j < kappa; j++) {
        BigInteger k0 = new BigInteger(1, otReceiver.baseOtMessage(j, 0, SecretAccess.insecure()));
        BigInteger diff = new BigInteger(1, otReceiver.baseOtMessage(j, 1, SecretAccess.insecure())).subtract(k0);
        Ciphertext c = bits.get(j);
        replies.add(() -> peerEnc.rerandomize(peerEnc.addPlaintext(peerEnc.multiply(c, diff), k0)));
      }
      tx.send(SecretSharedRound.BASE_OT_REPLY.key(0), peerKey.encodeAll(parallel(replies)));
      List<Ciphertext> reply = keys.publicKey().decodeAll(tx.receive(SecretSharedRound.BASE_OT_REPLY.key(0), timeout), kappa);
      List<Supplier<BigInteger>> opens = new ArrayList<>();
      for (Ciphertext c : reply) {
        opens.add(() -> dec.decrypt(c));
      }
      List<BigInteger> seeds = parallel(opens);
      for (int j = 0; j < kappa; j++) {
        Abort.unlessWellFormed(seeds.get(j).bitLength() <= 128, "BASE_OT_REPLY: a seed is out of range");
        otSender.baseOtResult(j, seedBytes(seeds.get(j)));
      }
    }

    /** A base-OT seed received as a non-negative integer below 2^128, as its 16 big-endian bytes. */
    private static byte[] seedBytes(BigInteger k) {
      if (k.signum() < 0 || k.bitLength() > 128) {
        throw new IllegalArgumentException("a seed has 128 bits");
      }
      byte[] raw = k.toByteArray();
      byte[] b = new byte[16];
      int n = Math.min(16, raw.length);
      System.arraycopy(raw, raw.length - n, b, 16 - n, n);
      return b;
    }

    // ---- setup: encrypted features ----

    /** ROWS, one chunk: this party's rows {@code [from, from + ROW_CHUNK)} out, the peer's in. */
    void rowsChunk(int from, int seq) throws JointlyException {
      int per = layout.columnsPerPlaintext();
      int width = layout.backwardSlotBits();
      int ownGroups = layout.rowGroups(pOwn);
      int peerGroups = layout.rowGroups(pPeer);
      if (peerRows == null) {
        peerRows = new Ciphertext[n][];
      }
      int count = Math.min(ROW_CHUNK, n - from);
      if (ownGroups > 0) {
        List<Supplier<Ciphertext>> jobs = new ArrayList<>(count * ownGroups);
        for (int r = from; r < from + count; r++) {
          for (int h = 0; h < ownGroups; h++) {
            int c0 = h * per;
            int cn = Math.min(per, pOwn - c0);
            BigInteger[] slots = new BigInteger[cn];
            for (int j = 0; j < cn; j++) {
              slots[j] = BigInteger.valueOf(x[r][c0 + j]);
            }
            BigInteger plain = SharesMath.pack(slots, width).mod(keys.publicKey().n());
            jobs.add(() -> ownEnc.encrypt(plain));
          }
        }
        tx.send(SecretSharedRound.ROWS.key(seq), keys.publicKey().encodeAll(parallel(jobs)));
      }
      if (peerGroups > 0) {
        List<Ciphertext> got = peerKey.decodeAll(tx.receive(SecretSharedRound.ROWS.key(seq), timeout), count * peerGroups);
        for (int i = 0; i < count; i++) {
          peerRows[from + i] = got.subList(i * peerGroups, (i + 1) * peerGroups).toArray(Ciphertext[]::new);
        }
      }
    }

    // ---- one step ----

    /**
     * FORWARD: this party's raw shares of the batch's scores modulo 2^64 (at scale {@code
     * F_X + F_W}); {@link #residues} turns a sum of them into shares modulo the period. A block of
     * no columns (the bank's, in sessions other than 0) has no OTs and no messages.
     */
    long[] forward(int[] rows, int step) throws JointlyException {
      int b = rows.length;
      int ring = layout.forwardRingBits();
      long batchId = 2L * step;
      // As receiver for the peer's block: choose with the bits of this party's shares of its weights.
      int mR = pPeer * ring;
      long[] choices = new long[(mR + 63) >>> 6];
      for (int j = 0; j < pPeer; j++) {
        long w = wPeer[j].longValue();
        for (int t = 0; t < ring; t++) {
          if (((w >>> t) & 1) != 0) {
            int idx = j * ring + t;
            choices[idx >>> 6] |= 1L << (idx & 63);
          }
        }
      }
      long[][] tRows = new long[0][];
      if (mR > 0) {
        IknpReceiver.Extension ext = otReceiver.extend(batchId, choices, mR);
        tRows = ext.rows();
        tx.send(SecretSharedRound.FORWARD_CHOICES.key(step), ext.message());
      }
      // As sender for this party's block: correlate with its feature columns.
      int mS = pOwn * ring;
      long[] keep = new long[mS * b];
      if (mS > 0) {
        long[][] q = otSender.extend(batchId, tx.receive(SecretSharedRound.FORWARD_CHOICES.key(step), timeout), mS);
        long[] delta = new long[mS * b];
        for (int j = 0; j < pOwn; j++) {
          for (int t = 0; t < ring; t++) {
            int base = (j * ring + t) * b;
            for (int i = 0; i < b; i++) {
              delta[base + i] = x[rows[i]][j] << t;
            }
          }
        }
        tx.send(SecretSharedRound.FORWARD_PADS.key(step), longs(SharesOt.correlateVectors(otSender, batchId, q, delta, mS, b, keep)));
      }
      long[] got = new long[0];
      if (mR > 0) {
        long[] tau = longs(tx.receive(SecretSharedRound.FORWARD_PADS.key(step), timeout), mR * b, "FORWARD_PADS");
        got = SharesOt.receiveVectors(batchId, tRows, choices, tau, mR, b);
      }
      long[] z = new long[b];
      for (int i = 0; i < b; i++) {
        long acc = 0;
        long[] xr = x[rows[i]];
        for (int j = 0; j < pOwn; j++) {
          acc += xr[j] * wOwn[j].longValue();
        }
        for (int o = 0; o < mR; o++) {
          acc += got[o * b + i];
        }
        for (int o = 0; o < mS; o++) {
          acc -= keep[o * b + i];
        }
        z[i] = acc;
      }
      return z;
    }

    /** Shares modulo the period ({@link SharesLayout#scoreResidueBits} bits at scale F_Z) from raw shares. */
    long[] residues(long[] acc) {
      long residueMask = (1L << layout.scoreResidueBits()) - 1;
      long[] z = new long[acc.length];
      for (int i = 0; i < acc.length; i++) {
        z[i] = (acc[i] >>> SharesLayout.T_FORWARD) & residueMask;
      }
      return z;
    }

    private static Bytes longs(long[] v) {
      ByteBuffer b = ByteBuffer.allocate(8 * v.length);
      for (long x : v) {
        b.putLong(x);
      }
      return Bytes.wrap(b.array());
    }

    private static long[] longs(Bytes payload, int count, String round) throws ProtocolAbortException {
      Abort.unlessWellFormed(payload.length() == 8L * count, round + " has the wrong length");
      ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
      long[] out = new long[count];
      for (int i = 0; i < count; i++) {
        out[i] = b.getLong();
      }
      return out;
    }

    /** The bank's residual shares: the OT sender, its correlations from {@code u}. */
    BigInteger[] residualsAsSender(int[] rows, long[] z, double eta, int step) throws JointlyException {
      int b = rows.length;
      int terms = 2 * sigmoid.terms();
      int otsPerRow = layout.otsPerRow();
      int m = b * otsPerRow;
      long[][] q = otSender.extend(2L * step + 1, tx.receive(SecretSharedRound.SIGMOID_CHOICES.key(step), timeout), m);
      long[] delta = new long[m];
      long[][] coefficient = new long[b][terms];
      for (int i = 0; i < b; i++) {
        double scale = eta * rowWeights[rows[i]] / b;
        double[] terms1 = sigmoid.bankTerms(sigmoid.angle(z[i]));
        for (int k = 0; k < terms; k++) {
          long uk = Math.round(Math.scalb(scale * terms1[k], SharesLayout.F_U));
          coefficient[i][k] = uk;
          for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
            delta[(i * terms + k) * SharesLayout.CHOICE_BITS + t] = uk << t;
          }
        }
      }
      long[] keep = new long[2 * m];
      long[] tau = SharesOt.correlate(otSender, 2L * step + 1, q, delta, layout.padBits(), keep);
      if (loss == null) {
        tx.send(SecretSharedRound.SIGMOID_PADS.key(step), pairs(tau));
      } else {
        tx.send(SecretSharedRound.SIGMOID_PADS.key(step), concat(pairs(tau), longs(lossCorrelations(rows, z, q, step))));
      }
      BigInteger[] d = new BigInteger[b];
      for (int i = 0; i < b; i++) {
        double scale = eta * rowWeights[rows[i]] / b;
        long local = Math.round(Math.scalb(scale * (0.5 - labels[rows[i]]), SharesLayout.F_D));
        long uSum = 0;
        for (int k = 0; k < terms; k++) {
          uSum += coefficient[i][k];
        }
        long[] acc = new long[2];
        for (int o = 0; o < otsPerRow; o++) {
          int at = i * otsPerRow + o;
          SharesOt.add(acc, 0, keep[2 * at], keep[2 * at + 1]);
        }
        d[i] = BigInteger.valueOf(local).subtract(BigInteger.valueOf(uSum).shiftLeft(SharesLayout.F_V)).subtract(SharesOt.toBigInteger(acc, 0));
      }
      return d;
    }

    /**
     * The bank's second correlation on the sigmoid's OTs, for the loss: {@code Δ' = U'·2^t} with
     * {@code U' = s·(loss terms)} at {@code lossBits} fractional bits, modulo 2^64, under pads with
     * their own tweak ({@link #lossTweak}); adds this party's share of the batch's loss (its local
     * {@code s·a₀} term, minus the offset and its pads) to {@link #lossShare}.
     */
    private long[] lossCorrelations(int[] rows, long[] z, long[][] q, int step) {
      int b = rows.length;
      int terms = 2 * sigmoid.terms();
      int m = b * layout.otsPerRow();
      long[] delta = new long[m];
      long share = 0;
      for (int i = 0; i < b; i++) {
        double s = rowWeights[rows[i]];
        double[] u = loss.bankTerms(sigmoid.angle(z[i]), labels[rows[i]]);
        long uSum = 0;
        for (int k = 0; k < terms; k++) {
          long uk = Math.round(Math.scalb(s * u[k], lossBits));
          uSum += uk;
          for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
            delta[(i * terms + k) * SharesLayout.CHOICE_BITS + t] = uk << t;
          }
        }
        share += Math.round(Math.scalb(s * loss.constant(), lossBits + SharesLayout.F_V)) - (uSum << SharesLayout.F_V);
      }
      long[] keep = new long[m];
      long[] tau = SharesOt.correlateVectors(otSender, lossTweak(step), q, delta, m, 1, keep);
      for (long k : keep) {
        share -= k;
      }
      lossShare += share;
      return tau;
    }

    /**
     * The hash tweak of the loss pads of a step: distinct from every extension batch number, so the
     * loss pads are independent of the sigmoid's (the sigmoid's τ = p⁰ + Δ − p¹ tells a receiver
     * with c = 0 much of p¹, which must not also determine the loss pad).
     */
    private static long lossTweak(int step) {
      return (1L << 62) | (2L * step + 1);
    }

    /** Bank, at the end of epoch e: partner 0's LOSS share in, the epoch's loss opened. */
    void openEpochLoss(int e) throws JointlyException {
      long[] peer = longs(tx.receive(SecretSharedRound.LOSS.key(e), timeout), 1, "LOSS");
      long total = lossShare + peer[0];
      lossShare = 0;
      epochLosses.add(Math.scalb((double) total, -(lossBits + SharesLayout.F_V)) / lossWeight);
    }

    /** The partner's residual shares: the OT receiver, its choices the bits of {@code v}. */
    private BigInteger[] residualsAsReceiver(int[] rows, long[] z, int step) throws JointlyException {
      int b = rows.length;
      int terms = 2 * sigmoid.terms();
      int otsPerRow = layout.otsPerRow();
      int m = b * otsPerRow;
      int words = (m + 63) >>> 6;
      long[] choices = new long[words];
      long offset = 1L << SharesLayout.F_V;
      for (int i = 0; i < b; i++) {
        double[] v = sigmoid.partnerTerms(sigmoid.angle(z[i]));
        for (int k = 0; k < terms; k++) {
          long shifted = Math.round(Math.scalb(v[k], SharesLayout.F_V)) + offset;
          for (int t = 0; t < SharesLayout.CHOICE_BITS; t++) {
            if (((shifted >>> t) & 1) != 0) {
              int idx = (i * terms + k) * SharesLayout.CHOICE_BITS + t;
              choices[idx >>> 6] |= 1L << (idx & 63);
            }
          }
        }
      }
      IknpReceiver.Extension ext = otReceiver.extend(2L * step + 1, choices, m);
      long[][] tRows = ext.rows();
      tx.send(SecretSharedRound.SIGMOID_CHOICES.key(step), ext.message());
      Bytes pads = tx.receive(SecretSharedRound.SIGMOID_PADS.key(step), timeout);
      if (loss != null) {
        Abort.unlessWellFormed(pads.length() == 24L * m, "SIGMOID_PADS has the wrong length");
        byte[] all = pads.toByteArray();
        long[] lossTau = longs(Bytes.wrap(Arrays.copyOfRange(all, 16 * m, 24 * m)), m, "SIGMOID_PADS");
        for (long g : SharesOt.receiveVectors(lossTweak(step), tRows, choices, lossTau, m, 1)) {
          lossShare += g;
        }
        pads = Bytes.wrap(Arrays.copyOfRange(all, 0, 16 * m));
      }
      long[] tau = pairs(pads, m, layout.padBits() + 2, "SIGMOID_PADS");
      long[] got = SharesOt.receive(2L * step + 1, tRows, choices, tau, layout.padBits());
      BigInteger[] d = new BigInteger[b];
      for (int i = 0; i < b; i++) {
        long[] acc = new long[2];
        for (int o = 0; o < otsPerRow; o++) {
          int at = i * otsPerRow + o;
          SharesOt.add(acc, 0, got[2 * at], got[2 * at + 1]);
        }
        d[i] = SharesOt.toBigInteger(acc, 0);
      }
      return d;
    }

    private static Bytes concat(Bytes a, Bytes b) {
      byte[] out = Arrays.copyOf(a.toByteArray(), (int) (a.length() + b.length()));
      System.arraycopy(b.toByteArray(), 0, out, (int) a.length(), (int) b.length());
      return Bytes.wrap(out);
    }

    /** 128-bit pairs {@code (hi, lo)} as 16-byte big-endian two's complement (the layout of {@link #wide}). */
    private static Bytes pairs(long[] v) {
      ByteBuffer b = ByteBuffer.allocate(8 * v.length);
      for (long x : v) {
        b.putLong(x);
      }
      return Bytes.wrap(b.array());
    }

    private static long[] pairs(Bytes payload, int count, int maxBits, String round) throws ProtocolAbortException {
      Abort.unlessWellFormed(payload.length() == 16L * count, round + " has the wrong length");
      ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
      long[] out = new long[2 * count];
      long limit = 1L << (maxBits - 64);
      for (int i = 0; i < count; i++) {
        long hi = b.getLong();
        out[2 * i] = hi;
        out[2 * i + 1] = b.getLong();
        Abort.unlessWellFormed(hi < limit && hi >= -limit, round + " carries a value out of range");
      }
      return out;
    }

    /** BACKWARD: fresh shares of both blocks' updated weights. */
    void backward(int[] rows, BigInteger[] d, double eta, int step) throws JointlyException {
      int per = layout.columnsPerPlaintext();
      int width = layout.backwardSlotBits();
      double l2 = lr.l2();
      boolean bankIntercept = lr.intercept();
      // As masker of the peer's block.
      int peerGroups = layout.rowGroups(pPeer);
      BigInteger[] negD = new BigInteger[d.length];
      for (int i = 0; i < d.length; i++) {
        negD[i] = d[i].negate();
      }
      BigInteger[] newPeer = new BigInteger[pPeer];
      List<Supplier<Ciphertext>> jobs = new ArrayList<>(peerGroups);
      for (int h = 0; h < peerGroups; h++) {
        int c0 = h * per;
        int cn = Math.min(per, pPeer - c0);
        BigInteger[] slots = new BigInteger[cn];
        for (int j = 0; j < cn; j++) {
          int col = c0 + j;
          boolean penalised = !(role == Role.PARTNER && bankIntercept && col == pPeer - 1);
          BigInteger m = SharesMath.mask(layout.backwardMaskBits(), random);
          slots[j] = decay(eta, l2, penalised).multiply(wPeer[col]).add(m);
          newPeer[col] = SharesMath.floorShift(m, SharesLayout.T_BACKWARD).negate();
        }
        List<Ciphertext> bases = new ArrayList<>(rows.length);
        for (int r : rows) {
          bases.add(peerRows[r][h]);
        }
        BigInteger plain = SharesMath.pack(slots, width).mod(peerKey.n());
        jobs.add(() -> peerEnc.rerandomize(peerEnc.addPlaintext(multiExp(peerEnc, bases, negD), plain)));
      }
      if (peerGroups > 0) {
        tx.send(SecretSharedRound.BACKWARD.key(step), peerKey.encodeAll(parallel(jobs)));
      }
      // As key holder of this party's block.
      int ownGroups = layout.rowGroups(pOwn);
      List<BigInteger> opened =
          ownGroups == 0
              ? List.of()
              : open(keys.publicKey().decodeAll(tx.receive(SecretSharedRound.BACKWARD.key(step), timeout), ownGroups));
      BigInteger[] newOwn = new BigInteger[pOwn];
      for (int h = 0; h < ownGroups; h++) {
        int c0 = h * per;
        int cn = Math.min(per, pOwn - c0);
        BigInteger[] slots = unpack(opened.get(h), cn, width, "BACKWARD");
        for (int j = 0; j < cn; j++) {
          int col = c0 + j;
          boolean penalised = !(role == Role.BANK && bankIntercept && col == pOwn - 1);
          BigInteger local = decay(eta, l2, penalised).multiply(wOwn[col]);
          for (int i = 0; i < rows.length; i++) {
            local = local.subtract(BigInteger.valueOf(x[rows[i]][col]).multiply(d[i]));
          }
          newOwn[col] = SharesMath.floorShift(slots[j].add(local), SharesLayout.T_BACKWARD);
        }
      }
      wOwn = newOwn;
      wPeer = newPeer;
    }

    // ---- REVEAL ----

    SecretSharedResult reveal(int steps) throws JointlyException {
      int maxBits = layout.weightShareBits() + 1;
      boolean bank = role == Role.BANK;
      boolean all = params.revealAllToBank();
      BigInteger[] send = !bank && all ? concat(wPeer, wOwn) : wPeer;
      tx.send(SecretSharedRound.REVEAL.key(0), wide(send));
      int expected = bank && all ? pOwn + pPeer : pOwn;
      BigInteger[] got = wide(tx.receive(SecretSharedRound.REVEAL.key(0), timeout), expected, maxBits, "REVEAL");
      double[] own = new double[pOwn];
      for (int j = 0; j < pOwn; j++) {
        own[j] = SharesMath.decode(wOwn[j].add(got[j]), SharesLayout.F_W);
      }
      Optional<double[]> partnerWeights = Optional.empty();
      if (bank && all) {
        double[] pw = new double[pPeer];
        for (int j = 0; j < pPeer; j++) {
          pw[j] = SharesMath.decode(wPeer[j].add(got[pOwn + j]), SharesLayout.F_W);
        }
        partnerWeights = Optional.of(pw);
      }
      tx.confirm(SecretSharedRound.CONFIRM.key(0), timeout);
      OptionalDouble intercept = OptionalDouble.empty();
      double[] weights = own;
      if (bank && lr.intercept() && index == 0) {
        intercept = OptionalDouble.of(own[pOwn - 1]);
        weights = Arrays.copyOf(own, pOwn - 1);
      }
      return new SecretSharedResult(
          weights,
          intercept,
          partnerWeights,
          lr.maxEpochs(),
          steps,
          counting.stats(),
          Duration.ofNanos(System.nanoTime() - start),
          epochLosses);
    }

    // ---- helpers ----

    private List<BigInteger> open(List<Ciphertext> cs) {
      List<Supplier<BigInteger>> jobs = new ArrayList<>(cs.size());
      for (Ciphertext c : cs) {
        jobs.add(() -> dec.decryptSigned(c));
      }
      return parallel(jobs);
    }

    private static BigInteger[] unpack(BigInteger value, int count, int width, String round) throws ProtocolAbortException {
      try {
        return SharesMath.unpack(value, count, width);
      } catch (ArithmeticException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, round + " is out of range");
      }
    }

    private <T> List<T> parallel(List<Supplier<T>> jobs) {
      List<CompletableFuture<T>> fs = new ArrayList<>(jobs.size());
      for (Supplier<T> j : jobs) {
        fs.add(CompletableFuture.supplyAsync(j, executor));
      }
      List<T> out = new ArrayList<>(fs.size());
      try {
        for (CompletableFuture<T> f : fs) {
          out.add(f.join());
        }
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
      return out;
    }

    private static BigInteger[] zeros(int p) {
      BigInteger[] z = new BigInteger[p];
      Arrays.fill(z, BigInteger.ZERO);
      return z;
    }

    private static BigInteger[] concat(BigInteger[] a, BigInteger[] b) {
      BigInteger[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
