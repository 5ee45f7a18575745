package io.jointly.stats;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Optional calibrated noise on the released aggregates (differential privacy, Dwork et al. 2006),
 * added on the fixed-point integer grid so the released values are integers in their own units.
 *
 * <ul>
 *   <li>{@link #none()}: exact aggregates (small cells are still suppressed).
 *   <li>{@link #discreteLaplace(double)}: each released statistic gets independent two-sided
 *       geometric noise (the discrete Laplace distribution, Ghosh, Roughgarden and Sundararajan 2009)
 *       with {@code P(x) ∝ exp(−ε·|x| / Δ)}, where Δ is the statistic's sensitivity to adding or
 *       removing one customer in integer units: 1 for a count or histogram cell, {@code
 *       ⌈bound·2^f⌉} for the sum of a numeric column clipped to ±bound. Each statistic is then
 *       ε-differentially private; a customer is in one segment, so by basic composition the whole
 *       table is {@code k·ε}-DP with k the number of statistics per segment ({@link #totalEpsilon}).
 * </ul>
 *
 * <p>Sampling: a two-sided geometric variable is the difference of two geometric variables, each
 * drawn by inversion {@code ⌊−(Δ/ε)·ln U⌋} from a {@link SecureRandom} double; the output is an
 * integer, so the low-bit artefacts of floating-point continuous Laplace (Mironov, CCS 2012) do not
 * appear, but tail probabilities are those of double-precision arithmetic, not exact.
 *
 * <p>Immutable and thread-safe (sampling synchronises on the given SecureRandom).
 */
public sealed interface Noise {
  /** No noise. */
  static Noise none() {
    return None.INSTANCE;
  }

  /** Discrete Laplace noise with privacy parameter ε per released statistic. */
  static Noise discreteLaplace(double epsilon) {
    return new DiscreteLaplace(epsilon);
  }

  /** Parses {@code none} or {@code laplace:EPSILON} (as on the command line). */
  static Noise parse(String text) {
    if (text.equals("none")) {
      return none();
    }
    if (text.startsWith("laplace:")) {
      try {
        return discreteLaplace(Double.parseDouble(text.substring("laplace:".length())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("noise must be none or laplace:EPSILON");
      }
    }
    throw new IllegalArgumentException("noise must be none or laplace:EPSILON");
  }

  /** A sample for a statistic with sensitivity {@code delta} (integer units), or zero. */
  BigInteger sample(BigInteger delta, SecureRandom random);

  /** ε of the whole table for {@code statisticsPerSegment} statistics, or 0 without noise. */
  double totalEpsilon(int statisticsPerSegment);

  /** The exact-aggregate option. */
  record None() implements Noise {
    static final None INSTANCE = new None();

    @Override
    public BigInteger sample(BigInteger delta, SecureRandom random) {
      return BigInteger.ZERO;
    }

    @Override
    public double totalEpsilon(int statisticsPerSegment) {
      return 0;
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  /** Two-sided geometric noise with parameter ε per statistic. */
  record DiscreteLaplace(double epsilon) implements Noise {
    public DiscreteLaplace {
      if (!(epsilon > 0) || epsilon > 100 || Double.isNaN(epsilon)) {
        throw new IllegalArgumentException("epsilon must be in (0, 100]");
      }
    }

    @Override
    public BigInteger sample(BigInteger delta, SecureRandom random) {
      if (delta.signum() <= 0) {
        throw new IllegalArgumentException("sensitivity must be positive");
      }
      double scale = delta.doubleValue() / epsilon;
      return geometric(scale, random).subtract(geometric(scale, random));
    }

    private static BigInteger geometric(double scale, SecureRandom random) {
      double u = 1.0 - random.nextDouble(); // (0, 1]
      double g = Math.floor(-scale * Math.log(u));
      return new java.math.BigDecimal(g).toBigInteger();
    }

    @Override
    public double totalEpsilon(int statisticsPerSegment) {
      return epsilon * statisticsPerSegment;
    }

    @Override
    public String toString() {
      return "laplace:" + epsilon;
    }
  }
}
