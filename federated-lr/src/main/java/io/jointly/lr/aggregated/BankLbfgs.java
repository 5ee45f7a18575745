package io.jointly.lr.aggregated;

import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.MaskedScores;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.training.EarlyStopper;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegression;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.TrainingHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The bank's full-batch L-BFGS over the parties' blocks ({@link BlockLbfgs}), L2 only. Per
 * iteration: each partner sends the masked Gram matrix of its blocks of the gradient and
 * correction pairs ({@code GRAM}); the bank adds its own, runs the two-loop recursion on
 * coefficients and sends them ({@code DIRECTION}); per backtracking trial each partner sends its
 * masked scores on the training rows and its squared weight norm at the trial point ({@code
 * SCORES}) and the bank answers with the Armijo verdict ({@code LINE_SEARCH}); at the accepted
 * point every partner gets its encrypted gradient over all training rows ({@code GRADIENT}), sends
 * its validation scores, and the bank sends {@code CONTROL}.
 */
final class BankLbfgs {
  private BankLbfgs() {}

  static AggregatedScoresBank.Result run(AggregatedScoresBank bank, AggregatedScoresBank.Data data) throws JointlyException {
    LogisticRegressionParameters lr = bank.lr;
    FeatureMatrix xb = data.xb();
    int[] train = data.train();
    int[] validation = data.validation();
    int[] yTrain = Rows.pick(data.y(), train);
    double[] sTrain = Rows.pick(data.rowWeights(), train);
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
    Evaluation at = evaluate(bank, data, x, seq++, yTrain, sTrain);
    double f = at.objective();
    double[] g = gradient(bank, data, x, at.residuals(), gradients++);
    for (int it = 0; it < lr.maxEpochs(); it++) {
      List<double[]> vectors = history.vectors(g);
      double[] tri = BlockLbfgs.gram(vectors);
      long[] sum = MaskedScores.receiveSum(data.channels(), LrRound.GRAM.key(seq), tri.length, "GRAM", bank.timeout);
      for (int a = 0; a < tri.length; a++) {
        tri[a] += AggregatedWire.GRAM_CODEC.decode(sum[a]);
      }
      seq++;
      BlockLbfgs.Direction dir = BlockLbfgs.direction(tri, history.stored(), history.hasPending(), lr.lbfgsMemory());
      boolean converged = dir.gradientNorm() <= lr.tolerance();
      int flags =
          (dir.storePending() ? AggregatedWire.STORE : 0) | (dir.reset() ? AggregatedWire.RESET : 0) | (converged ? AggregatedWire.CONVERGED : 0);
      for (AggregatedScoresBank.Partner partner : data.partners()) {
        partner.tx.send(LrRound.DIRECTION.key(it), AggregatedWire.direction(flags, dir.coefficients()));
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
        trialAt = evaluate(bank, data, xNew, seq++, yTrain, sTrain);
        accepted = Double.isFinite(trialAt.objective()) && trialAt.objective() <= f + LogisticRegression.ARMIJO * step * dir.slope();
        for (AggregatedScoresBank.Partner partner : data.partners()) {
          partner.tx.send(LrRound.LINE_SEARCH.key(trial), Bytes.wrap(new byte[] {(byte) (accepted ? 1 : 0)}));
        }
        trial++;
      }
      if (!accepted) {
        reason = TrainingHistory.StopReason.NO_PROGRESS;
        break;
      }
      double[] gNew = gradient(bank, data, xNew, trialAt.residuals(), gradients++);
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
        double[] uVal =
            MaskedScores.decode(
                MaskedScores.receiveSum(data.channels(), LrRound.SCORES.key(seq++), validation.length, "SCORES", bank.timeout), bank.scoreCodec);
        val = OptionalDouble.of(AggregatedScoresBank.logLoss(xb, w, b, uVal, validation, data.y()));
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
      AggregatedScoresBank.control(data, it, isBest, stop);
      bank.listener.onStep(it + 1, lr.maxEpochs());
      bank.listener.onEpoch(it, lr.maxEpochs());
      if (stop) {
        break;
      }
    }
    boolean useBest = lr.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    double[] fin = useBest ? best : x;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;
    return new AggregatedScoresBank.Result(Arrays.copyOf(fin, p), lr.intercept() ? fin[p] : 0, new TrainingHistory(steps, reason, bestStep), seq);
  }

  /** The objective at a point of the bank's block (with the partners' parts) and the residuals. */
  private record Evaluation(double objective, double[] residuals) {}

  /**
   * Receives the partners' masked training scores and squared weight norms at the current point
   * and evaluates the full objective {@code (1/n)·Σ s_i·ℓ + (λ₂/2)·‖w‖²} over all blocks.
   */
  private static Evaluation evaluate(AggregatedScoresBank bank, AggregatedScoresBank.Data data, double[] x, int seq, int[] yTrain, double[] sTrain)
      throws JointlyException {
    LogisticRegressionParameters lr = bank.lr;
    int p = data.xb().columnCount();
    int n = data.train().length;
    long[] sum = MaskedScores.receiveSum(data.channels(), LrRound.SCORES.key(seq), n + 1, "SCORES", bank.timeout);
    double partnerNorms = AggregatedWire.GRAM_CODEC.decode(sum[n]);
    double[] u = MaskedScores.decode(Arrays.copyOf(sum, n), bank.scoreCodec);
    double[] w = Arrays.copyOf(x, p);
    double[] z = LogisticMath.sumScores(new double[][] {data.xb().times(w, data.train()), u}, lr.intercept() ? x[p] : 0);
    double objective = LogisticMath.dataLoss(z, yTrain, sTrain) + LogisticMath.penalty(w, lr.l2(), 0) + 0.5 * lr.l2() * partnerNorms;
    return new Evaluation(objective, LogisticMath.residuals(z, yTrain, sTrain));
  }

  /**
   * Sends every partner its encrypted gradient over all training rows and returns the bank's own
   * block of the gradient: {@code X_bᵀ·d + λ₂·w_b}, then {@code Σ d} for the intercept.
   */
  private static double[] gradient(AggregatedScoresBank bank, AggregatedScoresBank.Data data, double[] x, double[] d, int sequence)
      throws JointlyException {
    bank.sendGradients(data, sequence, data.train(), d);
    int p = data.xb().columnCount();
    double[] g = Arrays.copyOf(data.xb().transposeTimes(data.train(), d), x.length);
    for (int j = 0; j < p; j++) {
      g[j] += bank.lr.l2() * x[j];
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
}
