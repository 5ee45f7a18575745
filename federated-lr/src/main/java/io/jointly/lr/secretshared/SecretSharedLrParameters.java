package io.jointly.lr.secretshared;

import io.jointly.lr.training.LogisticRegressionParameters;
import io.jointly.lr.training.Optimizer;
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
 * @param receiveTimeout how long the peer may give no sign of work while a message is awaited (a
 *     busy peer is waited for; see {@link io.jointly.channel.MessageChannel})
 * @param revealAllToBank whether the partner also opens its own weights to the bank at the end (by
 *     default each party learns only its own weights)
 * @param sigmoid the Fourier series that stands in for the sigmoid ({@link Sigmoid#STANDARD} unless
 *     the scores of the optimum reach beyond ±12)
 * @param epochLoss whether the bank learns the per-epoch training loss (one number per epoch, the
 *     class-weighted mean of a Fourier approximation of the log-loss over the epoch's batches; see
 *     {@link SecretSharedLr}, "Per-epoch loss"); both parties must agree, since it is a disclosure
 *     to the bank (off by default)
 */
public record SecretSharedLrParameters(
    LogisticRegressionParameters lr,
    PaillierParameters paillier,
    Duration receiveTimeout,
    boolean revealAllToBank,
    Sigmoid sigmoid,
    boolean epochLoss) {

  /**
   * The approximation of the sigmoid that the parties evaluate on shares: a sine series of a given
   * period, fitted to the sigmoid on an interval and periodic (not a sigmoid) outside it. Training
   * only ever sees σ̂(z), so scores beyond the fit interval get a wrong residual; the interval must
   * cover the scores the run reaches. The coefficients, their fit and the measured effect on
   * accuracy are documented on the package-private implementation, {@code SharesSigmoid}.
   */
  public enum Sigmoid {
    /**
     * Period 32, 8 terms, fitted on [−12, 12], where it is within 0.0031 of σ. Enough for
     * standardised features of data that is not nearly separable (the 99th percentile of |z| is
     * 4.3 on bank-full and 3.6 on default_credit).
     */
    STANDARD(1, 5, 8, 12),
    /**
     * Period 128, 24 terms, fitted on [−48, 48], where it is within 0.014 of σ (coarser near 0 than
     * {@link #STANDARD}, but a sigmoid up to |z| = 48). For nearly separable data with large
     * scores (FATE's breast set: up to |z| = 46 after 40 epochs at η = 2). The schedule must keep
     * the scores within ±48: beyond, the series wraps round and training diverges. Three times the
     * sigmoid's OTs and sigmoid traffic of {@link #STANDARD} (on bank.csv about 10 % more CPU and
     * 60 % more traffic per epoch in all).
     */
    WIDE(2, 7, 24, 48),
    /**
     * Period 256, 64 terms, fitted on [−96, 96], where it is within 0.0043 of σ. For training
     * nearly separable data to convergence, whose optimum has scores beyond ±48 (FATE's breast set
     * with full-batch GD: up to |z| = 66). Eight times the sigmoid's OTs and sigmoid traffic of
     * {@link #STANDARD}: meant for small data sets.
     */
    EXTRA_WIDE(3, 8, 64, 96);

    final int wireCode;
    final int periodBits;
    final int terms;
    final int fitBound;

    Sigmoid(int wireCode, int periodBits, int terms, int fitBound) {
      this.wireCode = wireCode;
      this.periodBits = periodBits;
      this.terms = terms;
      this.fitBound = fitBound;
    }

    /** The code of this series in the handshakes (part of the wire format). */
    public int wireCode() {
      return wireCode;
    }

    /** The period of the series (a power of two). */
    public int period() {
      return 1 << periodBits;
    }

    /** The number of sine terms. */
    public int terms() {
      return terms;
    }

    /** B: the series is fitted to the sigmoid on [−B, B]. */
    public int fitBound() {
      return fitBound;
    }
  }

  /**
   * Batches of 256, 30 epochs, η = 0.5/(1 + 0.5·epoch), λ₂ = 10⁻⁴, no class weights, intercept,
   * seed 0 (the schedule of {@code VerticalLrParameters.DEFAULT}, which explains it); 2,048-bit
   * Paillier with DJN randomness; 10 minutes per message; each party learns its own weights; the
   * {@link Sigmoid#STANDARD} sigmoid; no per-epoch loss.
   */
  public static final SecretSharedLrParameters DEFAULT =
      new SecretSharedLrParameters(
          LogisticRegressionParameters.DEFAULT.toBuilder()
              .optimizer(Optimizer.MINI_BATCH_GD)
              .batchSize(256)
              .maxEpochs(30)
              .learningRate(0.5)
              .learningRateDecay(0.5)
              .l2(1e-4)
              .seed(0)
              .build(),
          PaillierParameters.PAILLIER_2048_DJN,
          Duration.ofMinutes(10),
          false,
          Sigmoid.STANDARD,
          false);

  public SecretSharedLrParameters {
    Objects.requireNonNull(lr, "lr");
    Objects.requireNonNull(paillier, "paillier");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    Objects.requireNonNull(sigmoid, "sigmoid");
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
    return new SecretSharedLrParameters(p, paillier, receiveTimeout, revealAllToBank, sigmoid, epochLoss);
  }

  public SecretSharedLrParameters withReceiveTimeout(Duration t) {
    return new SecretSharedLrParameters(lr, paillier, t, revealAllToBank, sigmoid, epochLoss);
  }

  public SecretSharedLrParameters withRevealAllToBank(boolean all) {
    return new SecretSharedLrParameters(lr, paillier, receiveTimeout, all, sigmoid, epochLoss);
  }

  public SecretSharedLrParameters withPaillier(PaillierParameters p) {
    return new SecretSharedLrParameters(lr, p, receiveTimeout, revealAllToBank, sigmoid, epochLoss);
  }

  public SecretSharedLrParameters withSigmoid(Sigmoid s) {
    return new SecretSharedLrParameters(lr, paillier, receiveTimeout, revealAllToBank, s, epochLoss);
  }

  public SecretSharedLrParameters withEpochLoss(boolean open) {
    return new SecretSharedLrParameters(lr, paillier, receiveTimeout, revealAllToBank, sigmoid, open);
  }
}
