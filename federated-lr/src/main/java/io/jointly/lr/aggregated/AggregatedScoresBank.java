package io.jointly.lr.aggregated;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingHistory;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The bank's side of the aggregated-scores training rounds (see {@code package-info.java}), run by
 * {@link io.jointly.lr.VerticalLrBank} after ALIGN, HELLO and information value: {@code FEATURES}
 * from every partner, then mini-batch gradient descent ({@link BankGradientDescent}) or full-batch
 * L-BFGS ({@link BankLbfgs}).
 *
 * <p>Thread-safety: an instance is immutable; {@link #train} blocks its calling thread and runs the
 * multi-exponentiations on the executor.
 */
public final class AggregatedScoresBank {
  /** Rows of packed feature scalars per FEATURES message. */
  static final int FEATURE_BATCH = 512;

  /**
   * One partner as the bank's training rounds see it: its channel (the session's transcript), the
   * Paillier key it sent in HELLO and the packing of its gradient, and, once received, its training
   * rows' packed encrypted features. Holds an encryptor: {@link #close} it.
   */
  public static final class Partner implements AutoCloseable {
    final MessageChannel tx;
    final PaillierPublicKey paillier;
    final PaillierEncryptor enc;
    final int per;
    final int groups;
    /** Per training row (position in the training order), the packed encrypted feature groups. */
    Ciphertext[][] encryptedFeatures;

    private Partner(MessageChannel tx, PaillierPublicKey paillier, PaillierEncryptor enc, int per, int groups) {
      this.tx = tx;
      this.paillier = paillier;
      this.enc = enc;
      this.per = per;
      this.groups = groups;
    }

    /**
     * The partner of a session, from what its HELLO states.
     *
     * @param features its number of encoded features
     * @param modulusBits its Paillier modulus size
     * @param publicKey its Paillier public key
     * @param gradientBatch the most rows a gradient sums over: the batch size, or every training row
     *     with L-BFGS
     * @throws ProtocolAbortException if the key is not acceptable
     */
    public static Partner of(
        MessageChannel tx, int features, int modulusBits, Bytes publicKey, int gradientBatch, SecureRandom random, Executor executor)
        throws ProtocolAbortException {
      PaillierParameters keyParams;
      try {
        keyParams = new PaillierParameters(modulusBits, PaillierParameters.Randomness.FULL);
      } catch (IllegalArgumentException e) {
        throw new ProtocolAbortException(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "a partner's Paillier key size is not acceptable");
      }
      PaillierPublicKey paillier = PaillierPublicKey.fromBytes(publicKey, keyParams);
      // Re-randomising a result that goes back to the key holder needs full randomness.
      PaillierEncryptor enc = PaillierEncryptor.builder(paillier).parameters(keyParams).random(random).executor(executor).build();
      try {
        return new Partner(
            tx,
            paillier,
            enc,
            GradientPacking.slotsPerPlaintext(keyParams.modulusBits(), gradientBatch),
            GradientPacking.plaintexts(features, keyParams.modulusBits(), gradientBatch));
      } catch (RuntimeException e) {
        enc.close();
        throw e;
      }
    }

    @Override
    public void close() {
      enc.close();
    }
  }

  /** The bank's final block, its history, the epochs run and the next SCORES sequence number. */
  public record Result(double[] weights, double intercept, TrainingHistory history, int epochs, int nextScoreSequence) {
    Result(double[] weights, double intercept, TrainingHistory history, int nextScoreSequence) {
      this(weights, intercept, history, history.steps().size(), nextScoreSequence);
    }
  }

  final LogisticRegressionParameters lr;
  final FixedPoint scoreCodec;
  final int residualBits;
  final Duration timeout;
  final Executor executor;
  final TrainingListener listener;

  /**
   * @param lr the schedule (the bank's, sent in HELLO)
   * @param scoreBits fractional bits of the partners' scores
   * @param residualBits fractional bits of the encrypted residuals
   */
  public AggregatedScoresBank(
      LogisticRegressionParameters lr, int scoreBits, int residualBits, Duration receiveTimeout, Executor executor, TrainingListener listener) {
    this.lr = Objects.requireNonNull(lr);
    this.scoreCodec = new FixedPoint(scoreBits);
    this.residualBits = residualBits;
    this.timeout = Objects.requireNonNull(receiveTimeout);
    this.executor = Objects.requireNonNull(executor);
    this.listener = Objects.requireNonNull(listener);
  }

  /** What the shared rows give the optimisers (aligned rows; {@code rowWeights} per aligned row). */
  record Data(List<Partner> partners, FeatureMatrix xb, int[] y, double[] rowWeights, int[] train, int[] validation, int[] trainPosition) {
    List<MessageChannel> channels() {
      return partners.stream().map(p -> p.tx).toList();
    }
  }

  /**
   * FEATURES from every partner, then the optimiser's rounds.
   *
   * @param xb the bank's encoded features, one row per aligned customer
   * @param y the labels of the aligned customers
   * @param rowWeights the class weight of every aligned training row
   * @param split the aligned customers' split, as sent in ALIGN
   */
  public Result train(List<Partner> partners, FeatureMatrix xb, int[] y, double[] rowWeights, Split split) throws JointlyException {
    int[] train = split.train().toArray();
    int[] trainPosition = new int[y.length];
    for (int t = 0; t < train.length; t++) {
      trainPosition[train[t]] = t;
    }
    for (Partner partner : partners) {
      receiveFeatures(partner, train.length);
    }
    Data data = new Data(partners, xb, y, rowWeights, train, split.validation().toArray(), trainPosition);
    return lr.optimizer() == Optimizer.LBFGS ? BankLbfgs.run(this, data) : BankGradientDescent.run(this, data, split);
  }

  /** FEATURES from one partner: its training rows' packed encrypted feature groups, validated. */
  private void receiveFeatures(Partner partner, int trainRows) throws JointlyException {
    partner.encryptedFeatures = new Ciphertext[trainRows][];
    for (int from = 0, seq = 0; from < trainRows; from += FEATURE_BATCH, seq++) {
      int n = Math.min(FEATURE_BATCH, trainRows - from);
      List<Ciphertext> cts = partner.paillier.decodeAll(partner.tx.receive(LrRound.FEATURES.key(seq), timeout), n * partner.groups);
      for (int i = 0; i < n; i++) {
        partner.encryptedFeatures[from + i] = cts.subList(i * partner.groups, (i + 1) * partner.groups).toArray(Ciphertext[]::new);
      }
      listener.onSetup(from + n, trainRows);
    }
  }

  /**
   * GRADIENT to every partner: {@code Π_{i∈B} [[P_i]]^(d_i)} per feature group over the rows — the
   * packed {@code [[X_k[B]ᵀ·d]]} — by multi-exponentiation, each group re-randomised.
   */
  void sendGradients(Data data, int sequence, int[] rows, double[] d) throws JointlyException {
    long[] encoded = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      encoded[i] = GradientPacking.residualScalar(d[i], residualBits);
    }
    for (Partner partner : data.partners()) {
      List<Ciphertext> out = new ArrayList<>(partner.groups);
      for (int g = 0; g < partner.groups; g++) {
        List<Ciphertext> column = new ArrayList<>(rows.length);
        for (int row : rows) {
          column.add(partner.encryptedFeatures[data.trainPosition()[row]][g]);
        }
        out.add(partner.enc.rerandomize(partner.enc.multiExp(column, encoded, executor, 2)));
      }
      partner.tx.send(LrRound.GRADIENT.key(sequence), partner.paillier.encodeAll(out));
    }
  }

  /** SCORES number {@code sequence} from every partner, summed and decoded. */
  double[] scoreSum(Data data, int sequence, int n) throws JointlyException {
    return MaskedScores.receiveScoreSum(data.channels(), sequence, n, scoreCodec, timeout);
  }

  /** CONTROL to every partner. */
  static void control(Data data, int sequence, boolean best, boolean stop) throws JointlyException {
    for (Partner partner : data.partners()) {
      partner.tx.send(LrRound.CONTROL.key(sequence), AggregatedWire.flags(best, stop));
    }
  }

  /** The clipped log-loss on {@code rows} of the joint scores (the bank's block plus the partners' sum {@code u}). */
  static double logLoss(FeatureMatrix xb, double[] w, double b, double[] u, int[] rows, int[] y) {
    double[] z = LogisticMath.sumScores(new double[][] {xb.times(w, rows), u}, b);
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = LogisticMath.sigmoid(z[i]);
    }
    return LogisticMath.logLoss(Rows.pick(y, rows), p);
  }
}
