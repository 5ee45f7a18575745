package io.jointly.lr;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.aggregated.AggregatedScoresPartner;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.LrWire;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.secretshared.SecretSharedResult;
import io.jointly.lr.training.EarlyStopping;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.PartyModel;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RowIndexes;
import io.jointly.secagg.PairwiseMasks;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
      int minBin = params.ivMinBinSize() > 0 ? params.ivMinBinSize() : VerticalLrParameters.DEFAULT_IV_MIN_BIN_SIZE;
      try (PaillierEncryptor bankEnc =
          PaillierEncryptor.builder(bankKey).parameters(bankParams).random(random).executor(executor).build()) {
        InformationValueExchange.partner(tx, bankEnc, mine.rows(train), transform, train.length, bankKey.modulusBits(), minBin, timeout);
      }
    }

    Fit fit;
    if (secretShared) {
      Abort.unless(
          split.validation().isEmpty(), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "ALIGN has validation rows in the secret-shared mode");
      SecretSharedResult r = SecretSharedLr.partner(secretSharedParameters(hello), xp.rows(train), tx, executor, listener);
      fit = new Fit(r.weights(), 0, r.epochs());
    } else {
      AggregatedScoresPartner.Result r =
          new AggregatedScoresPartner(params.paillier(), random, executor, listener)
              .train(tx, xp, split, masks, partners, keys, hello, gradientCodec, timeout);
      fit = new Fit(r.weights(), r.nextScoreSequence(), r.epochs());
    }
    double[] finalW = fit.w();
    int[] holdout = split.holdout().toArray();
    if (holdout.length > 0) {
      FixedPoint scoreCodec = new FixedPoint(hello.scoreBits());
      int seq = fit.scoreSeq();
      tx.send(LrRound.SCORES.key(seq), MaskedScores.encode(xp.times(finalW, holdout), scoreCodec, masks, seq));
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

  /** This partner's final weights, the next SCORES sequence number and the epochs run. */
  private record Fit(double[] w, int scoreSeq, int epochs) {}

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
      if (s.wireCode() == code) {
        return s;
      }
    }
    throw new ProtocolAbortException(
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the bank asked for a sigmoid approximation this partner does not know");
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
    tx.send(LrRound.HELLO.key(0), new LrHello.Partner(LrWire.VERSION, params.mode().wireCode, model.weights().length, masks.publicKey(), 0, Bytes.wrap(new byte[0])).encode());
    LrHello.Partner hello = LrHello.Partner.decode(tx.receive(LrRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
    Abort.unless(
        hello.mode() == params.mode().wireCode,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "the bank selected another mode; both must select " + params.mode());
    agree(masks, tx.receive(LrRound.KEYS.key(0), timeout));
    FeatureMatrix xp = model.transform().apply(features.rows(al.rows()));
    tx.send(LrRound.SCORES.key(0), MaskedScores.encode(xp.times(model.weights()), params.scoreCodec(), masks, 0));
    tx.confirm(LrRound.CONFIRM.key(0), timeout);
    masks.destroy();
    return new ScoringResult(al.rows(), new double[0], counting.stats(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** KEYS from the bank: this partner's index and every partner's mask key; returns the number of partners. */
  private static int agree(PairwiseMasks masks, Bytes payload) throws ProtocolAbortException {
    LrWire.Keys keys = LrWire.keys(payload);
    masks.agree(keys.index(), keys.maskKeys(), keys.context());
    return keys.maskKeys().size();
  }
}
