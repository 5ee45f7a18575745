package io.jointly.lr;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.aggregated.AggregatedScoresBank;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.LrWire;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.metrics.BinaryMetrics;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.ModelComparison;
import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.secretshared.SecretSharedResult;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionModel;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.PartyModel;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingHistory;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executor;

/**
 * The bank (active party) of vertical federated logistic regression: it holds the labels and some
 * features; partners hold other features for the same customers.
 *
 * <h2>The session (both modes)</h2>
 *
 * After ECDH PSI in {@code both} mode with each partner:
 *
 * <ol>
 *   <li>{@code ALIGN}: the bank takes its rows shared with every partner, puts them in a fresh
 *       random order, splits them (stratified by label, from the public seed; no validation rows
 *       in the secret-shared mode), and sends each partner, for each aligned row, the position at
 *       which that partner sent the matching PSI item ({@link PsiAlignment}) and the row's split.
 *       The partner checks every position names one of its shared rows. Each party fits its own
 *       feature transform on its training rows.
 *   <li>{@code HELLO}, {@code KEYS}: mode and shapes both ways. The partner adds a key for pairwise
 *       score masks (the bank relays every partner's in {@code KEYS}) and, for aggregated-scores
 *       training, a fresh Paillier public key of its own; the bank the schedule, the fixed-point
 *       precision, the secret-shared mode's sigmoid series (with {@link
 *       VerticalLrParameters.SigmoidChoice#AUTO} picked before the handshake from the training
 *       scores of its bank-only model, trained locally with the same schedule) and, for
 *       information value, a Paillier key of its own.
 *   <li>{@code LABELS}, {@code IV_SUMS}: information value of the partners' columns, if the bank
 *       asks for it ({@code InformationValueExchange}).
 *   <li>Training, in the mode both selected: {@link TrainingMode#AGGREGATED_SCORES} runs the rounds
 *       of {@link io.jointly.lr.aggregated} (encrypted features once, then per step the partners'
 *       summed scores in and their encrypted gradients out, by gradient descent or L-BFGS); {@link
 *       TrainingMode#SECRET_SHARED} runs {@link SecretSharedLr} on the training rows in the aligned
 *       order, inside each partner's transcript: weights, scores, sigmoid values, residuals and
 *       gradients stay additive shares, and each party learns only its own final weights. No
 *       objective is opened per epoch there unless every party agreed to open the loss ({@link
 *       VerticalLrParameters#epochLoss}), so the history lists no steps, or one per epoch with it.
 *   <li>{@code SCORES}: the partners' summed, masked partial scores of the holdout customers with
 *       their final weights; the bank evaluates the joint model and a bank-only model. {@code
 *       CONFIRM}: both transcripts agree.
 * </ol>
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * From the session: the bank learns which of its customers every partner shares, each partner's
 * number of encoded features and column names, the partners' summed partial scores of the holdout
 * customers (with one partner, that partner's scores, for those customers only, as when scoring
 * them) and, with information value on, per partner column and bin of at least the minimum size,
 * the number of its training responders in the bin; a partner learns which of its rows are aligned
 * and their split (which reveals the rounded class sizes) and the schedule — no label, residual or
 * bank feature. Training adds what its mode reveals: see {@link io.jointly.lr.aggregated} (the
 * partners' summed partial scores per step: the leakage that names that mode) and {@link
 * SecretSharedLr} (nothing but each party's own final weights, and the per-epoch loss if agreed).
 * Each party keeps its own weights.
 *
 * <h2>Several partners</h2>
 *
 * The bank runs PSI with each partner and trains on the customers shared with all of them. Each
 * partner sends its partial scores under zero-sum pairwise masks ({@link
 * io.jointly.secagg.PairwiseMasks}: the partners agree on pairwise seeds through X25519 keys the
 * bank relays in {@code KEYS}), so the bank learns only their sum; every other round runs between
 * the bank and each partner alone, and costs grow linearly in the number of partners (the
 * secret-shared engine runs one session per partner, see {@link SecretSharedLr}). A partner learns
 * that some of its shared customers are left out if they are not shared with every partner.
 *
 * <p>Thread-safety: an instance is immutable; {@link #train} blocks its calling thread and uses the
 * executor for Paillier randomness.
 */
public final class VerticalLrBank {

  /** A partner's PSI result (both mode, on the same channel) and the channel. */
  public record PartnerLink(PsiResult psi, MessageChannel channel) {
    public PartnerLink {
      Objects.requireNonNull(psi);
      Objects.requireNonNull(channel);
    }
  }

  /** The bank's view of one partner during a run. */
  private static final class Peer {
    final PartnerLink link;
    final CountingChannel counting;
    final TranscriptChannel tx;
    final Map<Integer, Integer> positionOfRow;
    int features;
    Bytes maskKey;
    /** Aggregated-scores training: the partner's Paillier key and gradient packing (null otherwise). */
    AggregatedScoresBank.Partner training;

    Peer(PartnerLink link) {
      this.link = link;
      this.counting = new CountingChannel(link.channel());
      this.tx = new TranscriptChannel(counting);
      this.positionOfRow = positions(link.psi());
    }
  }

  private final VerticalLrParameters params;
  private final Executor executor;
  private final SecureRandom random;
  private final TrainingListener listener;

  public VerticalLrBank(VerticalLrParameters params, Executor executor) {
    this(params, executor, new SecureRandom(), TrainingListener.NONE);
  }

  /** With a given randomness source: tests pass a seeded one to reproduce the aligned order. */
  VerticalLrBank(VerticalLrParameters params, Executor executor, SecureRandom random) {
    this(params, executor, random, TrainingListener.NONE);
  }

  private VerticalLrBank(VerticalLrParameters params, Executor executor, SecureRandom random, TrainingListener listener) {
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    this.random = Objects.requireNonNull(random);
    this.listener = Objects.requireNonNull(listener);
  }

  /** The same bank reporting training progress to {@code listener}. */
  public VerticalLrBank withListener(TrainingListener listener) {
    return new VerticalLrBank(params, executor, random, listener);
  }

  /**
   * Trains with the partners.
   *
   * @param features the bank's feature columns, one row per input row (the PSI input's rows)
   * @param labels 0 or 1 per input row
   * @param partners the partners, each with its PSI result in {@code both} mode
   * @throws InputException if the bank's own data is unusable
   * @throws ProtocolAbortException if a partner disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if a channel fails or times out
   */
  public BankTrainingResult train(RawTable features, int[] labels, List<PartnerLink> partners) throws JointlyException {
    long start = System.nanoTime();
    if (labels.length != features.rowCount()) {
      throw new IllegalArgumentException("one label per feature row is needed");
    }
    for (int y : labels) {
      if (y != 0 && y != 1) {
        throw new InputException(InputException.Kind.INVALID_INPUT, -1, "labels must be 0 or 1");
      }
    }
    boolean secretShared = params.mode() == TrainingMode.SECRET_SHARED;
    List<Peer> peers = peers(partners);
    Duration timeout = params.receiveTimeout();

    // ALIGN: rows shared with every partner, in a fresh random order, and their split.
    int[] aligned = alignedRows(peers);
    int m = aligned.length;
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      y[i] = labels[aligned[i]];
    }
    LogisticRegressionParameters lr = params.lr();
    // (secret-shared training opens nothing per epoch to check validation rows against, at most
    // the training loss, so it makes no validation split)
    Split split = Split.stratified(y, secretShared ? 0 : params.validationFraction(), params.holdoutFraction(), lr.seed());
    sendAlignment(peers, aligned, tags(m, split));
    if (split.train().isEmpty()) {
      throw new InputException(InputException.Kind.INVALID_INPUT, -1, "no shared customers to train on");
    }

    // Each party encodes its own columns, fitted on its training rows only.
    RawTable mine = features.rows(aligned);
    FeatureTransform transform = FeatureTransform.fit(mine.rows(split.train().toArray()), params.transform());
    FeatureMatrix xb = transform.apply(mine);

    // The bank-only model: the evaluation's reference, and in the secret-shared mode the basis of
    // the automatic sigmoid choice (trained before the handshake, which carries the choice).
    LogisticRegressionModel bankOnly = null;
    SecretSharedLrParameters.Sigmoid sigmoid = params.sigmoid().fixed().orElse(SecretSharedLrParameters.Sigmoid.STANDARD);
    if (secretShared && params.sigmoid() == VerticalLrParameters.SigmoidChoice.AUTO) {
      bankOnly = LogisticRegression.fit(xb, y, split, lr);
      double largest = 0;
      for (double z : bankOnly.scores(List.of(xb.rows(split.train().toArray())))) {
        largest = Math.max(largest, Math.abs(z));
      }
      sigmoid = VerticalLrParameters.SigmoidChoice.forBankOnlyScores(largest);
    }

    // HELLO. The bank's own key is needed only to encrypt labels for information value.
    PaillierKeyPair keys = params.ivMinBinSize() > 0 ? PaillierKeyPair.generate(params.paillier(), random) : null;
    Bytes hello =
        new LrHello.Bank(
                LrWire.VERSION,
                params.mode().wireCode,
                lr.batchSize(),
                lr.maxEpochs(),
                lr.learningRate(),
                lr.learningRateDecay(),
                lr.l2(),
                lr.l1(),
                lr.seed(),
                lr.earlyStopping().enabled(),
                params.scoreBits(),
                params.residualBits(),
                params.featureBits(),
                keys == null ? 0 : keys.publicKey().modulusBits(),
                keys != null,
                lr.optimizer() == Optimizer.LBFGS ? LrHello.LBFGS : LrHello.GD,
                lr.lbfgsMemory(),
                lr.tolerance(),
                lr.intercept(),
                sigmoid.wireCode(),
                keys == null ? Bytes.wrap(new byte[0]) : keys.publicKey().toBytes())
            .encode();
    FixedPoint scoreCodec = params.scoreCodec();
    int[] train = split.train().toArray();
    List<FeatureInformationValue> informationValue = new ArrayList<>();
    Fit fit;
    try {
      // A gradient sums over a batch, or over every training row with L-BFGS; the secret-shared
      // engine brings its own keys (0: no partner key in HELLO).
      handshake(peers, hello, secretShared ? 0 : lr.optimizer() == Optimizer.LBFGS ? split.train().size() : lr.batchSize());
      double[] rowWeights = lr.classWeights().rowWeights(y, train);
      if (keys != null) {
        informationValue = informationValue(peers, keys, y, train, timeout);
      }
      fit = secretShared ? secretShared(peers, xb, y, train, sigmoid) : aggregatedScores(peers, xb, y, rowWeights, split);
    } finally {
      for (Peer peer : peers) {
        if (peer.training != null) {
          peer.training.close();
        }
      }
    }
    double[] finalW = fit.w();
    double finalB = fit.b();

    // Holdout: the partners' summed scores with their final weights; joint vs bank-only.
    int[] holdout = split.holdout().toArray();
    Optional<ModelComparison> evaluation = Optional.empty();
    if (holdout.length > 0) {
      // (the partners send holdout scores whenever there are holdout rows; metrics need ≥ 10 rows
      // of both classes, otherwise the evaluation is left out)
      double[] uHold = MaskedScores.receiveScoreSum(channels(peers), fit.scoreSeq(), holdout.length, scoreCodec, timeout);
      double[] zHold = LogisticMath.sumScores(new double[][] {xb.times(finalW, holdout), uHold}, finalB);
      double[] pJoint = new double[holdout.length];
      for (int i = 0; i < holdout.length; i++) {
        pJoint[i] = LogisticMath.sigmoid(zHold[i]);
      }
      int[] yHold = Rows.pick(y, holdout);
      int positives = Arrays.stream(yHold).sum();
      if (holdout.length >= 10 && positives > 0 && positives < holdout.length) {
        if (bankOnly == null) {
          bankOnly = LogisticRegression.fit(xb, y, split, lr);
        }
        double[] pBank = bankOnly.probabilities(List.of(xb.rows(holdout)));
        evaluation = Optional.of(new ModelComparison(BinaryMetrics.of(pJoint, yHold), BinaryMetrics.of(pBank, yHold)));
      }
    }
    for (Peer peer : peers) {
      peer.tx.confirm(LrRound.CONFIRM.key(0), timeout);
    }
    return new BankTrainingResult(
        PartyModel.bank(transform, finalW, finalB),
        fit.history(),
        fit.epochs(),
        secretShared ? Optional.of(sigmoid) : Optional.empty(),
        evaluation,
        aligned,
        train.length,
        split.validation().size(),
        holdout.length,
        peers.stream().map(p -> p.features).toList(),
        informationValue,
        traffic(peers),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** The bank's final block, the history, the epochs run and the next SCORES sequence number. */
  private record Fit(double[] w, double b, TrainingHistory history, int epochs, int scoreSeq) {}

  /**
   * Information value of every partner's columns ({@link InformationValueExchange}): the training
   * labels encrypted once under the bank's key, the exchange with each partner in turn.
   */
  private List<FeatureInformationValue> informationValue(List<Peer> peers, PaillierKeyPair keys, int[] y, int[] train, Duration timeout)
      throws JointlyException {
    List<FeatureInformationValue> informationValue = new ArrayList<>();
    PaillierDecryptor dec = new PaillierDecryptor(keys.secretKey());
    try (PaillierEncryptor enc =
        PaillierEncryptor.builder(keys.publicKey())
            .parameters(params.paillier())
            .random(random)
            .executor(executor)
            .secretKey(keys.secretKey())
            .build()) {
      long[] trainLabels = new long[train.length];
      for (int i = 0; i < train.length; i++) {
        trainLabels[i] = y[train[i]];
      }
      Bytes encryptedLabels = keys.publicKey().encodeAll(enc.encryptAll(trainLabels));
      for (Peer peer : peers) {
        String prefix = peers.size() > 1 ? peer.link.channel().peer() + ":" : "";
        for (FeatureInformationValue f :
            InformationValueExchange.bank(
                peer.tx, encryptedLabels, enc, dec, train.length, keys.publicKey().modulusBits(), params.ivMinBinSize(), timeout)) {
          informationValue.add(new FeatureInformationValue(prefix + f.feature(), f.value()));
        }
      }
    }
    return informationValue;
  }

  /**
   * Secret-shared training with the partners on the training rows, in the aligned order every
   * party holds ({@link SecretSharedLr}); the engine's rounds run inside each partner's transcript.
   */
  private Fit secretShared(List<Peer> peers, FeatureMatrix xb, int[] y, int[] train, SecretSharedLrParameters.Sigmoid sigmoid)
      throws JointlyException {
    SecretSharedResult r =
        SecretSharedLr.bank(params.secretShared(sigmoid), xb.rows(train), Rows.pick(y, train), channels(peers), executor, listener);
    // With the per-epoch loss opened, one step per epoch carries it; otherwise nothing is recorded.
    List<TrainingHistory.Step> steps = new ArrayList<>();
    for (int e = 0; e < r.epochLosses().size(); e++) {
      steps.add(new TrainingHistory.Step(e, r.epochLosses().get(e), OptionalDouble.empty()));
    }
    TrainingHistory history = new TrainingHistory(steps, TrainingHistory.StopReason.MAX_EPOCHS, steps.size() - 1);
    return new Fit(r.weights(), r.intercept().orElse(0), history, r.epochs(), 0);
  }

  /** Aggregated-scores training ({@link AggregatedScoresBank}): encrypted features in, then GD or L-BFGS. */
  private Fit aggregatedScores(List<Peer> peers, FeatureMatrix xb, int[] y, double[] rowWeights, Split split) throws JointlyException {
    AggregatedScoresBank.Result r =
        new AggregatedScoresBank(params.lr(), params.scoreBits(), params.residualBits(), params.receiveTimeout(), executor, listener)
            .train(peers.stream().map(p -> p.training).toList(), xb, y, rowWeights, split);
    return new Fit(r.weights(), r.intercept(), r.history(), r.epochs(), r.nextScoreSequence());
  }

  /**
   * Federated scoring: each partner contributes its (pairwise-masked) partial scores for every
   * customer shared with all partners; the bank gets the probabilities. The partners learn which of
   * their rows were scored, nothing about the scores; the bank learns the partners' summed partial
   * scores (as in training).
   *
   * @param model the bank's model from training
   * @param features the bank's feature columns, one row per input row
   * @param partners the partners with their PSI results in {@code both} mode
   */
  public ScoringResult score(PartyModel model, RawTable features, List<PartnerLink> partners) throws JointlyException {
    long start = System.nanoTime();
    if (model.role() != PartyModel.Role.BANK) {
      throw new IllegalArgumentException("the bank scores with a bank model");
    }
    List<Peer> peers = peers(partners);
    Duration timeout = params.receiveTimeout();
    int[] aligned = alignedRows(peers);
    byte[] tags = new byte[aligned.length];
    Arrays.fill(tags, LrWire.SCORE);
    sendAlignment(peers, aligned, tags);
    handshake(
        peers,
        new LrHello.Partner(LrWire.VERSION, params.mode().wireCode, model.weights().length, Bytes.wrap(new byte[32]), 0, Bytes.wrap(new byte[0]))
            .encode(),
        0);
    FeatureMatrix xb = model.transform().apply(features.rows(aligned));
    double[] u = MaskedScores.receiveScoreSum(channels(peers), 0, aligned.length, params.scoreCodec(), timeout);
    double[] z = LogisticMath.sumScores(new double[][] {xb.times(model.weights()), u}, model.intercept().orElse(0));
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = LogisticMath.sigmoid(z[i]);
    }
    for (Peer peer : peers) {
      peer.tx.confirm(LrRound.CONFIRM.key(0), timeout);
    }
    return new ScoringResult(aligned, p, traffic(peers), Duration.ofNanos(System.nanoTime() - start));
  }

  private static List<Peer> peers(List<PartnerLink> partners) {
    if (partners.isEmpty()) {
      throw new IllegalArgumentException("at least one partner is needed");
    }
    List<Peer> peers = new ArrayList<>();
    for (PartnerLink l : partners) {
      peers.add(new Peer(l));
    }
    return peers;
  }

  private static List<MessageChannel> channels(List<Peer> peers) {
    return peers.stream().map(p -> (MessageChannel) p.tx).toList();
  }

  /** The bank's rows shared with every partner, in a fresh uniformly random order. */
  private int[] alignedRows(List<Peer> peers) {
    int[] aligned =
        peers.get(0).positionOfRow.keySet().stream()
            .filter(r -> peers.stream().allMatch(p -> p.positionOfRow.containsKey(r)))
            .mapToInt(Integer::intValue)
            .sorted()
            .toArray();
    shuffle(aligned);
    return aligned;
  }

  private static void sendAlignment(List<Peer> peers, int[] aligned, byte[] tags) throws JointlyException {
    for (Peer peer : peers) {
      int[] positions = new int[aligned.length];
      for (int i = 0; i < aligned.length; i++) {
        positions[i] = peer.positionOfRow.get(aligned[i]);
      }
      peer.tx.send(LrRound.ALIGN.key(0), LrWire.align(positions, tags));
    }
  }

  /**
   * HELLO both ways with every partner (version, mode; the partner's feature count and mask key,
   * and for aggregated-scores training its Paillier key), then KEYS: each partner's index, all
   * partners' mask keys and a fresh context, so the partners can mask their scores pairwise.
   *
   * @param gradientBatch 0 unless aggregated-scores training follows: the most rows its gradient
   *     sums over
   */
  private void handshake(List<Peer> peers, Bytes hello, int gradientBatch) throws JointlyException {
    boolean training = gradientBatch > 0;
    Duration timeout = params.receiveTimeout();
    for (Peer peer : peers) {
      peer.tx.send(LrRound.HELLO.key(0), hello);
    }
    for (Peer peer : peers) {
      LrHello.Partner h = LrHello.Partner.decode(peer.tx.receive(LrRound.HELLO.key(0), timeout));
      Abort.unless(h.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
      Abort.unless(
          h.mode() == params.mode().wireCode,
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "a partner selected another training mode; both must select " + params.mode());
      peer.features = h.features();
      peer.maskKey = h.maskKey();
      if (training) {
        peer.training = AggregatedScoresBank.Partner.of(peer.tx, h.features(), h.modulusBits(), h.publicKey(), gradientBatch, random, executor);
      }
    }
    byte[] context = new byte[32];
    random.nextBytes(context);
    List<Bytes> maskKeys = peers.stream().map(p -> p.maskKey).toList();
    for (int k = 0; k < peers.size(); k++) {
      peers.get(k).tx.send(LrRound.KEYS.key(0), LrWire.keys(k, maskKeys, Bytes.wrap(context)));
    }
  }

  private static ChannelStats traffic(List<Peer> peers) {
    ChannelStats total = peers.get(0).counting.stats();
    for (int k = 1; k < peers.size(); k++) {
      total = total.plus(peers.get(k).counting.stats());
    }
    return total;
  }

  /** Bank input row → the partner's send position, for the rows shared with that partner. */
  static Map<Integer, Integer> positions(PsiResult psi) {
    PsiAlignment a = psi.alignment();
    if (psi.sharedRows().isEmpty()) {
      throw new IllegalArgumentException("vertical LR needs PSI in both mode (each side must know its shared rows)");
    }
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < a.sharedCount(); i++) {
      m.put(a.sharedRow(i), a.peerPosition(i));
    }
    return m;
  }

  private void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  static byte[] tags(int m, Split split) {
    byte[] t = new byte[m];
    Arrays.fill(t, LrWire.TRAIN);
    for (int r : split.validation().toArray()) {
      t[r] = LrWire.VALIDATION;
    }
    for (int r : split.holdout().toArray()) {
      t[r] = LrWire.HOLDOUT;
    }
    return t;
  }
}
