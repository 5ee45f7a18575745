package io.jointly.lr;

import io.jointly.core.FixedPoint;
import io.jointly.paillier.PaillierParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of vertical federated logistic regression. The bank's values govern the run: it sends
 * the training schedule (optimiser settings, regularisation, seed, early stopping) to the partners
 * in the handshake; only the mode must be selected by both.
 *
 * <h2>Fixed-point precision</h2>
 *
 * Partial scores travel as {@link FixedPoint} encodings with {@link #scoreBits()} fractional bits
 * (default 24: resolution 6·10⁻⁸). Residuals are encrypted with {@link #residualBits()} fractional
 * bits (default 32) and must satisfy {@code |d·2^bits| < 2^48}; a partner's encoded features are
 * integer scalars with {@link #featureBits()} fractional bits (default 16) and must satisfy {@code
 * |x| < 2^(31 − bits)} (32,768 at the default; standardised features are far below). A gradient
 * entry then carries an absolute error below {@code |B|·(2^−featureBits·max|d| + 2^−residualBits·
 * max|x|)}, about 10⁻⁵ relative at the defaults — far inside the AUC tolerance of 0.002.
 *
 * <h2>Secret-shared mode</h2>
 *
 * With {@link TrainingMode#SECRET_SHARED} the training itself runs {@link SecretSharedLr} on the
 * training rows with {@link #secretShared()}: mini-batch GD with L2 only (no L1, no early stopping,
 * no L-BFGS; construction refuses them); the validation fraction is not used (the
 * bank makes no validation split, since nothing per epoch is opened to check it against), and the
 * score, residual and feature precisions above do not apply (the engine has its own, {@link
 * SharesLayout}).
 *
 * @param mode what the parties compute together (and so what leaks)
 * @param lr the optimiser settings: {@link Optimizer#MINI_BATCH_GD} (one round trip per batch) or
 *     full-batch {@link Optimizer#LBFGS} (L2 only; a few round trips per iteration, see {@link
 *     VerticalLrBank})
 * @param validationFraction share of each class of aligned rows for early stopping
 * @param holdoutFraction share of each class held out for the evaluation
 * @param paillier the bank's Paillier key size and randomness
 * @param transform how each party encodes its own columns
 * @param scoreBits fractional bits of partial scores
 * @param residualBits fractional bits of encrypted residuals
 * @param featureBits fractional bits of a partner's feature scalars
 * @param receiveTimeout how long to wait for each message
 * @param ivMinBinSize information value of the partner's features: 0 = not computed; otherwise
 *     the smallest bin whose counts may be released (the partner applies its own value, the bank
 *     its own on top)
 * @param sigmoid the secret-shared mode's sigmoid approximation (the bank's choice, sent in the
 *     handshake; unused in the other mode)
 */
public record VerticalLrParameters(
    TrainingMode mode,
    LogisticRegressionParameters lr,
    double validationFraction,
    double holdoutFraction,
    PaillierParameters paillier,
    TransformSpec transform,
    int scoreBits,
    int residualBits,
    int featureBits,
    Duration receiveTimeout,
    int ivMinBinSize,
    SecretSharedLrParameters.Sigmoid sigmoid) {

  /**
   * Aggregated-score mode; mini-batch GD with batches of 256, 30 epochs, η = 0.5/(1 + 0.5·epoch),
   * λ₂ = 10⁻³; 10 % validation and 20 % holdout per class; 2,048-bit Paillier with DJN randomness;
   * 24/32/16 fractional bits; 120 s per message; information value with bins of at least 20.
   */
  public static final VerticalLrParameters DEFAULT =
      new VerticalLrParameters(
          TrainingMode.AGGREGATED_SCORES,
          LogisticRegressionParameters.DEFAULT.toBuilder()
              .optimizer(Optimizer.MINI_BATCH_GD)
              .batchSize(256)
              .maxEpochs(30)
              .learningRate(0.5)
              .learningRateDecay(0.5)
              .l2(1e-3)
              .build(),
          0.1,
          0.2,
          PaillierParameters.PAILLIER_2048_DJN,
          TransformSpec.DEFAULT,
          24,
          32,
          16,
          Duration.ofSeconds(120),
          20,
          SecretSharedLrParameters.Sigmoid.STANDARD);

  public VerticalLrParameters {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(lr);
    Objects.requireNonNull(paillier);
    Objects.requireNonNull(transform);
    Objects.requireNonNull(receiveTimeout);
    Objects.requireNonNull(sigmoid);
    if (mode == TrainingMode.SECRET_SHARED) {
      secretShared(lr, paillier, receiveTimeout, sigmoid); // refuses what the secret-shared engine does not support
    }
    if (lr.optimizer() == Optimizer.LBFGS && lr.l1() > 0) {
      throw new IllegalArgumentException(
          "federated L-BFGS supports L2 only (OWL-QN's orthant projection would need another exchange per trial): use gradient descent for L1");
    }
    if (!(validationFraction >= 0) || !(holdoutFraction >= 0) || !(validationFraction + holdoutFraction < 1)) {
      throw new IllegalArgumentException("validation and holdout fractions must be ≥ 0 and sum below 1");
    }
    if (lr.earlyStopping().enabled() && validationFraction == 0) {
      throw new IllegalArgumentException("early stopping needs a validation fraction");
    }
    if (scoreBits < 8 || scoreBits > 40) {
      throw new IllegalArgumentException("score bits must be in [8, 40]");
    }
    if (residualBits < 16 || residualBits > 40) {
      throw new IllegalArgumentException("residual bits must be in [16, 40]");
    }
    if (featureBits < 8 || featureBits > 24) {
      throw new IllegalArgumentException("feature bits must be in [8, 24]");
    }
    if (lr.batchSize() > 1 << 16) {
      throw new IllegalArgumentException("batch size must be at most 65,536");
    }
    if (ivMinBinSize < 0) {
      throw new IllegalArgumentException("IV minimum bin size must be ≥ 0 (0 = off)");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receive timeout must be positive");
    }
  }

  public VerticalLrParameters withLr(LogisticRegressionParameters p) {
    return new VerticalLrParameters(mode, p, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withSplit(double validation, double holdout) {
    return new VerticalLrParameters(mode, lr, validation, holdout, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withPaillier(PaillierParameters p) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, p, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withTransform(TransformSpec t) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, t, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withReceiveTimeout(Duration t) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, t, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withMode(TrainingMode m) {
    return new VerticalLrParameters(m, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid);
  }

  public VerticalLrParameters withSigmoid(SecretSharedLrParameters.Sigmoid s) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, s);
  }

  public VerticalLrParameters withIvMinBinSize(int m) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, m, sigmoid);
  }

  /** The secret-shared engine's parameters: this schedule, key size, timeout and sigmoid. */
  public SecretSharedLrParameters secretShared() {
    return secretShared(lr, paillier, receiveTimeout, sigmoid);
  }

  private static SecretSharedLrParameters secretShared(
      LogisticRegressionParameters lr, PaillierParameters paillier, Duration timeout, SecretSharedLrParameters.Sigmoid sigmoid) {
    return SecretSharedLrParameters.DEFAULT.withLr(lr).withPaillier(paillier).withReceiveTimeout(timeout).withSigmoid(sigmoid);
  }

  FixedPoint scoreCodec() {
    return new FixedPoint(scoreBits);
  }

  FixedPoint residualCodec() {
    return new FixedPoint(residualBits);
  }

  FixedPoint featureCodec() {
    return new FixedPoint(featureBits);
  }
}
