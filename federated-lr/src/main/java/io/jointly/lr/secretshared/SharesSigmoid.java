package io.jointly.lr.secretshared;

import java.math.BigInteger;

/**
 * The sigmoid of secret-shared training: a Fourier series that additive shares can evaluate with
 * one inner product per row (Boura, Gama, Georgieva, Jetchev, "High-precision privacy-preserving
 * real-valued function evaluation", FC 2018, §3: periodic approximations on shares modulo the
 * period).
 *
 * <h2>The approximation</h2>
 *
 * {@code σ̂(z) = 1/2 + Σ_{k=1..K} β_k·sin(2πkz/P)}, one per {@link
 * SecretSharedLrParameters.Sigmoid}; the coefficients are computed by {@code
 * federated-lr/tools/fourier_sigmoid.py} (numpy {@code lstsq}; run {@code python3
 * federated-lr/tools/fourier_sigmoid.py} from the repository root) and recomputed in Java by
 * {@code SharesSigmoidTest}:
 *
 * <ul>
 *   <li>{@link #STANDARD}: P = 32, K = 8, the least-squares fit of {@code σ(z) − 1/2} on the
 *       240,001 points {@code −12 + i·10⁻⁴} of [−12, 12]. Its error is below 0.0031 on [−12, 12]
 *       and it stays within [−0.0013, 1.0013] everywhere; outside [−12, 12] it is periodic, not a
 *       sigmoid (scores of such magnitude are rare once features are standardised: the 99th
 *       percentile of |z| is 4.3 on bank-full and 3.6 on default_credit). On nearly separable
 *       data whose optimum has larger scores it fails: on FATE's breast set (training scores of
 *       the L-BFGS optimum up to |z| = 66, of 40 epochs of GD at η = 2 up to 46) the simulated
 *       holdout AUC drops by 0.07 and the two-party log-loss rises by 271 % (table below).
 *   <li>{@link #WIDE}: P = 128, K = 24, fitted on [−48, 48]. The least-squares fit on [−48, 48]
 *       alone is useless: its design matrix has condition number 5·10⁶ (24 odd sines on
 *       three quarters of their period are nearly dependent), its coefficients reach 2,139 and
 *       the series ±15,000 outside the interval, which neither bounds σ̂ nor survives fixed point.
 *       So the fit runs over one whole period, the 131,072 points {@code i/1024} of [−64, 64),
 *       against the odd target {@code σ(z) − 1/2} on [−48, 48] tapered to 0 on 48 &lt; |z| ≤ 64 by
 *       a half cosine, {@code sign(z)·(σ(48) − 1/2)·(1 + cos(π(|z| − 48)/16))/2}; on a whole
 *       period the sines are orthogonal, so each β_k is a discrete Fourier sine coefficient and
 *       the fit is perfectly conditioned. Its error is below 0.014 on [−48, 48] (the largest near
 *       |z| = 1: 24 terms of period 128 have wavelengths of at least 5.3, coarser than STANDARD's
 *       4; below 0.0053 for |z| ≥ 8) and it stays within [−0.0050, 1.0050] everywhere. It costs
 *       three times STANDARD's sigmoid OTs (768 instead of 256 per row) and two more bits of
 *       score ring ({@link SharesLayout}).
 * </ul>
 *
 * <ul>
 *   <li>{@link #EXTRA_WIDE}: P = 256, K = 64, fitted like WIDE over one whole period (the 131,072
 *       points {@code i/512} of [−128, 128)) against {@code σ(z) − 1/2} on [−96, 96], tapered to 0
 *       on 96 &lt; |z| ≤ 128 by the half cosine {@code sign(z)·(σ(96) − 1/2)·(1 + cos(π(|z| −
 *       96)/32))/2}. Its error is below 0.0043 on [−96, 96] (wavelengths of at least 4, as
 *       STANDARD's; below 0.0016 for |z| ≥ 8) and it stays within [−0.0013, 1.0013] everywhere.
 *       For training nearly separable data to convergence: FATE's breast set's L-BFGS optimum has
 *       training scores up to |z| = 66, beyond WIDE. It costs eight times STANDARD's sigmoid OTs
 *       (2,048 per row) and three more bits of score ring.
 * </ul>
 *
 * Every |β_k| is below 1 (STANDARD: Σ|β_k| = 0.77, WIDE: 1.20, EXTRA_WIDE: 1.43): {@link SharesLayout} bounds the
 * bank's terms {@code η·s/|B|·β_k·sin kθ} by {@code η·s/|B|}.
 *
 * <h2>Why a Fourier series</h2>
 *
 * Plaintext simulations of mini-batch GD (batches of 256, η = 0.5/(1 + 0.5·epoch), 40 epochs, λ₂
 * = 10⁻³, 20 % stratified holdout) against the same run with the exact sigmoid, holdout AUC and
 * log-loss (bank-full without duration / default_credit):
 *
 * <table>
 *   <caption>Holdout AUC and log-loss change against the exact sigmoid</caption>
 *   <tr><th>approximation</th><th>ΔAUC</th><th>Δlog-loss</th></tr>
 *   <tr><td>Taylor 1/2 + z/4</td><td>−0.0044 / −0.0057</td><td>+10.1 % / +2.8 %</td></tr>
 *   <tr><td>least-squares cubic on [−6, 6]</td><td>−0.0015 / diverges</td><td>+0.9 % / —</td></tr>
 *   <tr><td>least-squares cubic on [−8, 8]</td><td>−0.0019 / −0.0032</td><td>+4.3 % / +4.1 %</td></tr>
 *   <tr><td>least-squares quintic on [−6, 6]</td><td>−0.0003 / −0.0021</td><td>+0.3 % / +0.2 %</td></tr>
 *   <tr><td>least-squares degree 7 on [−10, 10]</td><td>−0.0009 / −0.0023</td><td>+0.4 % / +0.5 %</td></tr>
 *   <tr><td>Fourier, 6 terms, period 32, fit on [−12, 12]</td><td>+0.0000 / −0.0008</td><td>+0.05 % / +0.05 %</td></tr>
 *   <tr><td><b>Fourier, 8 terms, period 32, fit on [−12, 12]</b></td><td>+0.0000 / −0.0003</td><td>+0.005 % / +0.03 %</td></tr>
 * </table>
 *
 * Polynomials diverge or bias the optimum because they grow without bound outside their range;
 * the Fourier series is bounded, and on shares it costs no multiplication of secrets by secrets:
 * with {@code z = a + b (mod P)} split between the parties, {@code sin(k(θ_a + θ_b)) =
 * sin kθ_a·cos kθ_b + cos kθ_a·sin kθ_b} is an inner product of a vector the bank computes alone
 * ({@link #bankTerms}) with one the partner computes alone ({@link #partnerTerms}). Integer shares
 * reduced modulo the period are uniform and hide z completely.
 *
 * <h2>Two-party runs</h2>
 *
 * {@code SecretSharedRun} (bench; 2026-11-23, commit 5cb9b6d or its parent, same library code;
 * default_credit without the |z| line, which came with 5cb9b6d):
 * both parties in one JVM, 20 % stratified holdout, λ₂ = 10⁻³, batches of 256, 40 epochs, η/(1 +
 * 0.5·epoch), against centralised mini-batch GD with the same schedule and the L-BFGS optimum of
 * the same objective; with the largest |z| each model reaches on the training rows.
 *
 * <table>
 *   <caption>Holdout AUC and log-loss of secret-shared training</caption>
 *   <tr><th>data set, η</th><th>sigmoid</th><th>largest |z|: secret-shared / GD / L-BFGS</th>
 *       <th>ΔAUC, Δlog-loss vs GD</th><th>vs L-BFGS</th><th>CPU-µs / row·feature·epoch, MB / epoch</th></tr>
 *   <tr><td>breast, 2</td><td>STANDARD</td><td>580 / 46 / 66</td><td>−0.0003, +271 %</td><td>−0.0003, +306 %</td><td>53.0, 9</td></tr>
 *   <tr><td>breast, 2</td><td><b>WIDE</b></td><td>46 / 46 / 66</td><td>+0.0000, +0.50 %</td><td>+0.0000, +9.9 %</td><td>64.3, 17</td></tr>
 *   <tr><td>breast, 8</td><td>WIDE</td><td>2,242 / 142 / 66</td><td>−0.0003, +1,425 %</td><td>−0.0003, +1,332 %</td><td>—</td></tr>
 *   <tr><td>bank.csv, 0.5</td><td><b>STANDARD</b></td><td>6.6 / 6.7 / 6.8</td><td>+0.0007, +0.14 %</td><td>−0.0169, +2.3 %</td><td>40.2, 97</td></tr>
 *   <tr><td>bank.csv, 0.5</td><td>WIDE</td><td>6.1 / 6.7 / 6.8</td><td>+0.0021, +0.12 %</td><td>−0.0155, +2.3 %</td><td>44.0, 159</td></tr>
 *   <tr><td>default_credit, 0.5</td><td><b>STANDARD</b></td><td>not recorded (99th percentile 3.6)</td><td>+0.0021, −0.02 %</td><td>+0.0020, −0.01 %</td><td>42.7, 406</td></tr>
 * </table>
 *
 * So: STANDARD while the scores stay within ±12 (standardised features, data not nearly
 * separable); WIDE when they go beyond, as long as the schedule keeps them within ±48 — past it
 * WIDE wraps round as STANDARD does past ±16, and training diverges (breast at η = 8, where even
 * centralised GD overshoots to |z| = 142). Neither follows GD to breast's L-BFGS optimum, whose
 * scores reach 66: with η = 2 GD stops 9 % above its log-loss centrally, 9.9 % in shares. On
 * data that does not need it WIDE is no better (coarser near 0) and costs about 10 % more CPU and
 * 60 % more traffic. (The breast rows' CPU figures are dominated by fixed per-step costs: 456 rows.)
 *
 * <p>Immutable; thread-safe.
 */
final class SharesSigmoid {
  /** {@link SecretSharedLrParameters.Sigmoid#STANDARD}: period 32, 8 terms, fit on [−12, 12]. */
  static final SharesSigmoid STANDARD =
      new SharesSigmoid(
          SecretSharedLrParameters.Sigmoid.STANDARD,
          new double[] {
            0.5977803591174341,
            0.0022011980024091715,
            0.1207257069899279,
            0.009292439424982344,
            0.025030665412235507,
            0.01042699344630847,
            0.0022936532157180976,
            0.005279256406063348
          });

  /** {@link SecretSharedLrParameters.Sigmoid#WIDE}: period 128, 24 terms, fit on [−48, 48]. */
  static final SharesSigmoid WIDE =
      new SharesSigmoid(
          SecretSharedLrParameters.Sigmoid.WIDE,
          new double[] {
            0.6068591773755287,
            0.05055607592307917,
            0.13792727260179616,
            0.07474625520734293,
            0.041191070451667054,
            0.06739576455218411,
            0.01889150833559785,
            0.04450189596926591,
            0.01870100281864875,
            0.025040889558416216,
            0.017981162381917982,
            0.01581889024536787,
            0.013092717094704356,
            0.012497209976216608,
            0.008423330686778368,
            0.009712311173176594,
            0.006237104807469432,
            0.0065992410163759965,
            0.005143243600870178,
            0.004502327351928933,
            0.0037731824356811855,
            0.003551557462203665,
            0.0024627415342130094,
            0.0028049740493274597
          });

  /** {@link SecretSharedLrParameters.Sigmoid#EXTRA_WIDE}: period 256, 64 terms, fit on [−96, 96]. */
  static final SharesSigmoid EXTRA_WIDE =
      new SharesSigmoid(
          SecretSharedLrParameters.Sigmoid.EXTRA_WIDE,
          new double[] {
            0.6078021407872717,
            0.05242256923368299,
            0.14067943075869935,
            0.07832968565883797,
            0.045537475888771176,
            0.07242604639990993,
            0.02451909307484218,
            0.05063603952799603,
            0.025249867270852308,
            0.031914240808683554,
            0.025092596708613524,
            0.02308755273663242,
            0.02044452036656231,
            0.019865594474120916,
            0.015749628272226708,
            0.01694578321490314,
            0.01333472709732364,
            0.013525303138498604,
            0.011868822252500095,
            0.01100468341642813,
            0.01003512168451065,
            0.009560785474030935,
            0.008211235242733171,
            0.00828838546337894,
            0.007010569557740504,
            0.00688224758951287,
            0.006178980386581969,
            0.005743351200514991,
            0.005275727115995041,
            0.00500100567906735,
            0.004386194767919793,
            0.004350901798994916,
            0.003755069761696688,
            0.003652588866900561,
            0.003300567650510497,
            0.0030699596956455712,
            0.002825662062205341,
            0.0026754408123022457,
            0.0023583984223472607,
            0.002331544960354282,
            0.0020198032280850133,
            0.001963060947796337,
            0.0017754175739253183,
            0.0016521152166558972,
            0.0015210168022729738,
            0.001441947094976209,
            0.0012682059390984775,
            0.001259390672233466,
            0.0010857049782364916,
            0.0010599990753422904,
            0.000956637465174548,
            0.0008908354747472133,
            0.0008196505481045998,
            0.0007797203397254034,
            0.0006805123348076134,
            0.0006834604467930994,
            0.0005821507461134592,
            0.0005738907586153169,
            0.000515504554948365,
            0.0004806196213988385,
            0.00044164730894351995,
            0.0004226531273435648,
            0.0003638960575571698,
            0.0003725532917509683
          });

  private final SecretSharedLrParameters.Sigmoid kind;
  private final double[] beta;

  private SharesSigmoid(SecretSharedLrParameters.Sigmoid kind, double[] beta) {
    if (beta.length != kind.terms()) {
      throw new IllegalArgumentException("one coefficient per term is needed");
    }
    for (double b : beta) {
      if (!(Math.abs(b) < 1)) {
        throw new IllegalArgumentException("the layout assumes every coefficient below 1 in size");
      }
    }
    this.kind = kind;
    this.beta = beta.clone();
  }

  /** The series of {@code kind}. */
  static SharesSigmoid of(SecretSharedLrParameters.Sigmoid kind) {
    return switch (kind) {
      case STANDARD -> STANDARD;
      case WIDE -> WIDE;
      case EXTRA_WIDE -> EXTRA_WIDE;
    };
  }

  SecretSharedLrParameters.Sigmoid kind() {
    return kind;
  }

  /** K, the number of terms. */
  int terms() {
    return kind.terms;
  }

  /** The period is {@code 2^periodBits()}. */
  int periodBits() {
    return kind.periodBits;
  }

  /** {@code β_k}, k = 1..K (a copy). */
  double[] beta() {
    return beta.clone();
  }

  /** Bits of a score residue: the period in fixed point, {@code periodBits + F_Z}. */
  int scoreResidueBits() {
    return kind.periodBits + SharesLayout.F_Z;
  }

  /** {@code σ̂(z)} in double precision. */
  double value(double z) {
    double s = 0.5;
    double period = 1 << kind.periodBits;
    for (int k = 1; k <= beta.length; k++) {
      s += beta[k - 1] * Math.sin(2 * Math.PI * k * z / period);
    }
    return s;
  }

  /**
   * The angle {@code 2π·(share mod 2^(periodBits+fractionalBits)) / 2^(periodBits+fractionalBits)}
   * of a share of a fixed-point score.
   */
  double angle(BigInteger share, int fractionalBits) {
    int bits = kind.periodBits + fractionalBits;
    long residue = share.and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)).longValue();
    return 2 * Math.PI * Math.scalb((double) residue, -bits);
  }

  /** The angle {@code 2π·residue / 2^(periodBits+F_Z)} of a score share modulo the period. */
  double angle(long residue) {
    return 2 * Math.PI * Math.scalb((double) residue, -scoreResidueBits());
  }

  /** The bank's vector: {@code β_k·sin kθ} and {@code β_k·cos kθ}, k = 1..K (interleaved). */
  double[] bankTerms(double theta) {
    double[] u = new double[2 * beta.length];
    for (int k = 1; k <= beta.length; k++) {
      u[2 * (k - 1)] = beta[k - 1] * Math.sin(k * theta);
      u[2 * (k - 1) + 1] = beta[k - 1] * Math.cos(k * theta);
    }
    return u;
  }

  /** The partner's vector: {@code cos kθ} and {@code sin kθ}, k = 1..K (interleaved). */
  double[] partnerTerms(double theta) {
    double[] v = new double[2 * beta.length];
    for (int k = 1; k <= beta.length; k++) {
      v[2 * (k - 1)] = Math.cos(k * theta);
      v[2 * (k - 1) + 1] = Math.sin(k * theta);
    }
    return v;
  }

  @Override
  public String toString() {
    return "SharesSigmoid[" + kind + "]";
  }
}
