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
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiResult;

import java.math.BigInteger;
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
 * <h2>Protocol ({@link TrainingMode#AGGREGATED_SCORES})</h2>
 *
 * After ECDH PSI in {@code both} mode with each partner:
 *
 * <ol>
 *   <li>{@code ALIGN}: the bank takes its rows shared with every partner, puts them in a fresh
 *       random order, splits them (stratified by label, from the public seed), and sends each
 *       partner, for each aligned row, the position at which that partner sent the matching PSI
 *       item ({@link PsiAlignment}) and the row's split. The partner checks every position names
 *       one of its shared rows. Each party fits its own feature transform on its training rows.
 *   <li>{@code HELLO}: mode and shapes both ways; the partner adds a fresh Paillier public key of
 *       its own (and a key for pairwise score masks, {@code KEYS}), the bank the schedule (and, for
 *       information value, a Paillier key of its own).
 *   <li>{@code FEATURES}, once: the partner encrypts each training row's integer feature scalars
 *       under its own key, packed many to a plaintext ({@link GradientPacking}).
 *   <li>Per mini-batch B of the public {@link BatchPlan}: {@code SCORES} — the partner sends {@code
 *       u = X_k[B]·w_k} in fixed point; the bank computes {@code z = X_b[B]·w_b + u + b} and the
 *       residuals {@code d = s·(σ(z) − y)/|B|}; {@code GRADIENT} — for each packed group it
 *       computes {@code Π_{i∈B} [[P_i]]^(d_i) = [[X_k[B]ᵀ·d]]} by multi-exponentiation, re-randomises
 *       it with full randomness and sends it; the partner decrypts, reads the gradient entries and
 *       takes a proximal gradient step. The bank steps its own weights in the clear.
 *   <li>After each epoch the partner sends its scores for the training and validation rows; the
 *       bank records the objective and validation loss and sends {@code CONTROL} ("best so far",
 *       "stop", for early stopping). At the end the partner sends its scores for the holdout rows;
 *       the bank evaluates the joint model and a bank-only model. Both confirm the transcript.
 * </ol>
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * The bank: which of its customers every partner shares, each partner's number of encoded features,
 * and, per training step and evaluation, the sum over partners of their partial scores {@code
 * X_k·w_k} of the rows concerned — with one partner, that partner's scores (the leakage that names
 * this mode); with information value on, per partner column and bin of at least the minimum size,
 * the number of its training responders in the bin. Its features reach the partner never; the
 * partner's features reach it only under the partner's key. The partner: which of its rows are
 * aligned and their split (the split reveals the rounded class sizes), the schedule, and per step
 * its own gradient {@code X_k[B]ᵀ·d} — a sum over the batch, as in every gradient-descent
 * protocol — but no label, residual or bank feature. Each party keeps its own weights.
 *
 * <p>L-BFGS adds: the bank learns per iteration the partners' summed Gram matrix (inner products
 * among their gradient, step and gradient-change blocks; at most {@code (2m+1)²} scalars) and per
 * trial their summed squared weight norms; a partner learns the direction coefficients (at most
 * {@code 2m+1} scalars from the joint Gram matrix) and the line-search verdicts, and its gradient
 * is over all training rows.
 *
 * <h2>Secret-shared mode ({@link TrainingMode#SECRET_SHARED})</h2>
 *
 * ALIGN (without validation rows) and HELLO as above (the partner sends no Paillier key: the
 * engine exchanges its own; the bank's HELLO carries the sigmoid series, which with {@link
 * VerticalLrParameters.SigmoidChoice#AUTO} the bank picks before the handshake from the training
 * scores of its bank-only model, trained locally with the same schedule); then, instead of the rounds above, {@link SecretSharedLr} on the
 * training rows in the aligned order: weights, scores, sigmoid values, residuals and gradients
 * stay additive shares, and each party learns only its own final weights. No objective is opened
 * per epoch unless every party agreed to open the loss ({@link VerticalLrParameters#epochLoss}),
 * so the history lists no steps, or one per epoch with it. The holdout evaluation then works as in the
 * aggregated-scores mode: the partners send their (summed, masked) partial scores of the holdout
 * customers (the bank learns them for those customers only, as it would when scoring them).
 * Several partners: the engine runs one session per partner, costs linear in their number (see
 * {@link SecretSharedLr}); information value, if asked for, is the separate exchange described
 * above.
 *
 * <h2>Several partners</h2>
 *
 * The bank runs PSI with each partner and trains on the customers shared with all of them. Each
 * partner sends its partial scores under zero-sum pairwise masks ({@link
 * io.jointly.secagg.PairwiseMasks}: the partners agree on pairwise seeds through X25519 keys the
 * bank relays in {@code KEYS}), so the bank learns only their sum; every other round runs between
 * the bank and each partner alone, and costs grow linearly in the number of partners. A partner
 * learns that some of its shared customers are left out if they are not shared with every
 * partner.
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
    PaillierPublicKey paillier;
    PaillierEncryptor enc;
    int per;
    int groups;
    /** Per training row (position in the training order), the packed encrypted feature groups. */
    Ciphertext[][] encryptedFeatures;

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

    // The bank's own key is needed only to encrypt labels for information value.
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
                sigmoid.wireCode,
                keys == null ? Bytes.wrap(new byte[0]) : keys.publicKey().toBytes())
            .encode();
    // A gradient sums over a batch, or over every training row with L-BFGS; the secret-shared
    // engine brings its own keys (0: no partner key in HELLO).
    handshake(peers, hello, secretShared ? 0 : lr.optimizer() == Optimizer.LBFGS ? split.train().size() : lr.batchSize());

    FixedPoint scoreCodec = params.scoreCodec();
    double[] rowWeights = lr.classWeights().rowWeights(y, split.train().toArray());
    int[] train = split.train().toArray();
    int[] validation = split.validation().toArray();
    List<FeatureInformationValue> informationValue = new ArrayList<>();
    if (keys != null) {
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
              informationValue(peer.tx, encryptedLabels, enc, dec, train.length, keys.publicKey().modulusBits(), timeout)) {
            informationValue.add(new FeatureInformationValue(prefix + f.feature(), f.value()));
          }
        }
      }
    }
    int[] trainPosition = new int[m];
    for (int t = 0; t < train.length; t++) {
      trainPosition[train[t]] = t;
    }
    Fit fit;
    try {
      Data data = new Data(peers, xb, y, rowWeights, train, validation, trainPosition);
      if (secretShared) {
        fit = secretShared(data, sigmoid);
      } else {
        for (Peer peer : peers) {
          receiveFeatures(peer, train.length, timeout, listener);
        }
        fit = lr.optimizer() == Optimizer.LBFGS ? lbfgs(data) : gradientDescent(data, split);
      }
    } finally {
      for (Peer peer : peers) {
        if (peer.enc != null) {
          peer.enc.close();
        }
      }
    }
    double[] finalW = fit.w();
    double finalB = fit.b();
    int scoreSeq = fit.scoreSeq();

    // Holdout: the partners' summed scores with their final weights; joint vs bank-only.
    int[] holdout = split.holdout().toArray();
    Optional<ModelComparison> evaluation = Optional.empty();
    if (holdout.length > 0) {
      // (the partners send holdout scores whenever there are holdout rows; metrics need ≥ 10 rows
      // of both classes, otherwise the evaluation is left out)
      double[] uHold = receiveScoreSum(peers, scoreSeq, holdout.length, scoreCodec, timeout);
      double[] zHold = LogisticMath.sumScores(new double[][] {xb.times(finalW, holdout), uHold}, finalB);
      double[] pJoint = new double[holdout.length];
      for (int i = 0; i < holdout.length; i++) {
        pJoint[i] = LogisticMath.sigmoid(zHold[i]);
      }
      int[] yHold = pick(y, holdout);
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
        validation.length,
        holdout.length,
        peers.stream().map(p -> p.features).toList(),
        informationValue,
        traffic(peers),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** What the shared rows give the optimisers. */
  private record Data(
      List<Peer> peers, FeatureMatrix xb, int[] y, double[] rowWeights, int[] train, int[] validation, int[] trainPosition) {}

  /** The bank's final block, the history, the epochs run and the next masked-vector sequence number. */
  private record Fit(double[] w, double b, TrainingHistory history, int epochs, int scoreSeq) {
    Fit(double[] w, double b, TrainingHistory history, int scoreSeq) {
      this(w, b, history, history.steps().size(), scoreSeq);
    }
  }

  /**
   * Secret-shared training with the partners on the training rows, in the aligned order every
   * party holds; the engine's rounds run inside each partner's transcript.
   */
  private Fit secretShared(Data data, SecretSharedLrParameters.Sigmoid sigmoid) throws JointlyException {
    int[] train = data.train();
    List<MessageChannel> channels = new ArrayList<>();
    for (Peer peer : data.peers()) {
      channels.add(peer.tx);
    }
    SecretSharedResult r =
        SecretSharedLr.bank(params.secretShared(sigmoid), data.xb().rows(train), pick(data.y(), train), channels, executor, listener);
    // With the per-epoch loss opened, one step per epoch carries it; otherwise nothing is recorded.
    List<TrainingHistory.Step> steps = new ArrayList<>();
    for (int e = 0; e < r.epochLosses().size(); e++) {
      steps.add(new TrainingHistory.Step(e, r.epochLosses().get(e), OptionalDouble.empty()));
    }
    TrainingHistory history = new TrainingHistory(steps, TrainingHistory.StopReason.MAX_EPOCHS, steps.size() - 1);
    return new Fit(r.weights(), r.intercept().orElse(0), history, r.epochs(), 0);
  }

  /** Mini-batch proximal gradient descent: one round trip per batch of the public plan. */
  private Fit gradientDescent(Data data, Split split) throws JointlyException {
    LogisticRegressionParameters lr = params.lr();
    Duration timeout = params.receiveTimeout();
    FixedPoint scoreCodec = params.scoreCodec();
    List<Peer> peers = data.peers();
    FeatureMatrix xb = data.xb();
    int[] y = data.y();
    double[] rowWeights = data.rowWeights();
    int[] train = data.train();
    int[] validation = data.validation();
    double[] wb = new double[xb.columnCount()];
    double b = 0;
    double[] bestW = wb.clone();
    double bestB = 0;
    EarlyStopper stopper = new EarlyStopper(lr.earlyStopping());
    List<TrainingHistory.Step> steps = new ArrayList<>();
    TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
    BatchPlan plan = BatchPlan.of(lr.seed(), split.train(), lr.batchSize());
    int step = 0;
    int scoreSeq = 0;
    for (int e = 0; e < lr.maxEpochs(); e++) {
      double eta = lr.learningRate() / (1 + lr.learningRateDecay() * e);
      for (int[] batch : plan.epoch(e)) {
        double[] u = receiveScoreSum(peers, scoreSeq++, batch.length, scoreCodec, timeout);
        double[] z = LogisticMath.sumScores(new double[][] {xb.times(wb, batch), u}, b);
        int[] yb = new int[batch.length];
        double[] sb = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
          yb[i] = y[batch[i]];
          sb[i] = rowWeights[batch[i]];
        }
        double[] d = LogisticMath.residuals(z, yb, sb);
        long[] encoded = encodeResiduals(d);
        // Each partner's gradient [[X_k[B]ᵀ·d]] under its own key, packed, re-randomised.
        for (Peer peer : peers) {
          peer.tx.send(LrRound.GRADIENT.key(step), peer.paillier.encodeAll(encryptedGradient(peer, batch, data.trainPosition(), encoded)));
        }
        double[] g = xb.transposeTimes(batch, d);
        LogisticMath.addL2(g, wb, lr.l2());
        double gb = 0;
        for (double di : d) {
          gb += di;
        }
        LogisticMath.proximalStep(wb, g, eta, lr.l1());
        if (lr.intercept()) {
          b -= eta * gb;
        }
        step++;
        listener.onStep(step, (long) plan.batchesPerEpoch() * lr.maxEpochs());
      }
      // Epoch end: objective on the training rows, loss on the validation rows.
      double[] uTrain = receiveScoreSum(peers, scoreSeq++, train.length, scoreCodec, timeout);
      double[] zTrain = LogisticMath.sumScores(new double[][] {xb.times(wb, train), uTrain}, b);
      double objective =
          LogisticMath.dataLoss(zTrain, pick(y, train), pick(rowWeights, train)) + LogisticMath.penalty(wb, lr.l2(), lr.l1());
      OptionalDouble val = OptionalDouble.empty();
      if (validation.length > 0) {
        double[] uVal = receiveScoreSum(peers, scoreSeq++, validation.length, scoreCodec, timeout);
        val = OptionalDouble.of(logLoss(xb, wb, b, uVal, validation, y));
      }
      steps.add(new TrainingHistory.Step(e, objective, val));
      if (!Double.isFinite(objective)) {
        throw new ArithmeticException("training diverged: lower the learning rate");
      }
      boolean best = false;
      boolean stop = false;
      if (lr.earlyStopping().enabled()) {
        best = stopper.observe(val.getAsDouble());
        if (best) {
          bestW = wb.clone();
          bestB = b;
        }
        stop = stopper.shouldStop();
      }
      for (Peer peer : peers) {
        peer.tx.send(LrRound.CONTROL.key(e), LrWire.flags(best, stop));
      }
      listener.onEpoch(e, lr.maxEpochs());
      if (stop) {
        reason = TrainingHistory.StopReason.EARLY_STOPPED;
        break;
      }
    }
    boolean useBest = lr.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;
    return new Fit(useBest ? bestW : wb, useBest ? bestB : b, new TrainingHistory(steps, reason, bestStep), scoreSeq);
  }

  /**
   * Full-batch L-BFGS over the parties' blocks ({@link BlockLbfgs}), L2 only. Per iteration: each
   * partner sends the masked Gram matrix of its blocks of the gradient and correction pairs
   * ({@code GRAM}); the bank adds its own, runs the two-loop recursion on coefficients and sends
   * them ({@code DIRECTION}); per backtracking trial each partner sends its masked scores on the
   * training rows and its squared weight norm at the trial point ({@code SCORES}) and the bank
   * answers with the Armijo verdict ({@code LINE_SEARCH}); at the accepted point every partner gets
   * its encrypted gradient over all training rows ({@code GRADIENT}), sends its validation scores,
   * and the bank sends {@code CONTROL}.
   */
  private Fit lbfgs(Data data) throws JointlyException {
    LogisticRegressionParameters lr = params.lr();
    Duration timeout = params.receiveTimeout();
    List<Peer> peers = data.peers();
    FeatureMatrix xb = data.xb();
    int[] train = data.train();
    int[] validation = data.validation();
    int[] yTrain = pick(data.y(), train);
    double[] sTrain = pick(data.rowWeights(), train);
    int p = xb.columnCount();
    EarlyStopper stopper = new EarlyStopper(lr.earlyStopping());
    List<TrainingHistory.Step> steps = new ArrayList<>();
    TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
    BlockLbfgs.History history = new BlockLbfgs.History(lr.lbfgsMemory());
    // The bank's block: its weights, then the intercept.
    double[] x = new double[p + (lr.intercept() ? 1 : 0)];
    double[] best = x.clone();
    int seq = 0;
    int trial = 0;
    int gradients = 0;
    Evaluation at = evaluate(data, x, seq++, yTrain, sTrain);
    double f = at.objective();
    double[] g = gradient(data, x, at.residuals(), gradients++);
    for (int it = 0; it < lr.maxEpochs(); it++) {
      List<double[]> vectors = history.vectors(g);
      int v = vectors.size();
      double[] tri = BlockLbfgs.gram(vectors);
      long[] sum = receiveSum(peers, LrRound.GRAM.key(seq), tri.length, "GRAM");
      for (int a = 0; a < tri.length; a++) {
        tri[a] += LrWire.GRAM_CODEC.decode(sum[a]);
      }
      seq++;
      BlockLbfgs.Direction dir = BlockLbfgs.direction(tri, history.stored(), history.hasPending(), lr.lbfgsMemory());
      boolean converged = dir.gradientNorm() <= lr.tolerance();
      int flags = (dir.storePending() ? LrWire.STORE : 0) | (dir.reset() ? LrWire.RESET : 0) | (converged ? LrWire.CONVERGED : 0);
      for (Peer peer : peers) {
        peer.tx.send(LrRound.DIRECTION.key(it), LrWire.direction(flags, dir.coefficients()));
      }
      double[] d = BlockLbfgs.combine(dir.coefficients(), vectors);
      history.apply(dir.storePending(), dir.reset());
      if (converged) {
        reason = TrainingHistory.StopReason.CONVERGED;
        break;
      }
      double step = 1;
      double[] xNew = null;
      Evaluation trialAt = null;
      boolean accepted = false;
      for (int bt = 0; bt < LogisticRegression.MAX_BACKTRACKS && !accepted; bt++, step *= 0.5) {
        xNew = new double[x.length];
        for (int j = 0; j < x.length; j++) {
          xNew[j] = x[j] + step * d[j];
        }
        trialAt = evaluate(data, xNew, seq++, yTrain, sTrain);
        accepted = Double.isFinite(trialAt.objective()) && trialAt.objective() <= f + LogisticRegression.ARMIJO * step * dir.slope();
        for (Peer peer : peers) {
          peer.tx.send(LrRound.LINE_SEARCH.key(trial), Bytes.wrap(new byte[] {(byte) (accepted ? 1 : 0)}));
        }
        trial++;
      }
      if (!accepted) {
        reason = TrainingHistory.StopReason.NO_PROGRESS;
        break;
      }
      double[] gNew = gradient(data, xNew, trialAt.residuals(), gradients++);
      double[] s = new double[x.length];
      double[] yv = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        s[j] = xNew[j] - x[j];
        yv[j] = gNew[j] - g[j];
      }
      history.pending(s, yv);
      double fOld = f;
      x = xNew;
      g = gNew;
      f = trialAt.objective();
      OptionalDouble val = OptionalDouble.empty();
      double[] w = Arrays.copyOf(x, p);
      double b = lr.intercept() ? x[p] : 0;
      if (validation.length > 0) {
        double[] uVal = decodeScores(receiveSum(peers, LrRound.SCORES.key(seq++), validation.length, "SCORES"));
        val = OptionalDouble.of(logLoss(xb, w, b, uVal, validation, data.y()));
      }
      steps.add(new TrainingHistory.Step(it, f, val));
      boolean isBest = false;
      boolean stop = false;
      if (lr.earlyStopping().enabled()) {
        isBest = stopper.observe(val.getAsDouble());
        if (isBest) {
          best = x.clone();
        }
        if (stopper.shouldStop()) {
          stop = true;
          reason = TrainingHistory.StopReason.EARLY_STOPPED;
        }
      }
      if (!stop && fOld - f <= lr.tolerance() * Math.max(1, Math.abs(f))) {
        stop = true;
        reason = TrainingHistory.StopReason.CONVERGED;
      }
      for (Peer peer : peers) {
        peer.tx.send(LrRound.CONTROL.key(it), LrWire.flags(isBest, stop));
      }
      listener.onStep(it + 1, lr.maxEpochs());
      listener.onEpoch(it, lr.maxEpochs());
      if (stop) {
        break;
      }
    }
    boolean useBest = lr.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    double[] fin = useBest ? best : x;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;
    return new Fit(Arrays.copyOf(fin, p), lr.intercept() ? fin[p] : 0, new TrainingHistory(steps, reason, bestStep), seq);
  }

  /** The objective at a point of the bank's block (with the partners' parts) and the residuals. */
  private record Evaluation(double objective, double[] residuals) {}

  /**
   * Receives the partners' masked training scores and squared weight norms at the current point
   * and evaluates the full objective {@code (1/n)·Σ s_i·ℓ + (λ₂/2)·‖w‖²} over all blocks.
   */
  private Evaluation evaluate(Data data, double[] x, int seq, int[] yTrain, double[] sTrain) throws JointlyException {
    LogisticRegressionParameters lr = params.lr();
    int p = data.xb().columnCount();
    int n = data.train().length;
    long[] sum = receiveSum(data.peers(), LrRound.SCORES.key(seq), n + 1, "SCORES");
    double partnerNorms = LrWire.GRAM_CODEC.decode(sum[n]);
    double[] u = decodeScores(Arrays.copyOf(sum, n));
    double[] w = Arrays.copyOf(x, p);
    double[] z = LogisticMath.sumScores(new double[][] {data.xb().times(w, data.train()), u}, lr.intercept() ? x[p] : 0);
    double objective = LogisticMath.dataLoss(z, yTrain, sTrain) + LogisticMath.penalty(w, lr.l2(), 0) + 0.5 * lr.l2() * partnerNorms;
    return new Evaluation(objective, LogisticMath.residuals(z, yTrain, sTrain));
  }

  /**
   * Sends every partner its encrypted gradient over all training rows and returns the bank's own
   * block of the gradient: {@code X_bᵀ·d + λ₂·w_b}, then {@code Σ d} for the intercept.
   */
  private double[] gradient(Data data, double[] x, double[] d, int sequence) throws JointlyException {
    long[] encoded = encodeResiduals(d);
    for (Peer peer : data.peers()) {
      peer.tx.send(LrRound.GRADIENT.key(sequence), peer.paillier.encodeAll(encryptedGradient(peer, data.train(), data.trainPosition(), encoded)));
    }
    int p = data.xb().columnCount();
    double[] g = Arrays.copyOf(data.xb().transposeTimes(data.train(), d), x.length);
    for (int j = 0; j < p; j++) {
      g[j] += params.lr().l2() * x[j];
    }
    if (x.length > p) {
      double gb = 0;
      for (double di : d) {
        gb += di;
      }
      g[p] = gb;
    }
    return g;
  }

  private double[] decodeScores(long[] sum) {
    FixedPoint codec = params.scoreCodec();
    double[] out = new double[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = codec.decode(sum[i]);
    }
    return out;
  }

  private long[] encodeResiduals(double[] d) {
    long[] encoded = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      encoded[i] = GradientPacking.residualScalar(d[i], params.residualBits());
    }
    return encoded;
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
    double[] u = receiveScoreSum(peers, 0, aligned.length, params.scoreCodec(), timeout);
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
   * HELLO both ways with every partner (version, mode; the partner's feature count and mask key),
   * then KEYS: each partner's index, all partners' mask keys and a fresh context, so the partners
   * can mask their scores pairwise.
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
        PaillierParameters keyParams;
        try {
          keyParams = new PaillierParameters(h.modulusBits(), PaillierParameters.Randomness.FULL);
        } catch (IllegalArgumentException e) {
          throw new ProtocolAbortException(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "a partner's Paillier key size is not acceptable");
        }
        peer.paillier = PaillierPublicKey.fromBytes(h.publicKey(), keyParams);
        // Re-randomising a result that goes back to the key holder needs full randomness.
        peer.enc = PaillierEncryptor.builder(peer.paillier).parameters(keyParams).random(random).executor(executor).build();
        peer.per = GradientPacking.slotsPerPlaintext(keyParams.modulusBits(), gradientBatch);
        peer.groups = GradientPacking.plaintexts(peer.features, keyParams.modulusBits(), gradientBatch);
      }
    }
    byte[] context = new byte[32];
    random.nextBytes(context);
    List<Bytes> maskKeys = peers.stream().map(p -> p.maskKey).toList();
    for (int k = 0; k < peers.size(); k++) {
      peers.get(k).tx.send(LrRound.KEYS.key(0), LrWire.keys(k, maskKeys, Bytes.wrap(context)));
    }
  }

  /** FEATURES from one partner: its training rows' packed encrypted feature groups, validated. */
  private static void receiveFeatures(Peer peer, int trainRows, Duration timeout, TrainingListener listener) throws JointlyException {
    peer.encryptedFeatures = new Ciphertext[trainRows][];
    int batch = VerticalLrPartner.FEATURE_BATCH;
    for (int from = 0, seq = 0; from < trainRows; from += batch, seq++) {
      int n = Math.min(batch, trainRows - from);
      List<Ciphertext> cts = peer.paillier.decodeAll(peer.tx.receive(LrRound.FEATURES.key(seq), timeout), n * peer.groups);
      for (int i = 0; i < n; i++) {
        peer.encryptedFeatures[from + i] = cts.subList(i * peer.groups, (i + 1) * peer.groups).toArray(Ciphertext[]::new);
      }
      listener.onSetup(from + n, trainRows);
    }
  }

  /**
   * {@code Π_i [[P_i]]^(d_i)} per feature group over the batch rows — the packed {@code
   * [[X_k[B]ᵀ·d]]} — by multi-exponentiation, each group re-randomised.
   */
  private List<Ciphertext> encryptedGradient(Peer peer, int[] batch, int[] trainPosition, long[] d) {
    List<Ciphertext> out = new ArrayList<>(peer.groups);
    for (int g = 0; g < peer.groups; g++) {
      List<Ciphertext> column = new ArrayList<>(batch.length);
      for (int row : batch) {
        column.add(peer.encryptedFeatures[trainPosition[row]][g]);
      }
      out.add(peer.enc.rerandomize(peer.enc.multiExp(column, d, executor, 2)));
    }
    return out;
  }

  /** The sum over partners of their masked fixed-point scores (modulo 2^64), decoded. */
  private double[] receiveScoreSum(List<Peer> peers, int sequence, int n, FixedPoint codec, Duration timeout)
      throws JointlyException {
    long[] sum = receiveSum(peers, LrRound.SCORES.key(sequence), n, "SCORES");
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = codec.decode(sum[i]);
    }
    return out;
  }

  /** The sum over partners, modulo 2^64, of a masked vector of {@code n} words: their masks cancel. */
  private long[] receiveSum(List<Peer> peers, io.jointly.channel.RoundKey key, int n, String round) throws JointlyException {
    long[] sum = new long[n];
    for (Peer peer : peers) {
      long[] v = LrWire.longs(peer.tx.receive(key, params.receiveTimeout()), n, round);
      for (int i = 0; i < n; i++) {
        sum[i] += v[i];
      }
    }
    return sum;
  }

  private static ChannelStats traffic(List<Peer> peers) {
    ChannelStats total = peers.get(0).counting.stats();
    for (int k = 1; k < peers.size(); k++) {
      total = total.plus(peers.get(k).counting.stats());
    }
    return total;
  }

  private List<FeatureInformationValue> informationValue(
      TranscriptChannel tx, Bytes encryptedLabels, PaillierEncryptor enc, PaillierDecryptor dec, int trainRows, int modulusBits, Duration timeout)
      throws JointlyException {
    tx.send(LrRound.LABELS.key(0), encryptedLabels);
    LrWire.IvMessage msg = LrWire.ivSums(tx.receive(LrRound.IV_SUMS.key(0), timeout), trainRows);
    int released = 0;
    for (LrWire.IvFeature f : msg.features()) {
      for (boolean sup : f.suppressed()) {
        released += sup ? 0 : 1;
      }
    }
    int width = ivSlotWidth(trainRows);
    int per = (modulusBits - 1) / width;
    int packedCount = (released + per - 1) / per;
    List<Ciphertext> cts = enc.publicKey().decodeAll(msg.ciphertexts(), packedCount);
    BigInteger[] opened = new BigInteger[packedCount];
    for (int j = 0; j < packedCount; j++) {
      opened[j] = dec.decrypt(cts.get(j));
    }
    BigInteger[] positives = GradientPacking.unpackGroups(opened, released, width, per);
    List<FeatureInformationValue> out = new ArrayList<>();
    int k = 0;
    for (LrWire.IvFeature f : msg.features()) {
      List<InformationValue.BinCount> counts = new ArrayList<>();
      for (int b = 0; b < f.rows().length; b++) {
        if (f.suppressed()[b]) {
          counts.add(new InformationValue.BinCount(b, 0, 0, true));
          continue;
        }
        long pos = positives[k++].longValueExact();
        Abort.unlessWellFormed(pos <= f.rows()[b], "IV_SUMS: more positives than rows in a bin");
        counts.add(new InformationValue.BinCount(b, pos, f.rows()[b] - pos, false));
      }
      out.add(new FeatureInformationValue(f.name(), InformationValue.of(counts, InformationValue.DEFAULT_SMOOTHING, params.ivMinBinSize())));
    }
    return out;
  }

  /** Bits per packed bin count: enough for the number of training rows. */
  static int ivSlotWidth(int trainRows) {
    return 64 - Long.numberOfLeadingZeros(Math.max(1, trainRows)) + 1;
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

  private static double logLoss(FeatureMatrix xb, double[] w, double b, double[] u, int[] rows, int[] y) {
    double[] z = LogisticMath.sumScores(new double[][] {xb.times(w, rows), u}, b);
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = LogisticMath.sigmoid(z[i]);
    }
    return LogisticMath.logLoss(pick(y, rows), p);
  }

  static int[] pick(int[] a, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = a[rows[i]];
    }
    return out;
  }

  static double[] pick(double[] a, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = a[rows[i]];
    }
    return out;
  }
}
