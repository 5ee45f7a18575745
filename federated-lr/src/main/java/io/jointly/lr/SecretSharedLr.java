package io.jointly.lr;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.psi.RowIndexes;
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
 * Secret-shared vertical logistic regression between the bank and one partner: every weight, score,
 * sigmoid value, residual and gradient stays split into two additive shares, one per party, and
 * only the final weights are opened (each party its own). The construction follows the HE + secret
 * sharing pattern of Chen et al., "When Homomorphic Encryption Marries Secret Sharing" (KDD 2021):
 * the gradient products run on features that each party packs and encrypts under its own Paillier
 * key once; unlike there, the sigmoid is a Fourier series on shares ({@link SharesSigmoid}), not a
 * Taylor expansion, and it and the scores are computed with OT extension ({@link SharesOt}), which
 * costs symmetric cryptography only.
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
 *       SecretSharedLrParameters.Sigmoid}) and a fresh Paillier key, both ways; any difference
 *       aborts.
 *   <li>{@code BASE_OT}, {@code BASE_OT_REPLY}: 128 base OTs each way for two {@link SharesOt}
 *       instances (each party's choice bits encrypted under its own key; the peer returns {@code
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
 *   <li>{@code REVEAL}: each party sends the other its shares of the other's weights (with {@code
 *       revealAllToBank} the partner also sends the bank its shares of its own); {@code CONFIRM}:
 *       transcripts agree.
 * </ol>
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * Each party: the other's number of rows (equal) and columns, the schedule and sigmoid, and at the end its own
 * weights (the bank also the partner's if both set {@code revealAllToBank}). Everything else it
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
 * WIDE) and {@link SharesLayout#otsPerRow} correlated OTs per row for the sigmoid (256 or 768; AES
 * only). No Paillier operation is per row. Traffic per step: about {@code 8·r·(p_b + p_p)·|B|}
 * bytes of score corrections, {@code 16·otsPerRow·|B|} bytes of sigmoid corrections, a few
 * ciphertexts.
 *
 * <p>Thread-safety: the functions block the calling thread; the executor runs encryption,
 * decryption and multi-exponentiation in parallel.
 */
public final class SecretSharedLr {
  /** 2: HELLO carries the sigmoid. */
  static final int VERSION = 2;

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
    Objects.requireNonNull(labels, "labels");
    return new Run(Role.BANK, params, features, labels, channel, executor, new SecureRandom(), listener).run();
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
    return new Run(Role.PARTNER, params, features, null, channel, executor, new SecureRandom(), listener).run();
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
    return new Run(role, params, features, labels, channel, executor, random, TrainingListener.NONE).run();
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
  private static final class Run {
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
    SharesOt.Sender otSender;
    SharesOt.Receiver otReceiver;

    Run(
        Role role,
        SecretSharedLrParameters params,
        FeatureMatrix features,
        int[] labels,
        MessageChannel channel,
        Executor executor,
        SecureRandom random,
        TrainingListener listener) {
      this.role = Objects.requireNonNull(role);
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

    SecretSharedResult run() throws JointlyException {
      n = features.rowCount();
      boolean bank = role == Role.BANK;
      if (bank) {
        checkLabels();
      }
      x = scalars(features, bank && lr.intercept());
      pOwn = x.length == 0 ? features.columnCount() + (bank && lr.intercept() ? 1 : 0) : x[0].length;
      keys = PaillierKeyPair.generate(params.paillier(), random);
      try (PaillierEncryptor own =
          PaillierEncryptor.builder(keys.publicKey())
              .parameters(params.paillier())
              .random(random)
              .executor(executor)
              .secretKey(keys.secretKey())
              .build()) {
        ownEnc = own;
        dec = new PaillierDecryptor(keys.secretKey());
        hello();
        // Results go back to the key holder, who knows the randomness of its own encryptions: they
        // are re-randomised with full randomness, so that nothing of this party's scalars shows.
        PaillierParameters full = new PaillierParameters(peerKey.modulusBits(), PaillierParameters.Randomness.FULL);
        // A step re-randomises one ciphertext per column group: a small pool suffices.
        try (PaillierEncryptor peer =
            PaillierEncryptor.builder(peerKey).parameters(full).random(random).executor(executor).poolCapacity(PEER_POOL).build()) {
          peerEnc = peer;
          baseOts();
          sendAndReceiveRows();
          ownEnc.close();
          wOwn = zeros(pOwn);
          wPeer = zeros(pPeer);
          int step = 0;
          long planned = (long) batches.length * lr.maxEpochs();
          for (int e = 0; e < lr.maxEpochs(); e++) {
            double eta = eta(lr, e);
            for (int b : batchOrder(lr.seed(), batches.length, e)) {
              step(b, eta, step++);
              listener.onStep(step, planned);
            }
            listener.onEpoch(e, lr.maxEpochs());
          }
          return reveal(step);
        }
      }
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
      ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + 4 + 4 + 4 + 8 * 3 + 8 + 1 + 1 + 4 + 4 + key.length());
      b.putInt(VERSION).put((byte) role.wireCode).putInt(n).putInt(pOwn).putInt(lr.batchSize()).putInt(lr.maxEpochs());
      b.putDouble(lr.learningRate()).putDouble(lr.learningRateDecay()).putDouble(lr.l2()).putLong(lr.seed());
      b.put((byte) (lr.intercept() ? 1 : 0)).put((byte) params.sigmoid().wireCode);
      b.putInt(keys.publicKey().modulusBits()).putInt(key.length()).put(key.toByteArray());
      tx.send(SecretSharedRound.HELLO.key(0), Bytes.wrap(b.array()));
      ByteBuffer r = ByteBuffer.wrap(tx.receive(SecretSharedRound.HELLO.key(0), timeout).toByteArray());
      try {
        Abort.unless(r.getInt() == VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
        byte peerRole = r.get();
        Abort.unlessWellFormed(peerRole == Role.BANK.wireCode || peerRole == Role.PARTNER.wireCode, "HELLO: unknown role");
        Abort.unless(peerRole != role.wireCode, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "both parties have the same role");
        Abort.unless(r.getInt() == n, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the parties have different numbers of rows");
        pPeer = r.getInt();
        Abort.unlessWellFormed(pPeer >= 1 && pPeer <= 100_000, "HELLO: column count out of range");
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
      int kappa = SharesOt.KAPPA;
      otSender = new SharesOt.Sender(random);
      otReceiver = new SharesOt.Receiver(random);
      List<Supplier<Ciphertext>> jobs = new ArrayList<>();
      for (int j = 0; j < kappa; j++) {
        long bit = otSender.choice(j);
        jobs.add(() -> ownEnc.encrypt(bit));
      }
      tx.send(SecretSharedRound.BASE_OT.key(0), keys.publicKey().encodeAll(parallel(jobs)));
      List<Ciphertext> bits = peerKey.decodeAll(tx.receive(SecretSharedRound.BASE_OT.key(0), timeout), kappa);
      List<Supplier<Ciphertext>> replies = new ArrayList<>();
      for (int j = 0; j < kappa; j++) {
        BigInteger k0 = otReceiver.seed(j, 0);
        BigInteger diff = otReceiver.seed(j, 1).subtract(k0);
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
        otSender.seed(j, seeds.get(j));
      }
    }

    // ---- setup: encrypted features ----

    private void sendAndReceiveRows() throws JointlyException {
      int per = layout.columnsPerPlaintext();
      int width = layout.backwardSlotBits();
      int ownGroups = layout.rowGroups(pOwn);
      int peerGroups = layout.rowGroups(pPeer);
      peerRows = new Ciphertext[n][];
      for (int from = 0, seq = 0; from < n; from += ROW_CHUNK, seq++) {
        int count = Math.min(ROW_CHUNK, n - from);
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
        List<Ciphertext> got = peerKey.decodeAll(tx.receive(SecretSharedRound.ROWS.key(seq), timeout), count * peerGroups);
        for (int i = 0; i < count; i++) {
          peerRows[from + i] = got.subList(i * peerGroups, (i + 1) * peerGroups).toArray(Ciphertext[]::new);
        }
        listener.onSetup(from + count, n);
      }
    }

    // ---- one step ----

    private void step(int bi, double eta, int step) throws JointlyException {
      int[] rows = batches[bi];
      long[] z = forward(rows, step);
      BigInteger[] d = role == Role.BANK ? residualsAsSender(rows, z, eta, step) : residualsAsReceiver(rows, z, step);
      backward(rows, d, eta, step);
    }

    /**
     * FORWARD: this party's shares of the batch's scores modulo the period ({@link
     * SharesLayout#scoreResidueBits} bits at scale F_Z).
     */
    private long[] forward(int[] rows, int step) throws JointlyException {
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
      long[][] tRows = new long[mR][2];
      tx.send(SecretSharedRound.FORWARD_CHOICES.key(step), matrix(otReceiver.extend(batchId, choices, mR, tRows)));
      // As sender for this party's block: correlate with its feature columns.
      int mS = pOwn * ring;
      long[][] q = otSender.extend(batchId, otMatrix(tx.receive(SecretSharedRound.FORWARD_CHOICES.key(step), timeout), (mS + 63) >>> 6), mS);
      long[] delta = new long[mS * b];
      for (int j = 0; j < pOwn; j++) {
        for (int t = 0; t < ring; t++) {
          int base = (j * ring + t) * b;
          for (int i = 0; i < b; i++) {
            delta[base + i] = x[rows[i]][j] << t;
          }
        }
      }
      long[] keep = new long[mS * b];
      tx.send(SecretSharedRound.FORWARD_PADS.key(step), longs(SharesOt.correlateVectors(otSender, batchId, q, delta, mS, b, keep)));
      long[] tau = longs(tx.receive(SecretSharedRound.FORWARD_PADS.key(step), timeout), mR * b, "FORWARD_PADS");
      long[] got = SharesOt.receiveVectors(batchId, tRows, choices, tau, mR, b);
      long[] z = new long[b];
      long residueMask = (1L << layout.scoreResidueBits()) - 1;
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
        z[i] = (acc >>> SharesLayout.T_FORWARD) & residueMask;
      }
      return z;
    }

    private static Bytes matrix(long[][] u) {
      ByteBuffer msg = ByteBuffer.allocate(u.length * u[0].length * 8);
      for (long[] col : u) {
        for (long w : col) {
          msg.putLong(w);
        }
      }
      return Bytes.wrap(msg.array());
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
    private BigInteger[] residualsAsSender(int[] rows, long[] z, double eta, int step) throws JointlyException {
      int b = rows.length;
      int terms = 2 * sigmoid.terms();
      int otsPerRow = layout.otsPerRow();
      int m = b * otsPerRow;
      int words = (m + 63) >>> 6;
      long[][] u = otMatrix(tx.receive(SecretSharedRound.SIGMOID_CHOICES.key(step), timeout), words);
      long[][] q = otSender.extend(2L * step + 1, u, m);
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
      long[] tau = otSender.correlate(2L * step + 1, q, delta, layout.padBits(), keep);
      tx.send(SecretSharedRound.SIGMOID_PADS.key(step), pairs(tau));
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
      long[][] tRows = new long[m][2];
      long[][] u = otReceiver.extend(2L * step + 1, choices, m, tRows);
      tx.send(SecretSharedRound.SIGMOID_CHOICES.key(step), matrix(u));
      long[] tau = pairs(tx.receive(SecretSharedRound.SIGMOID_PADS.key(step), timeout), m, layout.padBits() + 2, "SIGMOID_PADS");
      long[] got = SharesOt.Receiver.receive(2L * step + 1, tRows, choices, tau, layout.padBits());
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

    private static long[][] otMatrix(Bytes payload, int words) throws ProtocolAbortException {
      Abort.unlessWellFormed(payload.length() == (long) SharesOt.KAPPA * words * 8, "an OT matrix has the wrong length");
      ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
      long[][] u = new long[SharesOt.KAPPA][words];
      for (int j = 0; j < SharesOt.KAPPA; j++) {
        for (int w = 0; w < words; w++) {
          u[j][w] = b.getLong();
        }
      }
      return u;
    }

    /** BACKWARD: fresh shares of both blocks' updated weights. */
    private void backward(int[] rows, BigInteger[] d, double eta, int step) throws JointlyException {
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
      tx.send(SecretSharedRound.BACKWARD.key(step), peerKey.encodeAll(parallel(jobs)));
      // As key holder of this party's block.
      int ownGroups = layout.rowGroups(pOwn);
      List<BigInteger> opened = open(keys.publicKey().decodeAll(tx.receive(SecretSharedRound.BACKWARD.key(step), timeout), ownGroups));
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

    private SecretSharedResult reveal(int steps) throws JointlyException {
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
      if (bank && lr.intercept()) {
        intercept = OptionalDouble.of(own[pOwn - 1]);
        weights = Arrays.copyOf(own, pOwn - 1);
      }
      return new SecretSharedResult(
          weights, intercept, partnerWeights, lr.maxEpochs(), steps, counting.stats(), Duration.ofNanos(System.nanoTime() - start));
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
