package io.jointly.lr.aggregated;

import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.internal.Rows;
import io.jointly.lr.training.BatchPlan;
import io.jointly.lr.training.EarlyStopper;
import io.jointly.lr.training.LogisticMath;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Split;
import io.jointly.lr.training.TrainingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The bank's mini-batch proximal gradient descent, one round trip per batch of the public {@link
 * BatchPlan}: {@code SCORES} in (the partners' summed {@code X_k[B]·w_k}), residuals {@code d =
 * s·(σ(z) − y)/|B|}, {@code GRADIENT} out (each partner's {@code [[X_k[B]ᵀ·d]]}), its own step in
 * the clear; per epoch {@code SCORES} of the training and validation rows, and {@code CONTROL}.
 */
final class BankGradientDescent {
  private BankGradientDescent() {}

  static AggregatedScoresBank.Result run(AggregatedScoresBank bank, AggregatedScoresBank.Data data, Split split) throws JointlyException {
    LogisticRegressionParameters lr = bank.lr;
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
        double[] u = bank.scoreSum(data, scoreSeq++, batch.length);
        double[] z = LogisticMath.sumScores(new double[][] {xb.times(wb, batch), u}, b);
        int[] yb = new int[batch.length];
        double[] sb = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
          yb[i] = y[batch[i]];
          sb[i] = rowWeights[batch[i]];
        }
        double[] d = LogisticMath.residuals(z, yb, sb);
        // Each partner's gradient [[X_k[B]ᵀ·d]] under its own key, packed, re-randomised.
        bank.sendGradients(data, step, batch, d);
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
        bank.listener.onStep(step, (long) plan.batchesPerEpoch() * lr.maxEpochs());
      }
      // Epoch end: objective on the training rows, loss on the validation rows.
      double[] uTrain = bank.scoreSum(data, scoreSeq++, train.length);
      double[] zTrain = LogisticMath.sumScores(new double[][] {xb.times(wb, train), uTrain}, b);
      double objective =
          LogisticMath.dataLoss(zTrain, Rows.pick(y, train), Rows.pick(rowWeights, train)) + LogisticMath.penalty(wb, lr.l2(), lr.l1());
      OptionalDouble val = OptionalDouble.empty();
      if (validation.length > 0) {
        double[] uVal = bank.scoreSum(data, scoreSeq++, validation.length);
        val = OptionalDouble.of(AggregatedScoresBank.logLoss(xb, wb, b, uVal, validation, y));
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
      AggregatedScoresBank.control(data, e, best, stop);
      bank.listener.onEpoch(e, lr.maxEpochs());
      if (stop) {
        reason = TrainingHistory.StopReason.EARLY_STOPPED;
        break;
      }
    }
    boolean useBest = lr.earlyStopping().enabled() && stopper.bestEvaluation() >= 0;
    int bestStep = useBest ? stopper.bestEvaluation() : steps.size() - 1;
    return new AggregatedScoresBank.Result(useBest ? bestW : wb, useBest ? bestB : b, new TrainingHistory(steps, reason, bestStep), scoreSeq);
  }
}
