package io.jointly.lr.aggregated;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.FixedPoint;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.training.BatchPlan;
import io.jointly.lr.training.EarlyStopping;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.secagg.PairwiseMasks;

/**
 * A partner's mini-batch gradient descent, step for step with {@link BankGradientDescent}: per
 * batch its masked scores {@code X_k[B]·w_k} out ({@code SCORES}), its encrypted gradient in
 * ({@code GRADIENT}), a proximal step; per epoch its scores of the training and validation rows,
 * and {@code CONTROL} in.
 */
final class PartnerGradientDescent {
  private PartnerGradientDescent() {}

  static AggregatedScoresPartner.Result run(AggregatedScoresPartner.Session s, TrainingListener listener) throws JointlyException {
    MessageChannel tx = s.tx();
    LrHello.Bank hello = s.hello();
    FeatureMatrix xp = s.xp();
    PairwiseMasks masks = s.masks();
    Split split = s.split();
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
        tx.send(LrRound.SCORES.key(scoreSeq), MaskedScores.encode(xp.times(w, batch), scoreCodec, masks, scoreSeq));
        scoreSeq++;
        double[] grad = AggregatedScoresPartner.receiveGradient(s, dec, step, batch.length);
        LogisticMath.addL2(grad, w, hello.l2());
        LogisticMath.proximalStep(w, grad, eta, hello.l1());
        step++;
        listener.onStep(step, (long) plan.batchesPerEpoch() * hello.maxEpochs());
      }
      tx.send(LrRound.SCORES.key(scoreSeq), MaskedScores.encode(xp.times(w, train), scoreCodec, masks, scoreSeq));
      scoreSeq++;
      if (validation.length > 0) {
        tx.send(LrRound.SCORES.key(scoreSeq), MaskedScores.encode(xp.times(w, validation), scoreCodec, masks, scoreSeq));
        scoreSeq++;
      }
      epochs++;
      listener.onEpoch(e, hello.maxEpochs());
      byte flags = AggregatedScoresPartner.control(s, e);
      if ((flags & 1) != 0) {
        Abort.unlessWellFormed(rule.enabled(), "CONTROL marks a best epoch without early stopping");
        bestW = w.clone();
        anyBest = true;
      }
      if ((flags & 2) != 0) {
        Abort.unlessWellFormed(rule.enabled(), "CONTROL stops without early stopping");
        break;
      }
    }
    return new AggregatedScoresPartner.Result(anyBest ? bestW : w, scoreSeq, epochs);
  }
}
