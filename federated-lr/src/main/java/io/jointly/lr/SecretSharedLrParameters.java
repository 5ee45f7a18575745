package io.jointly.lr;

import io.jointly.paillier.PaillierParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of secret-shared vertical logistic regression ({@link SecretSharedLr}). Both parties
 * pass the same values; the handshake refuses a mismatch of anything that shapes the run.
 *
 * @param lr the schedule: {@link Optimizer#MINI_BATCH_GD}, batch size, epochs, η and its decay
 *     (η ≤ 16), λ₂ (with {@code η·λ₂ < 1}), class weights (each below 256), intercept, seed; λ₁ and
 *     early stopping are not supported in this mode
 * @param paillier each party's key size and randomness (both the same)
 * @param receiveTimeout how long to wait for each message
 * @param revealAllToBank whether the partner also opens its own weights to the bank at the end (by
 *     default each party learns only its own weights)
 */
public record SecretSharedLrParameters(
    LogisticRegressionParameters lr, PaillierParameters paillier, Duration receiveTimeout, boolean revealAllToBank) {

  /**
   * Batches of 256, 40 epochs, η = 0.5/(1 + 0.5·epoch), λ₂ = 10⁻³, intercept, seed 0; 2,048-bit
   * Paillier with DJN randomness; 10 minutes per message; each party learns its own weights.
   */
  public static final SecretSharedLrParameters DEFAULT =
      new SecretSharedLrParameters(
          LogisticRegressionParameters.DEFAULT.toBuilder()
              .optimizer(Optimizer.MINI_BATCH_GD)
              .batchSize(256)
              .maxEpochs(40)
              .learningRate(0.5)
              .learningRateDecay(0.5)
              .l2(1e-3)
              .seed(0)
              .build(),
          PaillierParameters.PAILLIER_2048_DJN,
          Duration.ofMinutes(10),
          false);

  public SecretSharedLrParameters {
    Objects.requireNonNull(lr, "lr");
    Objects.requireNonNull(paillier, "paillier");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    if (lr.optimizer() != Optimizer.MINI_BATCH_GD) {
      throw new IllegalArgumentException("secret-shared training runs mini-batch gradient descent");
    }
    if (lr.l1() != 0 || lr.earlyStopping().enabled()) {
      throw new IllegalArgumentException("secret-shared training supports neither L1 nor early stopping");
    }
    if (lr.learningRate() > 16 || !(lr.learningRate() * lr.l2() < 1)) {
      throw new IllegalArgumentException("secret-shared training needs η ≤ 16 and η·λ₂ < 1");
    }
    if (lr.batchSize() > 1 << 16) {
      throw new IllegalArgumentException("batch size must be at most 65,536");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receive timeout must be positive");
    }
  }

  public SecretSharedLrParameters withLr(LogisticRegressionParameters p) {
    return new SecretSharedLrParameters(p, paillier, receiveTimeout, revealAllToBank);
  }

  public SecretSharedLrParameters withReceiveTimeout(Duration t) {
    return new SecretSharedLrParameters(lr, paillier, t, revealAllToBank);
  }

  public SecretSharedLrParameters withRevealAllToBank(boolean all) {
    return new SecretSharedLrParameters(lr, paillier, receiveTimeout, all);
  }

  public SecretSharedLrParameters withPaillier(PaillierParameters p) {
    return new SecretSharedLrParameters(lr, p, receiveTimeout, revealAllToBank);
  }
}
