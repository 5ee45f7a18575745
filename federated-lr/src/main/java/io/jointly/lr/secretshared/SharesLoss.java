package io.jointly.lr.secretshared;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The per-epoch training loss on shares: a Fourier series of the log-loss with the sigmoid's period
 * and number of terms, so that it rides on the sigmoid's oblivious transfers ({@link
 * SecretSharedLr}, "Per-epoch loss").
 *
 * <h2>The series</h2>
 *
 * The log-loss of a row is {@code ℓ(y, z) = softplus((1 − 2y)·z) = g(z) + (1 − 2y)·z/2} with {@code
 * g(z) = log(2·cosh(z/2))} even. With ω = 2π/P (P, K of the {@link SharesSigmoid}):
 *
 * <pre>
 *   ℓ̂(y, z) = a₀ + Σ_k a_k·cos(kωz) + (1 − 2y)·Σ_k b_k·sin(kωz),
 * </pre>
 *
 * a₀, a_k fitted to g and b_k to z/2:
 *
 * <ul>
 *   <li>STANDARD (P = 32, K = 8): least squares on the 24,001 points {@code −12 + i·10⁻³} of
 *       [−12, 12] (QR). Within 0.0131 of ℓ on [−12, 12], 0.0023 on [−6, 6].
 *   <li>WIDE (128, 24, fit bound R = 48) and EXTRA_WIDE (256, 64, R = 96): least squares over one
 *       whole period (16,384 equally spaced points of [−P/2, P/2), where the basis is orthogonal: each
 *       coefficient is a discrete Fourier coefficient), against g on [−R, R] continued to P/2 by a
 *       quarter sine with slope 0 at P/2, {@code g(R) + g'(R)·(2L/π)·sin(π(|z| − R)/(2L))}, L = P/2 −
 *       R, and z/2 on [−R, R] continued by the cubic Hermite curve from {@code (R, R/2)} with slope
 *       1/2 to {@code (P/2, 0)} with slope −4 (odd). Within 0.014 of ℓ on [−48, 48] (WIDE; 0.0099
 *       on [−6, 6]) and 0.0044 on [−96, 96] (EXTRA_WIDE; 0.0025 on [−6, 6]).
 * </ul>
 *
 * Like the sigmoid, the series is periodic: a score beyond the fit bound gets a wrong loss. The
 * coefficients are computed here (the bank alone uses them; {@code SharesLossTest} checks the error
 * bounds above).
 *
 * <h2>On shares</h2>
 *
 * With {@code θ = θ_b + θ_p}, {@code a·cos kθ + b'·sin kθ = cos kθ_p·(a·cos kθ_b + b'·sin kθ_b) +
 * sin kθ_p·(b'·cos kθ_b − a·sin kθ_b)}: the partner's vector is the sigmoid's {@link
 * SharesSigmoid#partnerTerms} unchanged, and the bank's is {@link #bankTerms}.
 *
 * <p>Immutable; thread-safe.
 */
final class SharesLoss {
  /** The fewest fractional bits of the bank's loss terms {@link #scaleBits} may give. */
  static final int MIN_SCALE_BITS = 8;

  /** The most fractional bits of the bank's loss terms: far below the series' own error. */
  static final int MAX_SCALE_BITS = 24;

  /** The Hermite slope of the odd part's continuation at the half period. */
  static final double ODD_END_SLOPE = -4;

  private final SharesSigmoid sigmoid;
  private final double a0;
  private final double[] a;
  private final double[] b;

  private SharesLoss(SharesSigmoid sigmoid, double a0, double[] a, double[] b) {
    this.sigmoid = sigmoid;
    this.a0 = a0;
    this.a = a;
    this.b = b;
  }

  private static final class Holder {
    static final SharesLoss STANDARD = fit(SharesSigmoid.STANDARD);
    static final SharesLoss WIDE = fit(SharesSigmoid.WIDE);
    static final SharesLoss EXTRA_WIDE = fit(SharesSigmoid.EXTRA_WIDE);
  }

  /** The loss series that goes with {@code sigmoid}. */
  static SharesLoss of(SharesSigmoid sigmoid) {
    return switch (sigmoid.kind()) {
      case STANDARD -> Holder.STANDARD;
      case WIDE -> Holder.WIDE;
      case EXTRA_WIDE -> Holder.EXTRA_WIDE;
    };
  }

  /** The constant term a₀, which the bank adds locally (times the row's weight). */
  double constant() {
    return a0;
  }

  /** {@code |a₀| + Σ_k (|a_k| + |b_k|)}: a bound on |ℓ̂| everywhere. */
  double bound() {
    double s = Math.abs(a0);
    for (int k = 0; k < a.length; k++) {
      s += Math.abs(a[k]) + Math.abs(b[k]);
    }
    return s;
  }

  /**
   * Fractional bits F of the bank's loss terms for an epoch over {@code rows} rows: a row adds
   * {@code s·ℓ̂·2^(F + F_V)} (plus rounding) to the epoch's sum, with {@code s < 2^S_LIMIT_BITS}
   * and {@code |ℓ̂| ≤ bound()}, so the sum stays below 2^62 and is exact modulo 2^64 when {@code
   * S_LIMIT + ⌈log2 bound⌉ + F + F_V + ⌈log2 rows⌉ ≤ 61}; at most {@link #MAX_SCALE_BITS}. (A
   * term rounded to F bits moves a row's loss by at most {@code 2K·2^−(F+1)}, a partner term
   * rounded to F_V bits by at most {@code bound·2^−(F_V+1)}.)
   */
  int scaleBits(int rows) {
    int boundBits = SharesMath.ceilLog2((int) Math.ceil(bound()));
    int f = 61 - SharesLayout.S_LIMIT_BITS - boundBits - SharesLayout.F_V - SharesMath.ceilLog2(Math.max(1, rows));
    return Math.min(MAX_SCALE_BITS, f);
  }

  /** {@code ℓ̂(y, z)} in double precision. */
  double value(int y, double z) {
    double omega = 2 * Math.PI / (1 << sigmoid.periodBits());
    double v = a0;
    for (int k = 1; k <= a.length; k++) {
      v += a[k - 1] * Math.cos(k * omega * z) + (1 - 2 * y) * b[k - 1] * Math.sin(k * omega * z);
    }
    return v;
  }

  /**
   * The bank's vector for a row with label y and angle {@code θ_b}, paired with the partner's
   * {@code (cos kθ_p, sin kθ_p)_k}: {@code (a_k cos kθ_b + b'_k sin kθ_b, b'_k cos kθ_b − a_k sin
   * kθ_b)_k}, b' = (1 − 2y)·b (interleaved like {@link SharesSigmoid#partnerTerms}).
   */
  double[] bankTerms(double theta, int y) {
    double[] u = new double[2 * a.length];
    double sign = 1 - 2 * y;
    for (int k = 1; k <= a.length; k++) {
      double c = Math.cos(k * theta);
      double s = Math.sin(k * theta);
      double bk = sign * b[k - 1];
      u[2 * (k - 1)] = a[k - 1] * c + bk * s;
      u[2 * (k - 1) + 1] = bk * c - a[k - 1] * s;
    }
    return u;
  }

  static double g(double z) {
    double h = Math.abs(z) / 2;
    return h + Math.log1p(Math.exp(-2 * h)); // log(2 cosh(z/2)), stable
  }

  private static SharesLoss fit(SharesSigmoid sigmoid) {
    int period = 1 << sigmoid.periodBits();
    int terms = sigmoid.terms();
    int bound = sigmoid.kind().fitBound();
    double omega = 2 * Math.PI / period;
    double[] zs;
    double[] even;
    double[] odd;
    if (sigmoid.kind() == SecretSharedLrParameters.Sigmoid.STANDARD) {
      int points = 24_001;
      zs = new double[points];
      even = new double[points];
      odd = new double[points];
      for (int i = 0; i < points; i++) {
        double z = -bound + i * 1e-3;
        zs[i] = z;
        even[i] = g(z);
        odd[i] = z / 2;
      }
    } else {
      int points = 16_384;
      zs = new double[points];
      even = new double[points];
      odd = new double[points];
      double half = period / 2.0;
      double l = half - bound;
      double gR = g(bound);
      double slope = 0.5 * Math.tanh(bound / 2.0);
      for (int i = 0; i < points; i++) {
        double z = -half + i * (period / (double) points);
        double abs = Math.abs(z);
        zs[i] = z;
        if (abs <= bound) {
          even[i] = g(z);
          odd[i] = z / 2;
        } else {
          even[i] = gR + slope * (2 * l / Math.PI) * Math.sin(Math.PI * (abs - bound) / (2 * l));
          double t = (abs - bound) / l;
          double h =
              (2 * t * t * t - 3 * t * t + 1) * (bound / 2.0)
                  + (t * t * t - 2 * t * t + t) * l * 0.5
                  + (t * t * t - t * t) * l * ODD_END_SLOPE;
          odd[i] = Math.signum(z) * h;
        }
      }
    }
    double[][] cosBasis = new double[zs.length][terms + 1];
    double[][] sinBasis = new double[zs.length][terms];
    for (int i = 0; i < zs.length; i++) {
      cosBasis[i][0] = 1;
      for (int k = 1; k <= terms; k++) {
        cosBasis[i][k] = Math.cos(k * omega * zs[i]);
        sinBasis[i][k - 1] = Math.sin(k * omega * zs[i]);
      }
    }
    double[] ce = leastSquares(cosBasis, even);
    double[] co = leastSquares(sinBasis, odd);
    double[] a = new double[terms];
    System.arraycopy(ce, 1, a, 0, terms);
    return new SharesLoss(sigmoid, ce[0], a, co);
  }

  private static double[] leastSquares(double[][] design, double[] target) {
    RealMatrix x = new Array2DRowRealMatrix(design, false);
    RealVector y = new ArrayRealVector(target, false);
    return new QRDecomposition(x).getSolver().solve(y).toArray();
  }

  @Override
  public String toString() {
    return "SharesLoss[" + sigmoid.kind() + "]";
  }
}
