package io.jointly.lr.aggregated;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import io.jointly.secagg.PairwiseMasks;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A partner's side of the aggregated-scores training rounds (see {@code package-info.java}), run by
 * {@link io.jointly.lr.VerticalLrPartner} after ALIGN, HELLO and information value: {@code
 * FEATURES} to the bank, then gradient descent ({@link PartnerGradientDescent}) or L-BFGS ({@link
 * PartnerLbfgs}) step for step with the bank's, following the schedule of the bank's HELLO.
 *
 * <p>Thread-safety: an instance is immutable; {@link #train} blocks its calling thread and encrypts
 * on the executor.
 */
public final class AggregatedScoresPartner {
  private final PaillierParameters paillier;
  private final SecureRandom random;
  private final Executor executor;
  private final TrainingListener listener;

  /**
   * @param paillier this partner's key size and randomness (its own key encrypts its features)
   */
  public AggregatedScoresPartner(PaillierParameters paillier, SecureRandom random, Executor executor, TrainingListener listener) {
    this.paillier = Objects.requireNonNull(paillier);
    this.random = Objects.requireNonNull(random);
    this.executor = Objects.requireNonNull(executor);
    this.listener = Objects.requireNonNull(listener);
  }

  /** This partner's final weights, the next SCORES sequence number and the epochs run. */
  public record Result(double[] weights, int nextScoreSequence, int epochs) {}

  /** Packing of this partner's gradient: slot width, slots per plaintext, plaintexts. */
  record Packing(int width, int per, int groups) {}

  /** What the optimisers share during a training run. */
  record Session(
      MessageChannel tx,
      FeatureMatrix xp,
      PairwiseMasks masks,
      int partners,
      PaillierKeyPair keys,
      Packing packing,
      LrHello.Bank hello,
      FixedPoint gradientCodec,
      Split split,
      Duration timeout) {}

  /**
   * Encrypted features out, then the optimiser's rounds.
   *
   * @param tx the session's channel
   * @param xp this partner's encoded features, one row per aligned customer
   * @param split the aligned customers' split, as the bank sent it
   * @param masks this partner's pairwise masks, agreed in KEYS
   * @param partners the number of partners
   * @param keys this partner's Paillier key pair (its public key went out in HELLO)
   * @param hello the bank's HELLO: schedule and precision
   * @param gradientCodec the fixed point of gradient entries: the bank's feature plus residual bits
   */
  public Result train(
      MessageChannel tx,
      FeatureMatrix xp,
      Split split,
      PairwiseMasks masks,
      int partners,
      PaillierKeyPair keys,
      LrHello.Bank hello,
      FixedPoint gradientCodec,
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
            .parameters(paillier)
            .random(random)
            .executor(executor)
            .secretKey(keys.secretKey())
            .build()) {
      sendFeatures(tx, enc, scalars, train, packing.per(), packing.groups(), packing.width());
    }
    Session session = new Session(tx, xp, masks, partners, keys, packing, hello, gradientCodec, split, timeout);
    return hello.optimizer() == LrHello.LBFGS ? PartnerLbfgs.run(session, listener) : PartnerGradientDescent.run(session, listener);
  }

  /**
   * FEATURES: every training row's feature scalars, packed {@code per} to a plaintext and
   * encrypted under this partner's key (in the order of {@code train}), in messages of {@link
   * AggregatedScoresBank#FEATURE_BATCH} rows. Encryption runs on the executor.
   */
  private void sendFeatures(MessageChannel tx, PaillierEncryptor enc, long[][] scalars, int[] train, int per, int groups, int width)
      throws JointlyException {
    int batchRows = AggregatedScoresBank.FEATURE_BATCH;
    int p = scalars.length == 0 ? 0 : scalars[0].length;
    for (int from = 0, seq = 0; from < train.length; from += batchRows, seq++) {
      int n = Math.min(batchRows, train.length - from);
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

  /** GRADIENT: this partner's packed encrypted gradient over a batch of {@code rows}, decrypted and checked. */
  static double[] receiveGradient(Session s, PaillierDecryptor dec, int step, int rows) throws JointlyException {
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

  /** CONTROL: "best so far" (bit 0) and "stop" (bit 1), checked. */
  static byte control(Session s, int sequence) throws JointlyException {
    byte[] flags = s.tx().receive(LrRound.CONTROL.key(sequence), s.timeout()).toByteArray();
    Abort.unlessWellFormed(flags.length == 1 && (flags[0] & ~3) == 0, "CONTROL is malformed");
    return flags[0];
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
}
