package io.jointly.stats;

import io.jointly.core.FixedPoint;
import io.jointly.paillier.PaillierParameters;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.RevealMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of federated statistics. Both parties must configure the same minimum cell size and
 * noise (the handshake refuses a mismatch) and the same PSI parameters (the PSI handshake checks).
 *
 * @param psi the PSI run that aligns the parties; its reveal mode must be {@link RevealMode#BANK}
 * @param paillier the partner's key size and its encryption randomness (DJN short exponents make the
 *     partner's per-customer encryption several times cheaper; the bank always masks with full
 *     randomness, see {@link StatisticsBank})
 * @param fixedPoint precision of numeric sums (the partner's choice; announced in the handshake)
 * @param minCellSize the smallest number of shared customers a released cell may describe
 * @param noise optional noise on released aggregates
 * @param batchSize customers per message of encrypted values
 * @param receiveTimeout how long the peer may give no sign of work while a message is awaited (a
 *     busy peer is waited for; see {@link io.jointly.channel.MessageChannel})
 */
public record StatisticsParameters(
    EcdhPsiParameters psi,
    PaillierParameters paillier,
    FixedPoint fixedPoint,
    int minCellSize,
    Noise noise,
    int batchSize,
    Duration receiveTimeout) {

  /** The default smallest cell: 20 customers. */
  public static final int DEFAULT_MIN_CELL_SIZE = 20;

  /**
   * ristretto255 PSI revealing membership to the bank, 2,048-bit Paillier with DJN randomness, 16
   * fractional bits, cells of at least 20, no noise, 512 customers per message, 120 s timeout.
   */
  public static final StatisticsParameters DEFAULT =
      new StatisticsParameters(
          EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder().revealMode(RevealMode.BANK).build(),
          PaillierParameters.PAILLIER_2048_DJN,
          new FixedPoint(16),
          DEFAULT_MIN_CELL_SIZE,
          Noise.none(),
          512,
          Duration.ofSeconds(120));

  public StatisticsParameters {
    Objects.requireNonNull(psi);
    Objects.requireNonNull(paillier);
    Objects.requireNonNull(fixedPoint);
    Objects.requireNonNull(noise);
    Objects.requireNonNull(receiveTimeout);
    if (psi.revealMode() != RevealMode.BANK) {
      throw new IllegalArgumentException("federated statistics run PSI in bank mode");
    }
    if (fixedPoint.fractionalBits() > 32) {
      throw new IllegalArgumentException("at most 32 fractional bits");
    }
    if (minCellSize < 1) {
      throw new IllegalArgumentException("minimum cell size must be at least 1");
    }
    if (batchSize < 1 || batchSize > 1 << 14) {
      throw new IllegalArgumentException("batch size must be in [1, 16384]");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receive timeout must be positive");
    }
  }

  public StatisticsParameters withPsi(EcdhPsiParameters p) {
    return new StatisticsParameters(p, paillier, fixedPoint, minCellSize, noise, batchSize, receiveTimeout);
  }

  public StatisticsParameters withPaillier(PaillierParameters p) {
    return new StatisticsParameters(psi, p, fixedPoint, minCellSize, noise, batchSize, receiveTimeout);
  }

  public StatisticsParameters withMinCellSize(int m) {
    return new StatisticsParameters(psi, paillier, fixedPoint, m, noise, batchSize, receiveTimeout);
  }

  public StatisticsParameters withNoise(Noise n) {
    return new StatisticsParameters(psi, paillier, fixedPoint, minCellSize, n, batchSize, receiveTimeout);
  }

  public StatisticsParameters withBatchSize(int b) {
    return new StatisticsParameters(psi, paillier, fixedPoint, minCellSize, noise, b, receiveTimeout);
  }

  public StatisticsParameters withReceiveTimeout(Duration t) {
    return new StatisticsParameters(psi, paillier, fixedPoint, minCellSize, noise, batchSize, t);
  }
}
