package io.jointly.lr;

import io.jointly.core.FixedPoint;
import io.jointly.lr.features.TransformSpec;
import io.jointly.lr.secretshared.SecretSharedLr;
import io.jointly.lr.secretshared.SecretSharedLrParameters;
import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
import io.jointly.paillier.PaillierParameters;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 * max|x|)}, about 10⁻⁵ relative at the defaults — far inside the AUC tolerance of 0.002. The
 * partner decodes its gradient with {@code featureBits + residualBits} fractional bits, which must
 * not exceed {@link FixedPoint#MAX_FRACTIONAL_BITS} (62).
 *
 * <h2>Secret-shared mode</h2>
 *
 * With {@link TrainingMode#SECRET_SHARED} the training itself runs {@link SecretSharedLr} on the
 * training rows with {@link #secretShared()}: mini-batch GD with L2 only (no L1, no early stopping,
 * no L-BFGS; construction refuses them); the validation fraction is not used (the
 * bank makes no validation split, since nothing per epoch is opened to check it against — at most
 * the training loss, {@link #epochLoss}), and the
 * score, residual and feature precisions above do not apply (the engine has its own, {@code
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
 * @param receiveTimeout how long the peer may give no sign of work while a message is awaited (a
 *     busy peer is waited for; see {@link io.jointly.channel.MessageChannel})
 * @param ivMinBinSize information value of the partner's features: 0 = not computed; otherwise
 *     the smallest bin whose counts may be released (the partner applies its own value, the bank
 *     its own on top)
 * @param sigmoid the secret-shared mode's sigmoid approximation, or {@link SigmoidChoice#AUTO} to
 *     let the bank choose it from its own data (the bank's choice is sent in the handshake and the
 *     partners follow it; unused in the other mode)
 * @param epochLoss secret-shared mode: whether the bank learns the per-epoch training loss ({@link
 *     SecretSharedLrParameters#epochLoss}); every party must set it, the engine's handshake refuses
 *     a mismatch (unused in the other mode, whose history always has the objective)
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
    SigmoidChoice sigmoid,
    boolean epochLoss) {

  /**
   * Which sigmoid approximation the bank asks for in the secret-shared mode ({@link
   * SecretSharedLrParameters.Sigmoid}). The series is periodic: a score beyond its fit interval
   * (±12 for {@code STANDARD}, ±48 for {@code WIDE}) gets a wrong residual, and many such scores
   * make training diverge, while {@code WIDE} costs three times the sigmoid's OTs and is coarser
   * near 0. Nothing about the joint scores is opened during training, so the bank can only judge
   * the range from what it holds alone.
   */
  public enum SigmoidChoice {
    /**
     * The bank first trains a model on its own features with the same schedule (the bank-only
     * model it also evaluates against) and asks for {@code WIDE} if that model's largest score on
     * the training rows reaches {@link #AUTO_WIDE_FROM} in size, {@code STANDARD} otherwise: the
     * joint model's scores were up to 2.4 times the bank-only model's on the shared data sets
     * (largest |z| joint / bank-only after 40 epochs: bank-full 8.6 / 3.6, bank.csv 6.7 / 3.3,
     * FATE breast 46 / 21 at η = 2, default_credit 27 / 57), so the threshold leaves {@code
     * STANDARD} the scores it can represent. A heuristic, not a guarantee: the partner's features
     * can widen the range beyond it; choose {@code WIDE} explicitly for nearly separable data.
     */
    AUTO,
    /** Always {@link SecretSharedLrParameters.Sigmoid#STANDARD}. */
    STANDARD,
    /** Always {@link SecretSharedLrParameters.Sigmoid#WIDE}. */
    WIDE,
    /**
     * Always {@link SecretSharedLrParameters.Sigmoid#EXTRA_WIDE} (never chosen by {@link #AUTO}:
     * eight times {@code STANDARD}'s sigmoid cost, for training small, nearly separable data sets
     * to convergence).
     */
    EXTRA_WIDE;

    /** {@link #AUTO}'s threshold on the bank-only model's largest training score: half of ±12. */
    public static final double AUTO_WIDE_FROM = 6.0;

    /** The series this choice fixes; empty for {@link #AUTO}. */
    public Optional<SecretSharedLrParameters.Sigmoid> fixed() {
      return switch (this) {
        case AUTO -> Optional.empty();
        case STANDARD -> Optional.of(SecretSharedLrParameters.Sigmoid.STANDARD);
        case WIDE -> Optional.of(SecretSharedLrParameters.Sigmoid.WIDE);
        case EXTRA_WIDE -> Optional.of(SecretSharedLrParameters.Sigmoid.EXTRA_WIDE);
      };
    }

    /** {@link #AUTO}'s rule, given the bank-only model's largest |score| on the training rows. */
    public static SecretSharedLrParameters.Sigmoid forBankOnlyScores(double largestAbsScore) {
      if (Double.isNaN(largestAbsScore) || largestAbsScore < 0) {
        throw new IllegalArgumentException("largest |score| must be ≥ 0");
      }
      return largestAbsScore >= AUTO_WIDE_FROM ? SecretSharedLrParameters.Sigmoid.WIDE : SecretSharedLrParameters.Sigmoid.STANDARD;
    }
  }

  /** The smallest bin whose responder counts information value releases, unless set otherwise. */
  public static final int DEFAULT_IV_MIN_BIN_SIZE = 20;

  /**
   * The default: {@link TrainingMode#SECRET_SHARED}, which reveals nothing but each party's own
   * final weights during training; mini-batch GD with batches of 256, 30 epochs, η = 0.5/(1 +
   * 0.5·epoch), λ₂ = 10⁻⁴, no class weights; 20 % holdout per class and no validation split (this
   * mode makes none: nothing per epoch is opened to check it against); 2,048-bit Paillier with DJN
   * randomness; 120 s per message; no information value (it releases per-bin responder counts);
   * the bank chooses the sigmoid ({@link SigmoidChoice#AUTO}). The schedule is the same as {@link
   * SecretSharedLrParameters#DEFAULT}'s.
   *
   * <p>Why these values (issue 25; figures and commands in {@code bench/README.md}): on
   * default_credit and bank-full the model comes within 0.002 held-out AUC of the centralised
   * optimum of the unweighted objective with λ₂ = 10⁻⁴ (on breast, whose 113 holdout rows make
   * 0.002 six pairs of about 3,000 and whose nearly separable optimum 30 GD epochs do not reach,
   * on about half of the random splits). Unweighted, because class weights change the optimum
   * itself, not only the path to it: with balanced weights the model ranks differently from the
   * maximum-likelihood one and log-loss is no longer calibrated; a bank that wants responders
   * weighted asks for it. Thirty epochs, the fewest that held on all of eight random splits of
   * bank-full (worst 0.0018; 20 fell 0.0024 short on one, 10 0.0026 on another).
   */
  public static final VerticalLrParameters DEFAULT =
      new VerticalLrParameters(
          TrainingMode.SECRET_SHARED,
          SecretSharedLrParameters.DEFAULT.lr(),
          0,
          0.2,
          PaillierParameters.PAILLIER_2048_DJN,
          TransformSpec.DEFAULT,
          24,
          32,
          16,
          Duration.ofSeconds(120),
          0,
          SigmoidChoice.AUTO,
          false);

  /**
   * The default of {@link TrainingMode#AGGREGATED_SCORES} (the bank sees the partners' summed
   * partial scores per customer and step; both parties must choose it): full-batch {@link
   * Optimizer#LBFGS} to convergence (gradient norm or objective decrease below 10⁻⁹, at most 100
   * iterations, memory 10), λ₂ = 10⁻⁴, no class weights, no validation split or early stopping
   * (L-BFGS stops on the training objective, which is what it optimises), 20 % holdout, 24/32/16
   * fractional bits, and information value with bins of at least {@value #DEFAULT_IV_MIN_BIN_SIZE}.
   * L-BFGS reaches the centralised optimum (federated = centralised L-BFGS iteration by
   * iteration), where mini-batch GD with a fixed epoch count or early stopping on a small
   * validation split stopped up to 0.006 AUC short on the shared data sets (issue 25).
   */
  public static final VerticalLrParameters AGGREGATED_DEFAULT =
      DEFAULT
          .withMode(TrainingMode.AGGREGATED_SCORES)
          .withLr(
              SecretSharedLrParameters.DEFAULT.lr().toBuilder()
                  .optimizer(Optimizer.LBFGS)
                  .maxEpochs(100)
                  .tolerance(1e-9)
                  .lbfgsMemory(10)
                  .build())
          .withIvMinBinSize(DEFAULT_IV_MIN_BIN_SIZE);

  /** {@link #DEFAULT} for the secret-shared mode, {@link #AGGREGATED_DEFAULT} for the other. */
  public static VerticalLrParameters defaults(TrainingMode mode) {
    return mode == TrainingMode.SECRET_SHARED ? DEFAULT : AGGREGATED_DEFAULT;
  }

  public VerticalLrParameters {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(lr);
    Objects.requireNonNull(paillier);
    Objects.requireNonNull(transform);
    Objects.requireNonNull(receiveTimeout);
    Objects.requireNonNull(sigmoid);
    if (mode == TrainingMode.SECRET_SHARED) {
      // refuses what the secret-shared engine does not support
      secretShared(lr, paillier, receiveTimeout, sigmoid.fixed().orElse(SecretSharedLrParameters.Sigmoid.STANDARD));
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
    if (featureBits + residualBits > FixedPoint.MAX_FRACTIONAL_BITS) {
      // The partner decodes its gradient, feature × residual, with their sum of fractional bits.
      throw new IllegalArgumentException(
          "feature bits + residual bits must be at most " + FixedPoint.MAX_FRACTIONAL_BITS + " (the gradient's fixed point), got "
              + (featureBits + residualBits));
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
    return new VerticalLrParameters(mode, p, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withSplit(double validation, double holdout) {
    return new VerticalLrParameters(mode, lr, validation, holdout, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withPaillier(PaillierParameters p) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, p, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withTransform(TransformSpec t) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, t, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withReceiveTimeout(Duration t) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, t, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withMode(TrainingMode m) {
    return new VerticalLrParameters(m, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, epochLoss);
  }

  public VerticalLrParameters withSigmoid(SigmoidChoice s) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, s, epochLoss);
  }

  public VerticalLrParameters withEpochLoss(boolean open) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, ivMinBinSize, sigmoid, open);
  }

  public VerticalLrParameters withIvMinBinSize(int m) {
    return new VerticalLrParameters(mode, lr, validationFraction, holdoutFraction, paillier, transform, scoreBits, residualBits, featureBits, receiveTimeout, m, sigmoid, epochLoss);
  }

  /** The secret-shared engine's parameters: this schedule, key size and timeout, with {@code s}. */
  public SecretSharedLrParameters secretShared(SecretSharedLrParameters.Sigmoid s) {
    return secretShared(lr, paillier, receiveTimeout, s).withEpochLoss(epochLoss);
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
