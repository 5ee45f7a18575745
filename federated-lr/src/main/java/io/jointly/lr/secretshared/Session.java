package io.jointly.lr.secretshared;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.TrainingListener;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One party's session of {@link SecretSharedLr} with one peer: its state — keys, the peer's
 * encrypted rows, the two OT extension instances, its weight shares, the loss share — and its
 * lifecycle. The rounds are the classes named after them ({@link SecretSharedHello}, {@link
 * BaseOts}, {@link EncryptedRows}, {@link Forward}, {@link Residuals}, {@link Backward}, {@link
 * EpochLoss}, {@link Reveal}, {@link PartnerRelay}); a partner's whole run is {@link #run}, the
 * bank's sessions are driven by {@link SecretSharedLr}.
 *
 * <p>Holds secrets (Paillier secret key, OT seeds, shares): confined to the party's protocol
 * thread; {@link #close} destroys what it can.
 */
final class Session implements AutoCloseable {
  // Fixed at construction.
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

  // This party's data and the run's shape (prepare, HELLO).
  long[][] x;
  int n;
  int pOwn;
  int pPeer;
  double[] rowWeights;
  SharesSigmoid sigmoid;
  SharesLayout layout;
  int[][] batches;

  // Keys: this party's Paillier pair (prepare), the peer's public key (HELLO) and the encryptor
  // of results sent back to the peer (openPeer).
  PaillierKeyPair keys;
  PaillierEncryptor ownEnc;
  PaillierDecryptor dec;
  PaillierPublicKey peerKey;
  PaillierEncryptor peerEnc;

  // The peer's encrypted rows (ROWS), the weight shares (BACKWARD), the OT instances (BASE_OT).
  /** The peer's row groups: [row][group]. */
  Ciphertext[][] peerRows;
  /** This party's shares of its own block's and of the peer's block's weights. */
  BigInteger[] wOwn;
  BigInteger[] wPeer;
  /** This party as extension sender (bank: instance A, partner: B) and receiver (the other). */
  IknpSender otSender;
  IknpReceiver otReceiver;

  // Several partners.
  /** Partner: its index among the bank's partners (0 leads); bank: the index of this session's partner. */
  int index;
  /** The number of partners (1: the two-party protocol). */
  int count;
  /** A partner among several: pairwise masks shared with the other partners. */
  PairwiseMasks masks;

  // The per-epoch loss.
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

  Session(
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
      SecretSharedHello.exchange(this);
      openPeer();
      if (count > 1) {
        PartnerRelay.agreeMasks(this);
      }
      BaseOts.run(this);
      for (int from = 0, seq = 0; from < n; from += SecretSharedLr.ROW_CHUNK, seq++) {
        EncryptedRows.chunk(this, from, seq);
        listener.onSetup(Math.min(n, from + SecretSharedLr.ROW_CHUNK), n);
      }
      startTraining();
      int step = 0;
      long planned = (long) batches.length * lr.maxEpochs();
      for (int e = 0; e < lr.maxEpochs(); e++) {
        double eta = SecretSharedLr.eta(lr, e);
        for (int b : SecretSharedLr.batchOrder(lr.seed(), batches.length, e)) {
          int[] rows = batches[b];
          Backward.update(this, rows, PartnerRelay.partnerResiduals(this, rows, Forward.scores(this, rows, step), step), eta, step);
          step++;
          listener.onStep(step, planned);
        }
        if (loss != null && index == 0) {
          // Only partner 0 runs the sigmoid with the bank, and so holds loss shares.
          EpochLoss.send(this, e);
        }
        listener.onEpoch(e, lr.maxEpochs());
      }
      return Reveal.run(this, step);
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
    x = EncryptedRows.scalars(features, intercept);
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
    peerEnc = PaillierEncryptor.builder(peerKey).parameters(full).random(random).executor(executor).poolCapacity(SecretSharedLr.PEER_POOL).build();
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

  List<BigInteger> open(List<Ciphertext> cs) {
    List<Supplier<BigInteger>> jobs = new ArrayList<>(cs.size());
    for (Ciphertext c : cs) {
      jobs.add(() -> dec.decryptSigned(c));
    }
    return parallel(jobs);
  }

  <T> List<T> parallel(List<Supplier<T>> jobs) {
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
}
