package io.jointly.lr.aggregated;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.LrWire;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.TrainingListener;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.secagg.PairwiseMasks;
import java.util.List;

/**
 * A partner's full-batch L-BFGS, step for step with {@link BankLbfgs}: per iteration the masked
 * Gram matrix of this partner's blocks out, the direction coefficients in, masked trial scores and
 * squared weight norm out per line-search trial, the gradient in at the accepted point.
 */
final class PartnerLbfgs {
  private PartnerLbfgs() {}

  static AggregatedScoresPartner.Result run(AggregatedScoresPartner.Session s, TrainingListener listener) throws JointlyException {
    MessageChannel tx = s.tx();
    LrHello.Bank hello = s.hello();
    FeatureMatrix xp = s.xp();
    PairwiseMasks masks = s.masks();
    int partners = s.partners();
    FixedPoint scoreCodec = new FixedPoint(hello.scoreBits());
    int[] train = s.split().train().toArray();
    int[] validation = s.split().validation().toArray();
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
    double[] g = withL2(AggregatedScoresPartner.receiveGradient(s, dec, gradients++, train.length), w, hello.l2());
    for (int it = 0; it < hello.maxEpochs(); it++) {
      List<double[]> vectors = history.vectors(g);
      long[] gram = encodeScalars(BlockLbfgs.gram(vectors), partners);
      masks.mask(gram, seq);
      tx.send(LrRound.GRAM.key(seq), LrWire.longs(gram));
      seq++;
      AggregatedWire.Direction dir = AggregatedWire.direction(tx.receive(LrRound.DIRECTION.key(it), s.timeout()), vectors.size());
      double[] d = BlockLbfgs.combine(dir.coefficients(), vectors);
      history.apply((dir.flags() & AggregatedWire.STORE) != 0, (dir.flags() & AggregatedWire.RESET) != 0);
      if ((dir.flags() & AggregatedWire.CONVERGED) != 0) {
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
        byte[] verdict = tx.receive(LrRound.LINE_SEARCH.key(trial++), s.timeout()).toByteArray();
        Abort.unlessWellFormed(verdict.length == 1 && (verdict[0] & ~1) == 0, "LINE_SEARCH is malformed");
        accepted = verdict[0] == 1;
      }
      if (!accepted) {
        break;
      }
      double[] gNew = withL2(AggregatedScoresPartner.receiveGradient(s, dec, gradients++, train.length), wNew, hello.l2());
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
        tx.send(LrRound.SCORES.key(seq), MaskedScores.encode(xp.times(w, validation), scoreCodec, masks, seq));
        seq++;
      }
      epochs++;
      listener.onStep(it + 1, hello.maxEpochs());
      listener.onEpoch(it, hello.maxEpochs());
      byte flags = AggregatedScoresPartner.control(s, it);
      if ((flags & 1) != 0) {
        Abort.unlessWellFormed(hello.earlyStopping(), "CONTROL marks a best iteration without early stopping");
        bestW = w.clone();
        anyBest = true;
      }
      if ((flags & 2) != 0) {
        break;
      }
    }
    return new AggregatedScoresPartner.Result(anyBest ? bestW : w, seq, epochs);
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
  private static Bytes trialScores(FeatureMatrix xp, double[] w, int[] train, FixedPoint codec, PairwiseMasks masks, int round, int partners)
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
   * L-BFGS scalars in {@link AggregatedWire#GRAM_CODEC}, each bounded so that the sum over {@code
   * partners} fits the codec.
   */
  private static long[] encodeScalars(double[] values, int partners) throws InputException {
    double bound = AggregatedWire.GRAM_CODEC.maxAbs() / Math.max(1, partners);
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!(Math.abs(values[i]) < bound)) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            -1,
            "an L-BFGS inner product exceeds the fixed-point range: standardise the features or train with gradient descent");
      }
      out[i] = AggregatedWire.GRAM_CODEC.encode(values[i]);
    }
    return out;
  }
}
