package io.jointly.lr;

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
import io.jointly.psi.RowIndexes;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A partner (passive party) of vertical federated logistic regression: it holds features for
 * customers the bank also has, never labels. See {@link VerticalLrBank} for the protocol and what
 * each party learns.
 *
 * <p>Checks that protect the partner: every aligned row the bank names must be one of the rows PSI
 * showed as shared (so the bank cannot obtain scores of customers outside the intersection); the
 * mode must be the one this partner selected; every ciphertext is validated; opened values must be
 * consistent with its masks.
 *
 * <p>Thread-safety: an instance is immutable; {@link #train} blocks its calling thread and runs the
 * per-feature multi-exponentiations on the executor.
 */
public final class VerticalLrPartner {
  private final VerticalLrParameters params;
  private final Executor executor;
  private final SecureRandom random = new SecureRandom();
  private final TrainingListener listener;

  public VerticalLrPartner(VerticalLrParameters params, Executor executor) {
    this(params, executor, TrainingListener.NONE);
  }

  private VerticalLrPartner(VerticalLrParameters params, Executor executor, TrainingListener listener) {
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    this.listener = Objects.requireNonNull(listener);
  }

  /** The same partner reporting training progress to {@code listener}. */
  public VerticalLrPartner withListener(TrainingListener listener) {
    return new VerticalLrPartner(params, executor, listener);
  }

  /** The aligned rows and their split, as the bank sent them and this party checked them. */
  record Aligned(int[] rows, Split split) {}

  /** Receives and checks ALIGN against this party's PSI result. */
  static Aligned receiveAlignment(MessageChannel tx, PsiResult psi, Duration timeout, boolean scoring)
      throws JointlyException {
    if (psi.sharedRows().isEmpty()) {
      throw new IllegalArgumentException("vertical LR needs PSI in both mode (each side must know its shared rows)");
    }
    RowIndexes shared = psi.sharedRows().get();
    PsiAlignment a = psi.alignment();
    LrWire.Alignment msg = LrWire.align(tx.receive(LrRound.ALIGN.key(0), timeout), a.sentCount());
    int m = msg.positions().length;
    int[] rows = new int[m];
    Set<Integer> seen = new HashSet<>();
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      int pos = msg.positions()[i];
      Abort.unlessWellFormed(pos >= 0 && pos < a.sentCount() && seen.add(pos), "ALIGN names an invalid or repeated position");
      rows[i] = a.rowAtSentPosition(pos);
      Abort.unless(
          shared.contains(rows[i]),
          ProtocolAbortException.Reason.POLICY_REFUSED,
          "ALIGN names a customer that is not in the intersection");
      byte tag = msg.tags()[i];
      Abort.unlessWellFormed(scoring ? tag == LrWire.SCORE : tag != LrWire.SCORE, "ALIGN has a split tag of the wrong kind");
      (tag == LrWire.VALIDATION ? validation : tag == LrWire.HOLDOUT ? holdout : train).add(i);
    }
    return new Aligned(rows, new Split(indexes(train), indexes(validation), indexes(holdout)));
  }

  private static RowIndexes indexes(List<Integer> l) {
    return RowIndexes.of(l.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Trains with the bank.
   *
   * @param features this partner's feature columns, one row per input row (the PSI input's rows)
   * @param psi this partner's PSI result in {@code both} mode, on the same channel
   */
  public PartnerTrainingResult train(RawTable features, PsiResult psi, MessageChannel channel) throws JointlyException {
    long start = System.nanoTime();
    Duration timeout = params.receiveTimeout();
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Aligned al = receiveAlignment(tx, psi, timeout, false);
    Split split = al.split();
    RawTable mine = features.rows(al.rows());
    FeatureTransform transform =
        FeatureTransform.fit(mine.rows(split.train().isEmpty() ? new int[0] : split.train().toArray()), params.transform());
    FeatureMatrix xp = transform.apply(mine);
    int p = xp.columnCount();

    // This partner's own key: its features travel encrypted under it, the gradient comes back under
    // it. The secret-shared engine makes and exchanges its own keys.
    boolean secretShared = params.mode() == TrainingMode.SECRET_SHARED;
    PaillierKeyPair keys = secretShared ? null : PaillierKeyPair.generate(params.paillier(), random);
    PairwiseMasks masks = PairwiseMasks.generate(random);
    tx.send(
        LrRound.HELLO.key(0),
        new LrHello.Partner(
                LrWire.VERSION,
                params.mode().wireCode,
                p,
                masks.publicKey(),
                keys == null ? 0 : keys.publicKey().modulusBits(),
                keys == null ? Bytes.wrap(new byte[0]) : keys.publicKey().toBytes())
            .encode());
    LrHello.Bank hello = LrHello.Bank.decode(tx.receive(LrRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
    Abort.unless(
        hello.mode() == params.mode().wireCode,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "the bank selected another training mode; both must select " + params.mode());
    int partners = agree(masks, tx.receive(LrRound.KEYS.key(0), timeout));
    FixedPoint gradientCodec = new FixedPoint(hello.featureBits() + hello.residualBits());
    int[] train = split.train().toArray();
    int[] validation = split.validation().toArray();

    if (hello.informationValue()) {
      PaillierParameters bankParams = new PaillierParameters(hello.modulusBits(), PaillierParameters.Randomness.FULL);
      PaillierPublicKey bankKey;
      try {
        bankKey = PaillierPublicKey.fromBytes(hello.publicKey(), bankParams);
      } catch (IllegalArgumentException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the bank's Paillier key size is not acceptable");
      }
      try (PaillierEncryptor bankEnc =
          PaillierEncryptor.builder(bankKey).parameters(bankParams).random(random).executor(executor).build()) {
        sendInformationValue(tx, bankEnc, mine.rows(train), transform, train.length, bankKey.modulusBits(), timeout);
      }
    }

    Fit fit;
    if (secretShared) {
      Abort.unless(
          split.validation().isEmpty(), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "ALIGN has validation rows in the secret-shared mode");
      SecretSharedResult r = SecretSharedLr.partner(secretSharedParameters(hello), xp.rows(train), tx, executor, listener);
      fit = new Fit(r.weights(), 0, r.epochs());
    } else {
      fit = paillierTraining(tx, xp, masks, partners, keys, hello, gradientCodec, split, timeout);
    }
    double[] finalW = fit.w();
    int[] holdout = split.holdout().toArray();
    if (holdout.length > 0) {
      FixedPoint scoreCodec = new FixedPoint(hello.scoreBits());
      tx.send(LrRound.SCORES.key(fit.scoreSeq()), encodeScores(xp.times(finalW, holdout), scoreCodec, masks, fit.scoreSeq()));
    }
    tx.confirm(LrRound.CONFIRM.key(0), timeout);
    masks.destroy();
    return new PartnerTrainingResult(
        PartyModel.partner(transform, finalW),
        al.rows(),
        train.length,
        validation.length,
        holdout.length,
        fit.epochs(),
        counting.stats(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The secret-shared engine's parameters from the bank's schedule (the partner follows it, as in
   * the other modes) and this partner's own key size and timeout: the engine's handshake checks
   * both sides agree.
   */
  private SecretSharedLrParameters secretSharedParameters(LrHello.Bank hello) throws ProtocolAbortException {
    try {
      LogisticRegressionParameters lr =
          LogisticRegressionParameters.DEFAULT.toBuilder()
              .optimizer(Optimizer.MINI_BATCH_GD)
              .batchSize(hello.batchSize())
              .maxEpochs(hello.maxEpochs())
              .learningRate(hello.learningRate())
              .learningRateDecay(hello.learningRateDecay())
              .l2(hello.l2())
              .l1(hello.l1())
              .earlyStopping(hello.earlyStopping() ? EarlyStopping.of(1, 0) : EarlyStopping.DISABLED)
              .seed(hello.seed())
              .intercept(hello.intercept())
              .build();
      return params.withLr(lr).secretShared(sigmoid(hello.sigmoid()));
    } catch (IllegalArgumentException e) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the bank's schedule is not one the secret-shared mode supports");
    }
  }

  private static SecretSharedLrParameters.Sigmoid sigmoid(int code) throws ProtocolAbortException {
    for (SecretSharedLrParameters.Sigmoid s : SecretSharedLrParameters.Sigmoid.values()) {
      if (s.wireCode == code) {
        return s;
      }
    }
    throw new ProtocolAbortException(
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the bank asked for a sigmoid approximation this partner does not know");
  }

  /** Score aggregation: encrypted features out, then the optimiser's rounds. */
  private Fit paillierTraining(
      TranscriptChannel tx,
      FeatureMatrix xp,
      PairwiseMasks masks,
      int partners,
      PaillierKeyPair keys,
      LrHello.Bank hello,
      FixedPoint gradientCodec,
      Split split,
      Duration timeout)
      throws JointlyException {
    int p = xp.columnCount();
    int[] train = split.train().toArray();
    long[][] scalars = featureScalars(xp, hello.featureBits());
    int modulusBits = keys.publicKey().modulusBits();
    // A gradient sums over a batch, or over every training row with L-BFGS.
    int gradientBatch = hello.optimizer() == LrHello.LBFGS ? train.length : hello.batchSize();
    Packing packing =
        new Packing(
            GradientPacking.slotWidth(gradientBatch),
            GradientPacking.slotsPerPlaintext(modulusBits, gradientBatch),
            GradientPacking.plaintexts(p, modulusBits, gradientBatch));
    try (PaillierEncryptor enc =
        PaillierEncryptor.builder(keys.publicKey())
            .parameters(params.paillier())
            .random(random)
            .executor(executor)
            .secretKey(keys.secretKey())
            .build()) {
      sendFeatures(tx, enc, scalars, train, packing.per(), packing.groups(), packing.width());
    }
    Session session = new Session(tx, xp, masks, partners, keys, packing, hello, gradientCodec, split, timeout);
    return hello.optimizer() == LrHello.LBFGS ? lbfgs(session) : gradientDescent(session);
  }

  /** Packing of this partner's gradient: slot width, slots per plaintext, plaintexts. */
  private record Packing(int width, int per, int groups) {}

  /** What the optimisers share during a training run. */
  private record Session(
      TranscriptChannel tx,
      FeatureMatrix xp,
      PairwiseMasks masks,
      int partners,
      PaillierKeyPair keys,
      Packing packing,
      LrHello.Bank hello,
      FixedPoint gradientCodec,
      Split split,
      Duration timeout) {}

  /** This partner's final weights, the next masked-vector sequence number and the epochs run. */
  private record Fit(double[] w, int scoreSeq, int epochs) {}

  /** Mini-batch gradient descent, step for step with the bank's. */
  private Fit gradientDescent(Session s) throws JointlyException {
    TranscriptChannel tx = s.tx();
    LrHello.Bank hello = s.hello();
    FeatureMatrix xp = s.xp();
    PairwiseMasks masks = s.masks();
    Split split = s.split();
    Duration timeout = s.timeout();
    FixedPoint scoreCodec = new FixedPoint(hello.scoreBits());
    int[] train = split.train().toArray();
    int[] validation = split.validation().toArray();
    int p = xp.columnCount();
    PaillierDecryptor dec = new PaillierDecryptor(s.keys().secretKey());
    EarlyStopping rule = hello.earlyStopping() ? EarlyStopping.of(1, 0) : EarlyStopping.DISABLED;
    BatchPlan plan = BatchPlan.of(hello.seed(), split.train(), hello.batchSize());
    double[] w = new double[p];
    double[] bestW = w.clone();
    boolean anyBest = false;
    int step = 0;
    int scoreSeq = 0;
    int epochs = 0;
    for (int e = 0; e < hello.maxEpochs(); e++) {
      double eta = hello.learningRate() / (1 + hello.learningRateDecay() * e);
      for (int[] batch : plan.epoch(e)) {
        tx.send(LrRound.SCORES.key(scoreSeq), encodeScores(xp.times(w, batch), scoreCodec, masks, scoreSeq));
        scoreSeq++;
        double[] grad = receiveGradient(s, dec, step, batch.length);
        LogisticMath.addL2(grad, w, hello.l2());
        LogisticMath.proximalStep(w, grad, eta, hello.l1());
        step++;
        listener.onStep(step, (long) plan.batchesPerEpoch() * hello.maxEpochs());
      }
      tx.send(LrRound.SCORES.key(scoreSeq), encodeScores(xp.times(w, train), scoreCodec, masks, scoreSeq));
      scoreSeq++;
      if (validation.length > 0) {
        tx.send(LrRound.SCORES.key(scoreSeq), encodeScores(xp.times(w, validation), scoreCodec, masks, scoreSeq));
        scoreSeq++;
      }
      epochs++;
      listener.onEpoch(e, hello.maxEpochs());
      byte[] flags = tx.receive(LrRound.CONTROL.key(e), timeout).toByteArray();
      Abort.unlessWellFormed(flags.length == 1 && (flags[0] & ~3) == 0, "CONTROL is malformed");
      if ((flags[0] & 1) != 0) {
        Abort.unlessWellFormed(rule.enabled(), "CONTROL marks a best epoch without early stopping");
        bestW = w.clone();
        anyBest = true;
      }
      if ((flags[0] & 2) != 0) {
        Abort.unlessWellFormed(rule.enabled(), "CONTROL stops without early stopping");
        break;
      }
    }
    return new Fit(anyBest ? bestW : w, scoreSeq, epochs);
  }

  /**
   * Full-batch L-BFGS, step for step with the bank's ({@link VerticalLrBank}): per iteration the
   * masked Gram matrix of this partner's blocks out, the direction coefficients in, masked trial
   * scores and squared weight norm out per line-search trial, the gradient in at the accepted
   * point.
   */
  private Fit lbfgs(Session s) throws JointlyException {
    TranscriptChannel tx = s.tx();
    LrHello.Bank hello = s.hello();
    FeatureMatrix xp = s.xp();
    PairwiseMasks masks = s.masks();
    Duration timeout = s.timeout();
    FixedPoint scoreCodec = new FixedPoint(hello.scoreBits());
    int[] train = s.split().train().toArray();
    int[] validation = s.split().validation().toArray();
    int partners = s.partners();
    PaillierDecryptor dec = new PaillierDecryptor(s.keys().secretKey());
    BlockLbfgs.History history = new BlockLbfgs.History(hello.lbfgsMemory());
    double[] w = new double[xp.columnCount()];
    double[] bestW = w.clone();
    boolean anyBest = false;
    int seq = 0;
    int trial = 0;
    int gradients = 0;
    int epochs = 0;
    tx.send(LrRound.SCORES.key(seq), trialScores(xp, w, train, scoreCodec, masks, seq, partners));
    seq++;
    double[] g = withL2(receiveGradient(s, dec, gradients++, train.length), w, hello.l2());
    for (int it = 0; it < hello.maxEpochs(); it++) {
      List<double[]> vectors = history.vectors(g);
      long[] gram = encodeScalars(BlockLbfgs.gram(vectors), partners);
      masks.mask(gram, seq);
      tx.send(LrRound.GRAM.key(seq), LrWire.longs(gram));
      seq++;
      LrWire.Direction dir = LrWire.direction(tx.receive(LrRound.DIRECTION.key(it), timeout), vectors.size());
      double[] d = BlockLbfgs.combine(dir.coefficients(), vectors);
      history.apply((dir.flags() & LrWire.STORE) != 0, (dir.flags() & LrWire.RESET) != 0);
      if ((dir.flags() & LrWire.CONVERGED) != 0) {
        break;
      }
      double step = 1;
      double[] wNew = null;
      boolean accepted = false;
      for (int bt = 0; bt < LogisticRegression.MAX_BACKTRACKS && !accepted; bt++, step *= 0.5) {
        wNew = new double[w.length];
        for (int j = 0; j < w.length; j++) {
          wNew[j] = w[j] + step * d[j];
        }
        tx.send(LrRound.SCORES.key(seq), trialScores(xp, wNew, train, scoreCodec, masks, seq, partners));
        seq++;
        byte[] verdict = tx.receive(LrRound.LINE_SEARCH.key(trial++), timeout).toByteArray();
        Abort.unlessWellFormed(verdict.length == 1 && (verdict[0] & ~1) == 0, "LINE_SEARCH is malformed");
        accepted = verdict[0] == 1;
      }
      if (!accepted) {
        break;
      }
      double[] gNew = withL2(receiveGradient(s, dec, gradients++, train.length), wNew, hello.l2());
      double[] sv = new double[w.length];
      double[] yv = new double[w.length];
      for (int j = 0; j < w.length; j++) {
        sv[j] = wNew[j] - w[j];
        yv[j] = gNew[j] - g[j];
      }
      history.pending(sv, yv);
      w = wNew;
      g = gNew;
      if (validation.length > 0) {
        tx.send(LrRound.SCORES.key(seq), encodeScores(xp.times(w, validation), scoreCodec, masks, seq));
        seq++;
      }
      epochs++;
      listener.onStep(it + 1, hello.maxEpochs());
      listener.onEpoch(it, hello.maxEpochs());
      byte[] flags = tx.receive(LrRound.CONTROL.key(it), timeout).toByteArray();
      Abort.unlessWellFormed(flags.length == 1 && (flags[0] & ~3) == 0, "CONTROL is malformed");
      if ((flags[0] & 1) != 0) {
        Abort.unlessWellFormed(hello.earlyStopping(), "CONTROL marks a best iteration without early stopping");
        bestW = w.clone();
        anyBest = true;
      }
      if ((flags[0] & 2) != 0) {
        break;
      }
    }
    return new Fit(anyBest ? bestW : w, seq, epochs);
  }

  /** {@code g + λ₂·w}, in place. */
  private static double[] withL2(double[] g, double[] w, double l2) {
    LogisticMath.addL2(g, w, l2);
    return g;
  }

  /**
   * SCORES of an L-BFGS trial: the training rows' fixed-point scores at {@code w}, then {@code
   * ‖w‖²}, masked as one vector.
   */
  private static io.jointly.core.Bytes trialScores(
      FeatureMatrix xp, double[] w, int[] train, FixedPoint codec, PairwiseMasks masks, int round, int partners)
      throws InputException {
    double[] u = xp.times(w, train);
    long[] v = new long[u.length + 1];
    for (int i = 0; i < u.length; i++) {
      v[i] = codec.encode(u[i]);
    }
    v[u.length] = encodeScalars(new double[] {BlockLbfgs.dot(w, w)}, partners)[0];
    masks.mask(v, round);
    return LrWire.longs(v);
  }

  /**
   * L-BFGS scalars in {@link LrWire#GRAM_CODEC}, each bounded so that the sum over {@code
   * partners} fits the codec.
   */
  private static long[] encodeScalars(double[] values, int partners) throws InputException {
    double bound = LrWire.GRAM_CODEC.maxAbs() / Math.max(1, partners);
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!(Math.abs(values[i]) < bound)) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            -1,
            "an L-BFGS inner product exceeds the fixed-point range: standardise the features or train with gradient descent");
      }
      out[i] = LrWire.GRAM_CODEC.encode(values[i]);
    }
    return out;
  }

  /** GRADIENT: this partner's packed encrypted gradient over a batch of {@code rows}, decrypted and checked. */
  private static double[] receiveGradient(Session s, PaillierDecryptor dec, int step, int rows) throws JointlyException {
    Packing packing = s.packing();
    int p = s.xp().columnCount();
    List<Ciphertext> packed = s.keys().publicKey().decodeAll(s.tx().receive(LrRound.GRADIENT.key(step), s.timeout()), packing.groups());
    double[] grad = new double[p];
    BigInteger limit = BigInteger.ONE.shiftLeft(GradientPacking.gradientBits(rows));
    for (int g = 0; g < packing.groups(); g++) {
      int from = g * packing.per();
      int count = Math.min(packing.per(), p - from);
      BigInteger[] digits;
      try {
        digits = GradientPacking.unpack(dec.decryptSigned(packed.get(g)), count, packing.width());
      } catch (ArithmeticException ex) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "GRADIENT is out of range");
      }
      for (int j = 0; j < count; j++) {
        Abort.unlessWellFormed(digits[j].abs().compareTo(limit) < 0, "GRADIENT is out of range");
        grad[from + j] = s.gradientCodec().decode(digits[j]);
      }
    }
    return grad;
  }

  /** Rows of packed feature scalars per FEATURES message. */
  static final int FEATURE_BATCH = 512;

  /**
   * FEATURES: every training row's feature scalars, packed {@code per} to a plaintext and
   * encrypted under this partner's key (in the order of {@code train}), in messages of {@link
   * #FEATURE_BATCH} rows. Encryption runs on the executor.
   */
  private void sendFeatures(
      TranscriptChannel tx, PaillierEncryptor enc, long[][] scalars, int[] train, int per, int groups, int width)
      throws JointlyException {
    int p = scalars.length == 0 ? 0 : scalars[0].length;
    for (int from = 0, seq = 0; from < train.length; from += FEATURE_BATCH, seq++) {
      int n = Math.min(FEATURE_BATCH, train.length - from);
      List<CompletableFuture<Ciphertext>> parts = new ArrayList<>(n * groups);
      for (int i = 0; i < n; i++) {
        long[] row = scalars[train[from + i]];
        for (int g = 0; g < groups; g++) {
          int first = g * per;
          int count = Math.min(per, p - first);
          BigInteger packed = GradientPacking.pack(row, first, count, width);
          parts.add(CompletableFuture.supplyAsync(() -> enc.encrypt(packed.mod(enc.publicKey().n())), executor));
        }
      }
      List<Ciphertext> cts = new ArrayList<>(parts.size());
      for (CompletableFuture<Ciphertext> f : parts) {
        cts.add(f.join());
      }
      tx.send(LrRound.FEATURES.key(seq), enc.publicKey().encodeAll(cts));
      listener.onSetup(from + n, train.length);
    }
  }

  /**
   * Federated scoring: sends this partner's partial scores for the customers the bank names (each
   * checked to be in the intersection); learns nothing about the resulting scores.
   */
  public ScoringResult score(PartyModel model, RawTable features, PsiResult psi, MessageChannel channel)
      throws JointlyException {
    long start = System.nanoTime();
    if (model.role() != PartyModel.Role.PARTNER) {
      throw new IllegalArgumentException("a partner scores with a partner model");
    }
    Duration timeout = params.receiveTimeout();
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Aligned al = receiveAlignment(tx, psi, timeout, true);
    PairwiseMasks masks = PairwiseMasks.generate(random);
    tx.send(LrRound.HELLO.key(0), new LrHello.Partner(LrWire.VERSION, params.mode().wireCode, model.weights().length, masks.publicKey(), 0, io.jointly.core.Bytes.wrap(new byte[0])).encode());
    LrHello.Partner hello = LrHello.Partner.decode(tx.receive(LrRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
    Abort.unless(
        hello.mode() == params.mode().wireCode,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "the bank selected another mode; both must select " + params.mode());
    agree(masks, tx.receive(LrRound.KEYS.key(0), timeout));
    FeatureMatrix xp = model.transform().apply(features.rows(al.rows()));
    tx.send(LrRound.SCORES.key(0), encodeScores(xp.times(model.weights()), params.scoreCodec(), masks, 0));
    tx.confirm(LrRound.CONFIRM.key(0), timeout);
    masks.destroy();
    return new ScoringResult(al.rows(), new double[0], counting.stats(), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The partner's half of the information-value exchange: bins each of its columns over the
   * training rows (bins below its minimum size are withheld), sums the bank's encrypted labels per
   * bin, and returns the bin sizes and the packed, re-randomised sums.
   */
  private void sendInformationValue(
      TranscriptChannel tx, PaillierEncryptor enc, RawTable trainRows, FeatureTransform transform, int n, int modulusBits, Duration timeout)
      throws JointlyException {
    List<Ciphertext> labels = enc.publicKey().decodeAll(tx.receive(LrRound.LABELS.key(0), timeout), n);
    int minBin = params.ivMinBinSize() > 0 ? params.ivMinBinSize() : VerticalLrParameters.DEFAULT_IV_MIN_BIN_SIZE;
    List<LrWire.IvFeature> features = new ArrayList<>();
    List<Ciphertext> sums = new ArrayList<>();
    for (ColumnTransform c : transform.columns()) {
      ColumnKind kind = c instanceof ColumnTransform.Numeric ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
      Binning binning = Binning.fit(trainRows, c.name(), kind, 10, minBin);
      int[] assignment = binning.assignment();
      List<Binning.Bin> bins = binning.bins();
      int[] rows = new int[bins.size()];
      boolean[] suppressed = new boolean[bins.size()];
      List<List<Ciphertext>> members = new ArrayList<>();
      for (int b = 0; b < bins.size(); b++) {
        members.add(new ArrayList<>());
        rows[b] = bins.get(b).rows();
        suppressed[b] = bins.get(b).suppressed();
      }
      for (int i = 0; i < assignment.length; i++) {
        members.get(assignment[i]).add(labels.get(i));
      }
      for (int b = 0; b < bins.size(); b++) {
        if (!suppressed[b]) {
          sums.add(enc.sum(members.get(b)));
        }
      }
      features.add(new LrWire.IvFeature(c.name(), rows, suppressed));
    }
    int width = VerticalLrBank.ivSlotWidth(n);
    List<Ciphertext> packed = sums.isEmpty() ? List.of() : packed(enc, sums, width, (modulusBits - 1) / width);
    tx.send(LrRound.IV_SUMS.key(0), LrWire.ivSums(features, enc.publicKey().encodeAll(packed)));
  }

  /**
   * Packs encrypted values into groups of {@code per} slots of {@code width} bits by Horner's rule
   * ({@code acc ← acc·2^width + next}, so a group's first value ends up highest) and re-randomises
   * each result with full randomness, so the key holder cannot tell which ciphertexts went in.
   */
  static List<Ciphertext> packed(PaillierEncryptor enc, List<Ciphertext> values, int width, int per) {
    BigInteger shift = BigInteger.ONE.shiftLeft(width);
    List<Ciphertext> out = new ArrayList<>();
    for (int from = 0; from < values.size(); from += per) {
      Ciphertext acc = values.get(from);
      for (int j = from + 1; j < Math.min(values.size(), from + per); j++) {
        acc = enc.add(enc.multiply(acc, shift), values.get(j));
      }
      out.add(enc.rerandomize(acc));
    }
    return out;
  }

  static long[][] featureScalars(FeatureMatrix x, int bits) throws InputException {
    long[][] s = new long[x.rowCount()][x.columnCount()];
    for (int r = 0; r < x.rowCount(); r++) {
      for (int c = 0; c < x.columnCount(); c++) {
        try {
          s[r][c] = GradientPacking.featureScalar(x.get(r, c), bits);
        } catch (ArithmeticException e) {
          throw new InputException(
              InputException.Kind.INVALID_INPUT,
              -1,
              "encoded feature " + x.columnNames().get(c) + " has a value beyond the fixed-point range ±2^" + (31 - bits));
        }
      }
    }
    return s;
  }

  /** Fixed-point scores plus this partner's pairwise mask for {@code round}, modulo 2^64. */
  static io.jointly.core.Bytes encodeScores(double[] u, FixedPoint codec, PairwiseMasks masks, int round) {
    long[] v = new long[u.length];
    for (int i = 0; i < u.length; i++) {
      v[i] = codec.encode(u[i]);
    }
    masks.mask(v, round);
    return LrWire.longs(v);
  }

  /** KEYS from the bank: this partner's index and every partner's mask key; returns the number of partners. */
  private static int agree(PairwiseMasks masks, io.jointly.core.Bytes payload) throws ProtocolAbortException {
    LrWire.Keys keys = LrWire.keys(payload);
    masks.agree(keys.index(), keys.maskKeys(), keys.context());
    return keys.maskKeys().size();
  }
}
