package io.jointly.lr;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
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
 *   <li>{@code HELLO}: mode and shapes both ways; the bank adds the schedule and a fresh Paillier
 *       public key.
 *   <li>Per mini-batch B of the public {@link BatchPlan}: {@code SCORES} — the partner sends {@code
 *       u = X_k[B]·w_k} in fixed point; the bank computes {@code z = X_b[B]·w_b + u + b} and the
 *       residuals {@code d = s·(σ(z) − y)/|B|}; {@code RESIDUALS} — it sends {@code [[d_i]]};
 *       {@code GRADIENT} — the partner computes {@code [[X_k[B]ᵀ·d]]} by multi-exponentiation,
 *       adds statistical masks, packs the entries ({@link GradientPacking}) and re-randomises;
 *       {@code OPENED} — the bank decrypts and returns the packed masked values; the partner removes
 *       its masks and takes a proximal gradient step. The bank steps its own weights in the clear.
 *   <li>After each epoch the partner sends its scores for the training and validation rows; the
 *       bank records the objective and validation loss and sends {@code CONTROL} ("best so far",
 *       "stop", for early stopping). At the end the partner sends its scores for the holdout rows;
 *       the bank evaluates the joint model and a bank-only model. Both confirm the transcript.
 * </ol>
 *
 * <h2>What each party learns (semi-honest)</h2>
 *
 * The bank: which of its customers every partner shares, each partner's number of encoded features,
 * and, per training step and evaluation, the partner's partial scores {@code X_k·w_k} of the rows
 * concerned (the leakage that names this mode); masked gradients statistically hide the gradient
 * (2^−40). The partner: which of its rows are aligned and their split (the split reveals the
 * rounded class sizes), the schedule, and nothing of labels, residuals (encrypted under the bank's
 * key) or the bank's features. Each party keeps its own weights.
 *
 * <p>Only one partner per run is supported by this class for now: summing several partners' scores
 * without showing the bank each one needs the partners to mask them pairwise, and a run with more
 * than one partner is refused rather than leaking individual scores.
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

  private final VerticalLrParameters params;
  private final Executor executor;
  private final SecureRandom random = new SecureRandom();

  public VerticalLrBank(VerticalLrParameters params, Executor executor) {
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
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
    requireOnePartner(partners);
    if (labels.length != features.rowCount()) {
      throw new IllegalArgumentException("one label per feature row is needed");
    }
    for (int y : labels) {
      if (y != 0 && y != 1) {
        throw new InputException(InputException.Kind.INVALID_INPUT, -1, "labels must be 0 or 1");
      }
    }
    PartnerLink link = partners.get(0);
    Duration timeout = params.receiveTimeout();
    CountingChannel counting = new CountingChannel(link.channel());
    TranscriptChannel tx = new TranscriptChannel(counting);

    // ALIGN: rows shared with the partner, in a fresh random order, and their split.
    Map<Integer, Integer> positionOfRow = positions(link.psi());
    int[] aligned = positionOfRow.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    shuffle(aligned);
    int m = aligned.length;
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      y[i] = labels[aligned[i]];
    }
    LogisticRegressionParameters lr = params.lr();
    Split split = Split.stratified(y, params.validationFraction(), params.holdoutFraction(), lr.seed());
    byte[] tags = tags(m, split);
    int[] positions = new int[m];
    for (int i = 0; i < m; i++) {
      positions[i] = positionOfRow.get(aligned[i]);
    }
    tx.send(LrRound.ALIGN.key(0), LrWire.align(positions, tags));
    if (split.train().isEmpty()) {
      throw new InputException(InputException.Kind.INVALID_INPUT, -1, "no shared customers to train on");
    }

    // Each party encodes its own columns, fitted on its training rows only.
    RawTable mine = features.rows(aligned);
    FeatureTransform transform = FeatureTransform.fit(mine.rows(split.train().toArray()), params.transform());
    FeatureMatrix xb = transform.apply(mine);

    PaillierKeyPair keys = PaillierKeyPair.generate(params.paillier(), random);
    tx.send(
        LrRound.HELLO.key(0),
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
                keys.publicKey().modulusBits(),
                params.ivMinBinSize() > 0,
                keys.publicKey().toBytes())
            .encode());
    LrHello.Partner hello = LrHello.Partner.decode(tx.receive(LrRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
    Abort.unless(
        hello.mode() == params.mode().wireCode,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "the partner selected another training mode; both must select " + params.mode());
    int pk = hello.features();

    FixedPoint scoreCodec = params.scoreCodec();
    int residualBits = params.residualBits();
    double[] rowWeights = lr.classWeights().rowWeights(y, split.train().toArray());
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
    int[] train = split.train().toArray();
    int[] validation = split.validation().toArray();
    int modulusBits = keys.publicKey().modulusBits();
    int modulusBytes = (modulusBits + 7) / 8;
    PaillierDecryptor dec = new PaillierDecryptor(keys.secretKey());
    List<FeatureInformationValue> informationValue = List.of();
    try (PaillierEncryptor enc =
        PaillierEncryptor.builder(keys.publicKey())
            .parameters(params.paillier())
            .random(random)
            .executor(executor)
            .secretKey(keys.secretKey())
            .build()) {
      if (params.ivMinBinSize() > 0) {
        informationValue = informationValue(tx, enc, dec, y, train, modulusBits, timeout);
      }
      for (int e = 0; e < lr.maxEpochs(); e++) {
        double eta = lr.learningRate() / (1 + lr.learningRateDecay() * e);
        for (int[] batch : plan.epoch(e)) {
          double[] u = decodeScores(tx.receive(LrRound.SCORES.key(scoreSeq++), timeout), batch.length, scoreCodec);
          double[] z = LogisticMath.sumScores(new double[][] {xb.times(wb, batch), u}, b);
          int[] yb = new int[batch.length];
          double[] sb = new double[batch.length];
          for (int i = 0; i < batch.length; i++) {
            yb[i] = y[batch[i]];
            sb[i] = rowWeights[batch[i]];
          }
          double[] d = LogisticMath.residuals(z, yb, sb);
          long[] encoded = new long[d.length];
          for (int i = 0; i < d.length; i++) {
            encoded[i] = GradientPacking.residualScalar(d[i], residualBits);
          }
          tx.send(LrRound.RESIDUALS.key(step), keys.publicKey().encodeAll(enc.encryptAll(encoded)));

          double[] g = xb.transposeTimes(batch, d);
          LogisticMath.addL2(g, wb, lr.l2());
          double gb = 0;
          for (double di : d) {
            gb += di;
          }

          int count = GradientPacking.plaintexts(pk, modulusBits, batch.length);
          List<Ciphertext> masked = keys.publicKey().decodeAll(tx.receive(LrRound.GRADIENT.key(step), timeout), count);
          BigInteger[] opened = new BigInteger[count];
          for (int j = 0; j < count; j++) {
            opened[j] = dec.decrypt(masked.get(j));
          }
          tx.send(LrRound.OPENED.key(step), LrWire.integers(opened, modulusBytes));
          LogisticMath.proximalStep(wb, g, eta, lr.l1());
          if (lr.intercept()) {
            b -= eta * gb;
          }
          step++;
        }
        // Epoch end: objective on the training rows, loss on the validation rows.
        double[] uTrain = decodeScores(tx.receive(LrRound.SCORES.key(scoreSeq++), timeout), train.length, scoreCodec);
        double[] zTrain = LogisticMath.sumScores(new double[][] {xb.times(wb, train), uTrain}, b);
        double objective =
            LogisticMath.dataLoss(zTrain, pick(y, train), pick(rowWeights, train)) + LogisticMath.penalty(wb, lr.l2(), lr.l1());
        OptionalDouble val = OptionalDouble.empty();
        if (validation.length > 0) {
          double[] uVal = decodeScores(tx.receive(LrRound.SCORES.key(scoreSeq++), timeout), validation.length, scoreCodec);
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
        tx.send(LrRound.CONTROL.key(e), LrWire.flags(best, stop));
        if (stop) {
          reason = TrainingHistory.StopReason.EARLY_STOPPED;
          break;
        }
      }
    }
    boolean useBest = lr.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    double[] finalW = useBest ? bestW : wb;
    double finalB = useBest ? bestB : b;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;

    // Holdout: the partner's scores with its final weights; joint vs bank-only.
    int[] holdout = split.holdout().toArray();
    Optional<ModelComparison> evaluation = Optional.empty();
    if (holdout.length > 0) {
      // (the partner sends holdout scores whenever there are holdout rows; metrics need ≥ 10 rows
      // of both classes, otherwise the evaluation is left out)
      double[] uHold = decodeScores(tx.receive(LrRound.SCORES.key(scoreSeq++), timeout), holdout.length, scoreCodec);
      double[] zHold = LogisticMath.sumScores(new double[][] {xb.times(finalW, holdout), uHold}, finalB);
      double[] pJoint = new double[holdout.length];
      for (int i = 0; i < holdout.length; i++) {
        pJoint[i] = LogisticMath.sigmoid(zHold[i]);
      }
      int[] yHold = pick(y, holdout);
      int positives = Arrays.stream(yHold).sum();
      if (holdout.length >= 10 && positives > 0 && positives < holdout.length) {
        LogisticRegressionModel bankOnly = LogisticRegression.fit(xb, y, split, lr);
        double[] pBank = bankOnly.probabilities(List.of(xb.rows(holdout)));
        evaluation = Optional.of(new ModelComparison(BinaryMetrics.of(pJoint, yHold), BinaryMetrics.of(pBank, yHold)));
      }
    }
    tx.confirm(LrRound.CONFIRM.key(0), timeout);
    ChannelStats traffic = counting.stats();
    return new BankTrainingResult(
        PartyModel.bank(transform, finalW, finalB),
        new TrainingHistory(steps, reason, bestStep),
        evaluation,
        aligned,
        train.length,
        validation.length,
        holdout.length,
        List.of(pk),
        informationValue,
        traffic,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Federated scoring: the partner contributes its partial scores for every customer shared with
   * it; the bank gets the probabilities. The partner learns which of its rows were scored, nothing
   * about the scores; the bank learns the partner's partial scores (as in training).
   *
   * @param model the bank's model from training
   * @param features the bank's feature columns, one row per input row
   * @param partners the partners with their PSI results in {@code both} mode
   */
  public ScoringResult score(PartyModel model, RawTable features, List<PartnerLink> partners) throws JointlyException {
    long start = System.nanoTime();
    requireOnePartner(partners);
    if (model.role() != PartyModel.Role.BANK) {
      throw new IllegalArgumentException("the bank scores with a bank model");
    }
    PartnerLink link = partners.get(0);
    Duration timeout = params.receiveTimeout();
    CountingChannel counting = new CountingChannel(link.channel());
    TranscriptChannel tx = new TranscriptChannel(counting);
    Map<Integer, Integer> positionOfRow = positions(link.psi());
    int[] aligned = positionOfRow.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    shuffle(aligned);
    int[] positions = new int[aligned.length];
    for (int i = 0; i < aligned.length; i++) {
      positions[i] = positionOfRow.get(aligned[i]);
    }
    byte[] tags = new byte[aligned.length];
    Arrays.fill(tags, LrWire.SCORE);
    tx.send(LrRound.ALIGN.key(0), LrWire.align(positions, tags));
    tx.send(LrRound.HELLO.key(0), new LrHello.Partner(LrWire.VERSION, params.mode().wireCode, model.weights().length).encode());
    LrHello.Partner hello = LrHello.Partner.decode(tx.receive(LrRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == LrWire.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
    Abort.unless(
        hello.mode() == params.mode().wireCode,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "the partner selected another mode; both must select " + params.mode());
    FeatureMatrix xb = model.transform().apply(features.rows(aligned));
    double[] u = decodeScores(tx.receive(LrRound.SCORES.key(0), timeout), aligned.length, params.scoreCodec());
    double[] z = LogisticMath.sumScores(new double[][] {xb.times(model.weights()), u}, model.intercept().orElse(0));
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = LogisticMath.sigmoid(z[i]);
    }
    tx.confirm(LrRound.CONFIRM.key(0), timeout);
    return new ScoringResult(aligned, p, counting.stats(), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Information value of the partner's features: the bank sends its training labels encrypted; the
   * partner bins each of its columns, sums the encrypted labels per bin (bins below its minimum size
   * are withheld) and returns the packed sums with the bin sizes; the bank decrypts the positives
   * per bin and computes WOE and IV, suppressing bins below its own minimum too.
   */
  private List<FeatureInformationValue> informationValue(
      TranscriptChannel tx, PaillierEncryptor enc, PaillierDecryptor dec, int[] y, int[] train, int modulusBits, Duration timeout)
      throws JointlyException {
    long[] labels = new long[train.length];
    for (int i = 0; i < train.length; i++) {
      labels[i] = y[train[i]];
    }
    tx.send(LrRound.LABELS.key(0), enc.publicKey().encodeAll(enc.encryptAll(labels)));
    LrWire.IvMessage msg = LrWire.ivSums(tx.receive(LrRound.IV_SUMS.key(0), timeout), train.length);
    int released = 0;
    for (LrWire.IvFeature f : msg.features()) {
      for (boolean sup : f.suppressed()) {
        released += sup ? 0 : 1;
      }
    }
    int width = ivSlotWidth(train.length);
    int per = (modulusBits - 1) / width;
    int packedCount = (released + per - 1) / per;
    List<Ciphertext> cts = enc.publicKey().decodeAll(msg.ciphertexts(), packedCount);
    BigInteger[] opened = new BigInteger[packedCount];
    for (int j = 0; j < packedCount; j++) {
      opened[j] = dec.decrypt(cts.get(j));
    }
    BigInteger[] positives = GradientPacking.unpack(opened, released, width, per);
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

  static void requireOnePartner(List<?> partners) {
    if (partners.size() != 1) {
      throw new IllegalArgumentException(
          "one partner per run: several partners' scores must be summed under pairwise masks, which this version does not do");
    }
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

  static double[] decodeScores(io.jointly.core.Bytes payload, int n, FixedPoint codec) throws ProtocolAbortException {
    long[] v = LrWire.longs(payload, n, "SCORES");
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = codec.decode(v[i]);
    }
    return out;
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
